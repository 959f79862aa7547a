"""Camp offices as field nodes: every record travels both ways, nothing collides, and what a
node may not send is refused whole with nothing written."""

import datetime as dt

import pytest

from mawa.assistance.models import Programme, RationCard
from mawa.assistance.services import card_issue
from mawa.core.models import AdminArea, AuditEvent, Site, User
from mawa.field import crypto, services
from mawa.field.models import FieldHistory, Node
from mawa.registry.models import Household, Movement, Person, Shelter
from mawa.registry.services import (
    MemberInput,
    household_depart,
    household_register,
    household_update,
    person_update,
    shelter_assign,
)
from tests.conftest import member
from tests.field.places import files_only
from tests.field.scenario import export, ingest, set_up, sync

pytestmark = files_only
OFFICE = ("office",)


def _register(places, place, username, given, *, needs=("DS",), number="1001"):
    with places.use(place):
        person = member(given_name_ar=given)
        person = MemberInput(
            fields=person.fields, needs=list(needs), documents=[("national_id", number)]
        )
        return household_register(
            actor=User.objects.get(username=username),
            site=Site.objects.get(code="debaga"),
            members=[person],
            arrival_date=dt.date(2016, 10, 20),
            consent_date=dt.date(2016, 10, 20),
            consent_purposes=["assistance"],
        ).pk


def _needs_and_documents(places, place, household_id):
    with places.use(place):
        person = Household.objects.get(pk=household_id).members.get()
        return (
            sorted(person.needs.values_list("pk", "code")),
            sorted(person.documents.values_list("pk", "number")),
        )


@pytest.mark.parametrize("roles", [("distribution",), OFFICE])
def test_needs_and_documents_made_at_both_places_never_collide(places, roles):
    ids = set_up(places, households=3, nodes=1, roles=roles)
    at_hq = [
        _register(places, "hq", ids["admin"], g, number=n) for g, n in [("سعد", "1"), ("عمر", "2")]
    ]
    at_node = [
        _register(places, "node0", ids["operators"][0], g, number=n)
        for g, n in [("ليلى", "3"), ("نور", "4")]
    ]
    sync(places, 0, ids)  # nothing refused: the stream goes on
    for household in at_hq + at_node:
        hq = _needs_and_documents(places, "hq", household)
        assert hq[0] and hq[1]
        if "office" in roles or household in at_node:
            # Each row kept under its own id at both places, none overwritten.
            assert _needs_and_documents(places, "node0", household)[0] == hq[0]
    if "office" in roles:
        for household in at_hq + at_node:
            assert _needs_and_documents(places, "node0", household) == _needs_and_documents(
                places, "hq", household
            )


def test_an_office_manages_households_offline_and_everything_reaches_headquarters(places):
    ids = set_up(places, households=4, nodes=1, roles=OFFICE)
    with places.use("hq"):
        site = Site.objects.get(code="debaga")
        Shelter.objects.create(site=site, code="A-01", capacity_people=10)
        Programme.objects.create(code="nfi", name_en="Winter kits")
    sync(places, 0, ids)  # the shelter and the programme reach the office
    manager = ids["operators"][0]
    with places.use("node0"):
        actor = User.objects.get(username=manager)
        household = Household.objects.order_by("pk").first()
        moved = Household.objects.order_by("pk").last()
        person = household.members.get(relationship="head")
        household_update(actor=actor, household=household, phone="07701112222")
        person_update(
            actor=actor,
            person=person,
            fields={"given_name_lat": "Saed"},
            needs=["SM", "ER"],
            documents=[("national_id", "480640604645")],
        )
        shelter_assign(actor=actor, household=household, shelter=Shelter.objects.get())
        household_depart(actor=actor, household=moved, date=dt.date.today(), reason="return")
        card = card_issue(
            actor=actor,
            household=household,
            programme=Programme.objects.get(code="nfi"),
            alternates=[("Hamid", "brother")],
        )
    sync(places, 0, ids)
    with places.use("hq"):
        household.refresh_from_db()
        assert household.phone == "07701112222"
        person = Person.objects.get(pk=person.pk)
        assert person.given_name_lat == "Saed"
        assert sorted(person.needs.values_list("code", flat=True)) == ["ER", "SM"]
        assert list(person.documents.values_list("number", flat=True)) == ["480640604645"]
        assert person.shelter.code == "A-01"
        assert Household.objects.get(pk=moved.pk).status == "departed"
        kinds = set(Movement.objects.values_list("kind", flat=True))
        assert {"shelter", "departure"} <= kinds
        stored = RationCard.objects.get(pk=card.pk)
        assert stored.status == "active" and stored.alternates.get().name == "Hamid"


