"""Feedback fixtures: the shared camps and users, plus a help desk and a PSEA focal point.

- hana: help desk at Camp A        - fatima: PSEA focal point at Camp A
- hadi: help desk at Camp B        - faris: PSEA focal point at Camp B
- petra: protection officer at Camp A, mina: mine-action coordinator of every site
"""

import pytest

from mawa.core.roles import Role
from mawa.feedback import services
from mawa.feedback.models import Category, Channel
from tests.conftest import make_user


@pytest.fixture
def desk(users, camp_a, camp_b):
    return {
        **users,
        "hana": make_user("hana", Role.HELP_DESK, [camp_a]),
        "hadi": make_user("hadi", Role.HELP_DESK, [camp_b]),
        "fatima": make_user("fatima", Role.FOCAL_POINT, [camp_a]),
        "faris": make_user("faris", Role.FOCAL_POINT, [camp_b]),
        "petra": make_user("petra", Role.PROTECTION, [camp_a]),
        "mina": make_user("mina", Role.MINE_ACTION, all_sites=True),
    }


def record(actor, site, category=Category.INFORMATION, **fields):
    intake = services.Intake(
        category=category,
        channel=fields.pop("channel", Channel.DESK),
        language=fields.pop("language", "ar"),
        text=fields.pop("text", "متى التوزيع القادم؟"),
        site=site,
        **fields,
    )
    return services.ticket_record(actor=actor, intake=intake)


@pytest.fixture
def restricted(desk, camp_a):
    """A complaint of sexual exploitation and abuse, recorded by Camp A's help desk."""
    return record(
        desk["hana"],
        camp_a,
        Category.SEXUAL_EXPLOITATION_ABUSE,
        text="SECRET-SEA-TEXT",
        name="Layla",
        contact="07701112233",
    )
