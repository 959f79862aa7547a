"""GeoJSON import and export: all or nothing, errors by feature number, idempotent, and an
export imported again equals what was exported."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mawa.core.models import AuditEvent
from mawa.hazards import exchange, synthetic
from mawa.hazards.models import Building, HazardArea, HazardStep

pytestmark = pytest.mark.django_db


def feature(ref, status="reported", source="resident", **props):
    return {
        "type": "Feature",
        "geometry": props.pop("geometry", {"type": "Point", "coordinates": [43.3, 33.42]}),
        "properties": {
            "id": ref,
            "kind": props.pop("kind", "building"),
            "status": status,
            "source": source,
            "reported_at": "2017-03-01T08:00:00+00:00",
            "pcode": "IQG15Q05",
            **props,
        },
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def counts():
    return Building.objects.count(), HazardArea.objects.count(), HazardStep.objects.count()


def test_round_trip_export_then_import_equals(areas, tmp_path):
    synthetic.generate(buildings=60, areas=8, seed=7)
    first = tmp_path / "first.geojson"
    call_command("hazards", "export", "--out", str(first))
    exported = json.loads(first.read_text())
    assert len(exported["features"]) == 68
    # into the same database: nothing changes
    before = counts()
    report = exchange.import_features(actor=None, data=first.read_bytes())
    assert (report.created, report.updated, report.steps) == (0, 0, 0)
    assert counts() == before
    # into an empty one: the export of what was imported equals the file
    HazardStep.objects.all().delete()
    Building.objects.all().delete()
    HazardArea.objects.all().delete()
    call_command("hazards", "import", str(first))
    second = tmp_path / "second.geojson"
    call_command("hazards", "export", "--out", str(second))
    assert json.loads(second.read_text()) == exported


def test_reimporting_the_same_file_changes_nothing(areas):
    data = collection(
        feature("imsma-1"),
        feature("imsma-2", "confirmed", "agency", status_at="2017-04-01T00:00:00+00:00"),
    )
    first = exchange.import_features(actor=None, data=data, label="imsma.geojson")
    assert (first.created, first.steps) == (2, 2)
    audits = AuditEvent.objects.count()
    before = counts()
    again = exchange.import_features(actor=None, data=data, label="imsma.geojson")
    assert (again.created, again.updated, again.steps, again.unchanged) == (0, 0, 0, 2)
    assert counts() == before and AuditEvent.objects.count() == audits


def test_import_is_all_or_nothing_with_errors_by_feature_number(areas):
    data = collection(
        feature("ok-1"),
        feature("bad-2", status="exploded"),
        feature("ok-3"),
        feature("bad-4", geometry={"type": "Point", "coordinates": [243.0, 33.0]}),
        feature("bad-5", pcode="IQG99Q99"),
        feature("ok-1"),
        feature("bad-7", status="cleared", source="resident"),
    )
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_features(actor=None, data=data)
    errors = failed.value.errors
    assert [e.split(":")[0] for e in errors] == [
        "Feature 2",
        "Feature 4",
        "Feature 5",
        "Feature 6",
        "Feature 7",
    ]
    assert "Unknown status" in errors[0] and "IQG99Q99" in errors[2] and "twice" in errors[3]
    assert "resident" in errors[4]
    assert counts() == (0, 0, 0)


def test_a_status_update_becomes_a_step_and_a_skip_says_why(areas):
    exchange.import_features(actor=None, data=collection(feature("h-1")), label="a.geojson")
    update = feature(
        "h-1",
        "cleared",
        "agency",
        status_at="2017-06-01T00:00:00+00:00",
        status_by="Mine-action agency",
    )
    report = exchange.import_features(actor=None, data=collection(update), label="b.geojson")
    assert (report.updated, report.steps) == (1, 1)
    last = HazardStep.objects.order_by("at").last()
    assert last.previous == "reported" and last.status == "cleared"
    assert last.skipped == ["surveyed", "confirmed"] and "b.geojson" in last.reason
    assert last.method == "imported" and last.by == "Mine-action agency"


def test_an_older_status_does_not_overwrite_a_newer_one(areas):
    new = feature(
        "h-1", "cleared", "agency", status_at="2017-06-01T00:00:00+00:00", reason="block clearance"
    )
    exchange.import_features(actor=None, data=collection(new))
    old = feature("h-1", "confirmed", "agency", status_at="2017-05-01T00:00:00+00:00")
    with pytest.raises(exchange.ImportFailed, match="older"):
        exchange.import_features(actor=None, data=collection(old))


@pytest.mark.parametrize("text", [b"not json", b"[]", b'{"type": "FeatureCollection"}'])
def test_not_a_feature_collection(areas, tmp_path, text):
    path = tmp_path / "x.geojson"
    path.write_bytes(text)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("hazards", "import", str(path))


def test_polygons_round_trip_with_their_box(areas):
    square = {"type": "Polygon", "coordinates": [[[43, 36], [43.1, 36], [43.1, 36.1], [43, 36]]]}
    exchange.import_features(
        actor=None,
        data=collection(
            feature(
                "area-1",
                "suspected",
                "team",
                kind="area",
                geometry=square,
                name="Orchard",
                reason="reported to the agency already classed",
            )
        ),
    )
    area = HazardArea.objects.get()
    assert (area.min_lon, area.max_lat) == (43, 36.1) and area.name == "Orchard"
    assert area.steps.get().skipped == ["reported", "surveyed"]
