"""Headquarters' change feed: a quiet sync costs almost nothing, and a change reaches only the
nodes whose scope holds it, including rows that follow a parent into or out of scope."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mawa.core.models import AdminArea, Site, User
from mawa.core.roles import Role
from mawa.field import services
from mawa.field.models import Change, Event, Node
from mawa.registry.models import Household, Person
from mawa.registry.services import household_transfer, household_update
from tests.field.places import files_only
from tests.field.scenario import PASSPHRASE, set_up, sync

pytestmark = files_only


def _second_office(places, ids):
    """A camp office at another site, packaged and started."""
    with places.use("hq"):
        area = AdminArea.objects.get(pcode="IQG11Q04")
        other = Site.objects.create(code="harshm", name_en="Harshm", area=area)
        clerk = User.objects.create_user("harshm-clerk", password="x" * 12, role=Role.CLERK)
        clerk.sites.add(other)
        node = services.node_create(
            actor=User.objects.get(username=ids["admin"]),
            name="harshm-office",
            sites=[other],
            users=[clerk],
            roles=["office"],
        )
        package = services.package_make(actor=node.created_by, node=node, passphrase=PASSPHRASE)
    places.add("node1")
    with places.use("node1"):
        services.node_init(package, PASSPHRASE)
    ids["nodes"].append(node.pk)
    return other


def _rows_for(places, node_id) -> list[dict]:
    with places.use("hq"):
        services.bundle_make(node_id)
        return [
            row
            for payload in Event.objects.filter(destination=node_id, kind="rows")
            .order_by("-seq")
            .values_list("payload", flat=True)[:1]
            for row in payload["rows"]
        ]


def test_a_quiet_sync_reads_the_feed_once_and_sends_nothing(places):
    ids = set_up(places, households=20, nodes=1, roles=("office",))
    sync(places, 0, ids)
    with places.use("hq"):
        node = Node.objects.get(pk=ids["nodes"][0])
        before = Event.objects.filter(destination=node.pk).count()
        with CaptureQueriesContext(connection) as queries:
            services.bundle_make(node.pk)
        assert Event.objects.filter(destination=node.pk).count() == before
        feed = [q for q in queries.captured_queries if Change._meta.db_table in q["sql"]]
        assert len(feed) == 1
        assert not any("registry_person" in q["sql"] for q in queries.captured_queries)


def test_a_change_reaches_only_the_nodes_whose_scope_holds_it(places):
    ids = set_up(places, households=6, nodes=1, roles=("office",))
    other = _second_office(places, ids)
    sync(places, 0, ids)
    sync(places, 1, ids)
    with places.use("hq"):
        admin = User.objects.get(username=ids["admin"])
        edited, moved = Household.objects.filter(site__code="debaga").order_by("pk")[:2]
        household_update(actor=admin, household=edited, phone="0771234567")
        members = set(map(str, moved.members.values_list("pk", flat=True)))
        household_transfer(actor=admin, household=moved, to_site=other, date=dt.date.today())
    first = _rows_for(places, ids["nodes"][0])
    second = _rows_for(places, ids["nodes"][1])
    sent_first = {(r["m"], r["pk"], bool(r.get("gone"))) for r in first}
    assert ("registry.household", str(edited.pk), False) in sent_first
    assert ("registry.household", str(moved.pk), True) in sent_first  # left its scope
    assert {pk for m, pk, gone in sent_first if m == "registry.person" and gone} == members
    sent_second = {(r["m"], r["pk"]) for r in second if not r.get("gone")}
    assert ("registry.household", str(moved.pk)) in sent_second  # entered its scope
    assert {pk for m, pk in sent_second if m == "registry.person"} == members
    assert ("registry.household", str(edited.pk)) not in sent_second
    sync(places, 0, ids)
    sync(places, 1, ids)
    with places.use("node1"):
        assert set(map(str, Person.objects.values_list("pk", flat=True))) >= members
    with places.use("node0"):
        assert not Household.objects.filter(pk=moved.pk).exists()
