"""Figures like IOM's Displacement Tracking Matrix, for the user's sites: displaced and
returnee households and individuals by governorate and district, returns by month, intentions
by area of return, the most common obstacles. Every table has a header row and an HXL hashtag
row; counts from 1 to 4 are suppressed ("<5") in pages and exports, and no totals are given
(a total beside suppressed cells would give them away)."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from mawa.core.models import AdminArea
from mawa.registry.models import Movement
from mawa.registry.services import site_occupancy
from mawa.returns.models import Obstacle, ReturnIntention
from mawa.returns.priority import shown

MONTHS = 12


def _district(area: AdminArea | None) -> AdminArea | None:
    while area is not None and area.level > AdminArea.Level.DISTRICT:
        area = area.parent
    return area


def _place_columns(district: AdminArea | None) -> list:
    governorate = district.governorate() if district else None
    return [
        governorate.name if governorate else "",
        governorate.pcode if governorate else "",
        district.name if district else str(_("Unknown")),
        district.pcode if district else "",
    ]


PLACE_HEADER = [_("Governorate"), _("Governorate P-code"), _("District"), _("District P-code")]
PLACE_HXL = ["#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code"]


def displacement(sites) -> dict:
    """Displaced people living in the sites (by the site's district) and returnees who left
    them to go home (by the district they returned to)."""
    sites = list(sites.select_related("area__parent__parent"))
    occupancy = site_occupancy(sites)
    rows = defaultdict(lambda: [0, 0, 0, 0])
    for site in sites:
        households, people = occupancy.get(site.pk, (0, 0))
        row = rows[_district(site.area)]
        row[0] += households
        row[1] += people
    returned = (
        Movement.objects.filter(
            kind=Movement.Kind.DEPARTURE, reason=Movement.Reason.RETURN, from_site__in=sites
        )
        .values("destination_area")
        .annotate(households=Count("pk"), people=Sum("people"))
    )
    areas = AdminArea.objects.select_related("parent__parent").in_bulk(
        [r["destination_area"] for r in returned if r["destination_area"]]
    )
    for r in returned:
        row = rows[_district(areas.get(r["destination_area"]))]
        row[2] += r["households"]
        row[3] += r["people"] or 0
    body = [
        _place_columns(district) + [shown(n) for n in counts]
        for district, counts in sorted(rows.items(), key=lambda kv: _key(kv[0]))
    ]
    return {
        "title": _("Displaced and returnees by governorate and district"),
        "header": PLACE_HEADER
        + [
            _("Displaced households (in these sites)"),
            _("Displaced individuals"),
            _("Returnee households (by district of return)"),
            _("Returnee individuals"),
        ],
        "hxl": PLACE_HXL
        + [
            "#affected+idps+hh",
            "#affected+idps+ind",
            "#affected+returnees+hh",
            "#affected+returnees+ind",
        ],
        "rows": body,
    }


def _key(district):
    return district.pcode if district else "~"


def returns_by_month(sites, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    start = (today.replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    months = (
        Movement.objects.filter(
            kind=Movement.Kind.DEPARTURE,
            reason=Movement.Reason.RETURN,
            from_site__in=sites,
            date__gte=start,
        )
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(households=Count("pk"), people=Sum("people"))
        .order_by("month")
    )
    return {
        "title": _("Returns from these sites by month"),
        "header": [_("Month"), _("Returnee households"), _("Returnee individuals")],
        "hxl": ["#date+month", "#affected+returnees+hh", "#affected+returnees+ind"],
        "rows": [
            [m["month"].strftime("%Y-%m"), shown(m["households"]), shown(m["people"] or 0)]
            for m in months
        ],
    }


def intentions_by_area(sites) -> dict:
    current = (
        ReturnIntention.objects.filter(is_current=True, household__site__in=sites)
        .values("area", "intends")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(Counter)
    for row in current:
        counts[row["area"]][row["intends"]] += row["n"]
    areas = AdminArea.objects.select_related("parent__parent").in_bulk(
        [a for a in counts if a is not None]
    )
    choices = ReturnIntention.Intends
    rows = defaultdict(Counter)
    for area_id, by in counts.items():
        rows[_district(areas.get(area_id))].update(by)
    return {
        "title": _("Return intentions by district of return"),
        "header": PLACE_HEADER + [label for _code, label in choices.choices],
        "hxl": PLACE_HXL + [f"#affected+hh+intention_{code}" for code in choices.values],
        "rows": [
            _place_columns(district) + [shown(by[code]) for code in choices.values]
            for district, by in sorted(rows.items(), key=lambda kv: _key(kv[0]))
        ],
    }


def top_obstacles(sites) -> dict:
    counter = Counter()
    current = ReturnIntention.objects.filter(is_current=True, household__site__in=sites)
    for obstacles in current.values_list("obstacles", flat=True).iterator(chunk_size=5000):
        counter.update(obstacles)
    labels = dict(Obstacle.choices)
    return {
        "title": _("What stops households from returning"),
        "header": [_("Obstacle"), _("Code"), _("Households")],
        "hxl": ["#indicator+name", "#indicator+code", "#affected+hh"],
        "rows": [[labels.get(code, code), code, shown(n)] for code, n in counter.most_common()],
    }


TABLES = {
    "displacement": displacement,
    "returns_by_month": returns_by_month,
    "intentions": intentions_by_area,
    "obstacles": top_obstacles,
}
