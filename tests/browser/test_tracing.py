"""A protection officer, in Arabic, records a father's request for his son and confirms the
registered boy Mawa proposes; the seeker's page still says only that the search continues."""

import pytest

from mawa.core.roles import Role
from mawa.tracing.models import Case, Match
from tests.browser.test_key_flows import html_attributes, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_arabic_officer_records_a_request_and_confirms_the_match(
    page, live_server, family_a, camp_a, shoot
):
    make_user("pia", Role.PROTECTION, [camp_a])
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("ar")
    log_in(page, "pia")
    assert html_attributes(page) == ("ar", "rtl")
    page.locator("header nav a[href$='/tracing/']").click()
    with page.expect_navigation():
        page.locator("a[href$='/tracing/new/']").click()
    # The seeker: the father, حسين علي كاظم الجبوري; the sought person: his son يوسف, about 10.
    page.locator("select[name=site]").select_option(str(camp_a.pk))
    page.fill("input[name=seeker_given_name]", "حسين")
    page.fill("input[name=seeker_father_name]", "علي")
    page.fill("input[name=seeker_family_name]", "الجبوري")
    page.locator("select[name=seeker_sex]").select_option("M")
    page.fill("textarea[name=seeker_contact]", "عن طريق مكتب المخيم")
    page.locator("select[name=relation]").select_option("son")
    page.fill("input[name=given_name]", "يوسف")
    page.fill("input[name=birth_year]", "~٢٠١١")
    page.locator("select[name=circumstances]").select_option("flight")
    shoot(page, "tracing-01-ar-request")
    with page.expect_navigation():
        page.locator("#record").click()
    case = Case.objects.get()
    assert page.url.endswith(f"/tracing/{case.pk}/")
    row = page.locator("tr.candidate").first
    assert "يوسف" in row.inner_text()
    shoot(page, "tracing-02-ar-candidates")
    with page.expect_navigation():
        row.locator("button[name=decision][value=confirm]").click()
    match = Match.objects.get(sought__case=case, person__isnull=False)
    assert match.state == Match.State.CONFIRMED
    assert page.locator("#case-status").inner_text() != ""
    shoot(page, "tracing-03-ar-confirmed")
    page.goto(f"/tracing/{case.pk}/seeker/")
    news = page.locator("#seeker-news").inner_text()
    assert camp_a.name_ar not in news and camp_a.name_en not in news  # no consent yet
    page.problems.check()
