"""Small builders for the planning tests."""

from datetime import date, time

from mawa.planning import Candidate, Schedule

SUNDAY = date(2025, 3, 2)
MONDAY = date(2025, 3, 3)


def hh(household_id: str, size: int = 4, days: int | None = 30, **kw) -> Candidate:
    """A household entitled to one unit of RICE per person, unless told otherwise."""
    kw.setdefault("entitlement", {"RICE": float(size)})
    kw.setdefault("days_since_arrival", 400)
    return Candidate(household_id=household_id, size=size, days_since_assistance=days, **kw)


def one_slot(lanes: int = 2, per_hour: int = 60, womens_lane: bool = False, **kw) -> Schedule:
    """One day with one 30-minute slot at 08:00, unless told otherwise."""
    kw.setdefault("days", [SUNDAY])
    kw.setdefault("start", time(8))
    kw.setdefault("end", time(8, 30))
    return Schedule(lanes=lanes, per_lane_per_hour=per_hour, womens_lane=womens_lane, **kw)


def big_schedule(**kw) -> Schedule:
    """Room for everybody: 2 days, 08:00-14:00, 4 lanes of 60 an hour."""
    kw.setdefault("days", [SUNDAY, MONDAY])
    return Schedule(start=time(8), end=time(14), lanes=4, **kw)
