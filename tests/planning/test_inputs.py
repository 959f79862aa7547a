"""Bad input gives a clear ValueError (or an empty plan), never a crash."""

import dataclasses
from datetime import date, datetime, time

import pytest

from mawa.planning import DEFAULT_RULES, Candidate, Schedule, plan_distribution
from tests.planning.factory import SUNDAY, big_schedule, hh, one_slot


def plan(people, stock=None, **kw):
    kw.setdefault("schedule", big_schedule())
    kw.setdefault("cycle_seed", "c")
    return plan_distribution(people, {"RICE": 10.0} if stock is None else stock, **kw)


def test_empty_candidates_give_an_empty_plan():
    result = plan([])
    assert result.placements == [] and (result.served, result.unserved) == (0, 0)
    assert result.stock_used == {"RICE": 0.0} and result.stock_left == {"RICE": 10.0}
    assert result.by_slot() == {} and result.messages() == {} and result.rows() == []
    assert plan(iter([])).placements == []  # any iterable
    assert plan([], stock={}).stock_left == {}


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ([hh("a", size=-3)], "household a: size must be a whole number ≥ 1, not -3"),
        ([hh("a", size=0)], "size must be a whole number ≥ 1, not 0"),
        ([hh("a", size=2.5, entitlement={})], "size must be a whole number"),
        ([hh("a", days=-1)], "days_since_assistance must be 0 to 36525 or None, not -1"),
        ([hh("a", days_since_arrival=-2)], "days_since_arrival must be 0 to 36525, not -2"),
        ([hh("a"), hh("a")], "household a is listed twice"),
        ([hh("")], "every candidate needs a household_id"),
        ([hh("a", entitlement={"RICE": -1.0})], r"household a: entitlement: RICE must be a q"),
        ([hh("a", entitlement={"RICE": float("nan")})], "RICE must be a quantity ≥ 0, not nan"),
        ([hh("a", entitlement={"RICE": "4"})], "RICE must be a quantity"),
        ([hh("a", entitlement={"RICE": [4]})], "RICE must be a quantity"),
        ([hh("a", entitlement=None)], "entitlement must map commodities"),
        ([hh("a", needs=frozenset({1}))], "household a: needs must be a set of code strings"),
        ([{"household_id": "a"}], "expected a Candidate, got dict"),
        ([hh("a", tie_key=None)], "household a: tie_key and language must be text"),
    ],
)
def test_bad_candidates(people, message):
    with pytest.raises(ValueError, match=message):
        plan(people)


@pytest.mark.parametrize(
    ("stock", "message"),
    [
        ({"RICE": -5.0}, "stock: RICE must be a quantity ≥ 0, not -5.0"),
        ({"RICE": float("inf")}, "stock: RICE must be a quantity"),
        ([("RICE", 5)], "stock must map commodity codes to quantities"),
        ({7: 5.0}, "stock: commodity codes must be text, not 7"),
        ({"RICE": 1e20}, "stock: RICE must be a quantity ≥ 0, not 1e"),
    ],
)
def test_bad_stock(stock, message):
    with pytest.raises(ValueError, match=message):
        plan([hh("a")], stock=stock)


def test_zero_stock_is_a_plan_not_an_error():
    result = plan([hh("a")], stock={})
    assert result.served == 0 and "not enough stock left" in result.placements[0].reason


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (one_slot(lanes=0), "schedule lanes must be a whole number ≥ 1, not 0"),
        (one_slot(lanes=-1), "schedule lanes must be a whole number ≥ 1"),
        (one_slot(per_hour=0), "schedule per_lane_per_hour must be a whole number ≥ 1"),
        (one_slot(slot_minutes=0), "schedule slot_minutes must be a whole number ≥ 1"),
        (one_slot(days=[]), "the schedule has no distribution days"),
        (one_slot(days=[SUNDAY, SUNDAY]), "the schedule lists the same day twice"),
        (one_slot(days=["2025-03-02"]), "schedule days must be dates"),
        (one_slot(days=[datetime(2025, 3, 2, 8)]), "schedule days must be dates"),
        (one_slot(lanes=1, womens_lane=True), "a women's lane needs at least 2 lanes"),
        (one_slot(end=time(7)), "do not hold one 30-minute slot"),
        (one_slot(end=time(8, 20)), "08:00-08:20 do not hold one 30-minute slot"),
        (one_slot(start="08:00"), "start and end must be times of day"),
        (one_slot(lanes=1, per_hour=1, slot_minutes=30), "serve nobody in a 30-minute slot"),
    ],
)
def test_bad_schedule(schedule, message):
    with pytest.raises(ValueError, match=message):
        plan([hh("a")], schedule=schedule)


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ([(date(2025, 3, 1), {"RICE": 1.0})], "expected stock on 2025-03-01 comes before"),
        ([(date(2025, 4, 1), {"RICE": -1.0})], "expected stock on 2025-04-01: RICE must be"),
        ([("2025-04-01", {"RICE": 1.0})], "expected stock date must be a date"),
        ([(datetime(2025, 4, 1, 9), {"RICE": 1.0})], "expected stock date must be a date, not"),
        ([date(2025, 4, 1)], r"must be \(date, \{commodity: quantity\}\) pairs"),
    ],
)
def test_bad_expected_stock(expected, message):
    with pytest.raises(ValueError, match=message):
        plan([hh("a")], expected_stock=expected)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"per_person": -1.0},
            "priority rule per_person must be a number from 0 to 1,000,000, not -1.0",
        ),
        ({"never_assisted_bonus": float("nan")}, "never_assisted_bonus must be a number"),
        ({"need_weights": {"DS": "high"}}, r"need_weights\['DS'\] must be a number"),
        ({"tie_break": "loudest first"}, "unknown tie_break rule 'loudest first'"),
        ({"need_weights": [("DS", 1)]}, "need_weights must map need codes to points"),
    ],
)
def test_bad_rules(change, message):
    with pytest.raises(ValueError, match=message):
        plan([hh("a")], rules=dataclasses.replace(DEFAULT_RULES, **change))


def test_bad_seed():
    with pytest.raises(ValueError, match="cycle_seed must be text"):
        plan([hh("a")], cycle_seed=7)


def test_defaults_of_a_bare_candidate():
    c = Candidate("x", 3)
    assert c.needs == frozenset() and c.days_since_assistance is None and c.language == "ar"
    result = plan([c], schedule=Schedule([SUNDAY], time(8), time(9), lanes=1))
    assert result.placements[0].reason.startswith(
        "priority 1: never assisted; arrived today; 3 people; nothing to receive"
    )
