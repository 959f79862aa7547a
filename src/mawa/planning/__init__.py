"""Distribution planning: who is served today, in what order, at what time, and why.

Pure Python (no Django): given the candidate households of a cycle at a distribution point,
the stock dispatched there and the distribution days, `plan_distribution` ranks every
household by a published score, serves them in rank order while their whole entitlement fits
in the stock, gives the served a day, a time slot and a lane, and tells the others when
expected stock would reach them. Every household's place comes with a plain-language reason,
and the same inputs always give the same plan.

    plan = plan_distribution(candidates, {"RICE": 2000, "OIL": 400},
                             schedule=Schedule(days=[date(2025, 3, 2)], start=time(8),
                                               end=time(14), lanes=4, womens_lane=True),
                             cycle_seed="2025-03 Hasansham U3")
    plan.by_slot()      # call lists per (day, slot, lane)
    plan.messages()     # SMS texts in ar / ckb / en
    DEFAULT_RULES.describe()   # the rule, to publish

The rules, in detail: mawa.planning.model.PriorityRules (score and tie-break),
mawa.planning.engine (serving, skipping, expected stock), mawa.planning.slots (lanes),
mawa.planning.messages (texts).
"""

from mawa.planning.engine import plan_distribution
from mawa.planning.messages import DEFAULT_TEMPLATES, sms_units
from mawa.planning.model import (
    DEFAULT_NEED_WEIGHTS,
    DEFAULT_RULES,
    NEED_LABELS,
    Candidate,
    Placement,
    Plan,
    PriorityRules,
    Schedule,
)

__all__ = [
    "DEFAULT_NEED_WEIGHTS",
    "DEFAULT_RULES",
    "DEFAULT_TEMPLATES",
    "NEED_LABELS",
    "Candidate",
    "Placement",
    "Plan",
    "PriorityRules",
    "Schedule",
    "plan_distribution",
    "sms_units",
]
