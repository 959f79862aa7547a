"""Seeded synthetic buildings and hazard areas around the return areas of 2016–2018 (Ramadi,
Fallujah, Mosul, Sinjar, ...), for the demo, tests and benchmarks. The coordinates are the
towns' approximate centres; every building and area is invented (refs start with `syn-`)."""

import datetime as dt
import math
import random

from django.db import transaction

from mawa.core.models import AdminArea
from mawa.hazards import cells
from mawa.hazards.models import Blocks, Building, HazardArea, HazardStep, Method, Source, Status
from mawa.hazards.services import area_fields, skipped_between

# (district P-code, longitude, latitude, spread in degrees)
TOWNS = [
    ("IQG01Q03", 43.30, 33.42, 0.04),  # Al-Ramadi
    ("IQG01Q01", 43.78, 33.35, 0.035),  # Al-Falluja
    ("IQG01Q07", 42.83, 33.64, 0.02),  # Heet
    ("IQG15Q05", 43.13, 36.34, 0.06),  # Al-Mosul
    ("IQG15Q07", 41.87, 36.32, 0.03),  # Sinjar
    ("IQG15Q08", 42.45, 36.37, 0.025),  # Telafar
    ("IQG15Q03", 43.38, 36.27, 0.02),  # Al-Hamdaniya (Qaraqosh)
    ("IQG16Q06", 43.68, 34.60, 0.03),  # Tikrit
    ("IQG16Q03", 43.49, 34.93, 0.025),  # Beygee (Baiji)
    ("IQG13Q01", 43.77, 35.32, 0.02),  # Al-Hawiga
]
STATUSES = [
    (Status.REPORTED, 30),
    (Status.SURVEYED, 8),
    (Status.SUSPECTED, 10),
    (Status.CONFIRMED, 12),
    (Status.CLEARED, 30),
    (Status.HANDED_OVER, 10),
]
METHOD = {
    Status.REPORTED: Method.MARK,
    Status.SURVEYED: Method.NON_TECHNICAL,
    Status.SUSPECTED: Method.NON_TECHNICAL,
    Status.CONFIRMED: Method.TECHNICAL,
    Status.CLEARED: Method.MANUAL,
    Status.HANDED_OVER: Method.HANDOVER,
}
STREETS = ["Al-Souq St", "Al-Jamia St", "Al-Hurriya St", "Al-Mustashfa St", "Al-Nahr St"]


def _status(rng) -> str:
    return rng.choices([s for s, _w in STATUSES], weights=[w for _s, w in STATUSES])[0]


def _source(rng, status) -> str:
    if status == Status.REPORTED:
        return rng.choice([Source.RESIDENT] * 3 + [Source.TEAM])
    return rng.choice([Source.TEAM] * 3 + [Source.AGENCY])


def _blocks(rng) -> list[str]:
    roll = rng.random()
    if roll < 0.01:
        return [Blocks.CLINIC]
    if roll < 0.02:
        return [Blocks.WATER]
    if roll < 0.04:
        return [Blocks.SCHOOL]
    return []


def _step(place, target: dict, rng) -> HazardStep:
    skipped = skipped_between("", place.status)
    return HazardStep(
        **target,
        status=place.status,
        source=place.source,
        method=METHOD[place.status] if place.source != Source.RESIDENT else Method.MARK,
        at=place.status_at,
        by=place.status_by,
        skipped=skipped,
        reason="Synthetic data: the earlier steps were not generated." if skipped else "",
    )


@transaction.atomic
def generate(*, buildings: int, areas: int, seed: int = 2016, batch: int = 2000) -> dict:
    """Write `buildings` buildings and `areas` areas (and one step each); returns the counts.
    Calling it again with the same seed and sizes adds nothing (the refs are taken)."""
    rng = random.Random(seed)
    pcodes = dict(AdminArea.objects.values_list("pcode", "pk"))
    if Building.objects.filter(ref=f"syn-{seed}-b-0").exists():
        return {"buildings": 0, "areas": 0}
    base = dt.datetime(2016, 6, 1, tzinfo=dt.UTC)
    made = {"buildings": 0, "areas": 0}
    for kind, total in (("b", buildings), ("a", areas)):
        places, steps = [], []
        for n in range(total):
            pcode, lon0, lat0, spread = rng.choice(TOWNS)
            lon = round(lon0 + rng.gauss(0, spread), 6)
            lat = round(lat0 + rng.gauss(0, spread), 6)
            status = _status(rng)
            reported = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 700))
            common = {
                "ref": f"syn-{seed}-{kind}-{n}",
                "area_id": pcodes.get(pcode),
                "status": status,
                "source": _source(rng, status),
                "reported_at": reported,
                "status_at": reported + dt.timedelta(days=rng.randrange(0, 200)),
                "blocks": _blocks(rng),
            }
            if kind == "b":
                common["status_by"] = "Resident" if common["source"] == "resident" else "Team 3"
                place = Building(
                    **common,
                    longitude=lon,
                    latitude=lat,
                    address=f"{rng.randrange(1, 400)} {rng.choice(STREETS)}",
                )
                steps.append(_step(place, {"building": place}, rng))
            else:
                common["source"] = Source.AGENCY if status != Status.REPORTED else Source.TEAM
                common["status_by"] = "Mine-action agency"
                radius = rng.uniform(0.0015, 0.006)
                sides = rng.randrange(4, 8)
                ring = [
                    [
                        round(lon + radius * math.cos(2 * math.pi * k / sides), 6),
                        round(lat + radius * math.sin(2 * math.pi * k / sides), 6),
                    ]
                    for k in range(sides)
                ]
                geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
                place = HazardArea(**common, name=f"Area {n}", **area_fields(geometry))
                steps.append(_step(place, {"hazard_area": place}, rng))
            places.append(place)
            if len(places) >= batch:
                _flush(places, steps, batch)
                made["buildings" if kind == "b" else "areas"] += len(places)
                places, steps = [], []
        _flush(places, steps, batch)
        made["buildings" if kind == "b" else "areas"] += len(places)
    cells.rebuild()
    return made


def _flush(places, steps, batch) -> None:
    if places:
        type(places[0]).objects.bulk_create(places, batch_size=batch)
        HazardStep.objects.bulk_create(steps, batch_size=batch)
