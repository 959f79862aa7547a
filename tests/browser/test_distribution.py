"""The distribution-point screen in a real browser: scan, Enter to give, scan again."""

import pytest

from mawa.assistance import services
from mawa.assistance.models import Redemption
from tests.browser.test_key_flows import html_attributes, log_in

pytestmark = pytest.mark.browser


def test_operator_scans_gives_with_enter_and_a_second_scan_is_refused(
    page,
    users,
    family_a,
    cycle,
    point,
    shoot,
):
    card = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    page.goto("/accounts/login/")
    log_in(page, "dina")
    page.goto(f"/distribution/{point.pk}/{cycle.pk}/")
    assert html_attributes(page) == ("ar", "rtl")
    page.locator("#code").wait_for()
    page.keyboard.type(card.code)  # a keyboard-wedge scanner types the code, then Enter
    page.keyboard.press("Enter")
    page.locator("#give-button").wait_for()
    assert "الجبوري" in page.locator("#result").inner_text()
    assert page.evaluate("document.activeElement.id") == "give-button"
    shoot(page, "12-ar-point-shown")
    page.keyboard.press("Enter")
    page.locator(".scan.given").wait_for()
    shoot(page, "13-ar-point-given")
    assert Redemption.objects.count() == 1
    page.locator("#code").focus()
    page.keyboard.type(card.code)
    page.keyboard.press("Enter")
    page.locator(".scan.refused").wait_for()
    shoot(page, "14-ar-point-already")
    assert "Point B" in page.locator(".scan.refused").inner_text()
    assert Redemption.objects.count() == 1
