"""Scores, the published tie-break, and the first half of every reason ("why this place")."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from mawa.planning.model import (
    NEED_LABELS,
    TIE_BREAK_SHA256,
    TIE_BREAKS,
    Candidate,
    PriorityRules,
)

# A ranked household: (score, its index in the input, reason text, reason codes, household
# id, female-headed, size, entitlement in millionths), the last four copied while the
# candidates are read in order, so that later passes need not look the candidates up.
Ranked = tuple[float, int, str, tuple[str, ...], str, bool, int, tuple]
MAX_WEIGHT = 1_000_000  # keeps every score far inside the 16-byte sort key
SCALE = 10_000  # scores are counted in ten-thousandths (4 decimals), exactly
TOP = 2**128 - 1  # sort keys hold TOP - score, so that a plain ascending sort puts high first


def check_rules(rules: PriorityRules) -> None:
    """ValueError unless every weight is a finite number ≥ 0 and the tie-break is known."""
    numbers = {
        "per_day_since_assistance": rules.per_day_since_assistance,
        "never_assisted_bonus": rules.never_assisted_bonus,
        "new_arrival_days": rules.new_arrival_days,
        "new_arrival_bonus": rules.new_arrival_bonus,
        "per_person": rules.per_person,
        "max_size_points": rules.max_size_points,
    }
    if not isinstance(rules.need_weights, dict) or not all(
        isinstance(code, str) and code for code in rules.need_weights
    ):
        raise ValueError("priority rule need_weights must map need codes to points")
    numbers.update({f"need_weights[{k!r}]": v for k, v in rules.need_weights.items()})
    for name, value in numbers.items():
        if not _finite_non_negative(value) or value > MAX_WEIGHT:
            raise ValueError(
                f"priority rule {name} must be a number from 0 to {MAX_WEIGHT:,}, not {value!r}"
            )
    if rules.tie_break not in TIE_BREAKS:
        known = " or ".join(repr(t) for t in TIE_BREAKS)
        raise ValueError(f"unknown tie_break rule {rules.tie_break!r}; use {known}")


def _finite_non_negative(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def tie_value(rules: PriorityRules, cycle_seed: str, candidate: Candidate) -> str:
    """The published tie-break value of a household: smaller comes first among equal scores."""
    key = candidate.tie_key or candidate.household_id
    if rules.tie_break == TIE_BREAK_SHA256:
        # (score_all sorts by the raw digest, which orders exactly as this hex text does)
        return hashlib.sha256((cycle_seed + key).encode("utf-8")).hexdigest()
    return key


class NeedTable:
    """Points, words and codes for a set of needs, remembered per distinct set."""

    def __init__(self, rules: PriorityRules):
        self.weights = rules.need_weights
        self.cache: dict[frozenset[str], tuple[float, str, tuple[str, ...]]] = {}

    def __call__(self, needs, household_id: str) -> tuple[float, str, tuple[str, ...]]:
        try:
            return self.cache[needs]
        except (KeyError, TypeError):
            pass
        if not isinstance(needs, frozenset | set | tuple | list) or not all(
            isinstance(code, str) for code in needs
        ):
            raise ValueError(f"household {household_id}: needs must be a set of code strings")
        needs = frozenset(needs)
        found = self.cache[needs] = self._compute(needs)
        return found

    def _compute(self, needs: frozenset[str]) -> tuple[float, str, tuple[str, ...]]:
        # Each weighted category counts once, whatever the number of its sub-codes; codes the
        # rules do not weigh give no points and are not named.
        keys = set()
        for code in needs:
            if code in self.weights:
                keys.add(code)
            elif code.split("-", 1)[0] in self.weights:
                keys.add(code.split("-", 1)[0])
        keys = sorted((k for k in keys if self.weights[k] > 0), key=lambda k: (-self.weights[k], k))
        points = math.fsum(self.weights[k] for k in keys)
        label = ", ".join(NEED_LABELS.get(k, k) for k in keys)
        return points, label, tuple(f"need:{k}" for k in keys)


def _days(rules: PriorityRules, days: int | None) -> tuple[float, str, str]:
    if days is None:
        return rules.never_assisted_bonus, "never assisted", "never_assisted"
    text = "assisted today" if days == 0 else f"not assisted for {days} day{_s(days)}"
    return rules.per_day_since_assistance * days, text, f"days_since_assistance:{days}"


def _arrival(rules: PriorityRules, days: int) -> tuple[float, str, str] | None:
    if not rules.new_arrival_bonus or days > rules.new_arrival_days:
        return None
    text = "arrived today" if days == 0 else f"arrived {days} day{_s(days)} ago"
    return rules.new_arrival_bonus, text, "new_arrival"


def _size(rules: PriorityRules, size: int) -> tuple[float, str, str]:
    text = "1 person" if size == 1 else f"{size} people"
    return min(rules.per_person * size, rules.max_size_points), text, f"size:{size}"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def score_all(
    candidates: Sequence[Candidate],
    rules: PriorityRules,
    cycle_seed: str,
    entitlements: Sequence[tuple],
) -> tuple[list[Ranked], dict[float, int]]:
    """Every candidate scored, in rank order (score descending, then the tie-break), with how
    many households have each score. The candidates must have been checked, and their
    entitlements converted (engine.check_candidates)."""
    needs_of = NeedTable(rules)
    days_cache: dict = {}
    arrival_cache: dict = {}
    size_cache: dict = {}
    prefixes: dict[int, bytes] = {}
    counts: dict[float, int] = {}
    sha = rules.tie_break == TIE_BREAK_SHA256
    sha256 = hashlib.sha256
    rows = []
    keys = []  # one bytes key per household: bytes sort fast, and tuples of mixed parts do not
    for index, c in enumerate(candidates):
        hid = c.household_id
        need_points, need_text, need_codes = needs_of(c.needs, hid)
        days = c.days_since_assistance
        d = days_cache.get(days) or days_cache.setdefault(days, _days(rules, days))
        a = arrival_cache.get(c.days_since_arrival, False)
        if a is False:
            a = arrival_cache[c.days_since_arrival] = _arrival(rules, c.days_since_arrival)
        z = size_cache.get(c.size) or size_cache.setdefault(c.size, _size(rules, c.size))
        if a is None:
            points = need_points + d[0] + z[0]
            text = f"{need_text}; {d[1]}; {z[1]}" if need_text else f"{d[1]}; {z[1]}"
            codes = (*need_codes, d[2], z[2])
        else:
            points = need_points + d[0] + a[0] + z[0]
            text = f"{d[1]}; {a[1]}; {z[1]}"
            text = f"{need_text}; {text}" if need_text else text
            codes = (*need_codes, d[2], a[2], z[2])
        tie = c.tie_key or hid
        # the key is (TOP - score) in 16 bytes, then the tie value, then the household id: in
        # byte order, which is the order of the published rule (UTF-8 keeps text order; the
        # raw SHA-256 digest orders as its hexadecimal text; the tie key ends with a NUL)
        tie = sha256((cycle_seed + tie).encode()).digest() if sha else tie.encode() + b"\0"
        points = round(points * SCALE)
        prefix = prefixes.get(points)
        if prefix is None:
            prefix = prefixes[points] = (TOP - points).to_bytes(16, "big")
        keys.append(prefix + tie + hid.encode())
        score = points / SCALE
        counts[score] = counts.get(score, 0) + 1
        need = entitlements[index]
        rows.append((score, index, text, codes, hid, c.female_headed, c.size, need))
    return [rows[i] for i in sorted(range(len(keys)), key=keys.__getitem__)], counts
