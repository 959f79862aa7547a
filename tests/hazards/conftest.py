import datetime as dt

import pytest

from mawa.core.models import User
from mawa.core.roles import Role
from mawa.hazards import services
from tests.conftest import make_user


@pytest.fixture
def mira(db) -> User:
    """Mine-action coordinator (no sites: hazards are places, not people)."""
    return make_user("mira", Role.MINE_ACTION)


@pytest.fixture
def house(mira, areas):
    """A house in Mosul a resident marked 'This house has bombs'."""
    return services.building_create(
        actor=mira,
        latitude=36.34,
        longitude=43.13,
        address="12 Al-Souq St",
        area=areas["mosul"],
        by="Resident (owner)",
        source="resident",
        method="mark",
        evidence="Painted on the wall: This house has bombs",
        at=dt.datetime(2017, 8, 1, 9, 0, tzinfo=dt.UTC),
    )


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[43.1, 36.3], [43.2, 36.3], [43.2, 36.4], [43.1, 36.4], [43.1, 36.3]]],
}


@pytest.fixture
def field_area(mira, areas):
    return services.area_create(
        actor=mira,
        geometry=SQUARE,
        name="Orchards east of the river",
        area=areas["mosul"],
        by="Survey team 2",
        source="team",
        at=dt.datetime(2017, 8, 2, tzinfo=dt.UTC),
    )
