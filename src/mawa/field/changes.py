"""Headquarters' change feed: which manifest rows changed, so that a sync brings only those.

Recomputing a node's whole manifest for every bundle costs about a second per 2,000 households:
fine for tens of nodes, not for a national operation. Instead, database triggers on every table
a manifest part reads (and its many-to-many tables) append (model, key) to `field_change` on
each insert, update and delete: whatever wrote the row (a service, an import's plain INSERTs,
the admin, a raw UPDATE). A node's bundle then looks only at the changes after its cursor: the
changed rows its parts select are compared with the digests sent before, a row that left its
scope is sent as gone, and rows that follow a changed parent (the members of a household that
moved) are looked at too. A sync with nothing new reads one index entry.

Triggers are written by hand because no library does this on both SQLite and PostgreSQL; they
are (re)installed after every `migrate` from the registered parts, and removed on a node (a
node needs no feed).

On PostgreSQL a change's number is given when its row is written, not when its transaction
commits, so a change committed late could fall behind a cursor already past it. The cursor
therefore stops before any change written since the oldest transaction still writing began
(less a margin); those are looked at again next time (cheaply: their digests already match).
SQLite has one writer at a time, so its numbers come in commit order. A node's whole manifest
is still recomputed every MAWA_MANIFEST_FULL_SECONDS as a safety net.
"""

import datetime as dt

from django.db import connection, connections
from django.db.models import Max
from django.utils import timezone

from mawa.core import sync
from mawa.field.models import Change, Node

MARGIN = dt.timedelta(seconds=5)
TABLE = Change._meta.db_table


def _watched() -> list[tuple[str, str, str]]:
    """(table, model label, key column) for every table the registered parts read."""
    found: dict[str, tuple[str, str, str]] = {}
    for part in sync.PARTS:
        model = part.model
        label = model._meta.label_lower
        found[model._meta.db_table] = (model._meta.db_table, label, model._meta.pk.column)
        if part.m2m:
            through = getattr(model, part.m2m[0]).through
            column = through._meta.get_field(model._meta.model_name).column
            found[through._meta.db_table] = (through._meta.db_table, label, column)
    return sorted(found.values())


def triggers_install(using=None) -> None:
    """Create (or re-create) the feed's triggers on every watched table."""
    db = connections[using] if using else connection
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION mawa_change() RETURNS trigger AS $$ BEGIN "
                f"INSERT INTO {quote(TABLE)} (label, record, at) VALUES (TG_ARGV[0], "
                "to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[1], "
                "clock_timestamp()); RETURN NULL; END $$ LANGUAGE plpgsql"
            )
        for table, label, column in _watched():
            if db.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS mawa_change ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER mawa_change AFTER INSERT OR UPDATE OR DELETE ON "
                    f"{quote(table)} FOR EACH ROW EXECUTE FUNCTION mawa_change('{label}', "
                    f"'{column}')"
                )
                continue
            for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                name = quote(f"mawa_change_{table}_{operation.lower()}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER {operation} ON {quote(table)} BEGIN "
                    f"INSERT INTO {quote(TABLE)} (label, record, at) VALUES ('{label}', "
                    f"{row}.{quote(column)}, strftime('%Y-%m-%d %H:%M:%f', 'now')); END"
                )


def triggers_remove() -> None:
    """No feed on a node: its triggers go, and what they wrote."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, _label, _column in _watched():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS mawa_change ON {quote(table)}")
                continue
            for operation in ("insert", "update", "delete"):
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {quote(f'mawa_change_{table}_{operation}')}"
                )
    Change.objects.all().delete()


def settled() -> int:
    """The newest change before the horizon: where a cursor may stand after a full look."""
    return Change.objects.filter(at__lt=_horizon()).aggregate(n=Max("pk"))["n"] or 0


def touch(label: str, records) -> None:
    """Rows to look at again though they did not change here (a node's edit that lost)."""
    now = timezone.now()
    Change.objects.bulk_create(Change(label=label, record=str(r), at=now) for r in records)


def newest() -> int:
    return Change.objects.aggregate(n=Max("pk"))["n"] or 0


def _horizon():
    """Changes written before this time belong to finished transactions."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        return now
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity"
            " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        (oldest,) = cursor.fetchone()
    return min(now, oldest) - MARGIN if oldest is not None else now - MARGIN


def since(cursor: int) -> tuple[dict[str, set[str]], int]:
    """The keys changed after `cursor`, by model label, and the new cursor (the newest change
    before the horizon: later ones are looked at again next time)."""
    rows = list(Change.objects.filter(pk__gt=cursor).values_list("pk", "label", "record", "at"))
    changed: dict[str, set[str]] = {}
    settled = cursor
    if not rows:
        return changed, settled
    horizon = _horizon()
    recent = False
    for number, label, key, at in rows:
        changed.setdefault(label, set()).add(_key(key))
        if not recent and at is not None and at <= horizon:
            settled = number
        else:
            recent = True
    return changed, settled


def _key(text: str) -> str:
    """A key as the manifest writes it (a UUID with dashes; SQLite stores 32 hex digits)."""
    if len(text) == 32 and "-" not in text:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def prune() -> int:
    """Changes every active node has read (or every change, when there is no node) go."""
    lowest = Node.objects.filter(status=Node.Status.ACTIVE).order_by("changes_upto").first()
    upto = lowest.changes_upto if lowest is not None else newest()
    return Change.objects.filter(pk__lte=upto).delete()[0]
