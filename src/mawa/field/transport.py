"""Sync over HTTPS: post this node's bundle to headquarters, apply the answer, repeat until
neither side has anything unacknowledged. Standard library only (urllib), so a field laptop
needs nothing more than Mawa itself."""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mawa.field import services
from mawa.field.models import Event, PeerState

EVENTS_PER_POST = 2000
TIMEOUT = 60


@dataclass
class SyncResult:
    rounds: int = 0
    sent: int = 0
    received: int = 0


def _post(url: str, blob: bytes) -> bytes:
    request = urllib.request.Request(
        url, data=blob, method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode("utf-8", "replace")
        raise services.SyncError(
            _("Headquarters refused the bundle: %(detail)s") % {"detail": detail}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise services.SyncError(
            _("Headquarters cannot be reached (%(error)s); work goes on offline.")
            % {"error": error}
        ) from error


def unacknowledged() -> int:
    me = services.this_database()
    state = PeerState.objects.filter(peer=me.headquarters_id).first()
    done = state.acknowledged_upto if state else 0
    return Event.objects.filter(origin=me.pk, seq__gt=done).count()


def sync_over_https(url: str | None = None, *, post=_post, max_rounds: int = 100) -> SyncResult:
    """One sync session; `post` is replaceable so tests can route it to a test client."""
    me = services.this_database()
    if me.kind != me.Kind.NODE:
        raise services.SyncError(_("Only a field node syncs with headquarters."))
    endpoint = (url or me.headquarters_url).rstrip("/") + "/api/v1/field/sync"
    result = SyncResult()
    while result.rounds < max_rounds:
        blob, count = services.bundle_make(limit=EVENTS_PER_POST)
        report = services.bundle_ingest(post(endpoint, blob))
        result.rounds += 1
        result.sent += count
        result.received += report.new
        if report.new == 0 and unacknowledged() == 0:
            break
    return result


def sync_forever(url: str | None, every: int, log) -> None:
    """Sync whenever the link is up; when it is down, try again after `every` seconds."""
    while True:
        try:
            result = sync_over_https(url)
            log(_("Synced: %(sent)s sent, %(received)s received.") % result.__dict__)
        except services.SyncError as error:
            log(str(error))
        time.sleep(every)
