"""Assistance operations: the stock ledger, entitlements, ration cards and redemption.

`redemption_record` is the hot path of a distribution point: one card code in, one outcome out,
a handful of queries, and the database's unique constraint as the last word on double giving.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mawa.assistance.models import (
    Allocation,
    AlternateCollector,
    Commodity,
    Cycle,
    DayClose,
    Dispatch,
    EntitlementRule,
    Programme,
    RationCard,
    Redemption,
    ScanLog,
    StockEntry,
    StockLocation,
)
from mawa.assistance.signals import redemption_recorded, scan_logged, stock_recorded
from mawa.core.audit import audit_record
from mawa.core.ids import clean_reference
from mawa.core.models import AuditEvent, User
from mawa.registry.models import Household, Person, SpecificNeed


class AssistanceError(Exception):
    """A rule of assistance was broken; the message is for the user."""


# --- stock ledger -------------------------------------------------------------------------------


def stock_balance(location: StockLocation) -> dict[str, Decimal]:
    """Commodity code -> quantity at a location, summed from the ledger."""
    rows = (
        StockEntry.objects.filter(location=location)
        .values("commodity__code")
        .annotate(total=Sum("quantity"))
    )
    return {row["commodity__code"]: row["total"] for row in rows}


def stock_record(
    *,
    actor: User | None,
    location: StockLocation,
    commodity: Commodity,
    quantity,
    kind: str,
    note: str = "",
    **links,
) -> StockEntry:
    quantity = Decimal(str(quantity))
    incoming = (StockEntry.Kind.RECEIPT, StockEntry.Kind.RETURN, StockEntry.Kind.DISPATCH_IN)
    if kind in incoming and quantity <= 0:
        raise AssistanceError(_("A quantity received must be more than zero."))
    if kind in (StockEntry.Kind.LOSS, StockEntry.Kind.DISPATCH_OUT, StockEntry.Kind.DISTRIBUTION):
        quantity = -abs(quantity)
    with transaction.atomic():
        entry = StockEntry.objects.create(
            location=location,
            commodity=commodity,
            quantity=quantity,
            kind=kind,
            note=note[:200],
            recorded_by=actor,
            **links,
        )
        stock_recorded.send(StockEntry, entry=entry)
    return entry


@transaction.atomic
def dispatch_send(
    *,
    actor: User,
    source: StockLocation,
    destination: StockLocation,
    commodity: Commodity,
    quantity,
) -> Dispatch:
    quantity = Decimal(str(quantity))
    if quantity <= 0:
        raise AssistanceError(_("A quantity dispatched must be more than zero."))
    available = stock_balance(source).get(commodity.code, Decimal(0))
    if quantity > available:
        raise AssistanceError(
            _("Only %(n)s %(unit)s of %(what)s are in stock.")
            % {"n": available, "unit": commodity.get_unit_display(), "what": commodity.name}
        )
    dispatch = Dispatch.objects.create(
        source=source, destination=destination, commodity=commodity, quantity=quantity
    )
    stock_record(
        actor=actor,
        location=source,
        commodity=commodity,
        quantity=quantity,
        kind=StockEntry.Kind.DISPATCH_OUT,
        dispatch=dispatch,
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=dispatch)
    return dispatch


@transaction.atomic
def dispatch_receive(*, actor: User, dispatch: Dispatch, counted) -> Dispatch:
    """Count a dispatch on arrival; what did not arrive is recorded as a loss in transit."""
    counted = Decimal(str(counted))
    if dispatch.received_at is not None:
        raise AssistanceError(_("This dispatch was already received."))
    if counted < 0 or counted > dispatch.quantity:
        raise AssistanceError(_("The count must be between 0 and the quantity dispatched."))
    if counted:
        stock_record(
            actor=actor,
            location=dispatch.destination,
            commodity=dispatch.commodity,
            quantity=counted,
            kind=StockEntry.Kind.DISPATCH_IN,
            dispatch=dispatch,
        )
    dispatch.received_quantity, dispatch.received_at = counted, timezone.now()
    dispatch.save(update_fields=["received_quantity", "received_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=dispatch,
        summary={"counted": str(counted), "short": str(dispatch.quantity - counted)},
    )
    return dispatch


# --- entitlements -------------------------------------------------------------------------------


@dataclass
class Entitlement:
    items: dict[str, Decimal] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)

    def add(self, code: str, quantity: Decimal, why: str) -> None:
        if quantity:
            self.items[code] = self.items.get(code, Decimal(0)) + quantity
            self.explanation.append(why)


def quantity_text(quantity: Decimal) -> str:
    """1.000 -> "1", 4.500 -> "4.5": quantities as people read them."""
    return f"{quantity.normalize():f}"


def entitlement_compute(rules, size: int, needs: set[str]) -> Entitlement:
    """Apply a programme's rules to a household of `size` people with these specific needs."""
    result = Entitlement()
    for rule in rules:
        what = f"{rule.commodity.name} ({rule.commodity.get_unit_display()})"
        if rule.basis == EntitlementRule.Basis.HOUSEHOLD:
            result.add(rule.commodity.code, rule.quantity, f"{quantity_text(rule.quantity)} {what}")
        elif rule.basis == EntitlementRule.Basis.PERSON:
            quantity = rule.quantity * size
            result.add(
                rule.commodity.code,
                quantity,
                _("%(n)s people × %(q)s: %(t)s %(what)s")
                % {
                    "n": size,
                    "q": quantity_text(rule.quantity),
                    "t": quantity_text(quantity),
                    "what": what,
                },
            )
        elif rule.basis == EntitlementRule.Basis.BAND and rule.min_size <= size <= rule.max_size:
            result.add(
                rule.commodity.code,
                rule.quantity,
                _("%(n)s people: %(q)s %(what)s")
                % {"n": size, "q": quantity_text(rule.quantity), "what": what},
            )
        elif rule.basis == EntitlementRule.Basis.NEED and rule.need in needs:
            label = SpecificNeed.Code(rule.need).label
            result.add(
                rule.commodity.code,
                rule.quantity,
                _("%(need)s top-up: %(q)s %(what)s")
                % {"need": label, "q": quantity_text(rule.quantity), "what": what},
            )
    return result


