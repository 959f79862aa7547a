"""Assistance operations: the stock ledger, entitlements, ration cards and redemption.

`redemption_record` is the hot path of a distribution point: one card code in, one outcome out,
a handful of queries, and the database's unique constraint as the last word on double giving.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mawa.assistance import offline
from mawa.assistance.entitlements import Entitlement, entitlement_compute, quantity_text
from mawa.assistance.models import (
    Allocation,
    AlternateCollector,
    Commodity,
    Cycle,
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
from mawa.core import sync
from mawa.core.access import require
from mawa.core.audit import audit_record
from mawa.core.bulk import objects_insert
from mawa.core.ids import clean_reference
from mawa.core.models import AuditEvent, User
from mawa.core.prepared import prepared_cursor
from mawa.core.roles import Capability
from mawa.registry.models import Household, Person


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
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=entry,
            summary={
                "kind": kind,
                "location": str(location.pk),
                "commodity": commodity.code,
                "quantity": str(quantity),
            },
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


# --- ration cards -------------------------------------------------------------------------------


def _in_scope(actor: User, site_id) -> bool:
    """Whether the actor works at the site: a user acts only within their own sites, whatever
    sites a cycle spans."""
    return actor.is_active and (actor.all_sites or actor.sites.filter(pk=site_id).exists())


@transaction.atomic
def card_issue(
    *, actor: User, household: Household, programme: Programme, alternates=()
) -> RationCard:
    if not _in_scope(actor, household.site_id):
        raise AssistanceError(_("This household is not at one of your sites."))
    if household.status != Household.Status.PRESENT:
        raise AssistanceError(_("This household is not present: no card can be issued."))
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
    sync.emit(lambda: [("card", offline.card_data(card))])
    return card


@transaction.atomic
def card_alternates_set(*, actor: User, card: RationCard, pairs) -> RationCard:
    """Name a card's alternate collectors (at most two), replacing those it had."""
    pairs = list(pairs)
    if len(pairs) > 2:
        raise AssistanceError(_("A card names at most two alternate collectors."))
    card.alternates.all().delete()
    AlternateCollector.objects.bulk_create(
        AlternateCollector(card=card, name=name, relation=relation) for name, relation in pairs
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CHANGE, obj=card, summary={"alternates": len(pairs)}
    )
    sync.emit(lambda: [("card", offline.card_data(card))])
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
    sync.emit(lambda: [("card", offline.card_data(card)), ("card", offline.card_data(new))])
    return new


def cards_issue_for_cycle(*, actor: User, cycle: Cycle) -> int:
    """An active card for every present household at the cycle's sites that has none, at the
    actor's own sites only (a cycle may serve several camps, each with its own manager)."""
    have = RationCard.objects.filter(
        programme=cycle.programme,
        status__in=[RationCard.Status.ACTIVE, RationCard.Status.SUSPENDED],
    ).values("household_id")
    households = (
        Household.objects.filter(site__in=cycle.sites.all(), status=Household.Status.PRESENT)
        .filter(site__in=actor.site_scope())
        .exclude(pk__in=have)
    )
    cards = [RationCard(household=h, programme=cycle.programme) for h in households]
    RationCard.objects.bulk_create(cards, batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="assistance.rationcard",
        summary={"cycle": str(cycle.pk), "issued": len(cards)},
    )
    return len(cards)


def cards_suspend(*, actor: User | None, household: Household) -> int:
    """The household is no longer present (departed, merged as a duplicate): its active cards
    stop working until it is present again."""
    cards = list(RationCard.objects.filter(household=household, status=RationCard.Status.ACTIVE))
    for card in cards:
        card.status = RationCard.Status.SUSPENDED
        card.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=card,
            summary={"status": ["active", "suspended"], "household_status": household.status},
        )
    return len(cards)


def cards_restore(*, actor: User | None, household: Household) -> int:
    """The household is present again (a departure or merge undone, a return): its suspended
    cards work again, except where another card of the programme was made active meanwhile."""
    restored = 0
    for card in RationCard.objects.filter(household=household, status=RationCard.Status.SUSPENDED):
        if RationCard.objects.filter(
            household=household, programme_id=card.programme_id, status=RationCard.Status.ACTIVE
        ).exists():
            continue
        card.status = RationCard.Status.ACTIVE
        card.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=card,
            summary={"status": ["suspended", "active"]},
        )
        restored += 1
    return restored


