"""Reads of buildings and hazard areas. Hazard data is shared with every logged-in role (it
saves lives); edits need the mine-action capability. No site scope: these are places."""

from django.core.exceptions import ValidationError
from django.http import Http404

from mawa.core.access import require
from mawa.core.models import User
from mawa.hazards.apps import EDIT_HAZARDS, VIEW_HAZARDS
from mawa.hazards.models import Building, HazardArea


def buildings_for_user(user: User, capability: str = VIEW_HAZARDS):
    require(user, capability)
    return Building.objects.all()


def areas_for_user(user: User, capability: str = VIEW_HAZARDS):
    require(user, capability)
    return HazardArea.objects.all()


def _get(queryset, pk):
    try:
        return queryset.select_related("area").get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_building_for_user(user: User, pk, capability: str = VIEW_HAZARDS) -> Building:
    return _get(buildings_for_user(user, capability), pk)


def get_area_for_user(user: User, pk, capability: str = VIEW_HAZARDS) -> HazardArea:
    return _get(areas_for_user(user, capability), pk)


def get_place_for_user(user: User, kind: str, pk, capability: str = VIEW_HAZARDS):
    if kind == "building":
        return get_building_for_user(user, pk, capability)
    if kind == "area":
        return get_area_for_user(user, pk, capability)
    raise Http404


def can_edit(user: User) -> bool:
    return user.is_authenticated and user.can(EDIT_HAZARDS)