def household_profile(household: Household) -> tuple[int, set[str]]:
    """The household's size and its members' specific needs, in one query."""
    rows = Person.objects.filter(household=household, merged_into=None).values_list(
        "id", "needs__code"
    )
    members, needs = set(), set()
    for person_id, code in rows:
        members.add(person_id)
        if code:
            needs.add(code)
    return len(members), needs


def entitlement_for(household: Household, programme: Programme) -> Entitlement:
    size, needs = household_profile(household)
    rules = programme.rules.select_related("commodity")
    return entitlement_compute(rules, size, needs)


# --- ration cards -------------------------------------------------------------------------------


@transaction.atomic
def card_issue(
    *, actor: User, household: Household, programme: Programme, alternates=()
) -> RationCard:
    if len(alternates) > 2:
        raise AssistanceError(_("A card names at most two alternate collectors."))
    if RationCard.objects.filter(
        household=household, programme=programme, status=RationCard.Status.ACTIVE
    ).exists():
        raise AssistanceError(_("This household already has an active card for the programme."))
    card = RationCard.objects.create(household=household, programme=programme)
    AlternateCollector.objects.bulk_create(
        AlternateCollector(card=card, name=name, relation=relation) for name, relation in alternates
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=card)
    return card


@transaction.atomic
def card_replace(*, actor: User, card: RationCard) -> RationCard:
    """A lost card: the old code stops working at once, everywhere; a new code is issued."""
    if card.status != RationCard.Status.ACTIVE:
        raise AssistanceError(_("Only an active card can be replaced."))
    card.status, card.revoked_at = RationCard.Status.REVOKED, timezone.now()
    card.save(update_fields=["status", "revoked_at"])
    new = RationCard.objects.create(
        household=card.household, programme=card.programme, replaces=card
    )
    AlternateCollector.objects.bulk_create(
        AlternateCollector(card=new, name=a.name, relation=a.relation)
        for a in card.alternates.all()
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CHANGE, obj=card, summary={"replaced_by": new.code}
    )
    return new


