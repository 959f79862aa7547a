"""JSON API: redemptions at a distribution point, for scanners and integrations."""

from uuid import UUID

from django.http import Http404
from ninja import Router, Schema, Status

from mawa.assistance import services
from mawa.assistance.access import points_for_user
from mawa.assistance.entitlements import quantity_text
from mawa.assistance.models import ScanLog
from mawa.core.roles import Capability

router = Router(tags=["assistance"])


class RedemptionIn(Schema):
    cycle: UUID
    card: str
    point: UUID | None = None


class RedemptionOut(Schema):
    outcome: str
    message: str = ""
    card: str | None = None
    household_id: UUID | None = None
    entitlement: dict[str, str] = {}
    explanation: list[str] = []
    at: str | None = None
    point: str | None = None
    operator: str | None = None
    schedule: dict | None = None


STATUS = {
    ScanLog.Outcome.GIVEN: 201,
    ScanLog.Outcome.ALREADY: 409,
    ScanLog.Outcome.UNKNOWN: 404,
    ScanLog.Outcome.REVOKED: 404,
    ScanLog.Outcome.NOT_SCHEDULED: 422,
    ScanLog.Outcome.NOT_PRESENT: 422,
}


def _point_for(user, payload: RedemptionIn):
    """The user's one point in the cycle, when the request names none."""
    points = list(points_for_user(user, Capability.DISTRIBUTE).filter(site__cycles=payload.cycle))
    if len(points) != 1:
        raise Http404
    return points[0]


@router.post(
    "/redemptions",
    response={201: RedemptionOut, 404: RedemptionOut, 409: RedemptionOut, 422: RedemptionOut},
)
def redemption_create(request, payload: RedemptionIn):
    """Give a household its entitlement for the cycle: 201 given, 409 already collected (with
    where and when), 404 unknown or revoked card (a card of a household at another site is
    unknown), 422 not scheduled here now (with the schedule) or a household no longer present
    (its card suspended).
    `point` may be left out when the user's sites have one point in the cycle."""
    # The point and cycle are checked against the user's sites in the give's own statement.
    point_id = payload.point or _point_for(request.auth, payload).pk
    result = services.redemption_at(
        actor=request.auth, point_id=point_id, cycle_id=payload.cycle, typed=payload.card
    )
    if result is None:
        raise Http404
    body = {"outcome": result.outcome, "message": result.message}
    if result.card is not None:
        body["card"] = result.card.code
        body["household_id"] = result.card.household_id
    if result.entitlement is not None:
        body["entitlement"] = {k: quantity_text(v) for k, v in result.entitlement.items.items()}
        body["explanation"] = result.entitlement.explanation
    if result.previous is not None:
        body["at"] = result.previous.at.isoformat()
        body["point"] = result.previous.point.name
        body["operator"] = result.previous.operator.username if result.previous.operator else None
    if result.allocation is not None:
        a = result.allocation
        body["schedule"] = {
            "served": a.served,
            "day": a.day.isoformat() if a.day else None,
            "slot_start": a.slot_start.strftime("%H:%M") if a.slot_start else None,
            "lane": a.lane,
            "planned_date": a.planned_date.isoformat() if a.planned_date else None,
        }
    return Status(STATUS.get(result.outcome, 422), body)
