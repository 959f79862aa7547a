"""The hazard map in Arabic: clusters at country zoom, a status filter, a building clicked
through to its record (whose page says whose word its status is)."""

import datetime as dt

import pytest

from mawa.core.models import User
from mawa.hazards import services, synthetic
from tests.browser.test_key_flows import html_attributes, log_in

pytestmark = pytest.mark.browser


def _loaded(page, previous: str = "") -> str:
    """Wait until the map has drawn an answer other than `previous`; returns it."""
    page.wait_for_function(
        "prev => { const m = document.getElementById('map').dataset.loaded;"
        " return m && m !== prev; }",
        arg=previous,
    )
    return page.locator("#map").get_attribute("data-loaded")


def test_the_map_in_arabic_filters_and_opens_a_building(page, users, areas, shoot):
    synthetic.generate(buildings=600, areas=20, seed=9)
    house = services.building_create(
        actor=users["ada"],
        latitude=33.2,
        longitude=42.95,
        address="شارع السوق ١٢",
        by="صاحب البيت",
        source="resident",
        method="mark",
        evidence="مكتوب على الجدار: هذا البيت فيه عبوات",
        at=dt.datetime(2017, 8, 1, tzinfo=dt.UTC),
    )
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("ar")
    log_in(page, "victor")
    assert html_attributes(page) == ("ar", "rtl")
    with page.expect_navigation():
        page.locator("header nav a[href$='/map/']").click()
    state = _loaded(page)
    assert state.startswith("clusters:")
    # the zoom buttons sit on the right in a right-to-left page
    box = page.locator(".leaflet-control-zoom").bounding_box()
    assert box["x"] > 640
    shoot(page, "40-ar-hazard-map-clusters")

    # filter: hide cleared and handed-over places
    page.locator("label[data-status=cleared] input").uncheck()
    state = _loaded(page, state)
    page.locator("label[data-status=handed_over] input").uncheck()
    state = _loaded(page, state)
    titles = page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-marker-icon')).map(m => m.title)"
    )
    assert titles and not any("أُزيل" in t or "Cleared" in t for t in titles)

    # go to the house and click it through to its record
    page.evaluate("mawaMap.setView([33.2, 42.95], 17)")
    state = _loaded(page, state)
    assert state.startswith("features:")
    shoot(page, "41-ar-hazard-map-zoomed")
    page.locator("path.hz-building").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert house.ref in popup.inner_text()
    page.wait_for_timeout(400)  # the popup fades in
    shoot(page, "42-ar-hazard-map-popup")
    with page.expect_navigation():
        popup.locator("a.open-record").click()
    assert page.url.endswith(f"/hazards/buildings/{house.pk}/")
    assert html_attributes(page) == ("ar", "rtl")
    body = page.locator("main").inner_text()
    assert "شارع السوق ١٢" in body and "هذا البيت فيه عبوات" in body
    assert page.locator(".weight.resident").count() >= 1
    shoot(page, "43-ar-hazard-building-record")
    page.problems.check()
    assert User.objects.get(username="victor").role == "viewer"
