"""Consent per person and purpose: recorded at registration for the head, then per member on
the household page, withdrawn with its history kept, and enforced where it matters now (no SMS
text and no phone number in a distribution plan without contact consent)."""

import csv
import datetime as dt
import io
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from mawa.core.models import AuditEvent
from mawa.core.sync import Scope
from mawa.registry import consent
from mawa.registry.models import Consent, Household
from mawa.registry.sync import _households_apply, household_data
from tests.assistance.test_cycles import households  # noqa: F401 - a fixture
from tests.conftest import login


@pytest.mark.django_db
def test_registration_records_the_households_consent_as_the_heads(users, family_a):
    head = family_a.head
    (row,) = Consent.objects.all()
    assert (row.person, row.purpose, row.given_on) == (head, "assistance", family_a.consent_date)
    assert row.recorded_by == users["alice"] and row.given_by == "person"
    assert consent.consent_active(head, "assistance")
    assert not consent.consent_active(head, "contact")
    spouse = family_a.members.get(relationship="spouse")
    assert not consent.consent_active(spouse, "assistance")


@pytest.mark.django_db
def test_a_clerk_records_and_withdraws_a_members_consent_on_the_household_page(users, family_a):
    client = login(users["alice"])
    spouse = family_a.members.get(relationship="spouse")
    page = client.get(reverse("registry:household_detail", args=[family_a.pk]))
    assert reverse("registry:consent_record", args=[spouse.pk]) in page.content.decode()
    url = reverse("registry:consent_record", args=[spouse.pk])
    data = {"purpose": "contact", "given_by": "person", "given_on": "2017-01-03"}
    assert client.post(url, data).status_code == 302
    assert consent.consent_active(spouse, "contact")
    again = client.post(url, data, follow=True)
    assert "already recorded" in again.content.decode()
    sharing = client.post(url, {**data, "purpose": "sharing"}, follow=True)
    assert "names the partner" in sharing.content.decode()
    client.post(url, {**data, "purpose": "sharing", "partner": "UNICEF"})
    assert consent.consent_active(spouse, "sharing", "UNICEF")
    assert not consent.consent_active(spouse, "sharing", "Another NGO")
    row = Consent.objects.get(person=spouse, purpose="contact")
    client.post(reverse("registry:consent_withdraw", args=[row.pk]))
    row.refresh_from_db()
    assert row.withdrawn_by == users["alice"] and row.withdrawn_on is not None
    assert not consent.consent_active(spouse, "contact")
    assert AuditEvent.objects.filter(object_type="registry.consent", action="change").exists()
    # recorded again after a withdrawal: a new row, the withdrawn one kept as history
    client.post(url, {**data, "given_on": dt.date.today().isoformat()})
    assert Consent.objects.filter(person=spouse, purpose="contact").count() == 2
    assert consent.consent_active(spouse, "contact")


@pytest.mark.django_db
def test_consent_pages_are_scoped_and_need_the_capability(users, family_a):
    head = family_a.head
    row = Consent.objects.get(person=head)
    data = {"purpose": "contact", "given_by": "person", "given_on": "2017-01-03"}
    record = reverse("registry:consent_record", args=[head.pk])
    withdraw = reverse("registry:consent_withdraw", args=[row.pk])
    assert login(users["bob"]).post(record, data).status_code == 404  # Camp B's clerk
    assert login(users["bob"]).post(withdraw).status_code == 404
    assert login(users["dina"]).post(record, data).status_code == 403  # distribution
    assert not consent.consent_active(head, "contact") and consent.consent_active(
        head, "assistance"
    )


@pytest.mark.django_db
def test_the_database_keeps_one_active_consent_and_sharing_names_a_partner(family_a):
    head = family_a.head
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(person=head, purpose="assistance", given_on=dt.date(2017, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(person=head, purpose="sharing", given_on=dt.date(2017, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.filter(person=head).update(withdrawn_on=dt.date(2000, 1, 1))


@pytest.mark.django_db
def test_the_migration_gives_each_head_the_households_consent(users, family_a, family_b):
    Household.objects.filter(pk=family_b.pk).update(
        consent_purposes=["assistance", "contact", "sharing"]
    )
    Consent.objects.all().delete()
    migration = import_module("mawa.registry.migrations.0007_consent_from_households")
    migration.heads_consent(apps, None)
    got = set(Consent.objects.values_list("person", "purpose", "partner", "given_on"))
    assert got == {
        (family_a.head.pk, "assistance", "", family_a.consent_date),
        (family_b.head.pk, "assistance", "", family_b.consent_date),
        (family_b.head.pk, "contact", "", family_b.consent_date),
        (family_b.head.pk, "sharing", "*", family_b.consent_date),
    }
    assert consent.consent_active(family_b.head, "sharing", "UNICEF")


@pytest.mark.django_db
def test_the_plan_has_sms_and_phone_only_for_households_with_contact_consent(
    users,
    households,  # noqa: F811
    cycle,
    point,
):
    client = login(users["mona"])
    client.post(reverse("assistance:cycle_issue_cards", args=[cycle.pk]))
    Household.objects.filter(pk=households[0].pk).update(phone="07701234567")
    plan = {
        "point": point.pk,
        "first_day": dt.date.today().isoformat(),
        "days": 1,
        "start": "08:00",
        "end": "10:00",
        "lanes": 1,
        "per_lane_per_hour": 8,
        "slot_minutes": 30,
    }
    client.post(reverse("assistance:cycle_detail", args=[cycle.pk]), plan)
    withdrawn = households[1].head.consents.get(purpose="contact")
    consent.consent_withdraw(actor=users["mona"], consent=withdrawn)

    def rows():
        url = reverse("assistance:cycle_plan_csv", args=[cycle.pk])
        text = client.get(url, {"language": "ar"}).content.decode("utf-8-sig")
        return {row["card"]: row for row in csv.DictReader(io.StringIO(text))}

    cards = {h.pk: h.cards.get().code for h in households}
    by_card = rows()
    silent = [cards[households[0].pk], cards[households[1].pk]]  # never agreed; withdrew
    for code in silent:
        assert by_card[code]["sms"] == "" and by_card[code]["phone"] == ""
    for household in households[2:]:
        row = by_card[cards[household.pk]]
        assert row["sms"] and row["phone"] == household.phone


@pytest.mark.django_db
def test_a_household_registered_on_a_field_node_reaches_headquarters_with_its_consent(
    users, family_a, camp_a
):
    people = list(family_a.members.all())
    arrival = family_a.movements.get()
    payload = household_data(family_a, people, arrival)
    expected = set(Consent.objects.values_list("person", "purpose", "given_on"))
    Household.objects.filter(pk=family_a.pk).delete()  # as if headquarters never had it
    assert not Consent.objects.exists()
    scope = Scope(node="n1", name="node-1", roles=frozenset({"office"}), sites={str(camp_a.pk)})
    _households_apply([payload], scope)
    assert set(Consent.objects.values_list("person", "purpose", "given_on")) == expected
    assert consent.consent_active(family_a.head, "assistance")
