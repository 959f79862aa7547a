"""Field nodes: package, offline distribution, bundles to headquarters and back."""

import datetime as dt

import pytest
from django.db import connections

from mawa.assistance.models import Cycle, RationCard, Redemption, StockEntry, StockLocation
from mawa.assistance.reports import reconciliation
from mawa.assistance.services import card_replace, stock_balance
from mawa.core.models import AdminArea, AuditEvent, Site, User
from mawa.field import crypto, services
from mawa.field.models import Event, FieldHistory, Node, ThisDatabase
from mawa.field.synthetic import field_world
from mawa.registry.models import Household, Person
from mawa.registry.search import search_person_ids
from mawa.registry.services import household_register, person_update
from tests.conftest import member
from tests.field.places import files_only
from tests.field.scenario import (
    PASSPHRASE,
    events_from,
    export,
    give,
    ingest,
    node_events,
    set_up,
    sync,
)

pytestmark = files_only


def test_a_package_holds_what_distribution_needs_and_nothing_more(places):
    ids = set_up(places, households=30, nodes=1)
    with places.use("node0"):
        me = services.this_database()
        assert me.kind == "node" and me.name == "node-1"
        assert Household.objects.count() == 30
        assert Person.objects.exclude(phone="").count() == 0
        assert Person.objects.exclude(birth_date=None).count() == 0
        assert set(User.objects.values_list("username", flat=True)) == {ids["operators"][0]}
        operator = User.objects.get()
        assert operator.check_password("field-pass-123")  # can log in offline
        assert list(operator.sites.values_list("code", flat=True)) == ["debaga"]
        assert Cycle.objects.get().sites.count() == 1


def test_wrong_passphrase_and_a_second_init_are_refused(places):
    places.add("hq")
    with places.use("hq"):
        world = field_world(households=3, nodes=1)
        package = services.package_make(
            actor=world.admin, node=world.nodes[0], passphrase=PASSPHRASE
        )
        with pytest.raises(services.SyncError, match="already made"):
            services.package_make(actor=world.admin, node=world.nodes[0], passphrase=PASSPHRASE)
    places.add("node0")
    with places.use("node0"):
        with pytest.raises(services.SyncError, match="Wrong passphrase"):
            services.node_init(package, "not the passphrase")
        services.node_init(package, PASSPHRASE)
        with pytest.raises(services.SyncError, match="already"):
            services.node_init(package, PASSPHRASE)


def test_offline_distribution_reaches_headquarters_once(places):
    ids = set_up(places, households=40, nodes=1)
    outcomes = give(places, ids, 0, ids["cards"][:25])
    assert outcomes == ["given"] * 25
    sent = export(places, "node0")
    first = ingest(places, "hq", sent)
    again = ingest(places, "hq", sent)
    assert first.new == len(node_events(places, "node0")) and first.duplicates == 0
    assert again.new == 0 and again.duplicates == first.new
    with places.use("hq"):
        assert Redemption.objects.count() == 25
        assert Redemption.objects.filter(recorded_on="node-1").count() == 25
        point = StockLocation.objects.get(pk=ids["points"][0])
        hq_balance = stock_balance(point)
    with places.use("node0"):
        assert stock_balance(StockLocation.objects.get(pk=ids["points"][0])) == hq_balance
    # The reply acknowledges everything: the next bundle from the node is empty.
    ingest(places, "node0", export(places, "hq", ids["nodes"][0]))
    with places.use("node0"):
        assert services.bundle_make()[1] == 0


def test_headquarters_changes_reach_the_node(places):
    ids = set_up(places, households=10, nodes=1)
    with places.use("hq"):
        card = RationCard.objects.get(code=ids["cards"][0])
        admin = User.objects.get(username=ids["admin"])
        new = card_replace(actor=admin, card=card)
    sync(places, 0, ids)
    outcomes = give(places, ids, 0, [ids["cards"][0], new.code], stock=50)
    assert outcomes == ["revoked", "given"]


def test_a_household_served_at_two_offline_nodes_is_kept_and_flagged(places):
    """1,000 cards, 5% presented at two offline nodes: every double flagged on first sync."""
    ids = set_up(places, households=1000, nodes=2)
    cards = ids["cards"]
    assert give(places, ids, 0, cards[:525]) == ["given"] * 525
    assert give(places, ids, 1, cards[475:]) == ["given"] * 525  # 50 overlap, unknown offline
    for node in (0, 1):
        ingest(places, "hq", export(places, f"node{node}"))
    with places.use("hq"):
        assert Redemption.objects.count() == 1050
        doubles = Redemption.objects.exclude(double_of=None)
        assert doubles.count() == 50
        assert (
            Redemption.objects.filter(double_of=None).values("household").distinct().count() == 1000
        )
        for double in doubles.select_related("double_of"):
            assert double.household_id == double.double_of.household_id
            assert double.point_id != double.double_of.point_id  # both places kept
        balances = {}
        for index, pk in enumerate(ids["points"]):
            point = StockLocation.objects.get(pk=pk)
            balances[index] = stock_balance(point)
            given = -sum(
                StockEntry.objects.filter(location=point, kind="distribution").values_list(
                    "quantity", flat=True
                )
            )
            figures = reconciliation(Cycle.objects.get(), point)
            assert figures["served"] + figures["doubles"] == 525
            assert Redemption.objects.filter(point=point).count() == 525
            assert given > 0
        assert (
            sum(
                figures["doubles"]
                for figures in [
                    reconciliation(Cycle.objects.get(), StockLocation.objects.get(pk=pk))
                    for pk in ids["points"]
                ]
            )
            == 50
        )
    for index in (0, 1):  # the ledger balances exactly: headquarters = what the node recorded
        with places.use(f"node{index}"):
            assert (
                stock_balance(StockLocation.objects.get(pk=ids["points"][index])) == balances[index]
            )
    # After syncing back, a node knows the households served elsewhere.
    sync(places, 0, ids)
    assert give(places, ids, 0, [cards[-1]], stock=0) == ["already"]


