"""Applying what field nodes recorded offline: redemptions, scans and stock entries.

Rows arrive with the ids the node gave them (UUIDv7), so applying one twice is a no-op, and in
any order: a redemption's place as "first" or "double" is decided from all the redemptions of
its household and cycle each time one arrives (earliest `at`, then smallest id), so every
database that holds the same redemptions flags the same ones, whatever order they came in.
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from mawa.assistance.models import DayClose, RationCard, Redemption, ScanLog, StockEntry
from mawa.core import sync
from mawa.core.audit import audit_record
from mawa.core.bulk import ids_here, rows_insert
from mawa.core.models import AuditEvent, User


def _when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def redemptions_apply(rows: list[dict], *, recorded_on: str) -> int:
    """Store nodes' redemptions and their stock entries, skipping any already here, and flag
    doubles; a batch at a time (a bundle holds thousands). Returns how many were new."""
    ids = [row["id"] for row in rows]
    have = ids_here(Redemption, ids)
    by_id = {row["id"]: _redemption(row, recorded_on) for row in rows if row["id"] not in have}
    new = list(by_id.values())
    if not new:
        return 0
    _place(new)
    rows_insert(
        StockEntry,
        [
            "id",
            "location",
            "commodity",
            "quantity",
            "kind",
            "redemption",
            "recorded_by",
            "at",
            "note",
        ],
        [
            (
                uuid.UUID(entry["id"]),
                by_id[row["id"]].point_id,
                entry["commodity"],
                Decimal(entry["quantity"]),
                StockEntry.Kind.DISTRIBUTION.value,
                by_id[row["id"]].pk,
                row.get("operator"),
                by_id[row["id"]].at,
                "",
            )
            for row in rows
            if row["id"] in by_id
            for entry in row["entries"]
        ],
    )
    return len(new)


REDEMPTION_ATTRIBUTES = [
    "id",
    "cycle_id",
    "household_id",
    "card_id",
    "point_id",
    "items",
    "at",
    "operator_id",
    "recorded_on",
    "double_of_id",
    "review_note",
]


def _redemption(row: dict, recorded_on: str) -> Redemption:
    return Redemption(
        id=uuid.UUID(row["id"]),
        cycle_id=uuid.UUID(row["cycle"]),
        household_id=uuid.UUID(row["household"]),
        card_id=uuid.UUID(row["card"]),
        point_id=uuid.UUID(row["point"]),
        items=row["items"],
        at=_when(row["at"]),
        operator_id=row.get("operator"),
        recorded_on=row.get("recorded_on") or recorded_on,
    )


def redemption_place(redemption: Redemption) -> None:
    """Insert one redemption made elsewhere (a node learning who collected at other places),
    settling which of its household's redemptions in the cycle is first."""
    _place([redemption])


def _place(new: list[Redemption]) -> None:
    """Insert redemptions not yet here. With those already here for the same household and
    cycle, the earliest (then smallest id) is the one and every other points to it."""
    groups: dict[tuple, list[Redemption]] = {}
    for redemption in new:
        key = (str(redemption.cycle_id), str(redemption.household_id))
        groups.setdefault(key, []).append(redemption)
    here = Redemption.objects.filter(
        cycle_id__in={key[0] for key in groups}, household_id__in={key[1] for key in groups}
    ).only("id", "cycle_id", "household_id", "at", "double_of_id")
    for redemption in here:
        key = (str(redemption.cycle_id), str(redemption.household_id))
        if key in groups:
            groups[key].append(redemption)
    fresh = {str(r.pk) for r in new}
    for group in groups.values():
        group.sort(key=lambda r: (r.at, str(r.pk)))
        first = group[0]
        for redemption in group[1:]:
            if str(redemption.pk) in fresh:
                redemption.double_of_id = first.pk
            elif redemption.double_of_id != first.pk:
                # Flag what was here before inserting the new first (the unique constraint).
                Redemption.objects.filter(pk=redemption.pk).update(double_of=first.pk)
        first.double_of_id = None
        if str(first.pk) not in fresh:
            Redemption.objects.filter(pk=first.pk).exclude(double_of=None).update(double_of=None)
    rows_insert(
        Redemption,
        REDEMPTION_ATTRIBUTES,  # rows_insert takes attnames (cycle_id) as field names
        [tuple(getattr(r, name) for name in REDEMPTION_ATTRIBUTES) for r in new],
    )


