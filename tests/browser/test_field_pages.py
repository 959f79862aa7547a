"""Headquarters' field-node pages and the review of households served twice, in Arabic."""

import pytest

from mawa.assistance import services
from mawa.assistance.models import Redemption, StockLocation
from mawa.field import crypto
from mawa.field.models import Node
from tests.browser.test_key_flows import html_attributes, log_in

pytestmark = pytest.mark.browser


def _arabic(page, username):
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("ar")
    log_in(page, username)
    assert html_attributes(page) == ("ar", "rtl")


def test_an_administrator_creates_a_node_downloads_its_package_and_revokes_it(
    page, users, cycle, point, shoot, tmp_path
):
    _arabic(page, "ada")
    page.locator("header nav a[href$='/field/nodes/']").click()
    page.wait_for_selector("#id_n-name")
    page.fill("#id_n-name", "debaga-point-b")
    page.select_option("#id_n-sites", label=point.site.name_ar)
    page.select_option("#id_n-cycles", str(cycle.pk))
    page.select_option("#id_n-points", str(point.pk))
    page.select_option("#id_n-users", str(users["dina"].pk))
    page.fill("#id_n-passphrase", "a passphrase told by phone")
    shoot(page, "20-ar-field-node-new")
    with page.expect_download() as download:
        page.locator("form.stacked button").click()
    saved = tmp_path / "package"
    download.value.save_as(saved)
    header = crypto.read_header(saved.read_bytes())
    assert header["format"] == "mawa-package/1" and header["name"] == "debaga-point-b"

    page.goto("/field/nodes/")
    assert "debaga-point-b" in page.locator("table").inner_text()
    with page.expect_navigation():
        page.locator("table button.danger").click()
    assert Node.objects.get().status == "revoked"
    shoot(page, "21-ar-field-node-revoked")


def test_a_manager_reviews_a_household_served_twice(page, users, family_a, cycle, point, shoot):
    card = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    other = StockLocation.objects.create(name="Point C", kind="point", site=point.site)
    first = Redemption.objects.create(
        cycle=cycle, household=family_a, card=card, point=point, recorded_on="node-1"
    )
    Redemption.objects.create(
        cycle=cycle,
        household=family_a,
        card=card,
        point=other,
        recorded_on="node-2",
        double_of=first,
    )
    _arabic(page, "mona")
    page.goto("/doubles/")
    table = page.locator("table").inner_text()
    assert "Point B" in table and "Point C" in table and "node-2" in table
    shoot(page, "22-ar-served-twice")
    page.fill("input[name=note]", "بطاقة منسوخة")
    with page.expect_navigation():
        page.locator("table button").click()
    assert Redemption.objects.exclude(double_of=None).get().review_note == "بطاقة منسوخة"
    assert "بطاقة منسوخة" in page.locator("table").inner_text()
