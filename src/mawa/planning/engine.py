"""plan_distribution: who is served today, in what order, when and where; when the rest are.

Serving rule (documented for the public): households are taken in rank order. A household is
served only when every commodity of its entitlement fits in the stock still left; nobody is
ever half-served. When a household does not fit, it is skipped and the list goes on, so a
smaller household further down may still be served with what is left. This wastes no stock
and serves the most households, at the cost that a large household can wait while a smaller,
lower-ranked one is served; its reason says so ("not enough stock left for a household of 9")
and it comes first with the next delivery. Served households are then given slots and lanes
in rank order (see mawa.planning.slots); once every place of the schedule is taken, the
households that would have fitted in the stock get "no slot left" and their stock stays.

Unserved households get a planned date by continuing down the ranking with each expected
delivery, in date order: the stock left today plus the delivery serves, by the same rule,
the unserved households that fit; they are planned for that delivery's date. The rest are
"date to be announced". Quantities are counted in millionths of a unit, so sums are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from mawa.planning.gcpause import paused_gc
from mawa.planning.model import DEFAULT_RULES, Candidate, Placement, Plan, PriorityRules, Schedule
from mawa.planning.priority import Ranked, check_rules, score_all
from mawa.planning.slots import Slots

UNIT = 1_000_000  # quantities are counted in millionths
MAX_DAYS = 36_525  # a century: anything longer is a data error
MAX_QUANTITY = 1e12  # more than the world's yearly grain harvest in kilograms

SERVED, NO_SLOT, NO_ENTITLEMENT = "served", "no_slot", "no_entitlement"


def plan_distribution(
    candidates: Iterable[Candidate],
    stock: Mapping[str, float],
    *,
    rules: PriorityRules = DEFAULT_RULES,
    schedule: Schedule,
    cycle_seed: str,
    expected_stock: Sequence[tuple[date, Mapping[str, float]]] = (),
) -> Plan:
    """The plan for one cycle at one distribution point. Same inputs, same plan: the order of
    the candidates does not matter. Raises ValueError, in plain words, on bad input."""
    with paused_gc():
        return _plan(list(candidates), stock, rules, schedule, cycle_seed, expected_stock)


def _plan(candidates, stock, rules, schedule, cycle_seed, expected_stock) -> Plan:
    if not isinstance(cycle_seed, str):
        raise ValueError("cycle_seed must be text (it is published with the plan)")
    check_rules(rules)
    slots = Slots(schedule)
    initial = _units(stock, "stock", keep_zeros=True)
    deliveries = _deliveries(expected_stock, min(schedule.days))
    entitled, languages = check_candidates(candidates)
    ranked, counts = score_all(candidates, rules, cycle_seed, entitled)
    left = dict(initial)
    outcome = _allocate(ranked, left, slots.capacity)
    served = [i for i, o in enumerate(outcome) if o is SERVED]
    places = slots.assign([ranked[i][5] for i in served])
    planned = _plan_later(ranked, outcome, dict(left), deliveries)
    where: list[tuple[int, int] | None] = [None] * len(ranked)
    for i, place in zip(served, places, strict=True):
        where[i] = place
    placements = _placements(ranked, counts, outcome, where, planned, slots)
    return Plan(
        placements=placements,
        served=len(served),
        unserved=len(placements) - len(served),
        stock_used={k: (initial[k] - left[k]) / UNIT for k in sorted(initial)},
        stock_left={k: left[k] / UNIT for k in sorted(initial)},
        cycle_seed=cycle_seed,
        womens_lane=schedule.womens_lane,
        languages=languages,
    )


def _placements(ranked, counts, outcome, where, planned, slots: Slots) -> list[Placement]:
    """The placements in rank order, each with its reason and reason codes."""
    served_words: dict[tuple[int, int], tuple] = {}
    later_words: dict[date | None, tuple[str, tuple[str, ...]]] = {
        None: ("; date to be announced", ("date_tba",))
    }
    placements = []
    append = placements.append
    for i, (score, _index, text, codes, hid, _female, size, _need) in enumerate(ranked):
        tie = ""
        if counts[score] > 1:
            others = counts[score] - 1
            tie = (
                f"; same score as {others} other household{'s' if others > 1 else ''}, "
                "order drawn by the published rule"
            )
            codes = (*codes, "tie")
        o = outcome[i]
        if o is SERVED:
            place = where[i]
            found = served_words.get(place)
            if found is None:
                found = served_words[place] = _served_words(slots, place)
            day, at, lane, words, more = found
            reason = f"priority {i + 1}: {text}{tie}{words}"
            append(Placement(hid, i + 1, score, reason, [*codes, *more], True, day, at, lane, None))
            continue
        when = None
        if o is NO_ENTITLEMENT:
            words, more = "; nothing to receive: no entitlement in this cycle", (o,)
        else:
            if o is NO_SLOT:
                words, more = "; not served today: no slot left", (o,)
            else:
                commodity, wanted, had = o
                words = (
                    f"; not served today: not enough stock left for a household of {size} "
                    f"(needs {_show(wanted)} {commodity}, {_show(had)} left)"
                )
                more = ("no_stock",)
            when = planned.get(i)
            found = later_words.get(when)
            if found is None:
                found = later_words[when] = (
                    f"; expected on {when.isoformat()}",
                    ("expected_stock",),
                )
            words += found[0]
            more += found[1]
        reason = f"priority {i + 1}: {text}{tie}{words}"
        append(Placement(hid, i + 1, score, reason, [*codes, *more], False, None, None, None, when))
    return placements


def _served_words(slots: Slots, place: tuple[int, int]):
    """(day, slot start, lane, reason words, reason codes) of a slot and lane."""
    slot, lane = place
    day, at = slots.times[slot]
    womens = slots.schedule.womens_lane and lane == 1
    words = f"; served on {day.isoformat()} at {at:%H:%M}, lane {lane}"
    if womens:
        return day, at, lane, words + " (women's lane)", ("served", "womens_lane")
    return day, at, lane, words, ("served",)


def _allocate(ranked: list[Ranked], left: dict[str, int], capacity: int) -> list:
    """Each ranked household's outcome: SERVED, NO_SLOT, NO_ENTITLEMENT, or the first
    commodity short as (code, quantity wanted, quantity left). Takes served stock from left."""
    outcome: list = []
    served = 0
    for row in ranked:
        need = row[7]
        if not need:
            outcome.append(NO_ENTITLEMENT)
            continue
        short = None
        for commodity, quantity in need:
            had = left.get(commodity, 0)
            if had < quantity:
                short = (commodity, quantity, had)
                break
        if short is not None:
            outcome.append(short)
        elif served >= capacity:
            outcome.append(NO_SLOT)
        else:
            for commodity, quantity in need:
                left[commodity] -= quantity
            served += 1
            outcome.append(SERVED)
    return outcome


def _plan_later(
    ranked: list[Ranked], outcome: list, left: dict[str, int], deliveries: list
) -> dict[int, date]:
    """Rank index -> date of the expected delivery that would serve the household."""
    pending = [i for i, o in enumerate(outcome) if o is not SERVED and o is not NO_ENTITLEMENT]
    if not pending or not deliveries:
        return {}
    needs = {i: ranked[i][7] for i in pending}
    smallest, everyone = _bounds(needs.values())

    def full() -> bool:
        return any(left.get(k, 0) < smallest[k] for k in everyone) or not any(
            left.get(k, 0) >= q for k, q in smallest.items()
        )

    planned: dict[int, date] = {}
    for when, delivery in deliveries:
        if not pending:
            break
        for commodity, quantity in delivery.items():
            left[commodity] = left.get(commodity, 0) + quantity
        if full():
            continue
        waiting = []
        for n, i in enumerate(pending):
            need = needs[i]
            if all(left.get(commodity, 0) >= quantity for commodity, quantity in need):
                for commodity, quantity in need:
                    left[commodity] -= quantity
                planned[i] = when
                if full():
                    waiting.extend(pending[n + 1 :])
                    break
            else:
                waiting.append(i)
        pending = waiting
    return planned


def _bounds(needs: Iterable[tuple]) -> tuple[dict[str, int], list[str]]:
    """The smallest quantity of each commodity a pending household wants, and the commodities
    every pending household wants. Once no commodity has its smallest quantity left, or one
    that everyone wants has less than that, nobody more fits and the walk stops."""
    smallest: dict[str, int] = {}
    everyone: set[str] | None = None
    for need in {id(need): need for need in needs}.values():  # households share entitlements
        for commodity, quantity in need:
            if quantity < smallest.get(commodity, quantity + 1):
                smallest[commodity] = quantity
        wanted = {commodity for commodity, _ in need}
        everyone = wanted if everyone is None else everyone & wanted
    return smallest, sorted(everyone or ())


def check_candidates(candidates: list[Candidate]) -> tuple[list[tuple], dict[str, str]]:
    """ValueError naming the household for bad data; otherwise each candidate's entitlement
    as sorted (commodity, millionths) pairs without zeros, in input order, and each
    household's language."""
    seen: dict[str, str] = {}
    entitlements: dict[tuple, tuple] = {}  # many households share one ration: check it once
    out = []
    for c in candidates:
        if not isinstance(c, Candidate):
            raise ValueError(f"expected a Candidate, got {type(c).__name__}")
        hid = c.household_id
        if type(hid) is not str or hid in seen or not hid.strip():
            if not isinstance(hid, str) or not hid.strip():
                raise ValueError(f"every candidate needs a household_id, not {hid!r}")
            raise ValueError(f"household {hid} is listed twice")
        seen[hid] = c.language
        if type(c.size) is not int or c.size < 1:
            raise ValueError(f"household {hid}: size must be a whole number ≥ 1, not {c.size!r}")
        days = c.days_since_assistance
        if days is not None and (type(days) is not int or not 0 <= days <= MAX_DAYS):
            raise ValueError(
                f"household {hid}: days_since_assistance must be 0 to {MAX_DAYS} or None, "
                f"not {days!r}"
            )
        if type(c.days_since_arrival) is not int or not 0 <= c.days_since_arrival <= MAX_DAYS:
            raise ValueError(
                f"household {hid}: days_since_arrival must be 0 to {MAX_DAYS}, "
                f"not {c.days_since_arrival!r}"
            )
        if type(c.tie_key) is not str or type(c.language) is not str:
            raise ValueError(f"household {hid}: tie_key and language must be text")
        if not isinstance(c.entitlement, Mapping):
            raise ValueError(f"household {hid}: entitlement must map commodities to quantities")
        key = tuple(c.entitlement.items())
        try:
            need = entitlements.get(key)
        except TypeError:  # an unhashable quantity: _units says what is wrong
            need = None
        if need is None:
            need = tuple(sorted(_units(c.entitlement, f"household {hid}: entitlement").items()))
            entitlements[key] = need
        out.append(need)
    return out, seen