def test_a_changed_or_foreign_bundle_is_refused_and_nothing_is_written(places):
    ids = set_up(places, households=20, nodes=2)
    give(places, ids, 0, ids["cards"][:5])
    blob = bytearray(export(places, "node0"))
    blob[-20] ^= 1
    with places.use("hq"):
        before = (Event.objects.count(), services.data_hash())
        with pytest.raises(services.SyncError, match="changed"):
            services.bundle_ingest(bytes(blob))
        with pytest.raises(services.SyncError, match="not a Mawa"):
            services.bundle_ingest(b"PK\x03\x04 a zip file")
        # Node 1's header on node 0's sealed body: the tag was made with node 0's key.
        node1 = str(ids["nodes"][1])
        header = crypto.read_header(bytes(blob))
        forged = bytes(blob).replace(header["from"].encode(), node1.encode())
        with pytest.raises(services.SyncError):
            services.bundle_ingest(forged)
        assert (Event.objects.count(), services.data_hash()) == before


def test_a_revoked_node_is_refused_with_a_clear_message_and_the_refusal_audited(places):
    ids = set_up(places, households=10, nodes=1)
    give(places, ids, 0, ids["cards"][:3])
    sent = export(places, "node0")
    with places.use("hq"):
        node = Node.objects.get()
        services.node_revoke(actor=User.objects.get(username=ids["admin"]), node=node)
        with pytest.raises(services.SyncError, match="node-1 was revoked"):
            services.bundle_ingest(sent)
        assert Redemption.objects.count() == 0
        refusal = AuditEvent.objects.filter(object_id=str(node.pk)).order_by("at").last()
        assert refusal.summary["reason"] == "revoked"
        with pytest.raises(services.SyncError, match="revoked"):
            services.bundle_make(node.pk)


def test_a_node_cannot_write_outside_what_it_serves(places):
    ids = set_up(places, households=10, nodes=2)
    with places.use("node0"):  # node 0 claims node 1's point
        me = ThisDatabase.objects.get()
        services.event_append(
            destination=me.headquarters_id,
            kind="stock",
            payload={
                "id": "0190f3a0-0000-7000-8000-000000000001",
                "location": str(ids["points"][1]),
                "commodity": 1,
                "quantity": "5",
                "kind": "receipt",
                "at": "2026-11-30T10:00:00+00:00",
            },
        )
    with pytest.raises(services.SyncError, match="outside"):
        ingest(places, "hq", export(places, "node0"))
    assert places.integrity("hq") == "ok"
    assert events_from(places, "hq", ids["nodes"][0]) == []
    connections["default"].close()


def test_a_household_moved_while_the_node_was_offline_is_still_served_there(places):
    ids = set_up(places, households=6, nodes=1)
    with places.use("hq"):
        card = RationCard.objects.select_related("household").get(code=ids["cards"][0])
        elsewhere = Site.objects.create(
            code="elsewhere", name_en="Elsewhere", area=AdminArea.objects.last()
        )
        Household.objects.filter(pk=card.household_id).update(site=elsewhere)  # a transfer
        person = card.household.members.first()
    assert give(places, ids, 0, [card.code]) == ["given"]
    with places.use("node0"):  # and an edit of someone who, at headquarters, left the node's sites
        operator = User.objects.get(username=ids["operators"][0])
        person_update(
            actor=operator,
            person=Person.objects.get(pk=person.pk),
            fields={"given_name_lat": "Zaid"},
        )
    ingest(places, "hq", export(places, "node0"))
    with places.use("hq"):
        assert Redemption.objects.filter(household=card.household_id).count() == 1
        assert Person.objects.get(pk=person.pk).given_name_lat != "Zaid"
        kept = FieldHistory.objects.get(record=person.pk, field="given_name_lat")
        assert (kept.value, kept.lost_to) == ("Zaid", 0)


def test_a_family_registered_offline_reaches_headquarters_once(places):
    ids = set_up(places, households=3, nodes=1)
    with places.use("node0"):
        operator = User.objects.get(username=ids["operators"][0])
        household = household_register(
            actor=operator,
            site=Site.objects.get(),
            members=[member(), member("spouse", "F", given_name_ar="زينب", mother_name_ar="هدى")],
            arrival_date=dt.date(2016, 10, 20),
            consent_date=dt.date(2016, 10, 20),
            consent_purposes=["assistance"],
        )
    sent = export(places, "node0")
    ingest(places, "hq", sent)
    ingest(places, "hq", sent)  # twice: still one household
    with places.use("hq"):
        stored = Household.objects.get(pk=household.pk)
        assert stored.members.count() == 2
        assert stored.movements.get().kind == "arrival"
        assert set(search_person_ids("زينب الجبوري")) == {
            stored.members.get(given_name_ar="زينب").pk
        }
        created = AuditEvent.objects.get(object_id=str(household.pk), action="create")
        assert created.summary["registered_on"] == "node-1"
    sync(places, 0, ids)  # and the node gets the same rows back without clashing
    with places.use("node0"):
        assert Household.objects.filter(pk=household.pk).count() == 1