def test_edits_of_one_household_at_two_places_merge_and_keep_the_losing_value(places):
    ids = set_up(places, households=2, nodes=1, roles=OFFICE)
    with places.use("hq"):
        household_id = Household.objects.order_by("pk").first().pk
        household_update(
            actor=User.objects.get(username=ids["admin"]),
            household=Household.objects.get(pk=household_id),
            phone="0770000001",
            origin_village="Bashiqa",
        )
    with places.use("node0"):
        household_update(
            actor=User.objects.get(username=ids["operators"][0]),
            household=Household.objects.get(pk=household_id),
            phone="0770000002",
        )
    sync(places, 0, ids)
    for place in ("hq", "node0"):
        with places.use(place):
            household = Household.objects.get(pk=household_id)
            # The phone written last (at the node) wins; the village, written at
            # headquarters only, stays; both places end the same.
            assert (household.phone, household.origin_village) == ("0770000002", "Bashiqa")
    with places.use("hq"):
        lost = FieldHistory.objects.filter(record=household_id, field="phone")
        assert "0770000001" in set(lost.values_list("value", flat=True))


def _forged(places, ids, kind, payload):
    """A bundle from node0, sealed with its real key, holding one event of `kind`."""
    with places.use("node0"):
        me = services.this_database()
        event = {
            "id": str(services.new_id()),
            "seq": 1,
            "kind": kind,
            "clock": 1,
            "payload": payload,
        }
        return services.bundle_seal(bytes(me.key), me.pk, me.headquarters_id, 0, [event])


@pytest.mark.parametrize(
    "kind,payload,message",
    [
        ("weather", {"x": 1}, "does not know"),
        ("movement", {"id": "x"}, "does not carry"),  # a distribution point moves nobody
        ("stock", {"id": "x", "location": "elsewhere"}, "outside"),
    ],
)
def test_a_bundle_with_a_kind_or_record_the_node_may_not_send_is_refused_whole(
    places, kind, payload, message
):
    ids = set_up(places, households=2, nodes=1)
    blob = _forged(places, ids, kind, payload)
    with places.use("hq"):
        before = (services.data_hash(), AuditEvent.objects.count())
        with pytest.raises(services.SyncError, match=message):
            services.bundle_ingest(blob)
        assert (services.data_hash(), AuditEvent.objects.count()) == before


def test_a_movement_of_a_household_at_another_site_is_refused(places):
    ids = set_up(places, households=2, nodes=1, roles=OFFICE)
    with places.use("hq"):
        area = AdminArea.objects.get(pcode="IQG11Q04")
        other = Site.objects.create(code="elsewhere", name_en="Elsewhere", area=area)
        stranger = Household.objects.create(
            site=other, arrival_date=dt.date(2017, 1, 1), consent_date=dt.date(2017, 1, 1)
        )
        movements = Movement.objects.count()
    blob = _forged(
        places,
        ids,
        "movement",
        {"id": str(services.new_id()), "household": str(stranger.pk), "kind": "departure"},
    )
    with places.use("hq"), pytest.raises(services.SyncError, match="outside"):
        services.bundle_ingest(blob)
    with places.use("hq"):
        assert Movement.objects.count() == movements


def test_malformed_or_unauthenticated_bundles_write_nothing_not_even_to_the_audit_log(places):
    ids = set_up(places, households=2, nodes=1)
    with places.use("hq"):
        hq = services.this_database()
        node = Node.objects.get()
        bad_from = crypto.seal(
            b"k" * 32,
            {"format": services.BUNDLE_FORMAT, "from": "not-a-uuid", "to": str(hq.pk)},
            b"[]",
        )
        with pytest.raises(services.SyncError):
            services.bundle_ingest(bad_from)
        node.status, node.revoked_at = Node.Status.REVOKED, dt.datetime.now(dt.UTC)
        node.save()
        audited = AuditEvent.objects.count()
        # Sealed with a key that is not the node's: refused, and the refusal not audited
        # (its sender could be anyone).
        forged = crypto.seal(
            b"x" * 32,
            {"format": services.BUNDLE_FORMAT, "from": str(node.pk), "to": str(hq.pk), "count": 9},
            b"[]",
        )
        with pytest.raises(services.SyncError):
            services.bundle_ingest(forged)
        assert AuditEvent.objects.count() == audited
    real = export(places, "node0")
    with pytest.raises(services.SyncError, match="revoked"):
        ingest(places, "hq", real)
    with places.use("hq"):
        assert AuditEvent.objects.count() == audited + 1  # authenticated: the refusal recorded
    assert ids


def test_a_departure_at_an_office_suspends_the_households_cards_at_headquarters(places):
    ids = set_up(places, households=2, nodes=1, roles=OFFICE)
    with places.use("node0"):
        household = Household.objects.order_by("pk").first()
        household_depart(
            actor=User.objects.get(username=ids["operators"][0]),
            household=household,
            date=dt.date.today(),
            reason="return",
        )
    sync(places, 0, ids)
    with places.use("hq"):
        statuses = set(
            RationCard.objects.filter(household=household).values_list("status", flat=True)
        )
        assert statuses == {"suspended"}
