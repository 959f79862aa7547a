"""A complaint in a real browser: the help desk records it in Kurdish (Sorani), the camp manager
answers it in Arabic; both interfaces right-to-left. Screenshots: feedback-*.png."""

import pytest

from mawa.feedback.models import Ticket
from tests.browser.test_key_flows import html_attributes, log_in
from tests.feedback.conftest import desk  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def open_login_in(page, language: str) -> None:
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("select[name=language]").select_option(language)


@pytest.mark.django_db(transaction=True)
def test_ticket_recorded_in_kurdish_and_answered_in_arabic(page, shoot, desk, family_a):  # noqa: F811
    open_login_in(page, "ckb")
    log_in(page, "hana")
    page.goto("/feedback/new/")
    assert html_attributes(page) == ("ckb", "rtl")
    page.select_option("select[name=category]", "missing_from_list")
    page.select_option("select[name=channel]", "desk")
    page.select_option("select[name=language]:not([aria-label])", "ckb")
    page.fill("textarea[name=text]", "ناوی خێزانەکەم لە لیستی دابەشکردنی ئەمڕۆدا نییە")
    page.fill("input[name=name]", "کاروان")
    page.fill("input[name=contact]", "٠٧٥٠١٢٣٤٥٦٧")
    page.fill("input[name=household]", family_a.reference)
    shoot(page, "feedback-1-intake-ckb")
    with page.expect_navigation():
        page.locator("form.card button.primary").click()
    ticket = Ticket.objects.get()
    assert page.url.endswith(f"/feedback/{ticket.pk}/")
    assert "ناوی خێزانەکەم" in page.inner_text("blockquote")
    assert ticket.owner.username == "mona" and ticket.complainant_contact == "07501234567"
    shoot(page, "feedback-2-ticket-ckb")
    page.problems.check()

    page.context.clear_cookies()
    open_login_in(page, "ar")
    log_in(page, "mona")
    page.goto(f"/feedback/{ticket.pk}/")
    assert html_attributes(page) == ("ar", "rtl")
    assert "کاروان" in page.inner_text("dl.facts")  # the owner sees who complained
    page.fill("textarea[name=answer]", "تمت إضافة عائلتك إلى قائمة التوزيع يوم الأحد القادم")
    page.select_option("#answer select[name=language]", "ar")
    page.select_option("#answer select[name=method]", "in_person")
    with page.expect_navigation():
        page.locator("#answer button.primary").click()
    ticket.refresh_from_db()
    assert ticket.status == "answered" and ticket.answer_language == "ar"
    assert "تمت إضافة عائلتك" in page.content()
    shoot(page, "feedback-3-answered-ar")
    page.goto("/feedback/")
    shoot(page, "feedback-4-list-ar")
    page.problems.check()


@pytest.mark.django_db(transaction=True)
def test_point_pattern_chart_marks_the_busy_day(page, shoot, desk, camp_a, point, cycle):  # noqa: F811
    import datetime as dt

    from django.utils import timezone

    from mawa.feedback.models import Category
    from tests.feedback.conftest import record

    now = timezone.now()
    for days_ago, n in ((0, 2), (1, 7), (3, 1), (5, 2), (8, 1), (10, 1)):
        for i in range(n):
            category = Category.MISSING_FROM_LIST if i % 3 else Category.DISTRIBUTION_CONDUCT
            made = record(desk["hana"], camp_a, category, point=point)
            Ticket.objects.filter(pk=made.pk).update(created_at=now - dt.timedelta(days=days_ago))
    open_login_in(page, "ar")
    log_in(page, "mona")
    page.goto(f"/feedback/points/{point.pk}/{cycle.pk}/")
    assert page.locator("#pattern-chart g.spike").count() == 1
    assert page.locator("#pattern-chart rect").count() >= 6
    shoot(page, "feedback-5-point-pattern-ar")
    page.problems.check()
