"""Each category goes to its owner with its due date; identity is sealed; anonymity is kept."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from mawa.assistance.models import Cycle
from mawa.core.models import AuditEvent
from mawa.feedback import policy
from mawa.feedback.access import shows_identity
from mawa.feedback.models import RESTRICTED, Category, Status, Ticket
from tests.feedback.conftest import record

OWNER_ROLE = {
    Category.MISSING_FROM_LIST: "mona",
    Category.WRONG_ENTITLEMENT: "mona",
    Category.CARD_LOST: "mona",
    Category.DISTRIBUTION_CONDUCT: "mona",
    Category.SITE_SAFETY: "mona",
    Category.INFORMATION: "hana",
    Category.POSITIVE: "hana",
    Category.OTHER: "hana",
    Category.SEXUAL_EXPLOITATION_ABUSE: "fatima",
    Category.STAFF_FRAUD: "fatima",
}


def test_every_category_has_a_rule():
    assert set(policy.RULES) == set(Category.values) == set(OWNER_ROLE)


@pytest.mark.django_db
@pytest.mark.parametrize("category", Category.values)
def test_each_category_goes_to_its_owner_at_the_site(desk, camp_a, category):
    ticket = record(desk["hana"], camp_a, category)
    assert ticket.owner == desk[OWNER_ROLE[category]]
    assert ticket.status == Status.OPEN
    assert ticket.due_at > ticket.created_at
    assert ticket.events.filter(kind="assigned").exists()


@pytest.mark.django_db
def test_restricted_never_goes_to_another_sites_focal_point_or_other_roles(desk, camp_b):
    ticket = record(desk["hadi"], camp_b, Category.STAFF_FRAUD)
    assert ticket.owner == desk["faris"]
    desk["faris"].is_active = False
    desk["faris"].save()
    orphan = record(desk["hadi"], camp_b, Category.STAFF_FRAUD)
    # No focal point at the site: nobody else gets it; it waits, new and unowned.
    assert orphan.owner is None and orphan.status == Status.NEW


@pytest.mark.django_db
def test_restricted_is_audited_in_its_own_history_not_the_general_log(desk, restricted):
    assert not AuditEvent.objects.filter(object_id=str(restricted.pk)).exists()
    assert restricted.events.filter(kind="created", actor=desk["hana"]).exists()
    ordinary = record(desk["hana"], restricted.site)
    event = AuditEvent.objects.get(object_id=str(ordinary.pk), action="create")
    assert event.summary == {"category": "information", "channel": "desk"}


@pytest.mark.django_db
def test_site_safety_is_due_the_same_day(desk, camp_a):
    ticket = record(desk["hana"], camp_a, Category.SITE_SAFETY)
    assert timezone.localtime(ticket.due_at).date() == timezone.localdate(ticket.created_at)


@pytest.mark.django_db
def test_missing_from_list_is_due_before_the_next_distribution(desk, camp_a, programme):
    starts = timezone.localdate() + dt.timedelta(days=5)
    later = Cycle.objects.create(
        programme=programme, name="next", starts=starts, ends=starts + dt.timedelta(days=10)
    )
    later.sites.add(camp_a)
    ticket = record(desk["hana"], camp_a, Category.MISSING_FROM_LIST)
    assert timezone.localtime(ticket.due_at).date() == starts - dt.timedelta(days=1)
    no_cycle = record(desk["hadi"], None, Category.MISSING_FROM_LIST)
    assert no_cycle.due_at - no_cycle.created_at == policy.MISSING_FALLBACK


@pytest.mark.django_db
def test_identity_is_encrypted_at_rest(restricted):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT complainant_name, complainant_contact, text FROM feedback_ticket WHERE id = %s",
            [restricted.pk.hex if connection.vendor == "sqlite" else restricted.pk],
        )
        row = cursor.fetchone()
    assert all(value.startswith("v1:") for value in row)
    assert "Layla" not in "".join(row) and "0770" not in "".join(row)
    assert Ticket.objects.get(pk=restricted.pk).complainant_name == "Layla"


@pytest.mark.django_db
def test_identity_is_shown_to_the_owner_and_focal_points_only(desk, camp_a):
    ticket = record(desk["hana"], camp_a, Category.CARD_LOST, name="Ali", contact="0750")
    assert ticket.owner == desk["mona"]
    assert shows_identity(desk["mona"], ticket)
    assert not shows_identity(desk["hana"], ticket)
    assert not shows_identity(desk["ada"], ticket)


@pytest.mark.django_db
def test_anonymous_ticket_keeps_nothing_identifying(desk, camp_a, family_a):
    ticket = record(
        desk["hana"],
        camp_a,
        Category.DISTRIBUTION_CONDUCT,
        anonymous=True,
        name="Ali",
        contact="0750",
        household=family_a,
    )
    ticket.refresh_from_db()
    assert (ticket.complainant_name, ticket.complainant_contact) == ("", "")
    assert ticket.household_id is None and ticket.person_id is None


@pytest.mark.django_db
def test_database_refuses_identity_on_an_anonymous_ticket(desk, camp_a):
    ticket = record(desk["hana"], camp_a, anonymous=True)
    ticket.complainant_name = "Ali"
    with pytest.raises(IntegrityError):
        ticket.save()


def test_restricted_categories_are_the_two():
    assert {"sexual_exploitation_abuse", "staff_fraud"} == RESTRICTED
