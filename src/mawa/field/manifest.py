"""What a field node holds: the rows its work needs, and nothing more.

A node serving distribution gets its sites, cycles, programmes and rules, its points, the
households of its sites with their members' names (for display: the operator checks who
collects) and specific-need codes (they set entitlements), their cards, the cycle's schedule,
and who already collected elsewhere. No documents, phone numbers, birth dates, origins,
movements, tracing or protection data ever leave headquarters for a node.

Rows travel as {"m": model, "pk": key, "f": {field: value}} (or "gone": true). Headquarters
keeps a digest of every row it has sent each node (`ManifestDigest`), so after the package only
rows that changed are sent, as events; a node applies a row by upserting it.
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

from mawa.assistance.models import (
    Allocation,
    AlternateCollector,
    Commodity,
    Cycle,
    EntitlementRule,
    Programme,
    RationCard,
    Redemption,
    StockLocation,
)
from mawa.assistance.offline import redemption_place
from mawa.core.bulk import rows_insert
from mawa.core.models import AdminArea, Site, User
from mawa.field.models import ManifestDigest, Node
from mawa.registry.models import Household, Person, SpecificNeed

NAMES = [
    f"{part}_name_{script}"
    for script in ("ar", "lat")
    for part in ("given", "father", "grandfather", "family")
]

# Model, the fields a node gets, in the order rows must be applied (parents first).
FIELDS: list[tuple[type, list[str]]] = [
    (AdminArea, ["name_en", "name_ar", "name_ckb", "pcode", "level", "parent", "illustrative"]),
    (Site, ["name_en", "name_ar", "name_ckb", "code", "kind", "area", "is_active"]),
    (
        User,
        ["username", "password", "first_name", "last_name", "is_active", "role", "language"],
    ),
    (Commodity, ["name_en", "name_ar", "name_ckb", "code", "unit"]),
    (Programme, ["name_en", "name_ar", "name_ckb", "code"]),
    (
        EntitlementRule,
        ["programme", "basis", "commodity", "quantity", "min_size", "max_size", "need"],
    ),
    (Cycle, ["programme", "name", "starts", "ends", "status"]),
    (StockLocation, ["name", "kind", "site"]),
    (Household, ["reference", "site", "status", "arrival_date", "consent_date"]),
    (Person, ["household", "relationship", "sex", *NAMES]),
    (SpecificNeed, ["person", "code"]),
    (RationCard, ["code", "household", "programme", "status", "issued_at", "revoked_at"]),
    (AlternateCollector, ["card", "name", "relation"]),
    (
        Allocation,
        [
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
        ],
    ),
    (Redemption, ["cycle", "household", "card", "point", "items", "at", "recorded_on"]),
]
ORDER = {model._meta.label_lower: index for index, (model, _fields) in enumerate(FIELDS)}
M2M = {"core.user": ("sites", Site), "assistance.cycle": ("sites", Site)}


def _plain(value):
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _querysets(node: Node) -> dict[type, object]:
    sites = list(node.sites.all())
    cycles = list(node.cycles.all())
    programmes = {c.programme_id for c in cycles}
    areas: set = set()
    frontier = {s.area_id for s in sites}
    while frontier:  # the sites' areas and every area above them
        areas |= frontier
        frontier = (
            set(
                AdminArea.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - areas
        )
    households = Household.objects.filter(site__in=sites)
    # Who already collected elsewhere (the node's own redemptions it has already).
    redemptions = Redemption.objects.filter(cycle__in=cycles, double_of=None).exclude(
        recorded_on=node.name
    )
    points = set(node.points.values_list("pk", flat=True)) | set(
        redemptions.order_by().values_list("point_id", flat=True).distinct()
    )
    members = Person.objects.filter(household__in=households, merged_into=None)
    cards = RationCard.objects.filter(household__in=households, programme__in=programmes)
    return {
        AdminArea: AdminArea.objects.filter(pk__in=areas),
        Site: Site.objects.filter(pk__in=[s.pk for s in sites]),
        User: node.users.filter(is_active=True),
        Commodity: Commodity.objects.all(),
        Programme: Programme.objects.filter(pk__in=programmes),
        EntitlementRule: EntitlementRule.objects.filter(programme__in=programmes),
        Cycle: Cycle.objects.filter(pk__in=[c.pk for c in cycles]),
        StockLocation: StockLocation.objects.filter(pk__in=points),
        Household: households,
        Person: members,
        SpecificNeed: SpecificNeed.objects.filter(person__in=members),
        RationCard: cards,
        AlternateCollector: AlternateCollector.objects.filter(card__in=cards),
        Allocation: Allocation.objects.filter(cycle__in=cycles, household__in=households),
        Redemption: redemptions.filter(household__in=households),
    }


def manifest_rows(node: Node):
    """Every row the node should hold now, parents first."""
    site_ids = {str(pk) for pk in node.sites.values_list("pk", flat=True)}
    querysets = _querysets(node)
    for model, fields in FIELDS:
        label = model._meta.label_lower
        attnames = [model._meta.get_field(name).attname for name in fields]
        m2m = M2M.get(label)
        extra = {}
        if m2m:
            through = getattr(model, m2m[0]).through
            source = f"{model._meta.model_name}_id"
            for owner, site in through.objects.filter(
                **{f"{model._meta.model_name}__in": querysets[model]}
            ).values_list(source, "site_id"):
                if str(site) in site_ids:
                    extra.setdefault(owner, []).append(str(site))
        for row in querysets[model].order_by("pk").values_list("pk", *attnames):
            values = {name: _plain(value) for name, value in zip(attnames, row[1:], strict=True)}
            if m2m:
                values[m2m[0]] = sorted(extra.get(row[0], []))
            yield {"m": label, "pk": _plain(row[0]), "f": values}


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
    for key in reversed(sorted(gone, key=lambda k: ORDER[k.split(":")[0]])):
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


def _python(model, row: dict) -> dict:
    """The row's fields (keyed by attname, as `manifest_rows` sends them) as Python values."""
    values = {}
    for name, value in row["f"].items():
        if name == "sites" and row["m"] in M2M:
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


