"""A monthly food parcel programme with an open cycle at Camp A and a stocked point."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mawa.assistance import services
from mawa.assistance.models import (
    Allocation,
    Commodity,
    Cycle,
    EntitlementRule,
    Programme,
    StockEntry,
    StockLocation,
)


@pytest.fixture
def commodities(db):
    return {
        "parcel": Commodity.objects.create(
            code="food-parcel", name_en="Family food parcel", unit="parcel"
        ),
        "kit": Commodity.objects.create(code="hygiene-kit", name_en="Hygiene kit", unit="kit"),
        "rice": Commodity.objects.create(code="rice", name_en="Rice", unit="kg"),
    }


@pytest.fixture
def programme(commodities):
    programme = Programme.objects.create(code="monthly-food", name_en="Monthly food parcel")
    rules = [
        dict(basis="band", commodity=commodities["parcel"], quantity=1, min_size=1, max_size=5),
        dict(basis="band", commodity=commodities["parcel"], quantity=2, min_size=6, max_size=99),
        dict(basis="person", commodity=commodities["rice"], quantity=Decimal("1.5")),
        dict(basis="need", commodity=commodities["kit"], quantity=1, need="DS"),
    ]
    for rule in rules:
        EntitlementRule.objects.create(programme=programme, **rule)
    return programme


@pytest.fixture
def cycle(programme, camp_a):
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        programme=programme,
        name="2017-03",
        starts=today - dt.timedelta(days=1),
        ends=today + dt.timedelta(days=20),
        status=Cycle.Status.OPEN,
    )
    cycle.sites.add(camp_a)
    return cycle


@pytest.fixture
def point(camp_a, users, commodities):
    warehouse = StockLocation.objects.create(name="Erbil warehouse", kind="warehouse")
    point = StockLocation.objects.create(name="Point B", kind="point", site=camp_a)
    for key, quantity in (("parcel", 100), ("rice", 1000), ("kit", 20)):
        services.stock_record(
            actor=users["ada"],
            location=warehouse,
            commodity=commodities[key],
            quantity=quantity,
            kind=StockEntry.Kind.RECEIPT,
        )
        dispatch = services.dispatch_send(
            actor=users["ada"],
            source=warehouse,
            destination=point,
            commodity=commodities[key],
            quantity=quantity,
        )
        services.dispatch_receive(actor=users["ada"], dispatch=dispatch, counted=quantity)
    return point


@pytest.fixture
def card(users, family_a, cycle):
    """Family A's ration card in the cycle's programme."""
    return services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)


def allocate(cycle, point, household, *, rank=1, **schedule) -> Allocation:
    """A household's place in a cycle's plan at a point, as planning would save it:
    `served=True` with day, slot_start and lane, or `served=False` with a planned_date."""
    return Allocation.objects.create(
        cycle=cycle, point=point, household=household, rank=rank, score=1, reason="", **schedule
    )
