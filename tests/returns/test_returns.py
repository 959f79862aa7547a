"""Return intentions with history, a household's return readiness, the clearance priority
order, and the DTM-like figures with small cells suppressed."""

import datetime as dt

import pytest

from mawa.core.models import AuditEvent
from mawa.core.roles import Role
from mawa.hazards import services as hazards
from mawa.registry.models import Movement
from mawa.registry.services import household_depart
from mawa.returns import stats
from mawa.returns.priority import priorities, shown
from mawa.returns.readiness import readiness
from mawa.returns.services import ReturnError, intention_record
from tests.conftest import login, make_user

pytestmark = pytest.mark.django_db
T = dt.datetime(2017, 9, 1, tzinfo=dt.UTC)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[43.1, 36.3], [43.2, 36.3], [43.2, 36.4], [43.1, 36.4], [43.1, 36.3]]],
}


@pytest.fixture
def mira(db):
    return make_user("mira", Role.MINE_ACTION)


def building(mira, lon=43.15, lat=36.35, blocks=(), source="resident", ref=""):
    return hazards.building_create(
        actor=mira,
        latitude=lat,
        longitude=lon,
        by="Resident",
        source=source,
        blocks=blocks,
        at=T,
        ref=ref,
    )


def intend(users, household, **kwargs):
    kwargs.setdefault("intends", "yes")
    return intention_record(actor=users["mona"], household=household, **kwargs)


def test_intentions_keep_their_history(users, family_a, areas):
    first = intend(users, family_a, area=areas["mosul"], obstacles=["hazards", "documents"])
    second = intend(users, family_a, intends="later", area=areas["mosul"], obstacles=["safety"])
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(family_a.return_intentions.values_list("intends", flat=True)) == ["later", "yes"]
    assert AuditEvent.objects.filter(object_type="returns.returnintention").count() == 2
    with pytest.raises(ReturnError):
        intend(users, family_a, obstacles=["ethnicity"])
    with pytest.raises(ReturnError):
        intend(users, family_a, latitude=36.3)


def test_readiness_of_an_unassessed_home_is_not_safe(users, family_a):
    made = intend(users, family_a, latitude=36.35, longitude=43.15)
    result = readiness(made)
    assert result.level == "unknown" and "Not assessed" in result.words


def test_readiness_follows_the_home_and_its_area(users, family_a, mira):
    house = building(mira)
    made = intend(users, family_a, building=house)
    assert readiness(made).level == "caution"  # a resident's report: danger not ruled out
    area = hazards.area_create(
        actor=mira,
        geometry=SQUARE,
        by="Agency",
        source="agency",
        status="confirmed",
        at=T,
        reason="IMSMA record",
    )
    assert readiness(made).level == "danger"
    hazards.step_record(
        actor=mira,
        place=area,
        status="cleared",
        source="agency",
        method="manual",
        by="Agency",
        at=T + dt.timedelta(days=9),
    )
    result = readiness(made)
    assert result.level == "caution"  # the house itself is still only reported
    hazards.step_record(
        actor=mira,
        place=house,
        status="cleared",
        source="team",
        method="manual",
        by="Team 3",
        at=T + dt.timedelta(days=10),
        reason="Cleared with the area",
    )
    result = readiness(made)
    assert result.level == "ready" and result.colour == "#15803d"
    assert result.last.status_by == "Team 3"
    assert result.last.status_at == T + dt.timedelta(days=10)


def test_priority_counts_households_then_what_is_blocked(users, family_a, family_b, mira):
    clinic = building(mira, lon=43.5, lat=36.5, blocks=["clinic"], ref="clinic")
    school = building(mira, lon=43.6, lat=36.6, blocks=["school"], ref="school")
    home = building(mira, lon=43.15, lat=36.35, ref="home")
    area = hazards.area_create(
        actor=mira, geometry=SQUARE, by="Team", source="team", at=T, ref="orchard"
    )
    intend(users, family_a, building=home)
    intention_record(
        actor=users["max"], household=family_b, intends="later", latitude=36.31, longitude=43.11
    )
    ranked = [p.place.ref for p in priorities()]
    # the orchard holds both returns, the home one; then the clinic before the school
    assert ranked == ["orchard", "home", "clinic", "school"]
    assert [p.shown for p in priorities()][:2] == ["<5", "<5"]
    assert area.pk and clinic.pk and school.pk
    # cleared hazards leave the list
    hazards.step_record(
        actor=mira,
        place=clinic,
        status="cleared",
        source="agency",
        method="manual",
        by="Agency",
        at=T + dt.timedelta(days=1),
        reason="Emergency clearance of the clinic",
    )
    assert "clinic" not in [p.place.ref for p in priorities()]


