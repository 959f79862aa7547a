"""Writes of return intentions: each a new row (the earlier ones are the history), audited."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from mawa.core.audit import audit_record
from mawa.core.models import AdminArea, AuditEvent, User
from mawa.hazards.models import Building
from mawa.registry.models import Household
from mawa.returns.models import Obstacle, ReturnIntention

OBSTACLES = frozenset(Obstacle.values)


class ReturnError(Exception):
    pass


@transaction.atomic
def intention_record(
    *,
    actor: User,
    household: Household,
    intends: str,
    area: AdminArea | None = None,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    building: Building | None = None,
    intended_date: dt.date | None = None,
    obstacles=(),
) -> ReturnIntention:
    if intends not in ReturnIntention.Intends.values:
        raise ReturnError(_("Unknown intention."))
    obstacles = list(dict.fromkeys(obstacles or []))
    if any(o not in OBSTACLES for o in obstacles):
        raise ReturnError(_("Unknown obstacle."))
    if (latitude is None) != (longitude is None):
        raise ReturnError(_("Give both latitude and longitude, or neither."))
    if intended_date and intended_date.year < 2000:
        raise ReturnError(_("The date is too far in the past."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    ReturnIntention.objects.filter(household=household, is_current=True).update(is_current=False)
    intention = ReturnIntention(
        household=household,
        intends=intends,
        area=area,
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        building=building,
        intended_date=intended_date,
        obstacles=obstacles,
        recorded_by=actor,
    )
    intention.full_clean(exclude=["household", "recorded_by"])
    intention.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=intention,
        summary={"household": str(household.pk), "intends": intends},
    )
    return intention
