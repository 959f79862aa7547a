"""Sending answers back by SMS: the outbox row is written with the answer, and the sender named
by `MAWA_FEEDBACK_SMS_SENDER` (a dotted path; empty: nothing is sent, the rows wait) sends it.

A sender is a callable `send(to: str, text: str) -> None` that raises `SendError` on failure.
`mawa feedback_send` retries what is waiting. Two come with Mawa:

- `mawa.feedback.senders.rapidpro`: RapidPro's broadcasts API (`MAWA_RAPIDPRO_URL`, e.g.
  https://rapidpro.example.org, and `MAWA_RAPIDPRO_TOKEN`), to the URN `tel:<number>`;
- `mawa.feedback.senders.log_sender`: writes the message to the log (a test bench, a demo).
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from mawa.feedback.models import Outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class SendError(Exception):
    pass


def rapidpro(to: str, text: str) -> None:
    url = settings.MAWA_RAPIDPRO_URL.rstrip("/") + "/api/v2/broadcasts.json"
    urn = to if ":" in to else f"tel:{to}"
    body = json.dumps({"urns": [urn], "text": text}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Token {settings.MAWA_RAPIDPRO_TOKEN}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured URL)
            if response.status >= 300:
                raise SendError(f"RapidPro answered {response.status}")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SendError(str(error)) from error


def log_sender(to: str, text: str) -> None:
    log.warning("SMS to %s: %s", to[-4:].rjust(len(to), "*"), text)


def configured():
    path = getattr(settings, "MAWA_FEEDBACK_SMS_SENDER", "")
    return import_string(path) if path else None


def deliver(message_id) -> bool:
    """Send one waiting message; True when it went."""
    send = configured()
    if send is None:
        return False
    message = Outbox.objects.filter(pk=message_id, state=Outbox.State.PENDING).first()
    if message is None:
        return False
    message.attempts += 1
    try:
        send(message.to, message.text)
    except SendError as error:
        message.error = str(error)[:300]
        if message.attempts >= MAX_ATTEMPTS:
            message.state = Outbox.State.FAILED
        message.save(update_fields=["attempts", "error", "state"])
        return False
    message.state = Outbox.State.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.save(update_fields=["attempts", "error", "state", "sent_at"])
    return True


def deliver_waiting() -> int:
    waiting = Outbox.objects.filter(state=Outbox.State.PENDING).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(waiting))
