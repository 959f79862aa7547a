"""Tracing fixtures: protection officers at each camp and a case at Camp A.

- pia: protection officer at Camp A (the case's site)
- olga: protection officer at Camp A too (sees the site's cases, not its children's)
- paul: protection officer at Camp B (other site)
"""

import pytest

from mawa.core.roles import Role
from mawa.tracing import services
from tests.conftest import make_user


@pytest.fixture
def officers(users, camp_a, camp_b):
    return {
        "pia": make_user("pia", Role.PROTECTION, [camp_a]),
        "olga": make_user("olga", Role.PROTECTION, [camp_a]),
        "paul": make_user("paul", Role.PROTECTION, [camp_b]),
    }


def open_case(actor, site, *, relation="son", circumstances="", designated=None, **sought):
    """A father (حسين علي كاظم الجبوري) looking for his son يوسف, about ten."""
    names = {"given_name": "يوسف", "birth_year": "~2011"} | sought
    return services.case_open(
        actor=actor,
        site=site,
        seeker=services.SeekerInput(
            given_name="حسين",
            father_name="علي",
            grandfather_name="كاظم",
            family_name="الجبوري",
            sex="M",
            contact="07700000001 via the camp office",
        ),  # fmt: skip
        sought=[
            services.SoughtInput(
                relation=relation,
                circumstances=circumstances,
                marks="a scar on the left hand",
                last_seen_place="Sinjar road",
                **names,
            )  # fmt: skip
        ],
        notes="taken at a checkpoint",
        designated_officer=designated,
    )


@pytest.fixture
def case_a(officers, family_a, camp_a):
    return open_case(officers["pia"], camp_a)
