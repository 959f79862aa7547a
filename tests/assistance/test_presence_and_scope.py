"""Who may collect and who may act: a household that is not present collects nothing (its cards
suspended while it is away or merged), and a user acts only within their own sites, whatever
sites a cycle serves."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mawa.assistance import services
from mawa.assistance.models import RationCard, Redemption, ScanLog
from mawa.core.models import AuditEvent
from mawa.names import services as names
from mawa.names.models import Merge
from mawa.registry import services as registry
from mawa.registry.models import Household
from mawa.registry.services import household_register
from tests.conftest import login, member
from tests.test_api import token_for


def give(user, cycle, point, code):
    return services.redemption_at(actor=user, point_id=point.pk, cycle_id=cycle.pk, typed=code)


def depart(user, household):
    registry.household_depart(
        actor=user, household=household, date=timezone.localdate(), reason="return"
    )


@pytest.mark.django_db
def test_a_departed_household_collects_nothing_and_its_card_is_suspended(
    users, family_a, card, cycle, point
):
    depart(users["mona"], family_a)
    card.refresh_from_db()
    assert card.status == RationCard.Status.SUSPENDED
    assert AuditEvent.objects.filter(object_id=str(card.pk), summary__household_status="departed")
    refused = give(users["dina"], cycle, point, card.code)
    assert refused.outcome == ScanLog.Outcome.NOT_PRESENT
    assert "departed" in refused.message
    assert not Redemption.objects.exists()
    with translation.override("ar"):
        arabic = give(users["dina"], cycle, point, card.code).message
    with translation.override("ckb"):
        sorani = give(users["dina"], cycle, point, card.code).message
    assert "departed" not in arabic and "departed" not in sorani and arabic != sorani
    page = login(users["mona"]).get(reverse("assistance:household_cards", args=[family_a.pk]))
    assert "Suspended" in page.content.decode()
    with pytest.raises(services.AssistanceError):
        services.card_issue(actor=users["mona"], household=family_a, programme=cycle.programme)


@pytest.mark.django_db
def test_a_household_not_present_is_refused_even_with_an_active_card(
    users, family_a, card, cycle, point
):
    """Whatever set the status (an import, a returns app, a script): the give reads it in its
    own statement."""
    for status in ("departed", "merged", "returned"):
        Household.objects.filter(pk=family_a.pk).update(status=status)
        assert card.status == RationCard.Status.ACTIVE
        refused = give(users["dina"], cycle, point, card.code)
        assert refused.outcome == ScanLog.Outcome.NOT_PRESENT, status
    client = login(users["dina"])
    client.cookies["mawa_language"] = "en"
    screen = client.post(reverse("assistance:scan", args=[point.pk, cycle.pk]), {"code": card.code})
    assert "not present" in screen.content.decode()
    answer = client.post(
        "/api/v1/redemptions",
        {"cycle": str(cycle.pk), "card": card.code, "point": str(point.pk)},
        content_type="application/json",
        **token_for(users["dina"]),
    )
    assert answer.status_code == 422 and answer.json()["outcome"] == "not_present"
    assert not Redemption.objects.exists()


@pytest.fixture
def duplicate(users, camp_a, family_a):
    """Hussein registered a second time at Camp A, in his own household of one."""
    return household_register(
        actor=users["alice"],
        site=camp_a,
        members=[member(given_name_lat="Hussein")],
        arrival_date=family_a.arrival_date,
        consent_date=family_a.arrival_date,
        consent_purposes=["assistance"],
    )


@pytest.mark.django_db
def test_a_merged_duplicate_collects_nothing_until_the_merge_is_undone(
    users, family_a, duplicate, card, cycle, point
):
    second = services.card_issue(
        actor=users["mona"], household=duplicate, programme=cycle.programme
    )
    assert give(users["dina"], cycle, point, card.code).outcome == ScanLog.Outcome.GIVEN
    pair = names.pair_record(
        a=family_a.head, b=duplicate.head, probability=0.97, reasons=[], source="batch"
    )
    names.pair_decide(actor=users["mona"], pair=pair, decision="same", keep=family_a.head)
    second.refresh_from_db()
    assert second.status == RationCard.Status.SUSPENDED
    refused = give(users["dina"], cycle, point, second.code)
    assert refused.outcome == ScanLog.Outcome.NOT_PRESENT and "merged" in refused.message
    assert Redemption.objects.count() == 1  # one family, one ration

    names.merge_reverse(actor=users["mona"], merge=Merge.objects.get())
    second.refresh_from_db()
    assert second.status == RationCard.Status.ACTIVE
    assert give(users["dina"], cycle, point, second.code).outcome == ScanLog.Outcome.GIVEN


@pytest.mark.django_db
def test_a_restored_card_never_makes_two_active_cards(users, family_a, card, cycle):
    """A household back with a new card issued meanwhile keeps the new one active only."""
    from mawa.registry.signals import household_status_changed

    depart(users["mona"], family_a)
    Household.objects.filter(pk=family_a.pk).update(status="present")
    family_a.refresh_from_db()
    new = services.card_issue(actor=users["mona"], household=family_a, programme=cycle.programme)
    household_status_changed.send(
        Household, household=family_a, previous="departed", status="present", actor=users["mona"]
    )
    card.refresh_from_db()
    assert card.status == RationCard.Status.SUSPENDED
    assert RationCard.objects.get(status="active") == new


# --- a cycle serving several camps ---------------------------------------------------------------


@pytest.fixture
def two_camps(cycle, camp_b):
    cycle.sites.add(camp_b)
    return cycle


@pytest.mark.django_db
def test_a_camp_manager_issues_cards_only_at_their_own_camp(users, family_a, family_b, two_camps):
    client = login(users["mona"])
    client.post(reverse("assistance:cycle_issue_cards", args=[two_camps.pk]))
    assert list(RationCard.objects.values_list("household", flat=True)) == [family_a.pk]
    with pytest.raises(services.AssistanceError):
        services.card_issue(actor=users["mona"], household=family_b, programme=two_camps.programme)
    # Camp B's manager issues Camp B's card; the administrator of every site would issue all.
    services.cards_issue_for_cycle(actor=users["max"], cycle=two_camps)
    assert RationCard.objects.filter(household=family_b).count() == 1


@pytest.mark.django_db
def test_an_operator_neither_sees_nor_serves_another_camps_household(
    users, family_a, family_b, card, two_camps, point
):
    other = services.card_issue(
        actor=users["max"], household=family_b, programme=two_camps.programme
    )
    client = login(users["dina"])
    client.cookies["mawa_language"] = "en"
    screen = client.post(
        reverse("assistance:scan", args=[point.pk, two_camps.pk]), {"code": other.code}
    )
    text = screen.content.decode()
    assert "Unknown card" in text and "Omar" not in text
    assert give(users["dina"], two_camps, point, other.code).outcome == ScanLog.Outcome.UNKNOWN
    assert not Redemption.objects.filter(household=family_b).exists()
    # An administrator of every site may serve Camp B's household at Camp A's point.
    assert give(users["ada"], two_camps, point, other.code).outcome == ScanLog.Outcome.GIVEN


@pytest.mark.django_db
def test_the_api_never_returns_another_sites_household_id(
    client, users, family_a, family_b, card, two_camps, point
):
    other = services.card_issue(
        actor=users["max"], household=family_b, programme=two_camps.programme
    )
    body = {"cycle": str(two_camps.pk), "card": other.code, "point": str(point.pk)}
    headers = token_for(users["dina"])
    for _ in range(2):  # before and after another operator served it
        answer = client.post(
            "/api/v1/redemptions", body, content_type="application/json", **headers
        )
        assert answer.status_code == 404
        assert answer.json()["household_id"] is None and answer.json()["card"] is None
        assert str(family_b.pk) not in answer.content.decode()
        services.redemption_at(
            actor=users["ada"], point_id=point.pk, cycle_id=two_camps.pk, typed=other.code
        )
    own = client.post(
        "/api/v1/redemptions",
        body | {"card": card.code},
        content_type="application/json",
        **headers,
    )
    assert own.status_code == 201 and own.json()["household_id"] == str(family_a.pk)
