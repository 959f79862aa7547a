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
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from mawa.core import sync
from mawa.core.bulk import rows_insert
from mawa.field import changes
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


def _plan(scope: sync.Scope) -> list[tuple]:
    """(model, fields, rows, m2m, follows) for every model the node holds: the parts of its
    roles, merged by model (fields united, rows OR-ed, follows united), parents first."""
    merged: dict[type, list] = {}
    for part in sync.parts_for(scope.roles):
        entry = merged.get(part.model)
        rows = part.rows(scope)
        if entry is None:
            merged[part.model] = [
                part.model,
                list(part.fields),
                rows,
                part.m2m,
                set(part.follows),
                part.rank,
            ]
        else:
            entry[1] += [name for name in part.fields if name not in entry[1]]
            entry[2] = entry[2] | rows
            entry[4] |= set(part.follows)
    return [tuple(entry[:5]) for entry in sorted(merged.values(), key=lambda e: e[5])]


def _target(model, path: str) -> str:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model._meta.label_lower


def _candidates(model, follows, changed: dict[str, set[str]]) -> set[str]:
    """The keys of `model` to look at: its changed rows, and the rows (in any scope) whose
    parent changed."""
    label = model._meta.label_lower
    keys = set(changed.get(label, ()))
    for path in follows:
        parents = changed.get(_target(model, path))
        if parents:
            found = model.objects.filter(**{f"{path}__in": list(parents)})
            keys |= {_plain(pk) for pk in found.values_list("pk", flat=True)}
    return keys


def manifest_rows(node: Node, changed: dict[str, set[str]] | None = None, looked=None):
    """Every row the node should hold now, parents first; with `changed` ({label: keys} from
    the change feed), only those rows and the rows that follow them, and every key looked at
    is added to `looked` (a set)."""
    scope = node_scope(node)
    for model, fields, rows, m2m, follows in _plan(scope):
        label = model._meta.label_lower
        if changed is not None:
            keys = _candidates(model, follows, changed)
            looked.update(f"{label}:{key}" for key in keys)
            if not keys:
                continue
            rows = rows.filter(pk__in=list(keys))
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


def _unsent_parents(node: Node, rows: list[dict]) -> dict[str, set[str]]:
    """{label: keys} of rows the node holds by its parts that `rows` refer to and that were
    never sent to it (a point where a household collected elsewhere, say)."""
    held = {part.model._meta.label_lower for part in sync.parts_for(node.roles)}
    wanted: dict[str, set[str]] = {}
    for row in rows:
        model = apps.get_model(row["m"])
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            label = field.related_model._meta.label_lower
            value = row["f"].get(field.attname)
            if label in held and value is not None:
                wanted.setdefault(label, set()).add(str(value))
    keys = [f"{label}:{key}" for label, found in wanted.items() for key in found]
    sent = set(ManifestDigest.objects.filter(node=node, key__in=keys).values_list("key", flat=True))
    present = {f"{row['m']}:{row['pk']}" for row in rows}
    missing: dict[str, set[str]] = {}
    for key in keys:
        if key not in sent and key not in present:
            label, pk = key.split(":", 1)
            missing.setdefault(label, set()).add(pk)
    return missing


def manifest_changes(node: Node, *, full: bool = False) -> list[dict]:
    """The rows that changed (or went) since last sent to the node; records them as sent.

    From the change feed (`changes.since`), unless `full` or the node's whole manifest was
    last recomputed more than MAWA_MANIFEST_FULL_SECONDS ago. Call inside the transaction that
    appends the events carrying them."""
    now = timezone.now()
    every = dt.timedelta(seconds=settings.MAWA_MANIFEST_FULL_SECONDS)
    full = full or node.full_at is None or now - node.full_at > every
    if full:
        settled, changed, looked = changes.settled(), None, None
        sent = dict(ManifestDigest.objects.filter(node=node).values_list("key", "digest"))
    else:
        changed, settled = changes.since(node.changes_upto)
        if not changed:
            return []
        looked = set()
    rows = list(manifest_rows(node, changed, looked))
    for _round in range(len(sync.PARTS)):  # parents a new row needs that the node never got
        missing = {} if full else _unsent_parents(node, rows)
        if not missing:
            break
        rows = list(manifest_rows(node, missing, looked)) + rows
    if not full:
        sent = dict(
            ManifestDigest.objects.filter(node=node, key__in=looked).values_list("key", "digest")
        )
    Node.objects.filter(pk=node.pk).update(
        changes_upto=settled, **({"full_at": now} if full else {})
    )
    node.changes_upto = settled
    result, new_digests, seen = [], [], set()
    for row in rows:
        key = f"{row['m']}:{row['pk']}"
        seen.add(key)
        value = digest(row)
        if sent.get(key) != value:
            result.append(row)
            new_digests.append(ManifestDigest(node=node, key=key, digest=value))
    gone = [key for key in sent if key not in seen]
    order = _order()
    for key in reversed(sorted(gone, key=lambda k: order.get(k.split(":")[0], 99))):
        label, pk = key.split(":", 1)
        result.append({"m": label, "pk": pk, "gone": True})
    ManifestDigest.objects.filter(node=node, key__in=gone).delete()
    ManifestDigest.objects.bulk_create(
        new_digests,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["node", "key"],
        update_fields=["digest"],
    )
    return result


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
    labels = sorted(batches, key=lambda name: order.get(name, 99))
    for label in reversed(labels):  # rows that went: children before their parents
        model = apps.get_model(label)
        gone = [model._meta.pk.to_python(r["pk"]) for r in batches[label] if r.get("gone")]
        _delete(model, gone)
        count += len(gone)
    for label in labels:
        model, part = apps.get_model(label), _part(label)
        upserts = [r for r in batches[label] if not r.get("gone")]
        if keep:  # fields of merged records edited here, not yet acknowledged
            upserts = [_without(row, keep.get(row["pk"], ())) for row in upserts]
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
        count += len(upserts)
    return count
