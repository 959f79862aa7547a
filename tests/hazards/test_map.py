"""The map's features: clusters counted by the database at low zoom, places at high zoom,
422 with a clear message for a bad view, and the same permissions as the pages."""

import pytest

from mawa.hazards import synthetic
from mawa.hazards.mapdata import MAX_FEATURES
from mawa.hazards.models import Building
from tests.conftest import login
from tests.test_api import token_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/features"
IRAQ = "38.0,29.0,49.0,38.0"


@pytest.fixture
def world(areas):
    synthetic.generate(buildings=3000, areas=100, seed=11)


def get(client, user, **params):
    return client.get(URL, params, **token_for(user))


def test_low_zoom_gives_clusters_whose_counts_add_up(client, users, world):
    data = get(client, users["victor"], bbox=IRAQ, zoom=6).json()
    assert data["mode"] == "clusters"
    clusters = [f for f in data["features"] if f["properties"].get("cluster")]
    assert 5 <= len(clusters) < 200
    buildings = sum(
        f["properties"]["count"] for f in clusters if f["properties"]["layer"] == "buildings"
    )
    assert buildings == Building.objects.count() == 3000
    some = clusters[0]["properties"]
    assert sum(some["by_status"].values()) == some["count"]


def test_high_zoom_gives_the_places_with_their_source(client, users, world):
    b = Building.objects.order_by("ref").first()
    box = f"{b.longitude - 0.002},{b.latitude - 0.002},{b.longitude + 0.002},{b.latitude + 0.002}"
    data = get(client, users["bob"], bbox=box, zoom=17, layer="buildings").json()
    assert data["mode"] == "features"
    found = {f["properties"]["id"]: f for f in data["features"]}
    props = found[str(b.pk)]["properties"]
    assert props["kind"] == "building" and props["source"] == b.source
    assert props["url"] == f"/hazards/buildings/{b.pk}/"
    assert "resident" in props["weight"] or "verified" in props["weight"]
    assert len(data["features"]) <= MAX_FEATURES


def test_filters_by_status_and_source(client, users, world):
    data = get(
        client, users["ada"], bbox=IRAQ, zoom=5, layer="buildings", status="cleared,handed_over"
    ).json()
    statuses = {s for f in data["features"] for s in f["properties"]["by_status"]}
    assert statuses <= {"cleared", "handed_over"}
    total = sum(f["properties"]["count"] for f in data["features"])
    assert total == Building.objects.filter(status__in=["cleared", "handed_over"]).count()
    residents = get(client, users["ada"], bbox=IRAQ, zoom=5, layer="buildings", source="resident")
    total = sum(f["properties"]["count"] for f in residents.json()["features"])
    assert total == Building.objects.filter(source="resident").count()


def test_a_crowded_high_zoom_view_falls_back_to_clusters(client, users, areas):
    synthetic.generate(buildings=MAX_FEATURES + 200, areas=0, seed=3)
    data = get(client, users["ada"], bbox=IRAQ, zoom=16, layer="buildings").json()
    assert data["mode"] == "clusters"


def test_sites_layer_shows_only_the_users_sites(client, users, camp_a, camp_b):
    for camp, (lat, lon) in ((camp_a, (35.9, 43.6)), (camp_b, (36.3, 43.1))):
        camp.latitude, camp.longitude = lat, lon
        camp.save()
    data = get(client, users["alice"], bbox=IRAQ, zoom=8, layer="sites").json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Camp A"]


@pytest.mark.parametrize(
    "params,word",
    [
        ({"bbox": "1,2,3", "zoom": 5}, "bbox"),
        ({"bbox": "a,b,c,d", "zoom": 5}, "bbox"),
        ({"bbox": "44,30,43,31", "zoom": 5}, "bbox"),
        ({"bbox": "-200,30,43,31", "zoom": 5}, "bbox"),
        ({"bbox": "nan,30,43,31", "zoom": 5}, "bbox"),
        ({"bbox": IRAQ, "zoom": 40}, "zoom"),
        ({"bbox": IRAQ, "zoom": "x"}, "zoom"),
        ({"bbox": IRAQ}, "zoom"),
        ({"zoom": 5}, "bbox"),
        ({"bbox": IRAQ, "zoom": 5, "layer": "secret"}, "layer"),
        ({"bbox": IRAQ, "zoom": 5, "status": "safe"}, "status"),
    ],
)
def test_a_bad_view_is_422_with_a_clear_message(client, users, params, word):
    response = get(client, users["victor"], **params)
    assert response.status_code == 422, response.content
    assert word in response.content.decode()


def test_every_logged_in_role_may_read_the_map(client, users, world):
    for name in ("alice", "dina", "victor", "bob"):
        assert get(client, users[name], bbox=IRAQ, zoom=6).status_code == 200
    assert client.get(URL, {"bbox": IRAQ, "zoom": 6}).status_code == 401
    # the pages' session works too (the map page's own requests)
    assert login(users["victor"]).get(URL, {"bbox": IRAQ, "zoom": 6}).status_code == 200


def test_openapi_documents_the_map(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    parameters = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert {"bbox", "zoom", "layer", "status", "source"} <= parameters


def _cells():
    from mawa.hazards.models import MapCell

    return sorted(
        (c.layer, c.zoom, c.cx, c.cy, c.status, c.source, c.n)
        for c in MapCell.objects.filter(n__gt=0)
    )


def test_kept_cells_follow_every_change(areas, mira):
    import datetime as dt

    from mawa.hazards import cells, exchange, services

    synthetic.generate(buildings=50, areas=5, seed=5)
    b = Building.objects.order_by("ref").first()
    services.step_record(
        actor=mira,
        place=b,
        status="surveyed" if b.status == "reported" else "reported",
        source="team",
        method="non_technical",
        by="Team",
        at=b.status_at + dt.timedelta(days=1),
        reason="new device",
    )
    services.building_create(actor=mira, latitude=33.4, longitude=43.3, by="Resident")
    collection = exchange.export_features()
    feature = collection["features"][3]
    feature["geometry"]["coordinates"] = [44.0, 32.0]  # moved by the import
    exchange.import_features(actor=None, data={"type": "FeatureCollection", "features": [feature]})
    kept = _cells()
    cells.rebuild()
    assert kept == _cells()


def test_few_places_come_as_places_even_at_low_zoom(client, users, areas, mira):
    from mawa.hazards import services

    services.building_create(actor=mira, latitude=33.4, longitude=43.3, by="Resident")
    data = get(client, users["victor"], bbox=IRAQ, zoom=5).json()
    assert data["mode"] == "features" and len(data["features"]) == 1