# --- redemption ---------------------------------------------------------------------------------
#
# The hot path reads everything a scan or a give needs in ONE statement (`_facts`): the point
# and cycle (and, for a caller that has not fetched them, the user's right to them), the card,
# its household's site, size and needs, a previous redemption, a closed day, the household's
# place in the cycle and in its plan, and a fingerprint of the programme's rules, whose objects
# are kept per process under that fingerprint (`_programme`). A give then writes its redemption,
# ledger lines and scan log with INSERTs built once per process (`_insert`), in one transaction
# with the `redemption_recorded` signal; the unique constraint stays the last word on double
# giving. Rarer outcomes (already collected, not scheduled) read what their message needs with
# the ORM.


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


def _scan_log(actor, point_id, cycle_id, typed, card, outcome, at=None) -> ScanLog:
    return ScanLog(
        operator=actor,
        point_id=point_id,
        cycle_id=cycle_id,
        typed=typed[:40],
        card=card,
        outcome=outcome,
        at=at or timezone.now(),
    )


def _log(actor, point_id, cycle_id, typed, card, outcome) -> ScanLog:
    """Log a scan of any outcome but "given" (which the give logs with the redemption, in its
    transaction): the log and its event written together."""
    scan = _scan_log(actor, point_id, cycle_id, typed, card, outcome)
    with transaction.atomic():
        objects_insert([scan])
        scan_logged.send(ScanLog, scan=scan)
    return scan


def _uuid(value) -> UUID | None:
    """A UUID read by raw SQL: a uuid.UUID from PostgreSQL, 32 hex digits from SQLite."""
    return value if value is None or isinstance(value, UUID) else UUID(value)


@dataclass
class _Facts:
    site_id: UUID
    programme_id: int
    cycle_status: str
    card: RationCard | None
    household: Household | None
    previous: bool
    day_closed: bool
    in_cycle: bool
    allocation_id: object
    allocation_here_today: bool
    size: int
    needs: set[str]
    rules_key: str | None


_CARD_FIELDS = ["id", "code", "household_id", "programme_id", "status"]  # in the model's order


