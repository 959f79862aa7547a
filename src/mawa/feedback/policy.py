"""Per category: whose queue a ticket goes to, when it is due, how long it is kept.

One table, read by the services (routing, due dates), the retention command and the docs.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from mawa.core.roles import Role
from mawa.feedback.models import Category


@dataclass(frozen=True)
class Rule:
    role: str  # the role whose users at the ticket's site own it
    due: dt.timedelta | None  # None: the rule is computed (same day, before the next distribution)
    keep_days: int  # after the ticket is answered or closed (or recorded, if never), then cleared


DAY = dt.timedelta(days=1)
RULES: dict[str, Rule] = {
    Category.MISSING_FROM_LIST: Rule(Role.CAMP_MANAGER, None, 365),
    Category.WRONG_ENTITLEMENT: Rule(Role.CAMP_MANAGER, 7 * DAY, 365),
    Category.CARD_LOST: Rule(Role.CAMP_MANAGER, 3 * DAY, 365),
    Category.DISTRIBUTION_CONDUCT: Rule(Role.CAMP_MANAGER, 3 * DAY, 365),
    Category.SITE_SAFETY: Rule(Role.CAMP_MANAGER, None, 365),
    Category.INFORMATION: Rule(Role.HELP_DESK, 3 * DAY, 180),
    Category.POSITIVE: Rule(Role.HELP_DESK, 14 * DAY, 90),
    Category.OTHER: Rule(Role.HELP_DESK, 7 * DAY, 180),
    # Acknowledged and acted on within a day; case files kept longer, for the investigation.
    Category.SEXUAL_EXPLOITATION_ABUSE: Rule(Role.FOCAL_POINT, DAY, 5 * 365),
    Category.STAFF_FRAUD: Rule(Role.FOCAL_POINT, 3 * DAY, 5 * 365),
}
# Missing from a list, with no next distribution known: a week.
MISSING_FALLBACK = 7 * DAY


def end_of_day(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=23, minute=59, second=59, microsecond=0)


def due_at(category: str, created: dt.datetime, next_distribution: dt.date | None) -> dt.datetime:
    """Safety the same day; missing from a list before the next distribution starts (the end of
    the day before it, or the same day when it starts tomorrow or today); the rest by the table."""
    if category == Category.SITE_SAFETY:
        return end_of_day(created)
    if category == Category.MISSING_FROM_LIST:
        if next_distribution is None:
            return created + MISSING_FALLBACK
        eve = next_distribution - DAY
        day = max(eve, timezone.localtime(created).date())
        midnight = dt.datetime.combine(day, dt.time(23, 59, 59))
        return timezone.make_aware(midnight, timezone.get_current_timezone())
    return created + RULES[category].due


def owner_role(category: str) -> str:
    return RULES[category].role


def keep_until(category: str, since: dt.datetime) -> dt.datetime:
    return since + dt.timedelta(days=RULES[category].keep_days)
