"""A household's return readiness: its home's and its area's hazard status, in words and a
colour, with the date of the last assessment and who made it.

No hazard record is not a clean bill of health: a home nobody assessed is "not assessed",
never "safe". A resident's mark counts as a report (danger until surveyed), not as clearance.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from mawa.hazards import geo
from mawa.hazards.models import Building, HazardArea, Status

OPEN = (Status.REPORTED, Status.SURVEYED, Status.SUSPECTED, Status.CONFIRMED)
SAFE = (Status.CLEARED, Status.HANDED_OVER)

LEVELS = {
    "danger": (_("Not safe: an explosive hazard is confirmed or suspected"), "#b91c1c"),
    "caution": (_("Not known to be safe: a hazard is reported and not yet cleared"), "#b45309"),
    "unknown": (_("Not assessed: no survey or clearance recorded here"), "#6b7280"),
    "ready": (_("Cleared: no open hazard recorded at the home or in its area"), "#15803d"),
}


@dataclass
class Readiness:
    level: str
    home: Building | None = None
    areas: list = field(default_factory=list)
    last: object = None  # the place assessed last (building or area)

    @property
    def words(self) -> str:
        return str(LEVELS[self.level][0])

    @property
    def colour(self) -> str:
        return LEVELS[self.level][1]


def areas_at(lon: float, lat: float) -> list[HazardArea]:
    """Hazard areas whose polygon holds the point (bounding boxes first, in the database)."""
    candidates = HazardArea.objects.filter(
        min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
    )
    return [a for a in candidates if geo.contains(a.geometry, lon, lat)]


def home_of(intention) -> Building | None:
    if intention.building_id:
        return Building.objects.filter(pk=intention.building_id).first()
    return Building.objects.filter(owner_household=intention.household_id).first()


def readiness(intention) -> Readiness:
    home = home_of(intention)
    point = (intention.longitude, intention.latitude) if intention.latitude is not None else None
    point = point or (home and (home.longitude, home.latitude))
    areas = areas_at(*point) if point else []
    places = ([home] if home else []) + areas
    if not places:
        return Readiness("unknown")
    statuses = {p.status for p in places}
    if statuses & {Status.CONFIRMED, Status.SUSPECTED}:
        level = "danger"
    elif statuses & {Status.REPORTED, Status.SURVEYED}:
        level = "caution"
    elif home is None:
        level = "unknown"  # a cleared area says nothing of a house nobody assessed
    else:
        level = "ready"
    last = max(places, key=lambda p: p.status_at)
    return Readiness(level, home=home, areas=areas, last=last)