@cache
def _facts_sql(vendor: str, scoped: bool, all_sites: bool) -> str:
    """The facts statement. `scoped`: the point and cycle are checked against the user's role
    and sites (access.get_point_for_user and get_cycle_for_point, as one condition); unless
    `all_sites`, the card's household must be at one of the user's sites too, whatever sites the
    cycle serves (a card of another camp reads as unknown)."""
    if vendor == "postgresql":
        needs = "string_agg(DISTINCT n.code, ',')"
        rules = (
            "string_agg(concat_ws('|', er.id, er.basis, er.quantity, er.min_size, er.max_size, "
            "er.need, co.id, co.code, co.unit, co.name_en, co.name_ar, co.name_ckb), '/' "
            "ORDER BY er.id)"
        )
    else:
        needs = "group_concat(DISTINCT n.code)"
        rules = (
            "group_concat(er.id || '|' || er.basis || '|' || er.quantity || '|' || er.min_size "
            "|| '|' || er.max_size || '|' || er.need || '|' || co.id || '|' || co.code || '|' "
            "|| co.unit || '|' || co.name_en || '|' || co.name_ar || '|' || co.name_ckb, '/')"
        )
    scope = ""
    if scoped:
        # access.points_for_user and get_cycle_for_point, as one condition: a point at one of
        # the user's sites, and a cycle that serves that site.
        scope = " JOIN assistance_cycle_sites ps ON ps.cycle_id = cy.id AND ps.site_id = p.site_id"
    where = " WHERE p.id = %s"
    if scoped:
        where += " AND p.kind = %s"
        if not all_sites:
            where += (
                " AND EXISTS (SELECT 1 FROM core_user_sites us"
                " WHERE us.user_id = %s AND us.site_id = p.site_id)"
            )
    household_scope = "1"
    if not all_sites:
        household_scope = (
            "(SELECT 1 FROM core_user_sites hs WHERE hs.user_id = %s AND hs.site_id = h.site_id)"
        )
    return (
        "SELECT p.site_id, cy.programme_id, cy.status,"
        " rc.id, rc.code, rc.household_id, rc.programme_id, rc.status, h.site_id,"
        f" h.status, {household_scope},"
        " (SELECT 1 FROM assistance_redemption r WHERE r.cycle_id = cy.id"
        "  AND r.household_id = rc.household_id AND r.double_of_id IS NULL LIMIT 1),"
        " (SELECT 1 FROM assistance_dayclose d WHERE d.cycle_id = cy.id AND d.point_id = p.id"
        "  AND d.day = %s),"
        " (SELECT 1 FROM assistance_cycle_sites s WHERE s.cycle_id = cy.id"
        "  AND s.site_id = h.site_id),"
        " a.id, a.served, a.point_id, a.day,"
        " (SELECT COUNT(*) FROM registry_person m WHERE m.household_id = rc.household_id"
        "  AND m.merged_into_id IS NULL),"
        f" (SELECT {needs} FROM registry_specificneed n"
        "  JOIN registry_person m ON m.id = n.person_id"
        "  WHERE m.household_id = rc.household_id AND m.merged_into_id IS NULL),"
        f" (SELECT {rules} FROM assistance_entitlementrule er"
        "  JOIN assistance_commodity co ON co.id = er.commodity_id"
        "  WHERE er.programme_id = cy.programme_id)"
        " FROM assistance_stocklocation p"
        " JOIN assistance_cycle cy ON cy.id = %s"
        f"{scope}"
        " LEFT JOIN assistance_rationcard rc ON rc.code = %s AND rc.programme_id = cy.programme_id"
        " LEFT JOIN registry_household h ON h.id = rc.household_id"
        " LEFT JOIN assistance_allocation a ON a.cycle_id = cy.id"
        "  AND a.household_id = rc.household_id"
        f"{where}"
    )


def _facts(
    point_id, cycle_id, typed: str, day: dt.date, user: User | None, *, scoped: bool = True
) -> _Facts | None:
    """Everything a scan or a give reads, in one statement; None when there is no such point
    and cycle (when `scoped`: none the user may work at, as access.get_point_for_user and
    get_cycle_for_point would have it). A card whose household is not at one of the user's
    sites reads as no card at all."""
    scoped = scoped and user is not None
    all_sites = user is None or user.all_sites
    sql = _facts_sql(connection.vendor, scoped, all_sites)
    pk = Redemption._meta.pk
    params = [] if all_sites else [user.pk]
    params += [
        connection.ops.adapt_datefield_value(day),
        pk.get_db_prep_value(cycle_id, connection),
        clean_reference(typed or ""),
        pk.get_db_prep_value(point_id, connection),
    ]
    if scoped:
        params.append(StockLocation.Kind.POINT)
        if not all_sites:
            params.append(user.pk)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (site_id, programme_id, cycle_status, card_id, code, household_id, card_programme_id) = row[:7]
    (card_status, household_site_id, household_status, in_scope) = row[7:11]
    (previous, closed, in_cycle) = row[11:14]
    (allocation_id, served, allocation_point_id, allocation_day, size, needs, rules) = row[14:]
    card = household = None
    if card_id is not None and in_scope is not None:
        household = Household.from_db(
            connection.alias,
            ["id", "site_id", "status"],
            [_uuid(household_id), _uuid(household_site_id), household_status],
        )
        card = RationCard.from_db(
            connection.alias,
            _CARD_FIELDS,
            [_uuid(card_id), code, household.pk, card_programme_id, card_status],
        )
        card.household = household
    return _Facts(
        site_id=_uuid(site_id),
        programme_id=programme_id,
        cycle_status=cycle_status,
        card=card,
        household=household,
        previous=previous is not None,
        day_closed=closed is not None,
        in_cycle=in_cycle is not None,
        allocation_id=allocation_id,
        allocation_here_today=bool(served)
        and _uuid(allocation_point_id) == _uuid(point_id)
        and str(allocation_day) == day.isoformat(),
        size=size or 0,
        needs=set(needs.split(",")) if needs else set(),
        rules_key=rules,
    )


