"""Permission-checked reads of distribution points and cycles (404 outside the user's sites)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from mawa.assistance.models import Cycle, RationCard, Redemption, StockLocation
from mawa.core.access import require
from mawa.core.models import User


def points_for_user(user: User, capability: str):
    require(user, capability)
    return StockLocation.objects.filter(
        kind=StockLocation.Kind.POINT, site__in=user.site_scope()
    ).select_related("site")


def get_point_for_user(user: User, pk, capability: str) -> StockLocation:
    try:
        return points_for_user(user, capability).get(pk=pk)
    except (StockLocation.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def get_cycle_for_point(point: StockLocation, pk) -> Cycle:
    """A cycle that serves the point's site."""
    try:
        return Cycle.objects.select_related("programme").get(pk=pk, sites=point.site_id)
    except (Cycle.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def cards_for_user(user: User, capability: str):
    require(user, capability)
    return RationCard.objects.filter(household__site__in=user.site_scope())


def doubles_for_user(user: User, capability: str):
    """Redemptions flagged as doubles at the user's distribution points."""
    require(user, capability)
    return Redemption.objects.filter(
        double_of__isnull=False, point__site__in=user.site_scope()
    ).select_related("double_of__point", "point", "cycle", "household", "card")


def get_double_for_user(user: User, pk, capability: str) -> Redemption:
    try:
        return doubles_for_user(user, capability).get(pk=pk)
    except (Redemption.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