def cards_issue_for_cycle(*, actor: User, cycle: Cycle) -> int:
    """An active card for every present household at the cycle's sites that has none."""
    have = RationCard.objects.filter(
        programme=cycle.programme, status=RationCard.Status.ACTIVE
    ).values("household_id")
    households = Household.objects.filter(
        site__in=cycle.sites.all(), status=Household.Status.PRESENT
    ).exclude(pk__in=have)
    cards = [RationCard(household=h, programme=cycle.programme) for h in households]
    RationCard.objects.bulk_create(cards, batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="assistance.rationcard",
        summary={"cycle": str(cycle.pk), "issued": len(cards)},
    )
    return len(cards)


# --- redemption ---------------------------------------------------------------------------------


@dataclass
class ScanResult:
    outcome: str
    message: str = ""
    card: RationCard | None = None
    household: Household | None = None
    entitlement: Entitlement | None = None
    redemption: Redemption | None = None
    previous: Redemption | None = None
    allocation: Allocation | None = None
    head: Person | None = None
    size: int = 0


def _log(actor, point, cycle, typed, card, outcome, at=None) -> ScanLog:
    """Log a scan; for outcomes other than "given" (which redemption_record logs with the
    redemption, in its transaction) the log and its event are written together here."""
    scan = ScanLog(
        operator=actor,
        point=point,
        cycle=cycle,
        typed=typed[:40],
        card=card,
        outcome=outcome,
        at=at or timezone.now(),
    )
    if outcome == ScanLog.Outcome.GIVEN:
        scan.save(force_insert=True)
        return scan
    with transaction.atomic():
        scan.save(force_insert=True)
        scan_logged.send(ScanLog, scan=scan)
    return scan


def _find_card(cycle: Cycle, typed: str):
    code = clean_reference(typed or "")
    if code is None:
        return None
    return (
        RationCard.objects.select_related("household__site")
        .filter(code=code, programme_id=cycle.programme_id)
        .first()
    )


def scan_lookup(*, actor: User, cycle: Cycle, point: StockLocation, typed: str) -> ScanResult:
    """What the screen shows after a scan, before the operator presses Give."""
    card = _find_card(cycle, typed)
    result = _check(cycle, point, card, now=timezone.localtime())
    if result.outcome == ScanLog.Outcome.SHOWN:
        result.size, needs = household_profile(card.household)
        rules = cycle.programme.rules.select_related("commodity")
        result.entitlement = entitlement_compute(rules, result.size, needs)
        result.head = card.household.members.filter(relationship=Person.HEAD).first()
    _log(actor, point, cycle, typed, card, result.outcome)
    return result


def _check(cycle: Cycle, point: StockLocation, card, now) -> ScanResult:
    if card is None:
        return ScanResult(ScanLog.Outcome.UNKNOWN, _("Unknown card."))
    if card.status != RationCard.Status.ACTIVE:
        return ScanResult(
            ScanLog.Outcome.REVOKED,
            _("This card was revoked. Ask the household to the help desk."),
            card=card,
        )
    previous = (
        Redemption.objects.select_related("point", "operator")
        .filter(cycle=cycle, household_id=card.household_id, double_of=None)
        .first()
    )
    if previous is not None:
        return ScanResult(
            ScanLog.Outcome.ALREADY, already_message(previous), card=card, previous=previous
        )
    if DayClose.objects.filter(cycle=cycle, point=point, day=now.date()).exists():
        return ScanResult(
            ScanLog.Outcome.NOT_SCHEDULED, _("The day is closed at this point."), card=card
        )
    if (
        cycle.status != Cycle.Status.OPEN
        or not cycle.sites.filter(pk=card.household.site_id).exists()
    ):
        return ScanResult(
            ScanLog.Outcome.NOT_SCHEDULED, _("This household is not in this cycle."), card=card
        )
    allocation = Allocation.objects.filter(cycle=cycle, household_id=card.household_id).first()
    if allocation is not None and not (
        allocation.served and allocation.point_id == point.pk and allocation.day == now.date()
    ):
        return ScanResult(
            ScanLog.Outcome.NOT_SCHEDULED,
            schedule_message(allocation),
            card=card,
            allocation=allocation,
        )
    return ScanResult(
        ScanLog.Outcome.SHOWN, card=card, household=card.household, allocation=allocation
    )


