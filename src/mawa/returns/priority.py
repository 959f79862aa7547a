"""The clearance priority list: open hazards ranked by how many households intending to
return they block, then by what they block (a clinic, a water point, a school, a road).

A building blocks the households whose return is to it (their intention names it, or they own
it); an area blocks the households whose point of return (or home) lies in its polygon. The
counts cover every site (mine-action teams need the whole picture) and are shown with small
numbers suppressed: the ranking uses the exact counts, the page and the export do not.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q

from mawa.hazards.models import Building, HazardArea
from mawa.returns.models import ReturnIntention
from mawa.returns.readiness import OPEN, areas_at

SMALL = 5  # counts from 1 to SMALL - 1 are shown as "fewer than 5"
DANGER = {"confirmed": 4, "suspected": 3, "reported": 2, "surveyed": 1}


@dataclass
class Priority:
    place: object
    households: int
    rank: int = 0

    @property
    def shown(self) -> str:
        return shown(self.households)


def shown(count: int) -> str:
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


def priorities(limit: int = 200) -> list[Priority]:
    returning = ReturnIntention.objects.filter(
        is_current=True, intends__in=ReturnIntention.RETURNING
    ).select_related("building")
    by_building, by_area = Counter(), Counter()
    households = set()
    for intention in returning.iterator(chunk_size=2000):
        households.add(intention.household_id)
        if intention.building_id and intention.building.status in OPEN:
            by_building[intention.building_id] += 1
        point = intention.point
        if point:
            for area in areas_at(*point):
                if area.status in OPEN:
                    by_area[area.pk] += 1
    owned = Building.objects.filter(status__in=OPEN, owner_household__in=households).exclude(
        pk__in=by_building.keys()
    )
    for building_id in owned.values_list("pk", flat=True):
        by_building[building_id] += 1
    listed = [
        Priority(b, by_building.get(b.pk, 0))
        for b in Building.objects.filter(status__in=OPEN)
        .filter(Q(pk__in=list(by_building)) | ~Q(blocks=[]))
        .select_related("area")
    ]
    listed += [
        Priority(a, by_area.get(a.pk, 0))
        for a in HazardArea.objects.filter(status__in=OPEN)
        .filter(Q(pk__in=list(by_area)) | ~Q(blocks=[]))
        .select_related("area")
    ]
    listed.sort(
        key=lambda p: (
            -p.households,
            -p.place.blocks_weight,
            -DANGER.get(p.place.status, 0),
            p.place.reported_at,
        )
    )
    for number, item in enumerate(listed[:limit], start=1):
        item.rank = number
    return listed[:limit]
