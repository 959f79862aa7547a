"""Time slots and lanes: how many households each slot holds, and who stands in which lane.

Lane policy (documented for the public):

- Without a women's lane, households are called in rank order, slot after slot; within a
  slot they are dealt to lanes 1, 2, 3, ... in turn.
- With a women's lane (lane 1), in every slot lane 1 first calls the next female-headed
  households in rank order, and lanes 2..n call the next other households in rank order. Only
  when one queue is empty does its spare room go to the other queue: lane 1's spare places to
  other households once every female-headed household has been placed, and spare places in
  lanes 2..n to female-headed households once every other household has been placed. No
  place is left empty while someone is waiting, so the number of households served never
  depends on the women's lane, only their lane and time do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from mawa.planning.model import Schedule


class Slots:
    """The checked schedule: its slots in time order and each lane's places per slot."""

    def __init__(self, schedule: Schedule):
        check_schedule(schedule)
        self.schedule = schedule
        minutes = schedule.slot_minutes
        self.times: list[tuple[date, time]] = []
        for day in sorted(schedule.days):
            at = datetime.combine(day, schedule.start)
            close = datetime.combine(day, schedule.end)
            while at + timedelta(minutes=minutes) <= close:
                self.times.append((day, at.time()))
                at += timedelta(minutes=minutes)
        self.per_slot = schedule.lanes * schedule.per_lane_per_hour * minutes // 60
        base, extra = divmod(self.per_slot, schedule.lanes)
        self.lane_places = [base + (1 if lane < extra else 0) for lane in range(schedule.lanes)]
        self.capacity = self.per_slot * len(self.times)

    def assign(self, female: Sequence[bool]) -> list[tuple[int, int]]:
        """(slot index, lane) for each served household, given in rank order. Households
        beyond the capacity are not given a place (the caller keeps them out)."""
        if self.schedule.womens_lane:
            return self._assign_womens_lane(female)
        order = _deal(self.lane_places, range(1, self.schedule.lanes + 1))
        return [(i // self.per_slot, order[i % self.per_slot]) for i in range(len(female))]

    def _assign_womens_lane(self, female: Sequence[bool]) -> list[tuple[int, int]]:
        women = [i for i, f in enumerate(female) if f]
        others = [i for i, f in enumerate(female) if not f]
        lane1 = self.lane_places[0]
        general = _deal(self.lane_places[1:], range(2, self.schedule.lanes + 1))
        places: list[tuple[int, int] | None] = [None] * len(female)
        w = o = 0
        for slot in range(len(self.times)):
            if w == len(women) and o == len(others):
                break
            taken = min(lane1, len(women) - w)
            for i in women[w : w + taken]:
                places[i] = (slot, 1)
            w += taken
            spare1 = lane1 - taken
            taken = min(len(general), len(others) - o)
            for n, i in enumerate(others[o : o + taken]):
                places[i] = (slot, general[n])
            o += taken
            extra = min(len(general) - taken, len(women) - w)  # room in lanes 2..n for women
            for n, i in enumerate(women[w : w + extra], start=taken):
                places[i] = (slot, general[n])
            w += extra
            extra = min(spare1, len(others) - o)  # lane 1's spare room for others
            for i in others[o : o + extra]:
                places[i] = (slot, 1)
            o += extra
        if w < len(women) or o < len(others):
            raise ValueError("more households than places in the schedule")  # caller's bug
        return places  # type: ignore[return-value]


def _deal(places: Sequence[int], lanes: Sequence[int]) -> list[int]:
    """Lane numbers in calling order within one slot: one to each lane in turn, skipping
    lanes that are full. places[k] is the room in lanes[k]."""
    left = list(places)
    order: list[int] = []
    while any(left):
        for k, lane in enumerate(lanes):
            if left[k]:
                order.append(lane)
                left[k] -= 1
    return order


def check_schedule(schedule: Schedule) -> None:
    """ValueError, in plain words, for a schedule that cannot give anybody a place."""
    days = list(schedule.days)
    if not days:
        raise ValueError("the schedule has no distribution days")
    if not all(isinstance(d, date) and not isinstance(d, datetime) for d in days):
        raise ValueError("schedule days must be dates (not texts or date-times)")
    if len(set(days)) != len(days):
        raise ValueError("the schedule lists the same day twice")
    for name in ("lanes", "per_lane_per_hour", "slot_minutes"):
        value = getattr(schedule, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"schedule {name} must be a whole number ≥ 1, not {value!r}")
    if schedule.womens_lane and schedule.lanes < 2:
        raise ValueError("a women's lane needs at least 2 lanes (lane 1 is the women's lane)")
    if not (isinstance(schedule.start, time) and isinstance(schedule.end, time)):
        raise ValueError("schedule start and end must be times of day")
    length = datetime.combine(days[0], schedule.end) - datetime.combine(days[0], schedule.start)
    if length < timedelta(minutes=schedule.slot_minutes):
        raise ValueError(
            f"the distribution hours {schedule.start:%H:%M}-{schedule.end:%H:%M} do not hold "
            f"one {schedule.slot_minutes}-minute slot"
        )
    per_slot = schedule.lanes * schedule.per_lane_per_hour * schedule.slot_minutes // 60
    if per_slot < 1:
        raise ValueError(
            f"{schedule.lanes} lane(s) at {schedule.per_lane_per_hour} households an hour "
            f"serve nobody in a {schedule.slot_minutes}-minute slot"
        )