def scans_apply(rows: list[dict]) -> int:
    ids = [row["id"] for row in rows]
    have = ids_here(ScanLog, ids)
    new = {row["id"]: row for row in rows if row["id"] not in have}
    return rows_insert(
        ScanLog,
        ["id", "at", "operator", "point", "cycle", "typed", "card", "outcome"],
        [
            (
                uuid.UUID(row["id"]),
                _when(row["at"]),
                row.get("operator"),
                uuid.UUID(row["point"]),
                uuid.UUID(row["cycle"]),
                row["typed"][:40],
                uuid.UUID(row["card"]) if row.get("card") else None,
                row["outcome"],
            )
            for row in new.values()
        ],
    )


def stock_entries_apply(rows: list[dict]) -> int:
    have = ids_here(StockEntry, [r["id"] for r in rows])
    new = {
        row["id"]: StockEntry(
            id=row["id"],
            location_id=row["location"],
            commodity_id=row["commodity"],
            quantity=Decimal(row["quantity"]),
            kind=row["kind"],
            note=row.get("note", "")[:200],
            at=_when(row["at"]),
            recorded_by_id=row.get("recorded_by"),
        )
        for row in rows
        if row["id"] not in have
    }
    StockEntry.objects.bulk_create(new.values(), batch_size=500)
    return len(new)


def redemption_data(redemption: Redemption, entries) -> dict:
    """A redemption and its stock entries as an event payload (what redemption_apply reads)."""
    return {
        "id": str(redemption.pk),
        "cycle": str(redemption.cycle_id),
        "household": str(redemption.household_id),
        "card": str(redemption.card_id),
        "point": str(redemption.point_id),
        "items": redemption.items,
        "at": redemption.at.isoformat(),
        "operator": redemption.operator_id,
        "recorded_on": redemption.recorded_on,
        "entries": [
            {"id": str(e.pk), "commodity": e.commodity_id, "quantity": str(e.quantity)}
            for e in entries
        ],
    }


def scan_data(scan: ScanLog) -> dict:
    return {
        "id": str(scan.pk),
        "at": scan.at.isoformat(),
        "operator": scan.operator_id,
        "point": str(scan.point_id),
        "cycle": str(scan.cycle_id),
        "typed": scan.typed,
        "card": str(scan.card_id) if scan.card_id else None,
        "outcome": scan.outcome,
    }


def stock_entry_data(entry: StockEntry) -> dict:
    return {
        "id": str(entry.pk),
        "location": str(entry.location_id),
        "commodity": entry.commodity_id,
        "quantity": str(entry.quantity),
        "kind": entry.kind,
        "note": entry.note,
        "at": entry.at.isoformat(),
        "recorded_by": entry.recorded_by_id,
    }


def card_data(card: RationCard) -> dict:
    return {
        "id": str(card.pk),
        "code": card.code,
        "household": str(card.household_id),
        "programme": card.programme_id,
        "status": card.status,
        "replaces": str(card.replaces_id) if card.replaces_id else None,
        "issued_at": card.issued_at.isoformat(),
        "revoked_at": card.revoked_at.isoformat() if card.revoked_at else None,
        "alternates": [[str(a.pk), a.name, a.relation] for a in card.alternates.all()],
    }


def dayclose_data(close: DayClose) -> dict:
    return {
        "id": str(close.pk),
        "cycle": str(close.cycle_id),
        "point": str(close.point_id),
        "day": close.day.isoformat(),
        "figures": close.figures,
        "closed_by": close.closed_by_id,
    }


def review_data(redemption: Redemption) -> dict:
    return {
        "redemption": str(redemption.pk),
        "at": redemption.reviewed_at.isoformat(),
        "by": redemption.reviewed_by_id,
        "note": redemption.review_note,
    }


def double_review(*, actor: User, redemption: Redemption, note: str) -> Redemption:
    redemption.reviewed_at, redemption.reviewed_by = timezone.now(), actor
    redemption.review_note = note[:300]
    redemption.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    sync.emit(lambda: [("review", review_data(redemption))])
    audit_record(
        actor=actor, action=AuditEvent.Action.CHANGE, obj=redemption, summary={"reviewed": note}
    )
    return redemption
