"""Reconciliation and reports of a cycle at a point: planned, served, no-shows, stock."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.assistance import offline
from mawa.assistance.entitlements import quantity_text
from mawa.assistance.models import (
    Allocation,
    Cycle,
    DayClose,
    Redemption,
    StockEntry,
    StockLocation,
)
from mawa.assistance.services import AssistanceError
from mawa.core import sync
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent, User


def _by_kind(point: StockLocation, cycle: Cycle, day: dt.date | None) -> dict:
    entries = StockEntry.objects.filter(location=point)
    if day is not None:
        entries = entries.filter(at__date__lte=day)
    rows = entries.values("commodity__code", "kind").annotate(total=Sum("quantity"))
    table: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        line = table.setdefault(row["commodity__code"], {})
        line[row["kind"]] = line.get(row["kind"], Decimal(0)) + row["total"]
    return table


def reconciliation(cycle: Cycle, point: StockLocation, day: dt.date | None = None) -> dict:
    """Stock received, given, lost and left per commodity; households planned, served and
    no-shows (for a day when given, else for the whole cycle so far)."""
    stock = {}
    for code, kinds in sorted(_by_kind(point, cycle, day).items()):
        received = kinds.get("dispatch_in", 0) + kinds.get("receipt", 0) + kinds.get("return", 0)
        given = -kinds.get("distribution", 0)
        lost = -kinds.get("loss", 0)
        sent = -kinds.get("dispatch_out", 0)
        left = sum(kinds.values(), Decimal(0))
        stock[code] = {
            name: quantity_text(Decimal(value))
            for name, value in (
                ("received", received),
                ("given", given),
                ("lost", lost),
                ("sent_on", sent),
                ("left", left),
            )
        }
    redemptions = Redemption.objects.filter(cycle=cycle, point=point)
    planned = Allocation.objects.filter(cycle=cycle, point=point, served=True)
    if day is not None:
        redemptions = redemptions.filter(at__date=day)
        planned = planned.filter(day=day)
    served_households = set(
        Redemption.objects.filter(cycle=cycle).values_list("household_id", flat=True)
    )
    no_shows = [a.household_id for a in planned if a.household_id not in served_households]
    counts = redemptions.aggregate(
        served=Count("pk", filter=Q(double_of=None)),
        # served again at an offline node: their stock is in "given", so the ledger balances
        doubles=Count("pk", filter=Q(double_of__isnull=False)),
    )
    return {
        "day": day.isoformat() if day else None,
        "served": counts["served"],
        "doubles": counts["doubles"],
        "planned": planned.count(),
        "no_shows": len(no_shows),
        "stock": stock,
    }


@transaction.atomic
def day_close(*, actor: User, cycle: Cycle, point: StockLocation, day: dt.date | None = None):
    day = day or timezone.localdate()
    figures = reconciliation(cycle, point, day)
    try:
        with transaction.atomic():
            close = DayClose.objects.create(
                cycle=cycle, point=point, day=day, figures=figures, closed_by=actor
            )
    except IntegrityError as error:
        raise AssistanceError(_("This day is already closed at this point.")) from error
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=close, summary=figures)
    sync.emit(lambda: [("dayclose", offline.dayclose_data(close))])
    return close


def served_by_hour(cycle: Cycle, point: StockLocation, day: dt.date) -> list[tuple[int, int]]:
    rows = (
        Redemption.objects.filter(cycle=cycle, point=point, at__date=day)
        .annotate(hour=ExtractHour("at"))
        .values("hour")
        .annotate(n=Count("pk"))
    )
    counts = {row["hour"]: row["n"] for row in rows}
    return [(hour, counts.get(hour, 0)) for hour in range(6, 19)]


def served_by_day(cycle: Cycle, point: StockLocation) -> list[dict]:
    rows = (
        Redemption.objects.filter(cycle=cycle, point=point)
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return list(rows)
