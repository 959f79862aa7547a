"""The help desk's pages: intake, detail with its actions, assignment, answer, status; late
tickets escalated to the site's camp managers; the JSON API's writes and bad input."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mawa.feedback.models import Category, Status, Ticket
from tests.conftest import login
from tests.feedback.conftest import record
from tests.test_api import token_for


@pytest.mark.django_db
def test_help_desk_records_a_ticket_at_the_desk(desk, camp_a, family_a):
    response = login(desk["hana"]).post(
        reverse("feedback:ticket_new"),
        {
            "category": "missing_from_list",
            "channel": "desk",
            "language": "ckb",
            "text": "ناوی خێزانەکەم لە لیستەکەدا نییە",
            "name": "Karwan",
            "contact": "٠٧٥٠١٢٣٤٥٦٧",
            "site": camp_a.pk,
            "household": family_a.reference.lower().replace("-", ""),
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:ticket_detail", args=[ticket.pk])
    assert ticket.household == family_a and ticket.complainant_contact == "07501234567"
    assert ticket.owner == desk["mona"]


@pytest.mark.django_db
def test_intake_errors_are_shown_not_raised(desk, camp_a):
    client = login(desk["hana"])
    response = client.post(
        reverse("feedback:ticket_new"),
        {
            "category": "other",
            "channel": "desk",
            "language": "ar",
            "text": "x",
            "anonymous": "on",
            "name": "Ali",
            "household": "NOPE-NOPE",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "No household with this number" in body and "anonymous ticket" in body
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_help_desk_recording_a_restricted_ticket_loses_sight_of_it(desk, camp_a):
    client = login(desk["hana"])
    response = client.post(
        reverse("feedback:ticket_new"),
        {"category": "staff_fraud", "channel": "hotline", "language": "ar", "text": "رشوة"},
        follow=True,
    )
    ticket = Ticket.objects.get()
    assert "focal points" in response.content.decode()
    assert ticket.reference in response.content.decode()  # to give to the person
    assert ticket.owner == desk["fatima"]
    detail = client.get(reverse("feedback:ticket_detail", args=[ticket.pk]))
    assert detail.status_code == 404


@pytest.mark.django_db
def test_assign_answer_and_close_with_history(desk, camp_a):
    ticket = record(desk["hana"], camp_a, Category.INFORMATION, language="ckb")
    client = login(desk["mona"])
    url = reverse("feedback:ticket_assign", args=[ticket.pk])
    assert client.post(url, {"owner": desk["mona"].pk}).status_code == 302
    client.post(url, {"owner": desk["fatima"].pk})  # a focal point cannot own an ordinary one
    ticket.refresh_from_db()
    assert ticket.owner == desk["mona"]
    closed = client.post(
        reverse("feedback:ticket_status", args=[ticket.pk]), {"status": "answered"}
    )
    assert closed.status_code == 302  # "answered" only by recording the answer
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("feedback:ticket_answer", args=[ticket.pk]),
        {"answer": "التوزيع يوم الأحد", "language": "ar", "method": "phone", "at": at},
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED and ticket.answer_language == "ar"
    assert ticket.answered_by == desk["mona"] and ticket.answer_method == "phone"
    client.post(reverse("feedback:ticket_status", args=[ticket.pk]), {"status": "closed"})
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "assigned", "answered", "status"]
    page = client.get(reverse("feedback:ticket_detail", args=[ticket.pk])).content.decode()
    assert "التوزيع يوم الأحد" in page


@pytest.mark.django_db
def test_bad_answer_input_is_a_message(desk, camp_a):
    ticket = record(desk["hana"], camp_a, Category.INFORMATION)
    client = login(desk["hana"])
    response = client.post(
        reverse("feedback:ticket_answer", args=[ticket.pk]),
        {"answer": "x", "language": "fr", "method": "sms", "at": "soon"},
        follow=True,
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.answered_at is None


@pytest.mark.django_db
def test_actions_from_a_ticket(desk, camp_a, family_a, cycle):
    missing = record(
        desk["hana"], camp_a, Category.MISSING_FROM_LIST, household=family_a, cycle=cycle
    )
    lost = record(desk["hana"], camp_a, Category.CARD_LOST, household=family_a)
    manager = login(desk["mona"])
    page = manager.get(reverse("feedback:ticket_detail", args=[missing.pk])).content.decode()
    assert reverse("registry:household_detail", args=[family_a.pk]) in page
    assert reverse("assistance:cycle_detail", args=[cycle.pk]) in page
    page = manager.get(reverse("feedback:ticket_detail", args=[lost.pk])).content.decode()
    assert reverse("assistance:household_cards", args=[family_a.pk]) in page
    # the help desk may not act on registry or cards: no links it could not follow
    page = login(desk["hana"]).get(reverse("feedback:ticket_detail", args=[lost.pk]))
    assert reverse("assistance:household_cards", args=[family_a.pk]) not in page.content.decode()


@pytest.mark.django_db
def test_late_tickets_reach_the_sites_camp_manager(desk, camp_a, camp_b):
    late = record(desk["hana"], camp_a, Category.SITE_SAFETY, text="سلك كهرباء مكشوف")
    Ticket.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=3))
    record(desk["hana"], camp_a, Category.POSITIVE)  # not late
    panel = login(desk["mona"]).get(reverse("feedback:dashboard_panel")).content.decode()
    assert "1</b> late ticket" in panel
    overdue = login(desk["mona"]).get(reverse("feedback:overdue")).content.decode()
    assert late.reference in overdue and "Camp A" in overdue
    other_site = login(desk["max"]).get(reverse("feedback:dashboard_panel")).content.decode()
    assert "late ticket" not in other_site
    assert (
        late.reference not in login(desk["max"]).get(reverse("feedback:overdue")).content.decode()
    )
    # the help desk sees late tickets it owns; this one is the camp manager's
    assert (
        "late ticket"
        not in login(desk["hana"]).get(reverse("feedback:dashboard_panel")).content.decode()
    )
    dashboard = login(desk["mona"]).get(reverse("registry:dashboard")).content.decode()
    assert reverse("feedback:dashboard_panel") in dashboard


@pytest.mark.django_db
def test_retention_clears_what_is_past_its_time(desk, camp_a, family_a):
    old = record(desk["hana"], camp_a, Category.POSITIVE, name="Ali", household=family_a)
    kept = record(desk["hana"], camp_a, Category.MISSING_FROM_LIST, name="Omar")
    long_ago = timezone.now() - dt.timedelta(days=100)
    Ticket.objects.filter(pk__in=[old.pk, kept.pk]).update(
        created_at=long_ago, answered_at=long_ago, status=Status.ANSWERED
    )
    call_command("feedback_purge")
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.text, old.complainant_name, old.household_id) == ("", "", None)
    assert old.purged_at is not None and old.category == "positive"
    assert kept.complainant_name == "Omar" and kept.purged_at is None  # kept a year
    call_command("feedback_purge")
    assert old.events.filter(kind="purged").count() == 1


@pytest.mark.django_db
def test_api_records_and_lists_tickets(client, desk, camp_a, family_a):
    response = client.post(
        "/api/v1/feedback",
        {
            "category": "card_lost",
            "channel": "hotline",
            "text": "ضاعت بطاقتي",
            "language": "ar",
            "household": str(family_a.pk),
            "name": "Hussein",
        },
        content_type="application/json",
        **token_for(desk["hana"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["site_id"] == str(camp_a.pk) and body["owner"] == "mona"
    assert body["name"] is None  # the owner's to see, not the desk's
    listed = client.get("/api/v1/feedback", **token_for(desk["mona"])).json()
    assert [t["id"] for t in listed["items"]] == [body["id"]]
    detail = client.get(f"/api/v1/feedback/{body['id']}", **token_for(desk["mona"])).json()
    assert detail["name"] == "Hussein" and detail["text"] == "ضاعت بطاقتي"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,field",
    [
        ({"category": "gossip"}, "category"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "fr"}, "language"),
        ({"text": "  "}, "text"),
        ({"anonymous": True, "name": "Ali"}, "anonymous"),
        ({"household": "not-a-uuid"}, "household"),
        ({"anonymous": "maybe"}, "anonymous"),
    ],
)
def test_api_bad_input_is_422(client, desk, camp_a, change, field):
    body = {"category": "other", "channel": "desk", "text": "نص", "language": "ar", **change}
    response = client.post(
        "/api/v1/feedback", body, content_type="application/json", **token_for(desk["hana"])
    )
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_focal_point_recording_an_ordinary_ticket_passes_it_on(desk, camp_a):
    response = login(desk["fatima"]).post(
        reverse("feedback:ticket_new"),
        {"category": "information", "channel": "desk", "language": "ar", "text": "سؤال"},
        follow=True,
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 200 and ticket.reference in response.content.decode()
    assert ticket.owner == desk["hana"] and ticket.site == camp_a


@pytest.mark.django_db
def test_only_the_sites_team_can_own_a_ticket(desk, camp_a):
    from mawa.feedback import services

    ticket = record(desk["hana"], camp_a, Category.OTHER)
    for user in ("alice", "dina", "hadi", "fatima", "victor"):
        with pytest.raises(services.FeedbackError):
            services.ticket_assign(actor=desk["mona"], ticket=ticket, owner=desk[user])
    services.ticket_assign(actor=desk["mona"], ticket=ticket, owner=desk["mona"])
    assert Ticket.objects.get(pk=ticket.pk).owner == desk["mona"]
