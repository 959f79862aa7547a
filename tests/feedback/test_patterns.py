"""Tickets per point and day beside the distribution's figures; spikes; aggregate figures with
small cells suppressed and an HXL export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from mawa.feedback import figures, patterns
from mawa.feedback.models import Category, Ticket
from tests.conftest import login
from tests.feedback.conftest import record


def test_spikes_stand_out_against_the_median():
    assert patterns.spikes([0, 1, 0, 7, 1, 0]) == [False, False, False, True, False, False]
    assert patterns.spikes([2, 2, 2, 2]) == [False] * 4  # steady, not a spike
    assert patterns.spikes([3, 3, 9, 3]) == [False, False, True, False]
    assert patterns.spikes([]) == []


def test_small_cells_are_suppressed():
    assert [figures.suppress(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


@pytest.fixture
def busy_day(desk, camp_a, point, cycle):
    today = timezone.now()
    yesterday = today - dt.timedelta(days=1)
    made = []
    for _ in range(6):
        made.append(record(desk["hana"], camp_a, Category.MISSING_FROM_LIST, point=point))
    made.append(record(desk["hana"], camp_a, Category.DISTRIBUTION_CONDUCT, point=point))
    made.append(record(desk["hana"], camp_a, Category.STAFF_FRAUD, point=point))
    quiet = record(desk["hana"], camp_a, Category.INFORMATION, point=point)
    Ticket.objects.filter(pk=quiet.pk).update(created_at=yesterday)
    return made


@pytest.mark.django_db
def test_point_pattern_marks_the_busy_day(desk, point, cycle, busy_day):
    table = patterns.point_days(point, cycle)
    today = next(r for r in table if r["day"] == timezone.localdate())
    assert (today["missing"], today["conduct"], today["other"]) == (6, 1, 0)  # fraud not counted
    assert today["spike"]
    assert not any(r["spike"] for r in table if r["day"] != today["day"])
    page = login(desk["mona"]).get(reverse("feedback:point_pattern", args=[point.pk, cycle.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'class="spike"' in body and "1</b> day stands out" in body
    assert "Fraud" not in body


@pytest.mark.django_db
def test_figures_page_and_hxl_export(desk, camp_a, busy_day):
    client = login(desk["victor"])  # a viewer: figures only
    page = client.get(reverse("feedback:figures")).content.decode()
    assert "Missing from a list" in page and "&lt;5" in page
    assert "Fraud by staff" not in page
    response = client.get(reverse("feedback:figures_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "#loc+name" and "#indicator+tickets+num" in rows[1]
    body = {(r[2], r[3]): r[4] for r in rows[2:]}
    assert body[("missing_from_list", "desk")] == "6"
    assert body[("distribution_conduct", "desk")] == "<5"
    assert not any(r[2] in ("staff_fraud", "sexual_exploitation_abuse") for r in rows[2:])


def test_window_shows_the_cycle_so_far_and_at_least_two_weeks():
    from mawa.assistance.models import Cycle

    today = dt.date(2017, 3, 20)
    opened_today = Cycle(starts=today, ends=today + dt.timedelta(days=30))
    days = patterns.window(opened_today, today)
    assert (days[0], days[-1], len(days)) == (today - dt.timedelta(days=13), today, 14)
    long = Cycle(starts=today - dt.timedelta(days=200), ends=today + dt.timedelta(days=5))
    assert len(patterns.window(long, today)) == patterns.MAX_DAYS
    ahead = Cycle(starts=today + dt.timedelta(days=3), ends=today + dt.timedelta(days=9))
    assert patterns.window(ahead, today)[-1] == today


@pytest.mark.django_db
def test_tickets_count_on_their_local_day_near_midnight(desk, camp_a, point, cycle):
    """Baghdad is UTC+3: 21:30 UTC is half past midnight of the next local day."""
    today = timezone.localdate()
    late_evening = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=1), dt.time(23, 30))
    )
    after_midnight = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 30)))
    for at in (late_evening, after_midnight, after_midnight):
        made = record(desk["hana"], camp_a, Category.MISSING_FROM_LIST, point=point)
        Ticket.objects.filter(pk=made.pk).update(created_at=at)
    table = {r["day"]: r["missing"] for r in patterns.point_days(point, cycle)}
    assert table[today - dt.timedelta(days=1)] == 1 and table[today] == 2


@pytest.mark.django_db
def test_a_busy_day_stands_out_on_the_dashboard(desk, camp_a, point, cycle, busy_day):
    panel = login(desk["mona"]).get(reverse("feedback:dashboard_panel")).content.decode()
    assert reverse("feedback:point_pattern", args=[point.pk, cycle.pk]) in panel
    assert timezone.localdate().isoformat() in panel
    # a camp manager of another site sees nothing of it
    other = login(desk["max"]).get(reverse("feedback:dashboard_panel")).content.decode()
    assert str(point.pk) not in other