class _Programme:
    """A programme's rules with their commodities, and the entitlements computed from them (by
    language, household size and needs: a camp has a few dozen distinct ones)."""

    def __init__(self, key: str | None, rules: list[EntitlementRule]):
        self.key, self.rules = key, rules
        self.commodity_ids = {rule.commodity.code: rule.commodity_id for rule in rules}
        self.computed: dict = {}

    def entitlement(self, size: int, needs: set[str]) -> Entitlement:
        key = (get_language(), size, frozenset(needs))
        found = self.computed.get(key)
        if found is None:
            if len(self.computed) > 1000:
                self.computed.clear()
            found = self.computed[key] = entitlement_compute(self.rules, size, needs)
        return Entitlement(dict(found.items), list(found.explanation))


_PROGRAMMES: dict = {}


def _programme(programme_id, key: str | None) -> _Programme:
    """A programme's rules, kept per process under the fingerprint the facts statement read
    (every column of every rule and of its commodity): a rule or a commodity changed anywhere
    changes the fingerprint, and the next scan reads them anew."""
    cached = _PROGRAMMES.get(programme_id)
    if cached is not None and cached.key == key:
        return cached
    rules = list(
        EntitlementRule.objects.filter(programme_id=programme_id)
        .select_related("commodity")
        .order_by("pk")
    )
    if len(_PROGRAMMES) > 100:
        _PROGRAMMES.clear()
    cached = _PROGRAMMES[programme_id] = _Programme(key, rules)
    return cached


def _outcome(facts: _Facts, cycle_id, now: dt.datetime) -> ScanResult:
    """What the card may get now (the checks of a scan and of a give, in their order)."""
    card = facts.card
    if card is None:
        return ScanResult(ScanLog.Outcome.UNKNOWN, _("Unknown card."))
    if card.status == RationCard.Status.REVOKED:
        return ScanResult(
            ScanLog.Outcome.REVOKED,
            _("This card was revoked. Ask the household to the help desk."),
            card=card,
        )
    household_status = facts.household.status
    if card.status != RationCard.Status.ACTIVE or household_status != Household.Status.PRESENT:
        return ScanResult(
            ScanLog.Outcome.NOT_PRESENT, not_present_message(household_status), card=card
        )
    if facts.previous:
        return _already(cycle_id, card)
    if facts.day_closed:
        return ScanResult(
            ScanLog.Outcome.NOT_SCHEDULED, _("The day is closed at this point."), card=card
        )
    if facts.cycle_status != Cycle.Status.OPEN or not facts.in_cycle:
        return ScanResult(
            ScanLog.Outcome.NOT_SCHEDULED, _("This household is not in this cycle."), card=card
        )
    if facts.allocation_id is not None and not facts.allocation_here_today:
        # Read only for the refusal, which shows the schedule: a card scheduled here today
        # needs nothing more from its allocation.
        allocation = Allocation.objects.get(pk=_uuid(facts.allocation_id))
        return ScanResult(
            ScanLog.Outcome.NOT_SCHEDULED,
            schedule_message(allocation),
            card=card,
            allocation=allocation,
        )
    return ScanResult(ScanLog.Outcome.SHOWN, card=card, household=facts.household)


def _already(cycle_id, card: RationCard) -> ScanResult:
    previous = Redemption.objects.select_related("point", "operator").get(
        cycle_id=cycle_id, household_id=card.household_id, double_of=None
    )
    return ScanResult(
        ScanLog.Outcome.ALREADY, already_message(previous), card=card, previous=previous
    )


def _scoped_facts(actor: User, point_id, cycle_id, typed: str, day: dt.date) -> _Facts | None:
    require(actor, Capability.DISTRIBUTE)  # an inactive user may do nothing (User.can)
    return _facts(point_id, cycle_id, typed, day, actor)


