"""Writes of buildings, hazard areas and their status steps: each in a transaction, audited.

The lifecycle's rules live here (`step_check`): a resident's report can only say "reported"
(a painted check mark is not a clearance); a step that jumps over others names the steps
skipped and must say why; a status that goes back (a device found after clearance) must say
why too. Nothing is skipped silently.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core.audit import audit_record
from mawa.core.models import AdminArea, AuditEvent, User
from mawa.hazards import cells, geo
from mawa.hazards.models import (
    NEXT,
    ORDER,
    Blocks,
    Building,
    HazardArea,
    HazardStep,
    Method,
    Place,
    Source,
    Status,
)


class HazardError(Exception):
    pass


STATUSES, SOURCES, METHODS = (
    frozenset(Status.values),
    frozenset(Source.values),
    frozenset(Method.values),
)


def skipped_between(previous: str, status: str) -> list[str]:
    """The statuses a step from `previous` to `status` jumps over ([] for a normal step, a
    repeated assessment or a step back). A new place starts before 'reported'."""
    if previous and (status == previous or status in NEXT[previous]):
        return []
    start = ORDER.index(previous) if previous else -1
    end = ORDER.index(status)
    if end <= start:
        return []
    between = ORDER[start + 1 : end]
    # A survey classes an area suspected *or* confirmed: passing by 'suspected' skips nothing.
    return [s for s in between if s != Status.SUSPECTED]


def step_check(*, previous: str, status: str, source: str, method: str, reason: str) -> list:
    """The steps skipped (checked), or HazardError with what is wrong in words."""
    if status not in STATUSES:
        raise HazardError(_("Unknown status."))
    if source not in SOURCES:
        raise HazardError(_("Unknown source."))
    if method not in METHODS:
        raise HazardError(_("Unknown method."))
    if source == Source.RESIDENT and status != Status.REPORTED:
        raise HazardError(
            _(
                "A resident's mark can only report a hazard: surveys and clearance are "
                "recorded by a team or an agency."
            )
        )
    skipped = skipped_between(previous, status)
    if skipped and not reason.strip():
        raise HazardError(_("This step skips %(steps)s: say why.") % {"steps": _labels(skipped)})
    back = previous and ORDER.index(status) < ORDER.index(previous)
    if back and not reason.strip():
        raise HazardError(_("The status goes back: say why (for example, a new device found)."))
    return skipped


def _labels(statuses) -> str:
    labels = dict(Status.choices)
    return ", ".join(str(labels[s]) for s in statuses)


def _blocks(blocks) -> list[str]:
    blocks = list(dict.fromkeys(blocks or []))
    unknown = [b for b in blocks if b not in frozenset(Blocks.values)]
    if unknown:
        raise HazardError(_("Unknown kind of place blocked: %s") % ", ".join(map(str, unknown)))
    return blocks


def _new_step(
    place: Place, *, previous, status, source, method, by, at, evidence, skipped, reason, actor
) -> HazardStep:
    target = {"building": place} if isinstance(place, Building) else {"hazard_area": place}
    return HazardStep(
        **target,
        previous=previous,
        status=status,
        source=source,
        method=method,
        by=by,
        at=at,
        evidence=evidence,
        skipped=skipped,
        reason=reason.strip(),
        recorded_by=actor if actor is not None and actor.pk else None,
    )


def _start(place: Place, *, actor, status, source, method, by, at, evidence, reason) -> Place:
    by = (by or "").strip()
    if not by:
        raise HazardError(_("Say who reported or assessed it."))
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise HazardError(_("The date is in the future."))
    skipped = step_check(previous="", status=status, source=source, method=method, reason=reason)
    place.status, place.source, place.status_at, place.status_by = status, source, at, by
    place.reported_at = place.reported_at or at
    place.full_clean()
    place.save()
    cells.move(None, cells.key(place))
    _new_step(
        place,
        previous="",
        status=status,
        source=source,
        method=method,
        by=by,
        at=at,
        evidence=evidence,
        skipped=skipped,
        reason=reason,
        actor=actor,
    ).save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=place, summary={"status": status}
    )
    return place


@transaction.atomic
def building_create(
    *,
    actor: User | None,
    latitude: float,
    longitude: float,
    by: str,
    source: str = Source.RESIDENT,
    method: str = Method.REPORT,
    status: str = Status.REPORTED,
    address: str = "",
    area: AdminArea | None = None,
    owner_household=None,
    blocks=(),
    ref: str = "",
    at: dt.datetime | None = None,
    evidence: str = "",
    reason: str = "",
) -> Building:
    building = Building(
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        area=area,
        owner_household=owner_household,
        blocks=_blocks(blocks),
    )
    building.ref = ref or str(building.pk)
    return _start(
        building,
        actor=actor,
        status=status,
        source=source,
        method=method,
        by=by,
        at=at,
        evidence=evidence,
        reason=reason,
    )


def area_fields(geometry) -> dict:
    """The bounding box and centre stored beside a polygon, or HazardError."""
    try:
        rings = geo.polygon_rings(geometry)
    except geo.GeometryError as error:
        raise HazardError(_("The area's shape is not a valid polygon (%s).") % error) from error
    min_lon, min_lat, max_lon, max_lat = geo.bbox(rings)
    lon, lat = geo.centre(rings)
    return {
        "geometry": geometry,
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "longitude": lon,
        "latitude": lat,
    }


@transaction.atomic
def area_create(
    *,
    actor: User | None,
    geometry: dict,
    by: str,
    name: str = "",
    source: str = Source.TEAM,
    method: str = Method.REPORT,
    status: str = Status.REPORTED,
    area: AdminArea | None = None,
    blocks=(),
    ref: str = "",
    at: dt.datetime | None = None,
    evidence: str = "",
    reason: str = "",
) -> HazardArea:
    hazard_area = HazardArea(
        name=name.strip(), area=area, blocks=_blocks(blocks), **area_fields(geometry)
    )
    hazard_area.ref = ref or str(hazard_area.pk)
    return _start(
        hazard_area,
        actor=actor,
        status=status,
        source=source,
        method=method,
        by=by,
        at=at,
        evidence=evidence,
        reason=reason,
    )


@transaction.atomic
def step_record(
    *,
    actor: User | None,
    place: Place,
    status: str,
    source: str,
    method: str,
    by: str,
    at: dt.datetime | None = None,
    evidence: str = "",
    reason: str = "",
) -> HazardStep:
    """Move a building or an area to `status` (or record a new assessment of the same one)."""
    place = type(place).objects.select_for_update().get(pk=place.pk)
    by = (by or "").strip()
    if not by:
        raise HazardError(_("Say who reported or assessed it."))
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise HazardError(_("The date is in the future."))
    if at < place.status_at:
        raise HazardError(_("A step cannot come before the last assessment."))
    skipped = step_check(
        previous=place.status, status=status, source=source, method=method, reason=reason
    )
    step = _new_step(
        place,
        previous=place.status,
        status=status,
        source=source,
        method=method,
        by=by,
        at=at,
        evidence=evidence,
        skipped=skipped,
        reason=reason,
        actor=actor,
    )
    step.save()
    previous, old = place.status, cells.key(place)
    place.status, place.source, place.status_at, place.status_by = status, source, at, by
    place.save(update_fields=["status", "source", "status_at", "status_by", "updated_at"])
    cells.move(old, cells.key(place))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=place,
        summary={"status": [previous, status], "source": source, "skipped": skipped},
    )
    return step


@transaction.atomic
def blocks_set(*, actor: User | None, place: Place, blocks) -> Place:
    blocks = _blocks(blocks)
    if blocks != place.blocks:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=place,
            summary={"blocks": [place.blocks, blocks]},
        )
        place.blocks = blocks
        place.save(update_fields=["blocks", "updated_at"])
    return place