def _upsert(model, obj, row: dict) -> None:
    values = {name: getattr(obj, name) for name in row["f"] if name != "sites"}
    if model.objects.filter(pk=obj.pk).update(**values):
        return
    if model is Redemption:  # served elsewhere: may be a double of one given here
        redemption_place(obj)
        return
    obj.save(force_insert=True)


def _insert_fresh(model, rows: list[dict]) -> None:
    """Rows into an empty table as plain tuples (a node's start from its package): the
    manifest's fields as sent, every other column its default."""
    if not rows:
        return
    sent = [name for name in rows[0]["f"] if name != "sites"]
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
    count = 0
    for label in sorted(batches, key=lambda name: ORDER[name]):
        model = apps.get_model(label)
        upserts = [r for r in batches[label] if not r.get("gone")]
        if keep and label == "registry.person":
            upserts = [_without(row, keep.get(row["pk"], ())) for row in upserts]
        gone = [model._meta.pk.to_python(r["pk"]) for r in batches[label] if r.get("gone")]
        _delete(model, gone)
        if fresh:
            _insert_fresh(model, upserts)
            objects = [_object(model, row) for row in upserts] if M2M.get(label) else []
        else:
            objects = [_object(model, row) for row in upserts]
            for obj, row in zip(objects, upserts, strict=True):
                _upsert(model, obj, row)
        m2m = M2M.get(label)
        if m2m:
            through = getattr(model, m2m[0]).through
            source = f"{model._meta.model_name}_id"
            through.objects.filter(**{f"{source}__in": [obj.pk for obj in objects]}).delete()
            through.objects.bulk_create(
                through(**{source: obj.pk, "site_id": site})
                for obj, row in zip(objects, upserts, strict=True)
                for site in row["f"].get(m2m[0], [])
            )
        count += len(upserts) + len(gone)
    return count
