"""Figures for the dashboards: occupancy, capacity, movements over 30 days, specific needs."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from mawa.registry.models import Household, Movement, Person, SpecificNeed
from mawa.registry.services import site_occupancy

DAYS = 30


@dataclass
class SiteFigures:
    site: object
    households: int
    people: int

    @property
    def capacity_used(self) -> int | None:
        """Percentage of capacity in people (or households when people is not set)."""
        if self.site.capacity_people:
            return round(100 * self.people / self.site.capacity_people)
        if self.site.capacity_households:
            return round(100 * self.households / self.site.capacity_households)
        return None

    @property
    def over_capacity(self) -> bool:
        return (self.capacity_used or 0) > 100


def site_figures(sites) -> list[SiteFigures]:
    occupancy = site_occupancy(sites)
    return [SiteFigures(site, *occupancy.get(site.pk, (0, 0))) for site in sites]


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


def chart_bars(series: list[dict], height: int = 120) -> list[dict]:
    """Bar geometry for the inline SVG chart: no JavaScript, works offline and in print."""
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


def needs_counts(sites) -> list[tuple[str, int]]:
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
    return [(label, counts.get(code, 0)) for code, label in SpecificNeed.Code.choices]


def totals(figures: list[SiteFigures]) -> dict:
    return {
        "households": sum(f.households for f in figures),
        "people": sum(f.people for f in figures),
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
