"""What a field node holds: the rows its work needs, and nothing more.

The apps say what (`mawa.core.sync.register_part`): for each node role, which rows of which
model and which of their fields. A distribution point gets its sites, cycles, rules, points,
the households of its sites with their members' names and the need codes that set an
entitlement, their cards, the schedule and who collected elsewhere; a camp office gets its
sites' households whole (documents, phones, birth dates, shelters, movements). Nothing else
leaves headquarters for a node.

Rows travel as {"m": model, "pk": key, "f": {field: value}} (or "gone": true). Headquarters
keeps a digest of every row it has sent each node (`ManifestDigest`), so after the package only
rows that changed are sent, as events; a node applies a row by upserting it (or as its part's
`on_node` says).
"""

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from operator import itemgetter

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from mawa.core import sync
from mawa.core.bulk import rows_insert
from mawa.field.models import ManifestDigest, Node


def _plain(value):
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def node_scope(node: Node) -> sync.Scope:
    """What a node serves, as the apps' manifest parts and kind checks read it."""
    return sync.Scope(
        node=str(node.pk),
        name=node.name,
        roles=frozenset(node.roles),
        sites=frozenset(str(pk) for pk in node.sites.values_list("pk", flat=True)),
        cycles=frozenset(str(pk) for pk in node.cycles.values_list("pk", flat=True)),
        points=frozenset(str(pk) for pk in node.points.values_list("pk", flat=True)),
        users=frozenset(node.users.values_list("pk", flat=True)),
    )


def _plan(scope: sync.Scope) -> list[tuple[type, list[str], object, tuple | None]]:
    """(model, fields, rows, m2m) for every model the node holds: the parts of its roles,
    merged by model (fields united, rows OR-ed), parents first."""
    merged: dict[type, list] = {}
    for part in sync.parts_for(scope.roles):
        entry = merged.get(part.model)
        rows = part.rows(scope)
        if entry is None:
            merged[part.model] = [part.model, list(part.fields), rows, part.m2m, part.rank]
        else:
            entry[1] += [name for name in part.fields if name not in entry[1]]
            entry[2] = entry[2] | rows
    return [tuple(entry[:4]) for entry in sorted(merged.values(), key=lambda e: e[4])]


def manifest_rows(node: Node):
    """Every row the node should hold now, parents first."""
    scope = node_scope(node)
    for model, fields, rows, m2m in _plan(scope):
        label = model._meta.label_lower
        attnames = [model._meta.get_field(name).attname for name in fields]
        extra = {}
        if m2m:
            through = getattr(model, m2m[0]).through
            source = f"{model._meta.model_name}_id"
            target = f"{m2m[1]._meta.model_name}_id"
            for owner, other in through.objects.filter(
                **{f"{model._meta.model_name}__in": rows}
            ).values_list(source, target):
                if str(other) in scope.sites:
                    extra.setdefault(owner, []).append(str(other))
        for row in rows.order_by("pk").values_list("pk", *attnames):
            values = {name: _plain(value) for name, value in zip(attnames, row[1:], strict=True)}
            if m2m:
                values[m2m[0]] = sorted(extra.get(row[0], []))
            yield {"m": label, "pk": _plain(row[0]), "f": values}


def _order() -> dict[str, int]:
    return {part.model._meta.label_lower: part.rank for part in sync.PARTS}


def _part(label: str) -> sync.Part | None:
    return next((p for p in sync.PARTS if p.model._meta.label_lower == label), None)


