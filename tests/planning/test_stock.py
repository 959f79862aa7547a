"""Stock: nobody half-served, skipping to smaller households, expected deliveries."""

from datetime import date

from mawa.planning import plan_distribution
from tests.planning.factory import SUNDAY, big_schedule, hh, one_slot


def plan(candidates, stock, **kw):
    kw.setdefault("schedule", big_schedule())
    return plan_distribution(candidates, stock, cycle_seed="c", **kw)


def test_never_half_served():
    people = [hh("H", size=5, entitlement={"RICE": 5.0, "OIL": 2.0})]
    result = plan(people, {"RICE": 10.0, "OIL": 1.0})
    (p,) = result.placements
    assert not p.served and p.day is None and p.lane is None
    assert "not enough stock left for a household of 5 (needs 2 OIL, 1 left)" in p.reason
    assert result.stock_used == {"OIL": 0.0, "RICE": 0.0}
    assert result.stock_left == {"OIL": 1.0, "RICE": 10.0}


def test_a_commodity_missing_from_the_stock_does_not_fit():
    (p,) = plan([hh("H", entitlement={"SOAP": 1.0})], {"RICE": 5.0}).placements
    assert not p.served and "(needs 1 SOAP, 0 left)" in p.reason


def test_skip_to_a_smaller_household_that_fits():
    people = [
        hh("first", size=3, days=200),  # 100 + 6 points
        hh("large", size=9, days=150),  # 75 + 18
        hh("small", size=2, days=40),  # 20 + 4
        hh("too-big", size=4, days=10),  # 5 + 8
    ]
    result = plan(people, {"RICE": 6.0})
    first, large, small, too_big = result.placements
    assert [p.household_id for p in result.placements] == ["first", "large", "small", "too-big"]
    assert first.served and small.served
    assert not large.served and not too_big.served
    assert "not served today: not enough stock left for a household of 9" in large.reason
    assert "(needs 9 RICE, 3 left)" in large.reason
    assert "no_stock" in large.reason_codes
    assert "(needs 4 RICE, 1 left)" in too_big.reason
    assert (result.served, result.unserved) == (2, 2)
    assert result.stock_used == {"RICE": 5.0} and result.stock_left == {"RICE": 1.0}


def test_quantities_are_exact():
    people = [hh(f"H{n}", entitlement={"OIL": 0.1}) for n in range(3)]
    result = plan(people, {"OIL": 0.3})
    assert result.served == 3
    assert result.stock_left == {"OIL": 0.0}


def test_zero_stock_serves_nobody_with_a_reason():
    result = plan([hh("A"), hh("B")], {"RICE": 0.0})
    assert (result.served, result.unserved) == (0, 2)
    for p in result.placements:
        assert "not enough stock left for a household of 4" in p.reason
        assert p.planned_date is None and p.reason.endswith("date to be announced")


def test_no_entitlement_is_not_served_and_takes_no_slot():
    result = plan([hh("empty", entitlement={}), hh("B")], {"RICE": 10.0}, schedule=one_slot(1, 2))
    empty = next(p for p in result.placements if p.household_id == "empty")
    assert not empty.served and "no entitlement" in empty.reason
    assert "no_entitlement" in empty.reason_codes
    assert result.served == 1


def test_expected_stock_gives_planned_dates_down_the_ranking():
    people = [hh(f"H{n}", size=4, days=100 - n) for n in range(6)]
    people.append(hh("big", size=20, days=1, entitlement={"RICE": 20.0}))
    first, second = date(2025, 3, 20), date(2025, 4, 15)
    # given out of order: deliveries are taken in date order
    result = plan(
        people, {"RICE": 10.0}, expected_stock=[(second, {"RICE": 4.0}), (first, {"RICE": 6.0})]
    )
    by_id = {p.household_id: p for p in result.placements}
    assert by_id["H0"].served and by_id["H1"].served  # 8 used, 2 left
    assert by_id["H2"].planned_date == first and by_id["H3"].planned_date == first  # 2 + 6
    assert by_id["H4"].planned_date == second  # 0 + 4
    assert by_id["H5"].planned_date is None and by_id["big"].planned_date is None
    assert by_id["H2"].reason.endswith("expected on 2025-03-20")
    assert "expected_stock" in by_id["H2"].reason_codes
    assert by_id["H5"].reason.endswith("date to be announced")
    assert "date_tba" in by_id["H5"].reason_codes
    assert result.stock_left == {"RICE": 2.0}  # the plan's stock is today's, not the future's


def test_no_slot_households_come_first_with_the_next_delivery():
    people = [hh(f"H{n}", size=1, days=100 - n) for n in range(4)]
    result = plan(
        people,
        {"RICE": 3.0},
        schedule=one_slot(lanes=1, per_hour=4),  # two places
        expected_stock=[(date(2025, 3, 9), {"RICE": 1.0})],
    )
    h0, h1, h2, h3 = result.placements
    assert h0.served and h1.served and result.stock_left == {"RICE": 1.0}
    assert "not served today: no slot left" in h2.reason and "no_slot" in h2.reason_codes
    assert h2.planned_date == date(2025, 3, 9)  # today's leftover unit
    assert h3.planned_date == date(2025, 3, 9)  # the delivered unit
    assert "no slot left" in h3.reason  # it fitted in today's stock too, on its own


def test_delivery_on_the_distribution_day_is_allowed():
    result = plan([hh("A"), hh("B")], {"RICE": 4.0}, expected_stock=[(SUNDAY, {"RICE": 4.0})])
    assert sorted(p.planned_date for p in result.placements if not p.served) == [SUNDAY]


def test_quantities_in_reasons_read_plainly():
    people = [hh("oil", entitlement={"OIL": 0.25}), hh("flour", entitlement={"FLOUR": 1_250_000})]
    by_id = {p.household_id: p for p in plan(people, {"OIL": 0.1, "FLOUR": 3.5}).placements}
    assert "(needs 0.25 OIL, 0.1 left)" in by_id["oil"].reason
    assert "(needs 1250000 FLOUR, 3.5 left)" in by_id["flour"].reason
