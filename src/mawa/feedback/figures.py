"""Aggregate figures of ordinary tickets: by category, site, channel and time to answer.

Restricted categories are never counted (the queryset comes from `access.figures_tickets`), and
every count from 1 to SMALL-1 is shown as "<5" so that a small camp's one complaint cannot be
traced to the person who made it.
"""

import statistics
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from mawa.feedback.models import DONE, Category, Channel

SMALL = 5


def suppress(n: int | None) -> str:
    if n is None:
        return ""
    return f"<{SMALL}" if 0 < n < SMALL else str(n)


def _days(rows) -> str:
    durations = [(answered - created).total_seconds() / 86400 for created, answered in rows]
    return f"{statistics.median(durations):.1f}" if len(durations) >= SMALL else ""


def tables(tickets) -> dict:
    now = timezone.now()
    counted = tickets.order_by()
    by_category = {
        row["category"]: row
        for row in counted.values("category").annotate(
            n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
        )
    }
    answered = defaultdict(list)
    for category, created, done in counted.filter(answered_at__isnull=False).values_list(
        "category", "created_at", "answered_at"
    ):
        answered[category].append((created, done))
    categories = [
        {
            "label": label,
            "code": code,
            "n": suppress(by_category.get(code, {}).get("n", 0)),
            "answered": suppress(by_category.get(code, {}).get("answered", 0)),
            "days": _days(answered[code]),
        }
        for code, label in Category.choices
        if code in by_category
    ]
    sites = [
        {
            "site": row["site__name_en"] or "",
            "code": row["site__code"] or "",
            "n": suppress(row["n"]),
            "open": suppress(row["open"]),
            "late": suppress(row["late"]),
        }
        for row in counted.values("site__name_en", "site__code")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=~Q(status__in=DONE)),
            late=Count("pk", filter=~Q(status__in=DONE) & Q(due_at__lt=now)),
        )
        .order_by("site__name_en")
    ]
    labels = dict(Channel.choices)
    channels = [
        {"label": labels.get(row["channel"], row["channel"]), "n": suppress(row["n"])}
        for row in counted.values("channel").annotate(n=Count("pk")).order_by("channel")
    ]
    return {"categories": categories, "sites": sites, "channels": channels}


# One row per site, category and channel: the export, with HXL hashtags under the header.
EXPORT_COLUMNS = [
    ("site", "#loc+name"),
    ("site_code", "#loc+code"),
    ("category", "#indicator+category"),
    ("channel", "#meta+channel"),
    ("tickets", "#indicator+tickets+num"),
    ("answered", "#indicator+answered+num"),
]


def export_rows(tickets):
    yield [name for name, _tag in EXPORT_COLUMNS]
    yield [tag for _name, tag in EXPORT_COLUMNS]
    rows = (
        tickets.order_by()
        .values("site__name_en", "site__code", "category", "channel")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by("site__name_en", "category", "channel")
    )
    for row in rows:
        yield [
            row["site__name_en"] or "",
            row["site__code"] or "",
            row["category"],
            row["channel"],
            suppress(row["n"]),
            suppress(row["answered"]),
        ]
