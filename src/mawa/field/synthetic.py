"""A seeded headquarters for field-node tests and benchmarks: one camp, an open food cycle,
one distribution point and one operator per node, households with members and cards; node
bundles made without the nodes; and `connected_to`, which runs headquarters and nodes as
separate databases in one process."""

import datetime as dt
import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, transaction
from django.db.utils import load_backend
from django.utils import timezone

from mawa.assistance.models import (
    Commodity,
    Cycle,
    EntitlementRule,
    Programme,
    RationCard,
    StockLocation,
)
from mawa.core.ids import new_id, new_reference
from mawa.core.models import AdminArea, Site, User
from mawa.core.roles import Role
from mawa.field import clock, services
from mawa.field.models import Node
from mawa.field.services import forget_identity, node_create
from mawa.registry.models import Household, Person, SpecificNeed

GIVEN = ["Ahmed", "Ali", "Hussein", "Omar", "Khalid", "Fatima", "Zainab", "Maryam", "Noor"]
FAMILY = ["Al-Jaburi", "Al-Obeidi", "Al-Dulaimi", "Al-Tai", "Al-Shammari", "Al-Juburi"]


@dataclass
class World:
    admin: User
    site: Site
    cycle: Cycle
    nodes: list[Node]
    points: list[StockLocation]
    operators: list[User]
    cards: list[str]


@transaction.atomic
def field_world(*, households: int, nodes: int, seed: int = 1, roles=("distribution",)) -> World:
    rng = random.Random(seed)
    governorate = AdminArea.objects.create(pcode="IQG11", level=1, name_en="Erbil")
    district = AdminArea.objects.create(
        pcode="IQG11Q04", level=2, name_en="Makhmour", parent=governorate
    )
    site = Site.objects.create(code="debaga", name_en="Debaga", area=district)
    admin = User.objects.create_user("hq-admin", role=Role.ADMINISTRATOR, all_sites=True)
    parcel = Commodity.objects.create(code="food-parcel", name_en="Food parcel", unit="parcel")
    rice = Commodity.objects.create(code="rice", name_en="Rice", unit="kg")
    programme = Programme.objects.create(code="monthly-food", name_en="Monthly food")
    EntitlementRule.objects.create(
        programme=programme, basis="household", commodity=parcel, quantity=1
    )
    EntitlementRule.objects.create(
        programme=programme, basis="person", commodity=rice, quantity=Decimal("1.5")
    )
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        programme=programme,
        name="cycle",
        starts=today - dt.timedelta(days=30),
        ends=today + dt.timedelta(days=30),
        status=Cycle.Status.OPEN,
    )
    cycle.sites.add(site)
    homes = [
        Household(
            reference=new_reference(),
            site=site,
            arrival_date=today,
            consent_date=today,
            consent_purposes=["assistance"],
            registered_by=admin,
        )
        for _ in range(households)
    ]
    Household.objects.bulk_create(homes, batch_size=2000)
    people, needs = [], []
    for home in homes:
        family = rng.choice(FAMILY)
        for index in range(rng.randint(1, 8)):
            sex = rng.choice("MF")
            person = Person(
                household=home,
                relationship="head" if index == 0 else {"M": "son", "F": "daughter"}[sex],
                sex=sex,
                given_name_lat=rng.choice(GIVEN),
                father_name_lat=rng.choice(GIVEN),
                family_name_lat=family,
            )
            people.append(person)
            if rng.random() < 0.05:
                needs.append(SpecificNeed(person=person, code="DS"))
    Person.objects.bulk_create(people, batch_size=2000)
    SpecificNeed.objects.bulk_create(needs, batch_size=2000)
    cards = [RationCard(household=h, programme=programme) for h in homes]
    RationCard.objects.bulk_create(cards, batch_size=2000)
    points, operators, made = [], [], []
    for index in range(nodes):
        point = StockLocation.objects.create(name=f"Point {index + 1}", kind="point", site=site)
        operator = User.objects.create_user(
            f"operator-{index + 1}",
            password="field-pass-123",
            role=Role.CAMP_MANAGER if "office" in roles else Role.DISTRIBUTION,
        )
        operator.sites.add(site)
        node = node_create(
            actor=admin,
            name=f"node-{index + 1}",
            sites=[site],
            cycles=[cycle],
            points=[point],
            users=[operator],
            roles=roles,
        )
        points.append(point)
        operators.append(operator)
        made.append(node)
    return World(admin, site, cycle, made, points, operators, [c.code for c in cards])


