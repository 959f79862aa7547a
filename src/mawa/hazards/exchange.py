"""GeoJSON in and out: what moves between Mawa and a mine-action information system (IMSMA).

A FeatureCollection of Point features (buildings) and Polygon or MultiPolygon features (areas),
whose properties are `id`, `kind` (building, area), `status`, `source`, `reported_at`, `pcode`,
and optionally `status_at`, `status_by`, `method`, `reason`, `address`, `name`, `blocks`.

Import is all-or-nothing: every feature is checked first and the errors are given by feature
number (1 for the first); then everything is written in one transaction. A feature whose `id`
is already stored updates that place: a different status becomes a new step of its lifecycle
(by the lifecycle's rules: a step that skips others is recorded with the file's `reason`, or
with a reason naming the file), and nothing else. Re-importing the same file changes nothing,
and an export imported again equals what was exported.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core.audit import audit_record
from mawa.core.bulk import NewRows, insert_prepared
from mawa.core.models import AdminArea, AuditEvent, User
from mawa.hazards import cells, geo
from mawa.hazards.models import ORDER, Blocks, Building, HazardArea, HazardStep, Method
from mawa.hazards.services import HazardError, area_fields, step_check

BATCH = 2000
SMALL_IMPORT = 200  # more changes than this: the map's cells are counted again
BLOCKS = frozenset(Blocks.values)
PLACE_FIELDS = ("area_id", "reported_at", "blocks")
BUILDING_FIELDS = (*PLACE_FIELDS, "longitude", "latitude", "address")
AREA_FIELDS = (
    *PLACE_FIELDS,
    "name",
    "geometry",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "longitude",
    "latitude",
)


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    steps: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def feature_of(place, pcodes: dict) -> dict:
    """One place as a GeoJSON Feature (the owner household is never exported)."""
    properties = {
        "id": place.ref,
        "kind": place.kind,
        "status": place.status,
        "source": place.source,
        "reported_at": _iso(place.reported_at),
        "status_at": _iso(place.status_at),
        "status_by": place.status_by,
        "pcode": pcodes.get(place.area_id, ""),
        "blocks": place.blocks,
    }
    if place.kind == "building":
        geometry = {"type": "Point", "coordinates": [place.longitude, place.latitude]}
        properties["address"] = place.address
    else:
        geometry = place.geometry
        properties["name"] = place.name
    return {"type": "Feature", "id": place.ref, "geometry": geometry, "properties": properties}


def export_features(buildings=None, areas=None, extra: dict | None = None) -> dict:
    """A FeatureCollection of the given buildings and areas (all by default). `extra` maps a
    place's ref to more properties (the priority list adds its rank and counts)."""
    pcodes = dict(AdminArea.objects.values_list("pk", "pcode"))
    buildings = Building.objects.all() if buildings is None else buildings
    areas = HazardArea.objects.all() if areas is None else areas
    features = []
    for queryset in (buildings, areas):
        for place in queryset.order_by("ref").iterator(chunk_size=5000):
            feature = feature_of(place, pcodes)
            feature["properties"].update((extra or {}).get(place.ref, {}))
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _when(value, label: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise HazardError(_("%s is not a date and time.") % label) from error
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise HazardError(_("%s is in the future.") % label)
    return when


def _read(feature, areas: dict) -> dict:
    """A feature's checked fields, or HazardError saying what is wrong with it."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise HazardError(_("not a GeoJSON Feature."))
    props = feature.get("properties") or {}
    geometry = feature.get("geometry") or {}
    if not isinstance(props, dict) or not isinstance(geometry, dict):
        raise HazardError(_("properties and geometry must be objects."))
    ref = str(props.get("id") or feature.get("id") or "").strip()
    if not ref or len(ref) > 64:
        raise HazardError(_("an id (at most 64 characters) is needed."))
    kind = props.get("kind") or ("building" if geometry.get("type") == "Point" else "area")
    if kind not in ("building", "area"):
        raise HazardError(_("kind must be building or area."))
    reported_at = _when(props.get("reported_at"), "reported_at")
    if reported_at is None:
        raise HazardError(_("reported_at is needed."))
    pcode = str(props.get("pcode") or "").strip()
    if pcode and pcode not in areas:
        raise HazardError(_("unknown P-code %s.") % pcode)
    blocks = props.get("blocks") or []
    if not isinstance(blocks, list) or any(b not in BLOCKS for b in blocks):
        raise HazardError(_("blocks must be a list of: %s.") % ", ".join(Blocks.values))
    row = {
        "ref": ref,
        "kind": kind,
        "status": props.get("status"),
        "source": props.get("source"),
        "method": props.get("method") or Method.IMPORTED,
        "status_at": _when(props.get("status_at"), "status_at"),
        "status_by": str(props.get("status_by") or "").strip()[:150],
        "reason": str(props.get("reason") or ""),
        "fields": {"area_id": areas.get(pcode), "reported_at": reported_at, "blocks": blocks},
    }
    try:
        if kind == "building":
            lon, lat = geo.point(geometry)
            address = str(props.get("address") or "").strip()[:200]
            row["fields"].update(longitude=lon, latitude=lat, address=address)
        else:
            row["fields"].update(area_fields(geometry), name=str(props.get("name") or "")[:150])
    except geo.GeometryError as error:
        raise HazardError(
            _("the geometry is not a valid %(kind)s (%(error)s).") % {"kind": kind, "error": error}
        ) from error
    return row


def _plan(row, existing, auto_reason) -> tuple[list[str], str]:
    """The steps skipped and the reason for the feature's status (HazardError when the
    lifecycle's rules refuse it)."""
    previous = existing.status if existing else ""
    if existing and row["status"] == previous and row["source"] == existing.source:
        return [], ""
    reason = row["reason"]
    skipped = step_check(
        previous=previous,
        status=row["status"],
        source=row["source"],
        method=row["method"],
        reason=reason or "-",
    )
    if (skipped or (previous and ORDER.index(row["status"]) < ORDER.index(previous))) and not (
        reason.strip()
    ):
        reason = auto_reason
    return skipped, reason


def parse(data) -> list:
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise ImportFailed([_("The file is not JSON: %s") % error]) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFailed([_("The file is not a GeoJSON FeatureCollection.")])
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFailed([_("The FeatureCollection has no list of features.")])
    return features


def import_features(*, actor: User | None, data, label: str = "GeoJSON") -> ImportReport:
    """Check every feature, then write all of them or none (ImportFailed with the errors)."""
    features = parse(data)
    areas = dict(AdminArea.objects.values_list("pcode", "pk"))
    refs = [
        str((f.get("properties") or {}).get("id") or f.get("id") or "")
        for f in features
        if isinstance(f, dict)
    ]
    stored = {}
    for model in (Building, HazardArea):
        for start in range(0, len(refs), 900):
            for place in model.objects.filter(ref__in=refs[start : start + 900]):
                stored[place.ref] = place
    errors, rows, seen = [], [], set()
    auto_reason = _("Imported from %s: the steps between were recorded in that system.") % label
    for number, feature in enumerate(features, start=1):
        try:
            row = _read(feature, areas)
            if row["ref"] in seen:
                raise HazardError(_("the id %s appears twice in the file.") % row["ref"])
            seen.add(row["ref"])
            existing = stored.get(row["ref"])
            if existing is not None and existing.kind != row["kind"]:
                raise HazardError(_("the id %s is stored as another kind.") % row["ref"])
            at = (
                row["status_at"]
                or (existing and existing.status_at)
                or row["fields"]["reported_at"]
            )
            if existing is not None and at < existing.status_at:
                changed = row["status"] != existing.status or row["source"] != existing.source
                if changed:
                    raise HazardError(_("its status is older than the last assessment stored."))
            row["skipped"], row["reason"] = _plan(row, existing, auto_reason)
            row["at"] = at
            rows.append((row, existing))
        except HazardError as error:
            errors.append(_("Feature %(n)d: %(error)s") % {"n": number, "error": error})
    if errors:
        raise ImportFailed(errors)
    return _write(actor, rows, label)


def _update(existing, row, status_changed: bool, by: str) -> tuple | None:
    """Set a stored place's changed fields; its (old, new) map cells, or None if unchanged."""
    old = cells.key(existing)
    names = BUILDING_FIELDS if row["kind"] == "building" else AREA_FIELDS
    differs = [n for n in names if getattr(existing, n) != row["fields"][n]]
    for name in differs:
        setattr(existing, name, row["fields"][name])
    if status_changed:
        existing.status, existing.source = row["status"], row["source"]
        existing.status_at, existing.status_by = row["at"], by
    return (old, cells.key(existing)) if differs or status_changed else None


@transaction.atomic
def _write(actor, rows, label) -> ImportReport:
    """New places and their first steps go in as plain rows (`mawa.core.bulk.NewRows`: no
    model instance, no query compiled per batch); changed places through `bulk_update`."""
    report = ImportReport()
    db = connections[DEFAULT_DB_ALIAS]
    new = {"building": NewRows(Building, db), "area": NewRows(HazardArea, db)}
    new_steps = NewRows(HazardStep, db)
    moves = []  # (old, new) map cells of each place, kept one by one for a small import
    changed = {"building": [], "area": []}
    recorder = actor.pk if actor is not None and actor.pk else None
    by_default = _("import: %s") % label
    evidence = _("Imported from %s") % label
    now = timezone.now()
    for row, existing in rows:
        status_changed = existing is None or (
            row["status"] != existing.status or row["source"] != existing.source
        )
        previous = existing.status if existing else ""
        by = row["status_by"] or (existing.status_by if existing else "") or by_default
        if existing is None:
            moves.append(
                (
                    None,
                    (
                        row["kind"] + "s",
                        row["fields"]["longitude"],
                        row["fields"]["latitude"],
                        row["status"],
                        row["source"],
                    ),
                )
            )
            place = new[row["kind"]].add(
                {
                    "ref": row["ref"],
                    **row["fields"],
                    "status": row["status"],
                    "source": row["source"],
                    "status_at": row["at"],
                    "status_by": by,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            report.created += 1
        else:
            place = existing
            move = _update(existing, row, status_changed, by)
            if move:
                changed[row["kind"]].append(existing)
                moves.append(move)
                report.updated += 1
            else:
                report.unchanged += 1
        if status_changed:
            target = "building_id" if row["kind"] == "building" else "hazard_area_id"
            new_steps.add(
                {
                    target: place.pk,
                    "previous": previous,
                    "status": row["status"],
                    "source": row["source"],
                    "method": row["method"],
                    "at": row["at"],
                    "by": by,
                    "skipped": row["skipped"],
                    "reason": row["reason"],
                    "evidence": evidence,
                    "recorded_by_id": recorder,
                    "recorded_at": now,
                }
            )
            report.steps += 1
    for table in (new["building"], new["area"], new_steps):
        table_name, columns, prepared = table.batch()
        with db.wrap_database_errors:
            insert_prepared(db, table_name, columns, prepared)
    update = ("status", "source", "status_at", "status_by")
    if changed["building"]:
        Building.objects.bulk_update(changed["building"], [*BUILDING_FIELDS, *update], BATCH)
    if changed["area"]:
        HazardArea.objects.bulk_update(changed["area"], [*AREA_FIELDS, *update], BATCH)
    if len(moves) > SMALL_IMPORT:
        cells.rebuild()
    else:
        for old, new_key in moves:
            cells.move(old, new_key)
    if report.created or report.updated:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type="hazards.geojson",
            summary={
                "file": label,
                "created": report.created,
                "updated": report.updated,
                "steps": report.steps,
            },
        )
    return report
