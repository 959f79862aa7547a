"""The hazard pages: a step recorded (or refused with the reason in words), what a place
blocks, GeoJSON imported from the page, boundaries loaded by an administrator."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mawa.hazards.models import Building
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_step_from_the_record_page(mira, house):
    client = login(mira)
    url = f"/hazards/buildings/{house.pk}/step/"
    form = {"status": "cleared", "source": "team", "method": "manual", "by": "Team 3"}
    refused = client.post(url, form, follow=True)
    assert "say why" in refused.content.decode()
    house.refresh_from_db()
    assert house.status == "reported"
    client.post(url, {**form, "reason": "Cleared in the block operation"})
    house.refresh_from_db()
    assert house.status == "cleared" and house.source == "team"
    page = client.get(f"/hazards/buildings/{house.pk}/").content.decode()
    assert "Cleared in the block operation" in page and "verified by a mine-action team" in page
    assert "unverified: a resident&#x27;s mark" in page  # the first step keeps its weight


def test_blocks_from_the_record_page(mira, house):
    login(mira).post(f"/hazards/buildings/{house.pk}/blocks/", {"blocks": ["school", "water"]})
    house.refresh_from_db()
    assert house.blocks == ["school", "water"]


def test_import_from_the_page_lists_errors_by_feature(mira, areas):
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}
    upload = SimpleUploadedFile("imsma.geojson", json.dumps(bad).encode())
    page = login(mira).post("/hazards/import/", {"file": upload}).content.decode()
    assert "Feature 1:" in page and "Nothing imported" in page
    good = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [43.3, 33.4]},
                "properties": {
                    "id": "imsma-7",
                    "kind": "building",
                    "status": "reported",
                    "source": "team",
                    "reported_at": "2017-05-01T00:00:00Z",
                },
            }
        ],
    }
    upload = SimpleUploadedFile("imsma.geojson", json.dumps(good).encode())
    assert login(mira).post("/hazards/import/", {"file": upload}).status_code == 302
    assert Building.objects.get(ref="imsma-7").status == "reported"


def test_boundaries_are_loaded_by_an_administrator_and_read_by_all(users):
    empty = login(users["victor"]).get("/map/boundaries.geojson").json()
    assert empty == {"type": "FeatureCollection", "features": []}
    line = {
        "type": "Feature",
        "properties": {"ADM1_EN": "Ninewa"},
        "geometry": {"type": "LineString", "coordinates": [[41, 36], [43, 37]]},
    }
    upload = SimpleUploadedFile(
        "irq_adm1.geojson", json.dumps({"type": "FeatureCollection", "features": [line]}).encode()
    )
    login(users["ada"]).post("/map/boundaries/", {"file": upload})
    body = b"".join(login(users["victor"]).get("/map/boundaries.geojson").streaming_content)
    assert json.loads(body)["features"][0]["properties"]["ADM1_EN"] == "Ninewa"
    bad = SimpleUploadedFile("x.geojson", b"[1, 2]")
    page = login(users["ada"]).post("/map/boundaries/", {"file": bad}, follow=True)
    assert "not a GeoJSON FeatureCollection" in page.content.decode()
