"""The assistance part of the demo scenario: a monthly food programme with an open cycle at
Debaga 1, a stocked distribution point, and a ration card for every household there."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mawa.assistance import services
from mawa.assistance.models import (
    Commodity,
    Cycle,
    EntitlementRule,
    Programme,
    StockEntry,
    StockLocation,
)
from mawa.core.models import Site, User

COMMODITIES = [
    ("food-parcel", "Family food parcel", "سلة غذائية عائلية", "parcel"),
    ("rte-ration", "Ready-to-eat ration", "حصة جاهزة للأكل", "parcel"),
    ("rice", "Rice", "رز", "kg"),
    ("hygiene-kit", "Hygiene kit", "حقيبة نظافة", "kit"),
]


@transaction.atomic
def load(stdout) -> None:
    site = Site.objects.filter(code="debaga-1").first()
    admin = User.objects.filter(username="admin").first()
    if site is None or Programme.objects.filter(code="monthly-food").exists():
        return
    goods = {}
    for code, en, ar, unit in COMMODITIES:
        goods[code], _new = Commodity.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_ar": ar, "unit": unit}
        )
    programme = Programme.objects.create(
        code="monthly-food", name_en="Monthly family food parcel", name_ar="السلة الغذائية الشهرية"
    )
    for basis, code, quantity, low, high, need in [
        ("band", "food-parcel", 1, 1, 5, ""),
        ("band", "food-parcel", 2, 6, 10, ""),
        ("band", "food-parcel", 3, 11, 99, ""),
        ("person", "rice", Decimal("1.5"), 1, 99, ""),
        ("need", "hygiene-kit", 1, 1, 99, "DS"),
        ("need", "hygiene-kit", 1, 1, 99, "SM"),
    ]:
        EntitlementRule.objects.create(
            programme=programme,
            basis=basis,
            commodity=goods[code],
            quantity=quantity,
            min_size=low,
            max_size=high,
            need=need,
        )
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        programme=programme,
        name=today.strftime("%Y-%m"),
        starts=today - dt.timedelta(days=2),
        ends=today + dt.timedelta(days=28),
        status=Cycle.Status.OPEN,
    )
    cycle.sites.add(site)
    warehouse = StockLocation.objects.create(name="Erbil warehouse (WFP)", kind="warehouse")
    point = StockLocation.objects.create(name="Debaga distribution point", kind="point", site=site)
    for code, quantity in (("food-parcel", 400), ("rice", 4000), ("hygiene-kit", 60)):
        services.stock_record(
            actor=admin,
            location=warehouse,
            commodity=goods[code],
            quantity=quantity * 2,
            kind=StockEntry.Kind.RECEIPT,
        )
        dispatch = services.dispatch_send(
            actor=admin,
            source=warehouse,
            destination=point,
            commodity=goods[code],
            quantity=quantity,
        )
        services.dispatch_receive(actor=admin, dispatch=dispatch, counted=quantity)
    issued = services.cards_issue_for_cycle(actor=admin, cycle=cycle)
    stdout.write(f"Assistance: programme, open cycle {cycle.name} at {point.name}, {issued} cards.")
