"""The hazard status lifecycle: IMAS order, no step skipped without saying why, and a
resident's mark never standing for a survey or a clearance."""

import datetime as dt

import pytest
from django.db import IntegrityError

from mawa.core.models import AuditEvent
from mawa.hazards import services
from mawa.hazards.models import HazardStep
from mawa.hazards.services import HazardError, skipped_between

pytestmark = pytest.mark.django_db

T = dt.datetime(2017, 9, 1, tzinfo=dt.UTC)


def step(place, mira, status, source="team", method="non_technical", reason="", days=0):
    return services.step_record(
        actor=mira,
        place=place,
        status=status,
        source=source,
        method=method,
        by="Team 3 (mine-action NGO)",
        at=T + dt.timedelta(days=days),
        reason=reason,
        evidence="photos 1-4",
    )


def test_full_path_skips_nothing(house, mira):
    for n, status in enumerate(["surveyed", "suspected", "confirmed", "cleared", "handed_over"]):
        made = step(house, mira, status, days=n)
        assert made.skipped == [] and made.reason == ""
    house.refresh_from_db()
    assert house.status == "handed_over" and house.source == "team"
    assert [s.status for s in house.steps.all()] == [
        "reported",
        "surveyed",
        "suspected",
        "confirmed",
        "cleared",
        "handed_over",
    ]
    assert AuditEvent.objects.filter(object_id=str(house.pk), action="change").count() == 5


def test_survey_may_class_an_area_confirmed_directly(house, mira):
    step(house, mira, "surveyed")
    assert step(house, mira, "confirmed", method="non_technical", days=1).skipped == []


def test_a_skip_without_a_reason_is_refused(house, mira):
    with pytest.raises(HazardError, match="say why"):
        step(house, mira, "cleared", method="manual")
    house.refresh_from_db()
    assert house.status == "reported" and house.steps.count() == 1


def test_a_skip_with_a_reason_names_the_steps_skipped(house, mira):
    made = step(house, mira, "cleared", method="manual", reason="Cleared in a block operation")
    assert made.skipped == ["surveyed", "confirmed"]
    assert made.reason == "Cleared in a block operation"
    assert [str(x) for x in made.skipped_labels] == [
        "Non-technical survey done",
        "Confirmed hazardous area",
    ]


def test_going_back_needs_a_reason(house, mira):
    step(house, mira, "surveyed")
    with pytest.raises(HazardError, match="goes back"):
        step(house, mira, "reported", days=1)
    made = step(house, mira, "reported", days=1, reason="A second device found in the yard")
    assert made.previous == "surveyed" and made.skipped == []


def test_a_residents_mark_cannot_clear(house, mira):
    with pytest.raises(HazardError, match="resident"):
        step(house, mira, "surveyed", source="resident", method="mark")
    # a resident may report again: a new assessment of the same status
    made = step(house, mira, "reported", source="resident", method="mark", days=1)
    assert made.weight.startswith("unverified")


def test_a_step_cannot_predate_the_last_assessment(house, mira):
    with pytest.raises(HazardError, match="before"):
        step(house, mira, "surveyed", days=-60)


def test_a_new_place_starting_late_says_why(mira):
    with pytest.raises(HazardError, match="say why"):
        services.building_create(
            actor=mira,
            latitude=33.4,
            longitude=43.3,
            by="Agency",
            source="agency",
            method="manual",
            status="cleared",
        )
    made = services.building_create(
        actor=mira,
        latitude=33.4,
        longitude=43.3,
        by="Agency",
        source="agency",
        method="manual",
        status="cleared",
        reason="Cleared before Mawa was used here",
    )
    first = made.steps.get()
    assert first.skipped == ["reported", "surveyed", "confirmed"]


def test_the_database_refuses_a_silent_skip(house):
    with pytest.raises(IntegrityError):
        HazardStep.objects.create(
            building=house,
            status="cleared",
            source="team",
            method="manual",
            by="x",
            skipped=["surveyed"],
            reason="",
        )


@pytest.mark.parametrize(
    "previous,status,skipped",
    [
        ("reported", "surveyed", []),
        ("surveyed", "confirmed", []),
        ("suspected", "cleared", ["confirmed"]),
        ("reported", "handed_over", ["surveyed", "confirmed", "cleared"]),
        ("cleared", "reported", []),
        ("cleared", "cleared", []),
    ],
)
def test_skipped_between(previous, status, skipped):
    assert skipped_between(previous, status) == skipped


def test_bad_geometry_is_a_clear_error(mira):
    bad = {"type": "Polygon", "coordinates": [[[43.1, 36.3], [43.2, 36.3], [43.1, 36.3]]]}
    with pytest.raises(HazardError, match="not a valid polygon"):
        services.area_create(actor=mira, geometry=bad, by="Team")
