"""Assistance's part in field-node sync (mawa.core.sync), registered by AssistanceConfig.ready.

- Role **distribution**: a distribution point. It holds its cycles, programmes, rules and
  points, the households of its sites with their members' names (for display: the operator
  checks who collects) and only the specific-need codes its programmes' rules use (they set
  entitlements), their cards, the schedule and who collected elsewhere. Nothing more: no
  documents, phones, birth dates, origins or other need codes.
- Kinds **redemption**, **scan**, **stock** (a distribution point's day), **dayclose** (the
  day closed at the point) and **review** (a served-twice review); **card** (a card issued or
  replaced at a camp office, with its alternate collectors).

The rows arrive with the ids the node gave them (UUIDv7), so applying one twice is a no-op.
"""

import datetime as dt

from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.assistance import offline
from mawa.assistance.models import (
    Allocation,
    AlternateCollector,
    Commodity,
    Cycle,
    DayClose,
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
from mawa.core.bulk import ids_here
from mawa.core.models import Site, User
from mawa.registry.models import Household, Person, SpecificNeed

DISTRIBUTION = "distribution"
OFFICE = "office"
POINT = frozenset({DISTRIBUTION})
CARDS = frozenset({OFFICE})

sync.register_role(DISTRIBUTION, _("Distribution point"), needs=("sites", "cycles", "points"))


def _when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


# --- what a node sends --------------------------------------------------------------------------


def _redemptions_check(rows: list[dict], scope: sync.Scope) -> bool:
    """A node writes at headquarters only for its cycles and its points, and for households
    that exist. (Not only those still at its sites: a household transferred at headquarters
    while the node was offline was served there all the same, and refusing the bundle would
    stop everything the node sends after it.)"""
    households = {row["household"] for row in rows}
    return all(
        row["cycle"] in scope.cycles and row["point"] in scope.points for row in rows
    ) and Household.objects.filter(pk__in=households).count() == len(households)


def _scans_check(rows: list[dict], scope: sync.Scope) -> bool:
    return all(row["cycle"] in scope.cycles and row["point"] in scope.points for row in rows)


def _stock_check(rows: list[dict], scope: sync.Scope) -> bool:
    return all(row["location"] in scope.points for row in rows)


for kind in (
    sync.Kind(
        "stock", POINT, lambda rows, scope: offline.stock_entries_apply(rows), _stock_check, 30
    ),
    sync.Kind(
        "redemption",
        POINT,
        lambda rows, scope: offline.redemptions_apply(rows, recorded_on=scope.name),
        _redemptions_check,
        40,
    ),
    sync.Kind("scan", POINT, lambda rows, scope: offline.scans_apply(rows), _scans_check, 41),
):
    sync.register_kind(kind)


@receiver(redemption_recorded)
def _redemption_to_event(sender, redemption, entries, scan, **kwargs):
    sync.emit(
        lambda: [
            ("redemption", offline.redemption_data(redemption, entries)),
            ("scan", offline.scan_data(scan)),
        ]
    )


@receiver(scan_logged)
def _scan_to_event(sender, scan, **kwargs):
    sync.emit(lambda: [("scan", offline.scan_data(scan))])


@receiver(stock_recorded)
def _stock_to_event(sender, entry, **kwargs):
    sync.emit(lambda: [("stock", offline.stock_entry_data(entry))])


# Day close and the served-twice review.


def _daycloses_apply(rows: list[dict], scope: sync.Scope) -> None:
    """A day closed at a node: kept once per point and day (the first to arrive is the
    record; a second close of the same day, from a replayed bundle or a second laptop, is
    not a new fact)."""
    have = ids_here(DayClose, [row["id"] for row in rows])
    users = set(
        User.objects.filter(pk__in=[r["closed_by"] for r in rows]).values_list("pk", flat=True)
    )
    for row in rows:
        if (
            row["id"] in have
            or DayClose.objects.filter(
                cycle_id=row["cycle"], point_id=row["point"], day=row["day"]
            ).exists()
        ):
            continue
        DayClose.objects.create(
            id=row["id"],
            cycle_id=row["cycle"],
            point_id=row["point"],
            day=row["day"],
            figures=row["figures"],
            closed_by_id=row["closed_by"] if row["closed_by"] in users else None,
        )


def _reviews_check(rows: list[dict], scope: sync.Scope) -> bool:
    ids = {row["redemption"] for row in rows}
    found = Redemption.objects.filter(pk__in=ids).filter(
        Q(point__in=list(scope.points)) | Q(cycle__in=list(scope.cycles))
    )
    return found.count() == len(ids)


def _reviews_apply(rows: list[dict], scope: sync.Scope) -> None:
    """The later review (by the time of its write) wins; an earlier one changes nothing."""
    for row in sorted(rows, key=lambda r: r["__clock"]):
        at = _when(row["at"])
        Redemption.objects.filter(pk=row["redemption"]).filter(
            Q(reviewed_at=None) | Q(reviewed_at__lte=at)
        ).update(
            reviewed_at=at,
            reviewed_by_id=row["by"] if User.objects.filter(pk=row["by"]).exists() else None,
            review_note=row["note"][:300],
        )


def _daycloses_check(rows: list[dict], scope: sync.Scope) -> bool:
    return _scans_check(rows, scope)


sync.register_kind(sync.Kind("dayclose", POINT, _daycloses_apply, _daycloses_check, 45))
sync.register_kind(sync.Kind("review", POINT | CARDS, _reviews_apply, _reviews_check, 46))


# Cards issued at a camp office.


def _cards_check(rows: list[dict], scope: sync.Scope) -> bool:
    households = {row["household"] for row in rows}
    inside = Household.objects.filter(pk__in=households, site__in=scope.site_ids())
    return inside.count() == len(households)


def _cards_apply(rows: list[dict], scope: sync.Scope) -> None:
    """Cards issued or revoked at an office. Two places may each issue a household an active
    card for one programme while apart: the first issued (then the smaller id) stays active,
    the other is revoked, the same wherever the cards arrive first."""
    for row in rows:
        card = RationCard.objects.filter(pk=row["id"]).first()
        if card is None:
            card = RationCard(
                id=row["id"],
                code=row["code"],
                household_id=row["household"],
                programme_id=row["programme"],
                replaces_id=row["replaces"],
                issued_at=_when(row["issued_at"]),
                status=RationCard.Status.REVOKED,  # settled below
            )
            card.save(force_insert=True)
        keep = [pk for pk, _name, _relation in row["alternates"]]
        AlternateCollector.objects.filter(card=card).exclude(pk__in=keep).delete()
        have = ids_here(AlternateCollector, keep)
        AlternateCollector.objects.bulk_create(
            AlternateCollector(id=pk, card=card, name=name, relation=relation)
            for pk, name, relation in row["alternates"]
            if pk not in have
        )
        if row["status"] == RationCard.Status.SUSPENDED:
            RationCard.objects.filter(pk=card.pk).update(status=RationCard.Status.SUSPENDED)
            continue
        if row["status"] == RationCard.Status.REVOKED:
            RationCard.objects.filter(pk=card.pk).update(
                status=RationCard.Status.REVOKED,
                revoked_at=_when(row["revoked_at"]) if row["revoked_at"] else timezone.now(),
            )
            continue
        _settle_active(card.household_id, card.programme_id, candidate=card.pk)


def _settle_active(household_id, programme_id, *, candidate) -> None:
    cards = list(
        RationCard.objects.filter(household_id=household_id, programme_id=programme_id)
        .filter(Q(status=RationCard.Status.ACTIVE) | Q(pk=candidate))
        .order_by("issued_at", "pk")
    )
    first, *others = cards
    RationCard.objects.filter(pk__in=[c.pk for c in others]).exclude(
        status=RationCard.Status.REVOKED
    ).update(status=RationCard.Status.REVOKED, revoked_at=timezone.now())
    if first.status != RationCard.Status.ACTIVE:
        RationCard.objects.filter(pk=first.pk).update(
            status=RationCard.Status.ACTIVE, revoked_at=None
        )


sync.register_kind(sync.Kind("card", CARDS, _cards_apply, _cards_check, 35))


# --- what a node holds --------------------------------------------------------------------------


def _programmes(scope: sync.Scope):
    return Cycle.objects.filter(pk__in=list(scope.cycles)).values("programme_id")


def _households(scope: sync.Scope):
    return Household.objects.filter(site__in=scope.site_ids())


def _members(scope: sync.Scope):
    return Person.objects.filter(household__site__in=scope.site_ids(), merged_into=None)


def _needs_used(scope: sync.Scope):
    """Only the need codes the node's programmes' rules use: they set entitlements."""
    codes = EntitlementRule.objects.filter(
        programme__in=_programmes(scope), basis=EntitlementRule.Basis.NEED
    ).values("need")
    return SpecificNeed.objects.filter(
        person__household__site__in=scope.site_ids(), person__merged_into=None, code__in=codes
    )


def _redemptions_elsewhere(scope: sync.Scope):
    """Who already collected elsewhere (the node's own redemptions it has already)."""
    return Redemption.objects.filter(
        cycle__in=list(scope.cycles), double_of=None, household__site__in=scope.site_ids()
    ).exclude(recorded_on=scope.name)


def _points(scope: sync.Scope):
    elsewhere = _redemptions_elsewhere(scope).order_by().values("point_id").distinct()
    return StockLocation.objects.filter(Q(pk__in=list(scope.points)) | Q(pk__in=elsewhere))


def _cards(scope: sync.Scope):
    return RationCard.objects.filter(
        household__site__in=scope.site_ids(), programme__in=_programmes(scope)
    )


def _redemption_on_node(model, objects, rows, keep=None) -> None:
    """Served elsewhere: may be a double of one given here."""
    for obj, row in zip(objects, rows, strict=True):
        values = {name: getattr(obj, name) for name in row["f"]}
        if not Redemption.objects.filter(pk=obj.pk).update(**values):
            offline.redemption_place(obj)


NAMES = tuple(
    f"{part}_name_{script}"
    for script in ("ar", "lat")
    for part in ("given", "father", "grandfather", "family")
)
OFFICE_CARDS = frozenset({OFFICE})
for part in (
    sync.Part(
        Commodity,
        ("name_en", "name_ar", "name_ckb", "code", "unit"),
        lambda s: Commodity.objects.all(),
        POINT | OFFICE_CARDS,
        40,
    ),
    sync.Part(
        Programme,
        ("name_en", "name_ar", "name_ckb", "code"),
        lambda scope: (
            Programme.objects.filter(pk__in=_programmes(scope))
            if DISTRIBUTION in scope.roles and OFFICE not in scope.roles
            else Programme.objects.all()
        ),
        POINT | OFFICE_CARDS,
        50,
    ),
    sync.Part(
        EntitlementRule,
        ("programme", "basis", "commodity", "quantity", "min_size", "max_size", "need"),
        lambda scope: EntitlementRule.objects.filter(programme__in=_programmes(scope)),
        POINT,
        60,
    ),
    sync.Part(
        Cycle,
        ("programme", "name", "starts", "ends", "status"),
        lambda scope: Cycle.objects.filter(pk__in=list(scope.cycles)),
        POINT,
        70,
        m2m=("sites", Site),
    ),
    sync.Part(StockLocation, ("name", "kind", "site"), _points, POINT, 80),
    sync.Part(
        Household,
        ("reference", "site", "status", "arrival_date", "consent_date"),
        _households,
        POINT,
        90,
    ),
    sync.Part(
        Person,
        ("household", "relationship", "sex", *NAMES),
        _members,
        POINT,
        100,
        follows=("household",),
    ),
    sync.Part(
        SpecificNeed,
        ("person", "code"),
        _needs_used,
        POINT,
        110,
        follows=("person", "person__household"),
    ),
    sync.Part(
        RationCard,
        ("code", "household", "programme", "status", "issued_at", "revoked_at"),
        _cards,
        POINT,
        120,
        follows=("household",),
    ),
    sync.Part(
        RationCard,
        ("code", "household", "programme", "status", "issued_at", "revoked_at"),
        lambda scope: RationCard.objects.filter(household__site__in=scope.site_ids()),
        OFFICE_CARDS,
        120,
        follows=("household",),
    ),
    sync.Part(
        AlternateCollector,
        ("card", "name", "relation"),
        lambda scope: AlternateCollector.objects.filter(card__household__site__in=scope.site_ids()),
        POINT | OFFICE_CARDS,
        130,
        follows=("card", "card__household"),
    ),
    sync.Part(
        Allocation,
        (
            "cycle",
            "point",
            "household",
            "rank",
            "score",
            "reason",
            "served",
            "day",
            "slot_start",
            "lane",
            "planned_date",
        ),
        lambda scope: Allocation.objects.filter(
            cycle__in=list(scope.cycles), household__site__in=scope.site_ids()
        ),
        POINT,
        140,
        follows=("household",),
    ),
    sync.Part(
        Redemption,
        ("cycle", "household", "card", "point", "items", "at", "recorded_on"),
        _redemptions_elsewhere,
        POINT,
        150,
        on_node=_redemption_on_node,
        follows=("household",),
    ),
):
    sync.register_part(part)

for model, fields in (
    (Redemption, ("cycle_id", "household_id", "point_id", "at", "double_of_id", "review_note")),
    (StockEntry, ("location_id", "quantity", "kind")),
    (ScanLog, ("outcome", "card_id")),
    (RationCard, ("household_id", "programme_id", "status")),
    (AlternateCollector, ("card_id", "name")),
    (DayClose, ("cycle_id", "point_id", "day")),
):
    sync.register_hashed(model, fields)

# Pages: the point's day on distribution nodes; cards at offices; planning, stock movements
# between places and card printing for a whole cycle at headquarters.
sync.node_pages(
    "assistance:point_list",
    "assistance:screen",
    "assistance:scan",
    "assistance:give",
    "assistance:tally",
    "assistance:report",
    "assistance:report_csv",
    "assistance:report_xlsx",
    "assistance:close",
    "assistance:stock",
    "assistance:stock_move",
    "assistance:doubles",
    "assistance:double_review",
    "api:redemption_create",
    roles=[DISTRIBUTION],
)
sync.node_pages(
    "assistance:household_cards",
    "assistance:card_pdf",
    roles=[DISTRIBUTION, OFFICE],
)
sync.node_pages(
    "assistance:card_issue",
    "assistance:card_replace",
    "assistance:card_alternates",
    roles=[OFFICE],
)
sync.node_closed(
    "assistance:cycle_list",
    "assistance:cycle_detail",
    "assistance:cycle_issue_cards",
    "assistance:cycle_cards_pdf",
    "assistance:cycle_plan_csv",
    "assistance:stock_dispatch",
    "assistance:stock_receive",
)