def test_a_household_not_returning_blocks_nothing(users, family_a, mira):
    home = building(mira, ref="home")
    intend(users, family_a, intends="no", building=home)
    assert priorities() == []


def test_small_cells_are_suppressed():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


def test_statistics_by_district_with_hxl(users, family_a, family_b, areas, camp_a):
    household_depart(
        actor=users["mona"],
        household=family_a,
        date=dt.date(2017, 3, 1),
        reason=Movement.Reason.RETURN,
        destination_area=areas["mosul"],
    )
    table = stats.displacement(camp_a.__class__.objects.filter(pk=camp_a.pk))
    assert table["hxl"][:4] == ["#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code"]
    by_code = {row[3]: row for row in table["rows"]}
    assert by_code["IQG15Q05"][6:] == ["<5", "<5"]  # one household of three returned to Mosul
    assert by_code["IQG11Q04"][4:6] == ["0", "0"]  # nobody is left at Camp A


def test_statistics_csv_has_the_hxl_row_and_is_scoped(users, family_a, family_b, areas):
    intend(users, family_a, area=areas["mosul"], obstacles=["hazards"])
    intention_record(actor=users["max"], household=family_b, intends="no", obstacles=["reprisal"])
    body = login(users["mona"]).get("/returns/obstacles.csv").content.decode("utf-8-sig")
    lines = body.splitlines()
    assert lines[1] == "#indicator+name,#indicator+code,#affected+hh"
    assert "hazards" in body and "reprisal" not in body  # Camp B's household is not Mona's
    assert login(users["mona"]).get("/returns/secret.csv").status_code == 404


def test_household_return_page_shows_readiness_and_audits(users, family_a, mira):
    intend(users, family_a, building=building(mira, ref="home"))
    response = login(users["dina"]).get(f"/households/{family_a.pk}/return/")
    assert response.status_code == 200
    assert "Not known to be safe" in response.content.decode()
    assert "resident" in response.content.decode()
    assert AuditEvent.objects.filter(action="view", username="dina").count() == 1
    assert login(users["dina"]).post(f"/households/{family_a.pk}/return/record/").status_code == 403


def test_recording_through_the_page(users, family_a, areas):
    client = login(users["mona"])
    response = client.post(
        f"/households/{family_a.pk}/return/record/",
        {
            "intends": "yes",
            "area": areas["mosul"].pk,
            "latitude": "36.3",
            "longitude": "43.1",
            "obstacles": ["damaged_house"],
            "intended_date": "2017-10-01",
        },
    )
    assert response.status_code == 302
    current = family_a.return_intentions.get(is_current=True)
    assert current.obstacles == ["damaged_house"] and current.intended_date == dt.date(2017, 10, 1)
    bad = client.post(
        f"/households/{family_a.pk}/return/record/",
        {"intends": "yes", "building": "no-such-house"},
        follow=True,
    )
    assert "No building with this feature id" in bad.content.decode()


def test_the_map_layer_counts_returns_of_the_users_sites_only(client, users, family_a):
    from tests.test_api import token_for

    intend(users, family_a, latitude=36.35, longitude=43.15)
    params = {"bbox": "38,29,49,38", "zoom": 8, "layer": "returns"}
    mine = client.get("/api/v1/map/features", params, **token_for(users["alice"])).json()
    assert [f["properties"]["count"] for f in mine["features"]] == [1]
    assert mine["features"][0]["properties"]["by_status"] == {"yes": 1}
    for other in ("bob", "victor"):
        data = client.get("/api/v1/map/features", params, **token_for(users[other])).json()
        assert data["features"] == []
    page = login(users["alice"]).get("/map/").content.decode()
    assert 'value="returns"' in page
    assert 'value="returns"' not in login(users["victor"]).get("/map/").content.decode()
