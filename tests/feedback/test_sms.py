"""The SMS endpoint: RapidPro's webhook and a plain gateway, a token, one ticket per message id,
and answers sent back through the same channel. Payloads are recorded, no outside service."""

import json

import pytest
from django.db import transaction

from mawa.feedback import senders, services
from mawa.feedback.models import Outbox, Ticket

TOKEN = "sms-token-for-tests-0123456789"

# The body of RapidPro's "Call webhook" action with its default payload (values invented).
RAPIDPRO = {
    "contact": {
        "uuid": "4b9a7f3e-9a2c-4a6f-8d7e-2f1c0b9e8a11",
        "name": "",
        "urn": "tel:+9647701234567",
        "language": "ckb",
    },
    "flow": {"uuid": "0b7e6d1c-1111-4c0a-9d3e-5a4b3c2d1e0f", "name": "Feedback"},
    "path": [],
    "results": {"category": {"value": "missing_from_list", "category": "Missing"}},
    "run": {"uuid": "b6f0a3b2-2222-4e5d-8c7b-6a5f4e3d2c1b", "created_on": "2017-03-02T09:00:00Z"},
    "input": {
        "uuid": "9a8b7c6d-3333-4e5f-8a9b-0c1d2e3f4a5b",
        "created_on": "2017-03-02T09:00:05Z",
        "channel": {"uuid": "c1d2e3f4-4444-4a5b-8c6d-7e8f9a0b1c2d", "name": "Asiacell"},
        "urn": "tel:+9647701234567",
        "text": "ناوم لە لیستەکەدا نییە، خێزانی ٦ کەسین",
        "attachments": [],
    },
    "channel": {"uuid": "c1d2e3f4-4444-4a5b-8c6d-7e8f9a0b1c2d", "name": "Asiacell"},
}


@pytest.fixture(autouse=True)
def sms_token(settings):
    settings.MAWA_FEEDBACK_SMS_TOKEN = TOKEN


def post(client, body, **extra):
    return client.post(
        "/api/v1/feedback/sms",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_MAWA_TOKEN=TOKEN,
        **extra,
    )


@pytest.mark.django_db
def test_rapidpro_message_makes_one_ticket_even_when_replayed(client, desk):
    first = post(client, RAPIDPRO)
    assert first.status_code == 201, first.content
    again = post(client, RAPIDPRO)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.category, ticket.language) == ("sms", "missing_from_list", "ckb")
    assert ticket.complainant_contact == "+9647701234567"
    assert ticket.message_id == RAPIDPRO["input"]["uuid"]
    # the reply for the flow, in the sender's language (Sorani)
    assert ticket.reference in first.json()["reply"]


@pytest.mark.django_db
def test_plain_gateway_form_post_with_query_token(client, desk, camp_a):
    body = {"id": "gw-1", "from": "+9647507654321", "text": "شكرا على التوزيع", "site": "camp-a"}
    response = client.post(f"/api/v1/feedback/sms?token={TOKEN}", body)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.site == camp_a and ticket.language == "ar" and ticket.category == "other"
    assert ticket.owner == desk["hana"]  # "other" goes to the site's help desk
    client.post(f"/api/v1/feedback/sms?token={TOKEN}", body)
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_sms_needs_the_token(client, desk, token):
    response = client.post(
        "/api/v1/feedback/sms",
        json.dumps(RAPIDPRO),
        content_type="application/json",
        HTTP_X_MAWA_TOKEN=token,
    )
    assert response.status_code == 401
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_no_token_configured_refuses_everything(client, desk, settings):
    settings.MAWA_FEEDBACK_SMS_TOKEN = ""
    assert post(client, RAPIDPRO).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body,content_type",
    [
        (b"not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (json.dumps({"id": "x"}).encode(), "application/json"),
        (json.dumps({"text": "no id"}).encode(), "application/json"),
        (json.dumps({"id": "y" * 101, "text": "t"}).encode(), "application/json"),
    ],
)
def test_bad_messages_get_422_not_500(client, desk, body, content_type):
    response = client.post(
        "/api/v1/feedback/sms", body, content_type=content_type, HTTP_X_MAWA_TOKEN=TOKEN
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["message"]


SENT = []


def fake_sender(to, text):
    SENT.append((to, text))


def failing_sender(to, text):
    raise senders.SendError("gateway down")


@pytest.mark.django_db(transaction=True)
def test_sms_answer_goes_back_through_the_outbox(client, desk, settings):
    settings.MAWA_FEEDBACK_SMS_SENDER = "tests.feedback.test_sms.fake_sender"
    SENT.clear()
    ticket = Ticket.objects.get(pk=post(client, RAPIDPRO).json()["id"])
    services.ticket_answer(
        actor=desk["ada"], ticket=ticket, answer="ناوت زیادکرا", language="ckb", method="sms"
    )
    assert SENT == [("+9647701234567", "ناوت زیادکرا")]
    message = Outbox.objects.get()
    assert message.state == "sent" and message.sent_at is not None


@pytest.mark.django_db
def test_unsent_answers_wait_and_are_retried(client, desk, settings):
    ticket = Ticket.objects.get(pk=post(client, RAPIDPRO).json()["id"])
    settings.MAWA_FEEDBACK_SMS_SENDER = "tests.feedback.test_sms.failing_sender"
    with transaction.atomic():
        services.ticket_answer(
            actor=desk["ada"], ticket=ticket, answer="جواب", language="ar", method="sms"
        )
    assert senders.deliver_waiting() == 0
    message = Outbox.objects.get()
    assert message.state == "pending" and message.error == "gateway down"
    settings.MAWA_FEEDBACK_SMS_SENDER = "tests.feedback.test_sms.fake_sender"
    SENT.clear()
    assert senders.deliver_waiting() == 1
    assert SENT == [("+9647701234567", "جواب")]


@pytest.mark.django_db
def test_rapidpro_sender_posts_a_broadcast(settings, monkeypatch):
    settings.MAWA_RAPIDPRO_URL = "https://rapidpro.example.org/"
    settings.MAWA_RAPIDPRO_TOKEN = "rp-token"
    seen = {}

    class Answer:
        status = 201

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        seen.update(url=request.full_url, body=json.loads(request.data), auth=request.headers)
        return Answer()

    monkeypatch.setattr(senders.urllib.request, "urlopen", urlopen)
    senders.rapidpro("+9647701234567", "جواب")
    assert seen["url"] == "https://rapidpro.example.org/api/v2/broadcasts.json"
    assert seen["body"] == {"urns": ["tel:+9647701234567"], "text": "جواب"}
    assert seen["auth"]["Authorization"] == "Token rp-token"