def synthetic_bundles(*, events_total: int, seed: int = 1) -> tuple[list[bytes], int]:
    """Sealed bundles from every node of the world, half redemptions (with their stock lines)
    and half scans, as `bundle_make` on each node would make them after a day offline; 5% of
    each node's households were also served at the node before it. Returns the bundles and
    how many doubles headquarters should flag. Faster than giving through each node's screen,
    for tests and benchmarks of ingestion."""
    rng = random.Random(seed)
    hq = services.this_database()
    cycle = Cycle.objects.get()
    rules = list(cycle.programme.rules.select_related("commodity"))
    cards = dict(RationCard.objects.values_list("household_id", "pk"))
    sizes: dict = {}
    for household_id in Person.objects.values_list("household_id", flat=True).iterator():
        sizes[household_id] = sizes.get(household_id, 0) + 1
    homes = sorted(cards, key=str)
    nodes = Node.objects.count()
    per_node = events_total // nodes // 2  # one redemption and one scan per household served
    bundles, doubles = [], 0
    for index, node in enumerate(Node.objects.order_by("name")):
        point = node.points.get()
        start = (index * per_node) % len(homes)
        mine = [homes[(start + k) % len(homes)] for k in range(per_node)]
        overlap = int(per_node * 0.05) if index else 0  # 5% also served at the previous node
        if overlap:
            before = index - 1
            end = before * per_node + per_node - 1  # the previous node's last households
            mine[:overlap] = [homes[(end - k) % len(homes)] for k in range(overlap)]
            doubles += overlap
        events, seq, now = [], 0, clock.wall()
        at = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)
        for household in mine:
            at += dt.timedelta(seconds=rng.randint(5, 40))
            size = sizes.get(household, 1)
            items = {
                r.commodity.code: str(r.quantity * (size if r.basis == "person" else 1))
                for r in rules
            }
            redemption = {
                "id": str(new_id()),
                "cycle": str(cycle.pk),
                "household": str(household),
                "card": str(cards[household]),
                "point": str(point.pk),
                "items": items,
                "at": at.isoformat(),
                "operator": None,
                "recorded_on": node.name,
                "entries": [
                    {"id": str(new_id()), "commodity": r.commodity_id, "quantity": items[code]}
                    for r in rules
                    for code in [r.commodity.code]
                ],
            }
            scan = {
                "id": str(new_id()),
                "at": at.isoformat(),
                "operator": None,
                "point": str(point.pk),
                "cycle": str(cycle.pk),
                "typed": "0000-0000-0",
                "card": str(cards[household]),
                "outcome": "given",
            }
            for kind, payload in (("redemption", redemption), ("scan", scan)):
                seq += 1
                now += 1
                events.append(
                    {
                        "id": str(uuid.uuid4()),
                        "seq": seq,
                        "kind": kind,
                        "clock": now,
                        "payload": payload,
                    }
                )
        for begin in range(0, len(events), services.EVENTS_PER_BUNDLE):
            chunk = events[begin : begin + services.EVENTS_PER_BUNDLE]
            bundles.append(services.bundle_seal(bytes(node.key), node.pk, hq.pk, 0, chunk))
    return bundles, doubles


@contextmanager
def connected_to(database: dict):
    """Django's default connection pointed at another database (a settings dict, as
    `mawa.settings.database_from_url` makes) for a `with` block, then back."""
    settings = connections.configure_settings({"default": database})["default"]
    previous = connections["default"]
    current = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")
    connections["default"] = current
    forget_identity()
    try:
        yield
    finally:
        current.close()
        connections["default"] = previous
        forget_identity()
