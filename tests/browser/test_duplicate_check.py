"""The live duplicate check in a real browser: posted (no names in the URL), and a match at
another site named by its site only."""

import pytest

from tests.browser.test_key_flows import choose, log_in, type_fields

pytestmark = pytest.mark.browser


def test_clerk_typing_a_person_registered_elsewhere_is_told_the_site_by_post(
    page, live_server, users, family_a
):
    checks = []
    page.on(
        "request",
        lambda r: checks.append((r.method, r.url)) if "/duplicates/check/" in r.url else None,
    )
    page.goto("/accounts/login/")
    log_in(page, "bob")  # Camp B's clerk; Hussein is registered at Camp A
    page.goto("/households/new/")
    page.locator("#id_m-0-relationship").focus()
    choose(page, "head")
    page.keyboard.press("Tab")
    choose(page, "M")
    page.keyboard.press("Tab")
    type_fields(page, "حسين", "علي", "كاظم", "الجبوري", "فاطمة")
    panel = page.locator("fieldset.member .duplicates")
    panel.locator(".duplicates-found").wait_for()
    assert "Camp A" in panel.inner_text() and "الجبوري" not in panel.inner_text()
    assert checks and all(method == "POST" for method, _url in checks)
    assert all("%D8" not in url and "given_name" not in url for _method, url in checks)
    page.problems.check()
