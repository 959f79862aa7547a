"""Entitlements, cards, and redemption exactly once per household per cycle."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from mawa.assistance import services
from mawa.assistance.entitlements import entitlement_for
from mawa.assistance.models import RationCard, Redemption, ScanLog, StockEntry
from mawa.registry.models import SpecificNeed
from tests.fixtures_assistance import allocate


@pytest.mark.django_db
def test_entitlement_is_computed_and_explained(family_a, programme):
    SpecificNeed.objects.create(person=family_a.head, code="DS")
    entitlement = entitlement_for(family_a, programme)
    assert entitlement.items == {
        "food-parcel": Decimal(1),
        "rice": Decimal("4.5"),
        "hygiene-kit": Decimal(1),
    }
    text = " | ".join(entitlement.explanation)
    assert "3 people" in text and "Disability top-up" in text


@pytest.mark.django_db
def test_stock_ledger_balances_and_dispatch_shortfall_is_a_loss(users, point, commodities):
    assert services.stock_balance(point)["food-parcel"] == 100
    dispatch = services.dispatch_send(
        actor=users["ada"],
        source=point,
        destination=point,
        commodity=commodities["kit"],
        quantity=5,
    )
    services.dispatch_receive(actor=users["ada"], dispatch=dispatch, counted=3)
    assert services.stock_balance(point)["hygiene-kit"] == 18
    with pytest.raises(services.AssistanceError):
        services.dispatch_send(
            actor=users["ada"],
            source=point,
            destination=point,
            commodity=commodities["kit"],
            quantity=500,
        )


@pytest.mark.django_db
def test_give_once_then_already_collected_with_time_place_and_operator(
    users, family_a, cycle, point
):
    card = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    given = services.redemption_record(
        actor=users["dina"], cycle=cycle, point=point, typed=card.code.lower()
    )
    assert given.outcome == "given" and given.entitlement.items["rice"] == Decimal("4.5")
    assert services.stock_balance(point)["food-parcel"] == 99
    again = services.redemption_record(
        actor=users["dina"], cycle=cycle, point=point, typed=card.code
    )
    assert again.outcome == "already"
    assert "Point B" in again.message and "dina" in again.message
    assert Redemption.objects.count() == 1
    assert list(ScanLog.objects.order_by("at").values_list("outcome", flat=True)) == [
        "given",
        "already",
    ]


@pytest.mark.django_db
def test_replaced_card_stops_working_at_once(users, family_a, cycle, point):
    card = services.card_issue(
        actor=users["ada"],
        household=family_a,
        programme=cycle.programme,
        alternates=[("Zainab Hassan", "wife")],
    )
    new = services.card_replace(actor=users["ada"], card=card)
    old = services.redemption_record(actor=users["dina"], cycle=cycle, point=point, typed=card.code)
    assert old.outcome == "revoked"
    assert new.alternates.get().name == "Zainab Hassan"
    assert (
        services.redemption_record(
            actor=users["dina"], cycle=cycle, point=point, typed=new.code
        ).outcome
        == "given"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "ZZZZ", "0000-0000-0", "'; drop table x; --", "٣" * 40])
def test_unknown_or_malformed_codes_get_a_clear_outcome(users, cycle, point, typed):
    result = services.redemption_record(actor=users["dina"], cycle=cycle, point=point, typed=typed)
    assert result.outcome == "unknown" and result.message


@pytest.mark.django_db
def test_card_not_scheduled_today_says_when(users, family_a, cycle, point):
    import datetime as dt

    card = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    allocate(
        cycle,
        point,
        family_a,
        served=True,
        day=dt.date(2030, 3, 7),
        slot_start=dt.time(9, 40),
        lane=2,
    )
    result = services.redemption_record(
        actor=users["dina"], cycle=cycle, point=point, typed=card.code
    )
    assert result.outcome == "not_scheduled"
    assert "09:40" in result.message and "lane 2" in result.message


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_redemptions_of_one_card_give_exactly_once(users, family_a, cycle, point):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL (DATABASE_URL=postgres://...)")
    card = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    outcomes, barrier = [], threading.Barrier(50)

    def scan():
        try:
            barrier.wait()
            result = services.redemption_record(
                actor=users["dina"], cycle=cycle, point=point, typed=card.code
            )
            outcomes.append(result.outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["already", "given"] and outcomes.count("given") == 1
    assert Redemption.objects.count() == 1
    given = StockEntry.objects.filter(kind="distribution", commodity__code="food-parcel")
    assert given.count() == 1


@pytest.mark.django_db
def test_one_active_card_per_household_and_programme(users, family_a, programme):
    services.card_issue(actor=users["ada"], household=family_a, programme=programme)
    with pytest.raises(services.AssistanceError):
        services.card_issue(actor=users["ada"], household=family_a, programme=programme)
    assert RationCard.objects.count() == 1
