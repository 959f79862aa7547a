"""Restricted tickets (sexual exploitation and abuse, fraud by staff) are seen by the site's PSEA
focal points only: for every other role, no page, endpoint, count or export shows one, nor
that one exists."""

import re

import pytest
from django.urls import reverse

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.models import AuditEvent
from mawa.feedback.models import Category
from tests.conftest import login
from tests.feedback.conftest import record
from tests.test_api import token_for

CSRF = re.compile(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')
OTHERS = ["alice", "mona", "dina", "bob", "max", "victor", "ada", "hana", "hadi", "petra", "mina"]


@pytest.fixture
def scene(desk, camp_a, programme, restricted):
    cycle = Cycle.objects.create(
        programme=programme, name="c", starts="2017-01-01", ends="2030-01-01", status="open"
    )
    cycle.sites.add(camp_a)
    point = StockLocation.objects.create(name="P", kind="point", site=camp_a)
    fraud = record(desk["hana"], camp_a, Category.STAFF_FRAUD, point=point, text="FRAUD-TEXT")
    restricted.point = point
    restricted.save(update_fields=["point"])
    return {"restricted": [restricted, fraud], "point": point, "cycle": cycle}


def _pages(scene):
    point, cycle = scene["point"], scene["cycle"]
    return [
        reverse("feedback:ticket_list"),
        reverse("feedback:ticket_list") + "?category=sexual_exploitation_abuse",
        reverse("feedback:ticket_list") + "?status=new",
        reverse("feedback:overdue"),
        reverse("feedback:dashboard_panel"),
        reverse("feedback:figures"),
        reverse("feedback:figures_csv"),
        reverse("feedback:point_pattern", args=[point.pk, cycle.pk]),
        reverse("registry:dashboard"),
        reverse("core:audit_list"),
        reverse("core:audit_export"),
        "/api/v1/feedback",
    ]


def _secret_words(scene) -> list[str]:
    words = ["SECRET-SEA-TEXT", "FRAUD-TEXT", "Layla", "07701112233"]
    for ticket in scene["restricted"]:
        words += [ticket.reference, str(ticket.pk)]
    # nor the categories' names (the intake form names them, to record them: not checked here)
    words += ["Sexual exploitation", "Fraud by staff"]
    return words


@pytest.mark.django_db
@pytest.mark.parametrize("username", OTHERS)
def test_no_page_or_endpoint_shows_a_restricted_ticket(desk, scene, username):
    user = desk[username]
    client = login(user)
    words = _secret_words(scene)
    for url in _pages(scene):
        response = (
            client.get(url, **token_for(user)) if url.startswith("/api/") else client.get(url)
        )
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        body = response.content.decode()
        for word in words:
            assert word not in body, (username, url, word)
    for ticket in scene["restricted"]:
        for name in ("ticket_detail",):
            assert client.get(reverse(f"feedback:{name}", args=[ticket.pk])).status_code in (
                403,
                404,
            )
        for name in ("ticket_assign", "ticket_status", "ticket_answer"):
            response = client.post(
                reverse(f"feedback:{name}", args=[ticket.pk]), {"status": "closed"}
            )
            assert response.status_code in (403, 404)
        api = client.get(f"/api/v1/feedback/{ticket.pk}", **token_for(user))
        assert api.status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("username", OTHERS)
def test_counts_do_not_change_with_a_restricted_ticket(desk, scene, camp_a, username):
    """Add one more restricted ticket: nothing any other role can read changes."""
    user = desk[username]
    client = login(user)

    def snapshot():
        out = []
        for url in _pages(scene):
            if url.startswith("/api/"):
                response = client.get(url, **token_for(user))
                out.append(response.json() if response.status_code == 200 else None)
            elif "audit" not in url:  # (the audit log: its count is checked below)
                body = client.get(url).content.decode()
                out.append(CSRF.sub("", body))
        return out

    before = snapshot()
    desk["fatima"].is_active = False  # then it waits unowned: "new", late soon, still unseen
    desk["fatima"].save()
    lines = AuditEvent.objects.count()
    record(desk["hana"], camp_a, Category.SEXUAL_EXPLOITATION_ABUSE, point=scene["point"])
    assert AuditEvent.objects.count() == lines
    after = snapshot()
    assert before == after


@pytest.mark.django_db
def test_the_sites_focal_point_sees_them_and_nothing_else(desk, scene, camp_a):
    ordinary = record(desk["hana"], camp_a, Category.INFORMATION, text="ORDINARY-TEXT")
    client = login(desk["fatima"])
    listed = client.get(reverse("feedback:ticket_list")).content.decode()
    for ticket in scene["restricted"]:
        assert ticket.reference in listed
        page = client.get(reverse("feedback:ticket_detail", args=[ticket.pk]))
        assert page.status_code == 200
    assert ordinary.reference not in listed
    assert client.get(reverse("feedback:ticket_detail", args=[ordinary.pk])).status_code == 404
    detail = client.get(reverse("feedback:ticket_detail", args=[scene["restricted"][0].pk]))
    assert "Layla" in detail.content.decode()  # focal points see the complainant's identity
    assert scene["restricted"][0].events.filter(kind="viewed", actor=desk["fatima"]).exists()
    # Camp B's focal point does not see Camp A's
    other = login(desk["faris"]).get(reverse("feedback:ticket_list")).content.decode()
    assert scene["restricted"][0].reference not in other
