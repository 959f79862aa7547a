"""The give's lean path: what it reads in one statement, what it writes in one transaction, and
the API's token check. Behaviour only; speed lives in bench/assistance."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mawa.assistance import services
from mawa.assistance.models import (
    Commodity,
    EntitlementRule,
    Redemption,
    ScanLog,
    StockEntry,
)
from mawa.assistance.signals import redemption_recorded
from mawa.core.models import ApiToken
from mawa.registry.models import Person, SpecificNeed
from tests.conftest import login
from tests.fixtures_assistance import allocate
from tests.test_api import token_for


def give(users, cycle, point, code, actor="dina"):
    return services.redemption_record(actor=users[actor], cycle=cycle, point=point, typed=code)


@pytest.mark.django_db
def test_a_changed_rule_or_commodity_is_used_at_the_next_give(
    users, family_a, family_b, cycle, point, commodities
):
    first = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    assert give(users, cycle, point, first.code).entitlement.items["rice"] == Decimal("4.5")
    EntitlementRule.objects.filter(basis="person").update(quantity=Decimal("2"))
    Commodity.objects.filter(code="rice").update(name_en="Rice, white")
    cycle.sites.add(family_b.site)
    second = services.card_issue(actor=users["ada"], household=family_b, programme=cycle.programme)
    given = give(users, cycle, point, second.code, actor="ada")  # ada works at both camps
    assert given.entitlement.items["rice"] == Decimal("2")
    assert any("Rice, white" in line for line in given.entitlement.explanation)
    redemption = Redemption.objects.get(card=second)
    assert Decimal(redemption.items["rice"]) == 2
    assert StockEntry.objects.get(redemption=redemption, commodity__code="rice").quantity == -2


@pytest.mark.django_db
def test_size_and_needs_count_present_members_only(users, family_a, card, cycle, point):
    members = list(family_a.members.order_by("created_at"))
    SpecificNeed.objects.create(person=members[1], code="DS")
    Person.objects.filter(pk=members[2].pk).update(merged_into=members[0])
    given = give(users, cycle, point, card.code)
    assert given.outcome == "given" and given.size == 2
    assert given.entitlement.items == {
        "food-parcel": Decimal(1),
        "rice": Decimal(3),
        "hygiene-kit": Decimal(1),
    }
    assert given.card.household_id == family_a.pk and given.household.pk == family_a.pk


@pytest.mark.django_db
def test_rows_and_event_are_written_in_one_transaction(users, card, cycle, point):
    seen = []

    def listener(sender, redemption, entries, scan, **kwargs):
        seen.append(
            (
                connection.in_atomic_block,
                Redemption.objects.filter(pk=redemption.pk).exists(),
                StockEntry.objects.filter(redemption_id=redemption.pk).count() == len(entries),
                ScanLog.objects.filter(pk=scan.pk, outcome="given", card=card).exists(),
            )
        )
        raise RuntimeError("the listener failed")

    redemption_recorded.connect(listener)
    try:
        with pytest.raises(RuntimeError):
            give(users, cycle, point, card.code)
    finally:
        redemption_recorded.disconnect(listener)
    assert seen == [(True, True, True, True)]
    # The listener's failure rolls back the redemption, its ledger lines and its scan.
    assert not Redemption.objects.exists()
    assert not StockEntry.objects.filter(kind="distribution").exists()
    assert not ScanLog.objects.exists()
    assert give(users, cycle, point, card.code).outcome == "given"
    line = StockEntry.objects.get(kind="distribution", commodity__code="food-parcel")
    assert line.location_id == point.pk and line.recorded_by_id == users["dina"].pk
    assert line.redemption.operator_id == users["dina"].pk


@pytest.mark.django_db
def test_a_household_scheduled_here_today_is_given(users, family_a, card, cycle, point):
    allocate(
        cycle,
        point,
        family_a,
        served=True,
        day=timezone.localdate(),
        slot_start=dt.time(9, 0),
        lane=1,
    )
    assert give(users, cycle, point, card.code).outcome == "given"


@pytest.mark.django_db
def test_closed_cycle_and_household_outside_the_cycle_are_refused(
    users, family_a, family_b, card, cycle, point
):
    other = services.card_issue(actor=users["ada"], household=family_b, programme=cycle.programme)
    refused = give(users, cycle, point, other.code, actor="ada")  # ada works at both camps
    assert refused.outcome == "not_scheduled" and "not in this cycle" in refused.message
    cycle.status = "closed"
    cycle.save()
    assert give(users, cycle, point, card.code).outcome == "not_scheduled"
    assert list(ScanLog.objects.values_list("outcome", flat=True)) == ["not_scheduled"] * 2


@pytest.mark.django_db
def test_screen_of_a_cycle_not_serving_the_point_is_not_found(users, card, cycle, point, camp_b):
    cycle.sites.set([camp_b])
    client = login(users["dina"])
    for name in ("scan", "give"):
        url = reverse(f"assistance:{name}", args=[point.pk, cycle.pk])
        assert client.post(url, {"code": card.code}).status_code == 404
    assert not ScanLog.objects.exists()


@pytest.mark.django_db
def test_api_token_of_an_inactive_user_or_unknown_is_refused(client, users, card, cycle, point):
    body = {"cycle": str(cycle.pk), "card": card.code, "point": str(point.pk)}
    url = "/api/v1/redemptions"
    headers = token_for(users["dina"])
    users["dina"].is_active = False
    users["dina"].save()
    assert client.post(url, body, content_type="application/json", **headers).status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer nope"}
    assert client.post(url, body, content_type="application/json", **bad).status_code == 401
    users["dina"].is_active = True
    users["dina"].save()
    given = client.post(url, body, content_type="application/json", **headers)
    assert given.status_code == 201 and given.json()["card"] == card.code
    assert ApiToken.objects.get(user=users["dina"]).last_used_at is not None


@pytest.mark.django_db
def test_api_not_scheduled_answers_422_with_the_schedule(
    client, users, family_a, card, cycle, point, camp_a
):
    elsewhere = camp_a.stock_locations.create(name="Point C", kind="point")
    allocate(cycle, elsewhere, family_a, rank=3, served=False, planned_date=dt.date(2030, 1, 2))
    body = {"cycle": str(cycle.pk), "card": card.code, "point": str(point.pk)}
    answer = client.post(
        "/api/v1/redemptions", body, content_type="application/json", **token_for(users["dina"])
    )
    assert answer.status_code == 422
    assert answer.json()["schedule"]["planned_date"] == "2030-01-02"
    assert "2030-01-02" in answer.json()["message"]
    assert not Redemption.objects.exists()


@pytest.mark.django_db
def test_reconciliation_xlsx_holds_the_figures_with_hxl_tags(users, card, cycle, point):
    client = login(users["dina"])
    client.post(reverse("assistance:give", args=[point.pk, cycle.pk]), {"code": card.code})
    response = client.get(reverse("assistance:report_xlsx", args=[point.pk, cycle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["point", "cycle", "day", "commodity", "received", "given", "lost", "left"]
    assert rows[1][3] == "#item+code" and rows[1][5] == "#value+distributed"
    by_code = {row[3]: row for row in rows[2:]}
    assert by_code["food-parcel"][:3] == ["Point B", "2017-03", timezone.localdate().isoformat()]
    assert by_code["food-parcel"][4:] == [100, 1, 0, 99]
    assert by_code["rice"][4:] == [1000, 4.5, 0, 995.5]


def _prepared_statements() -> list[str]:
    """Statements the driver prepared on this connection (PREPARE statements written in SQL
    are not counted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_on_postgresql_the_give_statements_are_prepared_and_a_lost_race_is_still_refused(
    client, users, card, cycle, point
):
    """The token check, the give's facts and its INSERT run as prepared statements once a
    connection has run them a few times (mawa.core.prepared says why); the unique constraint
    still answers a give that read its facts before another's commit."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (DATABASE_URL=postgres://...)")
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        pytest.skip("DATABASE_URL turns prepared statements off (?prepare_threshold=off)")
    headers = token_for(users["dina"])
    body = {"cycle": str(cycle.pk), "card": card.code, "point": str(point.pk)}
    answers = []
    for _ in range(6):
        answers.append(
            client.post("/api/v1/redemptions", body, content_type="application/json", **headers)
        )
        StockEntry.objects.filter(redemption__card=card).delete()  # undone, to give again
        Redemption.objects.filter(card=card).delete()
    assert [a.status_code for a in answers] == [201] * 6
    prepared = _prepared_statements()
    assert any("FROM core_apitoken" in s or 'FROM "core_apitoken"' in s for s in prepared)
    assert any("FROM assistance_stocklocation p" in s for s in prepared)
    assert any('INSERT INTO "assistance_redemption"' in s for s in prepared)

    # A give that read its facts before another give committed: the prepared INSERT fails on
    # the constraint, which is answered as "already collected", and nothing is written twice.
    now = timezone.localtime()
    stale = services._facts(point.pk, cycle.pk, card.code, now.date(), users["dina"])
    assert not stale.previous
    assert give(users, cycle, point, card.code).outcome == ScanLog.Outcome.GIVEN
    late = services._give(users["dina"], point.pk, cycle.pk, card.code, stale, now)
    assert late.outcome == ScanLog.Outcome.ALREADY
    assert Redemption.objects.filter(card=card).count() == 1
    assert ScanLog.objects.filter(card=card, outcome=ScanLog.Outcome.ALREADY).count() == 1
