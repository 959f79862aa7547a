"""The redemption rules the database holds, on SQLite and PostgreSQL alike: whatever writes the
rows (the give, a node's sync, the admin, a script), a redemption belongs to its card's
household and programme, and a double points to an earlier redemption of the same household
and cycle, so the once-per-cycle constraint has no escape hatch."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mawa.assistance import offline, services
from mawa.assistance.models import Cycle, Programme, Redemption, ScanLog


def _write(**fields) -> Redemption:
    with transaction.atomic():
        return Redemption.objects.create(**fields)


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError):
        _write(**fields)


@pytest.fixture
def first(users, card, cycle, point):
    return services.redemption_record(
        actor=users["dina"], cycle=cycle, point=point, typed=card.code
    ).redemption


def _row(first, **changes) -> dict:
    fields = {
        "cycle": first.cycle,
        "household_id": first.household_id,
        "card": first.card,
        "point": first.point,
        "at": first.at + dt.timedelta(minutes=5),
        "double_of": first,
    }
    return fields | changes


@pytest.mark.django_db
def test_a_double_of_the_same_household_and_cycle_is_kept(first):
    double = _write(**_row(first))
    assert double.double_of_id == first.pk


@pytest.mark.django_db
def test_a_redemption_cannot_be_a_double_of_itself(first):
    pk = uuid.uuid4()
    _refused(**_row(first, id=pk, double_of_id=pk))
    with pytest.raises(IntegrityError), transaction.atomic():
        Redemption.objects.filter(pk=first.pk).update(double_of=first.pk)


@pytest.mark.django_db
def test_a_double_of_another_household_or_cycle_is_refused(
    users, first, family_b, cycle, programme, camp_b
):
    cycle.sites.add(camp_b)
    other_card = services.card_issue(actor=users["ada"], household=family_b, programme=programme)
    _refused(**_row(first, household_id=family_b.pk, card=other_card))
    later = Cycle.objects.create(
        programme=programme, name="2017-04", starts=cycle.starts, ends=cycle.ends
    )
    _refused(**_row(first, cycle=later))
    assert Redemption.objects.count() == 1


@pytest.mark.django_db
def test_a_double_of_a_later_redemption_is_refused(first):
    """Earlier-than is what rules out circles (two doubles of each other, and no first that the
    once-per-cycle constraint would count)."""
    _refused(**_row(first, at=first.at - dt.timedelta(minutes=5)))
    double = _write(**_row(first))
    with pytest.raises(IntegrityError), transaction.atomic():
        Redemption.objects.filter(pk=first.pk).update(double_of=double.pk)


@pytest.mark.django_db
def test_a_redemption_belongs_to_its_cards_household_and_programme(card, cycle, point, family_b):
    fields = {"cycle": cycle, "household_id": card.household_id, "card": card, "point": point}
    _refused(**fields | {"household_id": family_b.pk})
    other = Programme.objects.create(code="winter", name_en="Winter kits")
    winter = Cycle.objects.create(programme=other, name="w", starts=cycle.starts, ends=cycle.ends)
    _refused(**fields | {"cycle": winter})
    mine = _write(**fields)
    # Nor may the card or the cycle change under a redemption.
    with pytest.raises(IntegrityError), transaction.atomic():
        type(card).objects.filter(pk=card.pk).update(household=family_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(programme=other)
    assert Redemption.objects.get().pk == mine.pk


@pytest.mark.django_db
def test_offline_doubles_arrive_in_any_order_and_are_kept(users, first, card, cycle, point):
    """A node's redemptions of a household already served here, one of them earlier than the
    give here: doubles come in before their first, and what was first here becomes a double."""

    def row(minutes):
        return {
            "id": str(uuid.uuid4()),
            "cycle": str(cycle.pk),
            "household": str(card.household_id),
            "card": str(card.pk),
            "point": str(point.pk),
            "items": {},
            "at": (first.at + dt.timedelta(minutes=minutes)).isoformat(),
            "operator": users["dina"].pk,
            "entries": [],
        }

    rows = [row(30), row(-30), row(10)]
    assert offline.redemptions_apply(rows, recorded_on="laptop-7") == 3
    earliest = Redemption.objects.get(pk=rows[1]["id"])
    assert earliest.double_of_id is None
    assert set(Redemption.objects.exclude(pk=earliest.pk).values_list("double_of", flat=True)) == {
        earliest.pk
    }


@pytest.mark.django_db
def test_a_give_that_read_stale_facts_is_refused_by_the_constraint(users, card, cycle, point):
    """The race of two gives, on any database: one reads its facts, the other gives and
    commits, then the first writes; the unique constraint answers "already collected"."""
    now = timezone.localtime()
    stale = services._facts(point.pk, cycle.pk, card.code, now.date(), users["dina"])
    assert not stale.previous
    given = services.redemption_record(
        actor=users["dina"], cycle=cycle, point=point, typed=card.code
    )
    assert given.outcome == ScanLog.Outcome.GIVEN
    late = services._give(users["dina"], point.pk, cycle.pk, card.code, stale, now)
    assert late.outcome == ScanLog.Outcome.ALREADY
    assert Redemption.objects.filter(card=card).count() == 1
    assert ScanLog.objects.filter(card=card, outcome=ScanLog.Outcome.ALREADY).count() == 1