def scan_at(*, actor: User, point_id, cycle_id, typed: str) -> ScanResult | None:
    """What the screen shows after a scan, before the operator presses Give: for a point and
    cycle by id, checked against the actor's role and sites in the same statement; None when
    the actor may not work there (a 404)."""
    now = timezone.localtime()
    facts = _scoped_facts(actor, point_id, cycle_id, typed, now.date())
    if facts is None:
        return None
    return _scan(actor, point_id, cycle_id, typed, facts, now)


def _scan(actor, point_id, cycle_id, typed, facts: _Facts | None, now) -> ScanResult:
    if facts is None:
        raise LookupError("no such point or cycle")
    result = _outcome(facts, cycle_id, now)
    if result.outcome == ScanLog.Outcome.SHOWN:
        result.size = facts.size
        programme = _programme(facts.programme_id, facts.rules_key)
        result.entitlement = programme.entitlement(facts.size, facts.needs)
        result.head = facts.household.members.filter(relationship=Person.HEAD).first()
    _log(actor, point_id, cycle_id, typed, result.card, result.outcome)
    return result


def not_present_message(status: str) -> str:
    if status == Household.Status.DEPARTED:
        return _("This household has departed: its card is suspended. Nothing is given.")
    if status == Household.Status.MERGED:
        return _(
            "This household was merged into another as a duplicate: its card is suspended."
            " Nothing is given."
        )
    if status == Household.Status.PRESENT:
        return _("This card is suspended. Ask the household to the help desk.")
    label = dict(Household.Status.choices).get(status, status)
    return _("This household is not present (%(status)s): its card is suspended.") % {
        "status": label
    }


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
    """Give a household its entitlement for the cycle, exactly once under any concurrency (for
    a caller that has checked the point and cycle; the household is still checked against the
    actor's sites)."""
    now = now or timezone.localtime()
    facts = _facts(point.pk, cycle.pk, typed, now.date(), actor, scoped=False)
    return _give(actor, point.pk, cycle.pk, typed, facts, now)


def redemption_at(
    *, actor: User, point_id, cycle_id, typed: str, now: dt.datetime | None = None
) -> ScanResult | None:
    """redemption_record for a point and cycle by id, checked against the actor's role and
    sites in the same statement; None when the actor may not work there (a 404)."""
    now = now or timezone.localtime()
    facts = _scoped_facts(actor, point_id, cycle_id, typed, now.date())
    if facts is None:
        return None
    return _give(actor, point_id, cycle_id, typed, facts, now)


def _give(actor, point_id, cycle_id, typed, facts: _Facts | None, now) -> ScanResult:
    if facts is None:
        raise LookupError("no such point or cycle")
    result = _outcome(facts, cycle_id, now)
    card = result.card
    if result.outcome != ScanLog.Outcome.SHOWN:
        _log(actor, point_id, cycle_id, typed, card, result.outcome)
        return result
    programme = _programme(facts.programme_id, facts.rules_key)
    entitlement = programme.entitlement(facts.size, facts.needs)
    commodity_ids = programme.commodity_ids
    redemption = Redemption(
        cycle_id=cycle_id,
        household_id=card.household_id,
        card=card,
        point_id=point_id,
        at=now,
        operator=actor,
        items={k: str(v) for k, v in entitlement.items.items()},
    )
    entries = [
        StockEntry(
            location_id=point_id,
            commodity_id=commodity_ids[code],
            quantity=-quantity,
            kind=StockEntry.Kind.DISTRIBUTION,
            redemption=redemption,
            recorded_by=actor,
            at=now,
        )
        for code, quantity in entitlement.items.items()
    ]
    scan = _scan_log(actor, point_id, cycle_id, typed, card, ScanLog.Outcome.GIVEN, now)
    try:
        with transaction.atomic():
            objects_insert([redemption], entries, [scan])
            redemption_recorded.send(Redemption, redemption=redemption, entries=entries, scan=scan)
    except IntegrityError:
        result = _already(cycle_id, card)
        _log(actor, point_id, cycle_id, typed, card, ScanLog.Outcome.ALREADY)
        return result
    return ScanResult(
        ScanLog.Outcome.GIVEN,
        _("Given."),
        card=card,
        household=facts.household,
        entitlement=entitlement,
        redemption=redemption,
        size=facts.size,
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