def already_message(previous: Redemption) -> str:
    at = timezone.localtime(previous.at)
    operator = (
        previous.operator.get_full_name() or previous.operator.username
        if previous.operator
        else "?"
    )
    return _("Already collected at %(time)s on %(date)s at %(point)s by %(operator)s.") % {
        "time": at.strftime("%H:%M"),
        "date": at.date().isoformat(),
        "point": previous.point.name,
        "operator": operator,
    }


def schedule_message(allocation: Allocation) -> str:
    if allocation.served:
        return _("Scheduled for %(day)s %(time)s, lane %(lane)s.") % {
            "day": date_format(allocation.day, "l Y-m-d"),
            "time": allocation.slot_start.strftime("%H:%M"),
            "lane": allocation.lane,
        }
    if allocation.planned_date:
        return _("Not served today; planned for %(day)s.") % {
            "day": allocation.planned_date.isoformat()
        }
    return _("Not served today; the date will be announced.")


def redemption_record(
    *, actor: User, cycle: Cycle, point: StockLocation, typed: str, now: dt.datetime | None = None
) -> ScanResult:
    """Give a household its entitlement for the cycle, exactly once under any concurrency."""
    now = now or timezone.localtime()
    card = _find_card(cycle, typed)
    result = _check(cycle, point, card, now)
    if result.outcome != ScanLog.Outcome.SHOWN:
        _log(actor, point, cycle, typed, card, result.outcome)
        return result
    size, needs = household_profile(card.household)
    rules = list(cycle.programme.rules.select_related("commodity"))
    entitlement = entitlement_compute(rules, size, needs)
    commodity_ids = {rule.commodity.code: rule.commodity_id for rule in rules}
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(
                cycle=cycle,
                household_id=card.household_id,
                card=card,
                point=point,
                at=now,
                operator=actor,
                items={k: str(v) for k, v in entitlement.items.items()},
            )
            entries = StockEntry.objects.bulk_create(
                StockEntry(
                    location=point,
                    commodity_id=commodity_ids[code],
                    quantity=-quantity,
                    kind=StockEntry.Kind.DISTRIBUTION,
                    redemption=redemption,
                    recorded_by=actor,
                    at=now,
                )
                for code, quantity in entitlement.items.items()
            )
            scan = _log(actor, point, cycle, typed, card, ScanLog.Outcome.GIVEN, at=now)
            redemption_recorded.send(Redemption, redemption=redemption, entries=entries, scan=scan)
    except IntegrityError:
        previous = Redemption.objects.select_related("point", "operator").get(
            cycle=cycle, household_id=card.household_id, double_of=None
        )
        _log(actor, point, cycle, typed, card, ScanLog.Outcome.ALREADY)
        return ScanResult(
            ScanLog.Outcome.ALREADY, already_message(previous), card=card, previous=previous
        )
    return ScanResult(
        ScanLog.Outcome.GIVEN,
        _("Given."),
        card=card,
        household=card.household,
        entitlement=entitlement,
        redemption=redemption,
        size=size,
    )


def point_tally(cycle: Cycle, point: StockLocation) -> dict:
    served = Redemption.objects.filter(cycle=cycle, point=point, double_of=None).count()
    planned = Allocation.objects.filter(cycle=cycle, point=point, served=True).count()
    names = {c.code: c.name for c in Commodity.objects.all()}
    stock = [
        (names.get(code, code), quantity_text(quantity))
        for code, quantity in sorted(stock_balance(point).items())
    ]
    return {
        "served": served,
        "planned": planned,
        "remaining": max(planned - served, 0),
        "stock": stock,
    }
