"""Figures for the dashboards: occupancy, capacity, movements over 30 days, specific needs.

Small cells are suppressed: a reader who may not see people's records (a viewer, a donor's
dashboard) reads counts of 1 to 4 as "<5", and only protection officers and administrators read
small counts of protection needs (one survivor of violence at a small site points at a person).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from mawa.core.roles import Capability
from mawa.registry.models import Household, Movement, Person, SpecificNeed
from mawa.registry.needs import PROTECTION_CODES
from mawa.registry.services import site_occupancy

DAYS = 30
SMALL = 5  # counts from 1 to SMALL - 1 are shown as "<5" to readers without exact access


def suppressed(n: int, exact: bool) -> bool:
    return not exact and 0 < n < SMALL


def small_cell(n: int, exact: bool) -> int | str:
    """`n`, or "<5" when it is a small count that this reader may not see exactly."""
    return f"<{SMALL}" if suppressed(n, exact) else n


def plural_count(n: int, exact: bool) -> int:
    """The number that chooses a plural form: a suppressed count must not choose the form of
    its true value (Arabic has forms for one, two, and three to ten)."""
    return SMALL if suppressed(n, exact) else n


def exact_counts(user) -> bool:
    """Whether `user` reads small counts exactly: only those who may see people's records."""
    return user.can(Capability.VIEW_PEOPLE)


@dataclass
class SiteFigures:
    site: object
    households: int
    people: int
    exact: bool = True

    @property
    def households_cell(self):
        return small_cell(self.households, self.exact)

    @property
    def people_cell(self):
        return small_cell(self.people, self.exact)

    @property
    def households_plural(self) -> int:
        return plural_count(self.households, self.exact)

    @property
    def people_plural(self) -> int:
        return plural_count(self.people, self.exact)

    @property
    def capacity_used(self) -> int | None:
        """Percentage of capacity in people (or households when people is not set); none when
        it would give away a suppressed count."""
        if self.site.capacity_people:
            if suppressed(self.people, self.exact):
                return None
            return round(100 * self.people / self.site.capacity_people)
        if self.site.capacity_households:
            if suppressed(self.households, self.exact):
                return None
            return round(100 * self.households / self.site.capacity_households)
        return None

    @property
    def over_capacity(self) -> bool:
        return (self.capacity_used or 0) > 100


def site_figures(sites, exact: bool = True) -> list[SiteFigures]:
    occupancy = site_occupancy(sites)
    return [SiteFigures(site, *occupancy.get(site.pk, (0, 0)), exact) for site in sites]


def movement_series(sites, days: int = DAYS) -> list[dict]:
    """Arrivals (arrival or transfer in) and departures (departure or transfer out) per day."""
    end = timezone.localdate()
    start = end - dt.timedelta(days=days - 1)
    series = {start + dt.timedelta(days=i): {"in": 0, "out": 0} for i in range(days)}
    moves = Movement.objects.filter(date__gte=start, date__lte=end)
    arrivals = (
        moves.filter(kind__in=[Movement.Kind.ARRIVAL, Movement.Kind.TRANSFER], to_site__in=sites)
        .values("date")
        .annotate(n=Count("pk"))
    )
    departures = (
        moves.filter(
            kind__in=[Movement.Kind.DEPARTURE, Movement.Kind.TRANSFER], from_site__in=sites
        )
        .values("date")
        .annotate(n=Count("pk"))
    )
    for row in arrivals:
        series[row["date"]]["in"] += row["n"]
    for row in departures:
        series[row["date"]]["out"] += row["n"]
    return [{"date": day, **counts} for day, counts in series.items()]


def chart_bars(series: list[dict], height: int = 120, exact: bool = True) -> list[dict]:
    """Bar geometry for the inline SVG chart: no JavaScript, works offline and in print. A
    suppressed day is drawn as SMALL - 1, whatever it was, and titled "<5"."""
    series = [
        {
            **d,
            "in": SMALL - 1 if suppressed(d["in"], exact) else d["in"],
            "out": SMALL - 1 if suppressed(d["out"], exact) else d["out"],
            "in_cell": small_cell(d["in"], exact),
            "out_cell": small_cell(d["out"], exact),
        }
        for d in series
    ]
    peak = max([1, *(max(d["in"], d["out"]) for d in series)])
    bars = []
    for index, day in enumerate(series):
        bars.append(
            {
                **day,
                "x": index * 14,
                "in_y": height - round(height * day["in"] / peak),
                "out_y": height - round(height * day["out"] / peak),
                "in_h": round(height * day["in"] / peak),
                "out_h": round(height * day["out"] / peak),
            }
        )
    return bars


def needs_counts(sites, user=None) -> list[tuple[str, int | str]]:
    """(label, count) of each specific need among present people; small counts suppressed as
    `user` requires (exact for everyone when no user is given)."""
    rows = (
        SpecificNeed.objects.filter(
            person__household__site__in=sites,
            person__household__status=Household.Status.PRESENT,
            person__merged_into=None,
        )
        .values("code")
        .annotate(n=Count("pk"))
    )
    counts = {row["code"]: row["n"] for row in rows}
    people = user is None or exact_counts(user)
    protection = user is None or user.can(Capability.VIEW_PROTECTION)
    return [
        (label, small_cell(counts.get(code, 0), protection if code in PROTECTION_CODES else people))
        for code, label in SpecificNeed.Code.choices
    ]


def totals(figures: list[SiteFigures], exact: bool = True) -> dict:
    households = sum(f.households for f in figures)
    people = sum(f.people for f in figures)
    return {
        "households": small_cell(households, exact),
        "people": small_cell(people, exact),
        "households_plural": plural_count(households, exact),
        "people_plural": plural_count(people, exact),
        "capacity_people": sum(f.site.capacity_people for f in figures),
        "over_capacity": sum(1 for f in figures if f.over_capacity),
    }


def shelter_rows(site) -> list:
    shelters = list(site.shelters.select_related("sector").order_by("sector__name", "code"))
    counts = dict(
        Person.objects.filter(shelter__site=site, household__status=Household.Status.PRESENT)
        .values_list("shelter")
        .annotate(n=Count("pk"))
    )
    for shelter in shelters:
        shelter.occupants_now = counts.get(shelter.pk, 0)
        shelter.over = shelter.occupants_now > shelter.capacity_people
    return shelters