def digest(row: dict) -> str:
    text = json.dumps(row["f"], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def manifest_changes(node: Node) -> list[dict]:
    """The rows that changed (or went) since last sent to the node; records them as sent.

    Call inside the transaction that appends the events carrying them."""
    sent = dict(ManifestDigest.objects.filter(node=node).values_list("key", "digest"))
    changes, new_digests, seen = [], [], set()
    for row in manifest_rows(node):
        key = f"{row['m']}:{row['pk']}"
        seen.add(key)
        value = digest(row)
        if sent.get(key) != value:
            changes.append(row)
            new_digests.append(ManifestDigest(node=node, key=key, digest=value))
    gone = [key for key in sent if key not in seen]
    order = _order()
    for key in reversed(sorted(gone, key=lambda k: order.get(k.split(":")[0], 99))):
        label, pk = key.split(":", 1)
        changes.append({"m": label, "pk": pk, "gone": True})
    ManifestDigest.objects.filter(node=node, key__in=gone).delete()
    ManifestDigest.objects.bulk_create(
        new_digests,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["node", "key"],
        update_fields=["digest"],
    )
    return changes


# --- on the node --------------------------------------------------------------------------------


def _m2m(label: str) -> str | None:
    part = _part(label)
    return part.m2m[0] if part is not None and part.m2m else None


def _python(model, row: dict) -> dict:
    """The row's fields (keyed by attname, as `manifest_rows` sends them) as Python values."""
    values = {}
    m2m = _m2m(row["m"])
    for name, value in row["f"].items():
        if name == m2m:
            continue
        field = model._meta.get_field(name)  # an attname ("household_id") finds its field
        target = field.target_field if field.is_relation else field
        values[name] = None if value is None else target.to_python(value)
    return values


def _object(model, row: dict):
    pk_field = model._meta.pk
    return model(**{pk_field.attname: pk_field.to_python(row["pk"])}, **_python(model, row))


def _without(row: dict, names) -> dict:
    if not names:
        return row
    return {**row, "f": {k: v for k, v in row["f"].items() if k not in names}}


def _delete(model, pks) -> None:
    """Rows that left the node's scope; rows the node's own records still point to stay."""
    for pk in pks:
        try:
            with transaction.atomic():
                model.objects.filter(pk=pk).delete()
        except (ProtectedError, IntegrityError):
            continue


def _upsert(model, obj, row: dict, m2m: str | None) -> None:
    values = {name: getattr(obj, name) for name in row["f"] if name != m2m}
    if model.objects.filter(pk=obj.pk).update(**values):
        return
    obj.save(force_insert=True)


def _insert_fresh(model, rows: list[dict]) -> None:
    """Rows into an empty table as plain tuples (a node's start from its package): the
    manifest's fields as sent, every other column its default."""
    if not rows:
        return
    m2m = _m2m(rows[0]["m"])
    sent = [name for name in rows[0]["f"] if name != m2m]
    now = timezone.now()
    others = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in sent and f.name not in sent
    ]
    filler = tuple(
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in others
    )
    values = itemgetter(*sent) if len(sent) > 1 else (lambda f: (f[sent[0]],))
    rows_insert(
        model,
        [model._meta.pk.name, *sent, *(f.attname for f in others)],
        [(row["pk"], *values(row["f"]), *filler) for row in rows],
    )


@transaction.atomic
def rows_apply(rows: list[dict], *, fresh: bool = False, keep: dict | None = None) -> int:
    """Upsert (or delete) rows on a node; `fresh` (an empty database) inserts in bulk.

    `keep` ({person id: field names}) are fields edited here and not yet acknowledged by
    headquarters: they keep their local value until headquarters has merged the edit."""
    batches: dict[str, list[dict]] = {}
    for row in rows:
        batches.setdefault(row["m"], []).append(row)
    count, order = 0, _order()
    for label in sorted(batches, key=lambda name: order.get(name, 99)):
        model, part = apps.get_model(label), _part(label)
        upserts = [r for r in batches[label] if not r.get("gone")]
        if keep:  # fields of merged records edited here, not yet acknowledged
            upserts = [_without(row, keep.get(row["pk"], ())) for row in upserts]
        gone = [model._meta.pk.to_python(r["pk"]) for r in batches[label] if r.get("gone")]
        _delete(model, gone)
        m2m = part.m2m if part is not None else None
        if fresh:
            _insert_fresh(model, upserts)
            objects = [_object(model, row) for row in upserts] if m2m else []
        else:
            objects = [_object(model, row) for row in upserts]
            if part is not None and part.on_node is not None:
                part.on_node(model, objects, upserts, keep)
            else:
                for obj, row in zip(objects, upserts, strict=True):
                    _upsert(model, obj, row, m2m[0] if m2m else None)
        if m2m:
            through = getattr(model, m2m[0]).through
            source = f"{model._meta.model_name}_id"
            target = f"{m2m[1]._meta.model_name}_id"
            through.objects.filter(**{f"{source}__in": [obj.pk for obj in objects]}).delete()
            through.objects.bulk_create(
                through(**{source: obj.pk, target: other})
                for obj, row in zip(objects, upserts, strict=True)
                for other in row["f"].get(m2m[0], [])
            )
        count += len(upserts) + len(gone)
    return count
