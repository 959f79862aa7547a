"""Slots and lanes: capacity arithmetic, the women's lane, call lists."""

from collections import Counter
from datetime import time

from mawa.planning import Schedule, plan_distribution
from mawa.planning.slots import Slots
from tests.planning.factory import MONDAY, SUNDAY, hh, one_slot

PLENTY = {"RICE": 1e9}


def plan(candidates, schedule):
    return plan_distribution(candidates, PLENTY, schedule=schedule, cycle_seed="c")


def ranked(n, female=()):
    """n households ranked in id order H00, H01, ...; those in `female` female-headed."""
    return [hh(f"H{k:02d}", size=1, days=1000 - k, female_headed=k in female) for k in range(n)]


def test_slot_capacity_is_lanes_times_rate_times_slot_length():
    schedule = Schedule(
        [SUNDAY], time(8), time(9, 10), lanes=3, per_lane_per_hour=50, slot_minutes=20
    )
    slots = Slots(schedule)
    assert slots.per_slot == 3 * 50 * 20 // 60 == 50
    assert slots.lane_places == [17, 17, 16]
    assert [t for _, t in slots.times] == [time(8), time(8, 20), time(8, 40)]  # 09:00 + 20 > 09:10
    assert slots.capacity == 150

    result = plan(ranked(160), schedule)
    assert (result.served, result.unserved) == (150, 10)
    per_slot = Counter(p.slot_start for p in result.placements if p.served)
    assert per_slot == {time(8): 50, time(8, 20): 50, time(8, 40): 50}
    per_lane = Counter((p.slot_start, p.lane) for p in result.placements if p.served)
    assert all(per_lane[time(8), lane] == n for lane, n in [(1, 17), (2, 17), (3, 16)])
    for p in result.placements[150:]:
        assert not p.served and "not served today: no slot left" in p.reason


def test_served_in_rank_order_over_days_and_lanes_in_turn():
    schedule = Schedule([MONDAY, SUNDAY], time(8), time(9), lanes=2, per_lane_per_hour=2)
    result = plan(ranked(9), schedule)
    got = [(p.day, p.slot_start, p.lane) for p in result.placements if p.served]
    # 2 lanes x 2 an hour x 30 minutes = 2 places a slot, one in each lane
    assert got == [
        (SUNDAY, time(8), 1),
        (SUNDAY, time(8), 2),
        (SUNDAY, time(8, 30), 1),
        (SUNDAY, time(8, 30), 2),
        (MONDAY, time(8), 1),
        (MONDAY, time(8), 2),
        (MONDAY, time(8, 30), 1),
        (MONDAY, time(8, 30), 2),
    ]
    assert result.placements[-1].reason.endswith("no slot left; date to be announced")


def test_womens_lane_first_then_general_lanes_spare_for_women():
    # 3 lanes of 2 places a slot; women ranked 0, 2, 4, 6, 7; others 1, 3, 5
    people = ranked(8, female={0, 2, 4, 6, 7})
    result = plan(people, one_slot(lanes=3, per_hour=4, womens_lane=True, end=time(9)))
    where = {p.household_id: (p.slot_start, p.lane) for p in result.placements}
    assert where["H00"] == where["H02"] == (time(8), 1)  # lane 1: the first two women
    assert where["H01"] == (time(8), 2) and where["H03"] == (time(8), 3)
    assert where["H05"] == (time(8), 2)  # last of the others
    assert where["H04"] == (time(8), 3)  # general lanes' spare place goes to the next woman
    assert where["H06"] == where["H07"] == (time(8, 30), 1)
    women = [p for p in result.placements if p.lane == 1]
    assert all("(women's lane)" in p.reason and "womens_lane" in p.reason_codes for p in women)
    assert "women" not in result.placements[1].reason


def test_womens_lane_spare_goes_to_others_once_women_are_placed():
    people = ranked(9, female={3})
    result = plan(people, one_slot(lanes=3, per_hour=4, womens_lane=True, end=time(9)))
    where = {p.household_id: (p.slot_start, p.lane) for p in result.placements}
    assert where["H03"] == (time(8), 1)
    # lanes 2 and 3 take H00, H01, H02, H04 in turn; lane 1's spare place takes H05
    assert [where[f"H0{k}"] for k in (0, 1, 2, 4)] == [(time(8), 2), (time(8), 3)] * 2
    assert where["H05"] == (time(8), 1)
    assert [where[f"H0{k}"] for k in (6, 7, 8)] == [
        (time(8, 30), 2),
        (time(8, 30), 3),
        (time(8, 30), 2),
    ]
    assert "(women's lane)" in result.placements[5].reason  # lane 1 is still the women's lane


def test_womens_lane_serves_as_many_as_without():
    people = ranked(40, female=set(range(0, 40, 3)))
    with_lane = plan(people, one_slot(lanes=3, per_hour=20, womens_lane=True))
    without = plan(people, one_slot(lanes=3, per_hour=20))
    assert with_lane.served == without.served == 30
    assert {p.household_id for p in with_lane.placements if p.served} == {
        p.household_id for p in without.placements if p.served
    }


def test_by_slot_call_lists():
    result = plan(
        ranked(7, female={1}), one_slot(lanes=2, per_hour=4, womens_lane=True, end=time(9))
    )
    lists = result.by_slot()
    assert list(lists) == sorted(lists)
    assert [p.household_id for p in lists[SUNDAY, time(8), 1]] == ["H01", "H03"]
    assert [p.household_id for p in lists[SUNDAY, time(8), 2]] == ["H00", "H02"]
    assert [p.household_id for p in lists[SUNDAY, time(8, 30), 1]] == ["H06"]
    assert [p.household_id for p in lists[SUNDAY, time(8, 30), 2]] == ["H04", "H05"]
    assert sum(len(v) for v in lists.values()) == result.served == 7


def test_rows_for_export():
    result = plan(ranked(3), one_slot(lanes=1, per_hour=4))
    rows = result.rows()
    assert rows[0]["rank"] == 1 and rows[0]["served"] == "yes"
    assert rows[0]["day"] == "2025-03-02" and rows[0]["slot_start"] == "08:00"
    assert rows[2]["served"] == "no" and rows[2]["lane"] == ""
    assert rows[2]["reason_codes"].endswith("no_slot date_tba")