def _units(quantities: Mapping[str, float], what: str, keep_zeros: bool = False) -> dict[str, int]:
    """Quantities in millionths (zeros dropped unless keep_zeros); ValueError for a commodity
    that is not a code, or a quantity that is negative, infinite, absurd or not a number."""
    if not isinstance(quantities, Mapping):
        raise ValueError(f"{what} must map commodity codes to quantities")
    out = {}
    for commodity, quantity in quantities.items():
        if not isinstance(commodity, str) or not commodity:
            raise ValueError(f"{what}: commodity codes must be text, not {commodity!r}")
        if (
            not isinstance(quantity, int | float)
            or isinstance(quantity, bool)
            or not 0 <= quantity <= MAX_QUANTITY  # also refuses NaN
        ):
            raise ValueError(f"{what}: {commodity} must be a quantity ≥ 0, not {quantity!r}")
        units = round(quantity * UNIT)
        if units or keep_zeros:
            out[commodity] = units
    return out


def _deliveries(expected_stock, first_day: date) -> list[tuple[date, dict[str, int]]]:
    out = []
    for item in expected_stock:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise ValueError("expected_stock items must be (date, {commodity: quantity}) pairs")
        when, quantities = item
        if not isinstance(when, date) or isinstance(when, datetime):
            raise ValueError(f"expected stock date must be a date, not {when!r}")
        if when < first_day:
            raise ValueError(
                f"expected stock on {when.isoformat()} comes before the distribution "
                f"({first_day.isoformat()})"
            )
        out.append((when, _units(quantities, f"expected stock on {when.isoformat()}")))
    out.sort(key=lambda d: d[0])  # stable: same-day deliveries keep their order
    return out


def _show(units: int) -> str:
    """A quantity for people to read: 45, 0.25, 1250000 (never 1.25e+06)."""
    whole, part = divmod(units, UNIT)
    return str(whole) if not part else f"{whole}.{part:06d}".rstrip("0")
