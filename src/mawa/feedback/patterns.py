"""Tickets per point and day beside the distribution's figures, and the days that stand out.

A day stands out (a spike) when its tickets about being missing from a list or about conduct
at the distribution number at least SPIKE_MIN and at least SPIKE_FACTOR times the median of
the point's days in the window: the crowd is telling something on that day. Restricted
categories are never counted here.
"""

import datetime as dt
import statistics

from django.db import connection
from django.db.models import CharField, Count
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from mawa.assistance import reports
from mawa.assistance.models import Cycle, StockLocation
from mawa.feedback.models import Category, Ticket

WATCHED = (Category.MISSING_FROM_LIST, Category.DISTRIBUTION_CONDUCT)
SPIKE_MIN = 3
SPIKE_FACTOR = 2
MAX_DAYS = 62


def spikes(counts: list[int]) -> list[bool]:
    if not counts:
        return []
    baseline = statistics.median(counts)
    return [n >= SPIKE_MIN and n >= SPIKE_FACTOR * baseline for n in counts]


def window(cycle: Cycle, today: dt.date) -> list[dt.date]:
    """The cycle's days so far, and at least the last two weeks (the days before a cycle
    opens are when people find they are missing from its list); at most MAX_DAYS."""
    last = min(cycle.ends, today) if cycle.starts <= today else today
    first = min(cycle.starts, last - dt.timedelta(days=13))
    first = max(first, last - dt.timedelta(days=MAX_DAYS - 1))
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _local_day(start: dt.datetime, end: dt.datetime):
    """The local day of `created_at`. SQLite's TruncDate calls a Python function per row (a
    tenth of a second for a busy point's two months); when the time zone's offset is the same
    over the whole window (no daylight-saving change in it: always, in Iraq), SQLite's own
    date() with that offset gives the same day at C speed."""
    if connection.vendor == "sqlite" and start.utcoffset() == end.utcoffset():
        seconds = int(start.utcoffset().total_seconds())
        column = f'"{Ticket._meta.db_table}"."created_at"'
        return RawSQL(f"date({column}, '{seconds:+d} seconds')", [], output_field=CharField())
    return TruncDate("created_at")


def point_days(point: StockLocation, cycle: Cycle, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    days = window(cycle, today)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(days[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        Ticket.objects.filter(point=point, created_at__gte=start, created_at__lt=end)
        .ordinary()
        .annotate(day=_local_day(start, end))
        .values("day", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        day = row["day"] if isinstance(row["day"], dt.date) else dt.date.fromisoformat(row["day"])
        counts.setdefault(day, {})[row["category"]] = row["n"]
    served = {row["day"]: row["n"] for row in reports.served_by_day(cycle, point)}
    table = []
    for day in days:
        found = counts.get(day, {})
        missing = found.get(Category.MISSING_FROM_LIST, 0)
        conduct = found.get(Category.DISTRIBUTION_CONDUCT, 0)
        total = sum(found.values())
        table.append(
            {
                "day": day,
                "missing": missing,
                "conduct": conduct,
                "other": total - missing - conduct,
                "total": total,
                "served": served.get(day, 0),
            }
        )
    watched = [r["missing"] + r["conduct"] for r in table]
    for line, spike in zip(table, spikes(watched), strict=True):
        line["spike"] = spike
    return table


def bars(table: list[dict], height: int = 120, width: int = 18) -> dict:
    """Stacked bars for an SVG: missing from list, conduct, the rest; spike days marked."""
    peak = max([1, *(r["total"] for r in table)])
    out = []
    for index, r in enumerate(table):
        x = index * (width + 4)
        parts, y = [], height
        for name in ("missing", "conduct", "other"):
            h = round(height * r[name] / peak)
            y -= h
            parts.append({"name": name, "y": y, "h": h})
        out.append({**r, "x": x, "mid": x + width // 2, "parts": parts, "top": y})
    return {"bars": out, "width": max(len(table) * (width + 4), 40), "height": height, "w": width}


def point_figures(point: StockLocation, cycle: Cycle) -> dict:
    """The distribution's own figures for the cycle at the point (assistance's reconciliation):
    served, remaining (planned and not yet served) and the stock left."""
    figures = reports.reconciliation(cycle, point)
    return {
        "served": figures["served"],
        "planned": figures["planned"],
        "remaining": max(figures["planned"] - figures["served"], 0),
        "stock": {code: line["left"] for code, line in figures["stock"].items()},
    }
