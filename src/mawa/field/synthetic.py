"""A seeded headquarters for field-node tests and benchmarks: one camp, an open food cycle,
one distribution point and one operator per node, households with members and cards."""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mawa.assistance.models import (
    Commodity,
    Cycle,
    EntitlementRule,
    Programme,
    RationCard,
    StockLocation,
)
from mawa.core.ids import new_reference
from mawa.core.models import AdminArea, Site, User
from mawa.core.roles import Role
from mawa.field.models import Node
from mawa.field.services import node_create
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
def field_world(*, households: int, nodes: int, seed: int = 1) -> World:
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
            registered_by=admin,
        )
        for _ in range(households)
    ]
    Household.objects.bulk_create(homes, batch_size=2000)
    people, needs = [], []
    for home in homes:
        family = rng.choice(FAMILY)
        for index in range(rng.randint(1, 8)):
            person = Person(
                household=home,
                relationship="head" if index == 0 else "child",
                sex=rng.choice("MF"),
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
            f"operator-{index + 1}", password="field-pass-123", role=Role.DISTRIBUTION
        )
        operator.sites.add(site)
        node = node_create(
            actor=admin,
            name=f"node-{index + 1}",
            sites=[site],
            cycles=[cycle],
            points=[point],
            users=[operator],
        )
        points.append(point)
        operators.append(operator)
        made.append(node)
    return World(admin, site, cycle, made, points, operators, [c.code for c in cards])
