"""What planning takes (candidates, priority rules, a schedule) and what it gives (a plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from mawa.planning import messages as _messages
from mawa.planning.gcpause import paused_gc

# UNHCR specific-needs categories used by Mawa, in the words printed in reasons. A code with a
# sub-category ("DS-BD", "SM-CI") counts as its category unless the rules weigh it on its own.
NEED_LABELS: dict[str, str] = {
    "SC": "unaccompanied or separated child",
    "CR": "child at risk",
    "WR": "woman at risk",
    "ER": "older person at risk",
    "SP": "single parent",
    "DS": "disability",
    "SM": "serious medical condition",
    "FU": "family unity",
    "SV": "survivor of violence",
}

# Default weights: one specific need is worth about as much as 40 days without assistance or
# a household of ten. Separated children come first, then life-threatening medical conditions
# and disability; family-unity cases weigh least because they are a protection, not a food,
# concern.
DEFAULT_NEED_WEIGHTS: dict[str, float] = {
    "SC": 25.0,
    "SM": 20.0,
    "DS": 20.0,
    "WR": 15.0,
    "ER": 15.0,
    "SV": 15.0,
    "CR": 15.0,
    "SP": 10.0,
    "FU": 5.0,
}

TIE_BREAK_SHA256 = "sha256(cycle_seed + tie_key)"
TIE_BREAK_KEY = "tie_key"
TIE_BREAKS = (TIE_BREAK_SHA256, TIE_BREAK_KEY)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A household that may be served in this cycle at this distribution point."""

    household_id: str
    size: int
    needs: frozenset[str] = frozenset()
    days_since_assistance: int | None = None  # None: never assisted
    days_since_arrival: int = 0
    female_headed: bool = False
    language: str = "ar"
    # commodity code -> quantity this household gets (same units as the stock)
    entitlement: dict[str, float] = field(default_factory=dict)
    # a stable public value (e.g. the ration-card code) for the published tie-break rule;
    # blank means the household_id is used
    tie_key: str = ""


@dataclass(frozen=True, slots=True)
class PriorityRules:
    """How a household's score is made. Every point is published in its reason.

    score = sum of need_weights over the household's distinct need categories
          + per_day_since_assistance x days since last assistance
            (or never_assisted_bonus when never assisted)
          + new_arrival_bonus when it arrived at most new_arrival_days ago
          + min(per_person x size, max_size_points)

    rounded to 4 decimals. Higher scores come first. Equal scores are ordered by `tie_break`:
    "sha256(cycle_seed + tie_key)" orders by the hexadecimal SHA-256 of the UTF-8 text
    cycle_seed followed directly by the tie key, smallest first (anyone can check it with
    `printf '%s' "$SEED$KEY" | sha256sum`); "tie_key" orders by the tie key itself. A
    household's own id settles the (practically impossible) remaining ties.
    """

    need_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_NEED_WEIGHTS))
    per_day_since_assistance: float = 0.5
    never_assisted_bonus: float = 45.0
    new_arrival_days: int = 30
    new_arrival_bonus: float = 10.0
    per_person: float = 2.0
    max_size_points: float = 20.0
    tie_break: str = TIE_BREAK_SHA256

    def describe(self) -> str:
        """The rule in plain English, to publish with the lists."""
        needs = ", ".join(
            f"{NEED_LABELS.get(code, code)} {weight:g}"
            for code, weight in sorted(self.need_weights.items(), key=lambda kv: (-kv[1], kv[0]))
            if weight
        )
        tie = (
            "the SHA-256 of the cycle seed followed by the card code, smallest first"
            if self.tie_break == TIE_BREAK_SHA256
            else "the card code, in alphabetical order"
        )
        return (
            f"Points for specific needs ({needs or 'none'}); "
            f"{self.per_day_since_assistance:g} per day since the last assistance "
            f"({self.never_assisted_bonus:g} if never assisted); "
            f"{self.new_arrival_bonus:g} for arriving in the last {self.new_arrival_days} days; "
            f"{self.per_person:g} per person up to {self.max_size_points:g}. "
            f"Highest score first; equal scores ordered by {tie}."
        )


DEFAULT_RULES = PriorityRules()


@dataclass(frozen=True, slots=True)
class Schedule:
    """The distribution days: opening hours, lanes, and how many households a lane serves.

    Slots run from `start` every `slot_minutes` while a whole slot fits before `end`. A slot
    holds floor(lanes x per_lane_per_hour x slot_minutes / 60) households, shared as evenly as
    possible between the lanes (lower-numbered lanes take any remainder).
    """

    days: list[date]
    start: time
    end: time
    lanes: int
    per_lane_per_hour: int = 60
    womens_lane: bool = False
    slot_minutes: int = 30


@dataclass(slots=True)
class Placement:
    """One household's place in the plan, with the reason in plain English."""

    household_id: str
    rank: int
    score: float
    reason: str
    reason_codes: list[str]
    served: bool
    day: date | None
    slot_start: time | None
    lane: int | None  # from 1; the women's lane, when there is one, is lane 1
    planned_date: date | None  # unserved: when expected stock would reach the household


@dataclass
class Plan:
    """Who is served, when and where, in rank order; and what stock that uses."""

    placements: list[Placement]
    served: int
    unserved: int
    stock_used: dict[str, float]
    stock_left: dict[str, float]
    cycle_seed: str = ""
    womens_lane: bool = False
    languages: dict[str, str] = field(default_factory=dict, repr=False)

    def by_slot(self) -> dict[tuple[date, time, int], list[Placement]]:
        """Served households per (day, slot start, lane), in time then lane order; each list
        in rank order. This is the call list read out (or posted) at each lane."""
        groups: dict[tuple[date, time, int], list[Placement]] = {}
        with paused_gc():
            for p in self.placements:
                if p.served:
                    key = (p.day, p.slot_start, p.lane)
                    found = groups.get(key)
                    if found is None:
                        groups[key] = [p]
                    else:
                        found.append(p)
            return {key: groups[key] for key in sorted(groups)}

    def messages(
        self,
        household_language: dict[str, str] | None = None,
        templates: dict[str, str] | None = None,
        contactable: set[str] | None = None,
    ) -> dict[str, str]:
        """household_id -> SMS text in the household's language (ar, ckb or en), telling the
        served their day, time and lane and the others their expected date (or that it will
        be announced); with `contactable`, only for those households (the ones that agreed to
        be contacted). See mawa.planning.messages for templates and placeholders."""
        return _messages.render(self, household_language, templates, contactable)

    def rows(self) -> list[dict[str, str | int | float]]:
        """One flat row per household, in rank order, for CSV or spreadsheet export."""
        return [
            {
                "rank": p.rank,
                "household_id": p.household_id,
                "score": p.score,
                "served": "yes" if p.served else "no",
                "day": p.day.isoformat() if p.day else "",
                "slot_start": p.slot_start.strftime("%H:%M") if p.slot_start else "",
                "lane": p.lane or "",
                "planned_date": p.planned_date.isoformat() if p.planned_date else "",
                "reason": p.reason,
                "reason_codes": " ".join(p.reason_codes),
            }
            for p in self.placements
        ]
