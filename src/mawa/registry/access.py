"""Permission-checked reads of households and people (see mawa.core.access for the rule)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from mawa.core.access import require
from mawa.core.models import User
from mawa.core.roles import Capability
from mawa.registry.models import Household, Person, Shelter


def households_for_user(user: User, capability: str = Capability.VIEW_PEOPLE):
    require(user, capability)
    return Household.objects.filter(site__in=user.site_scope())


def people_for_user(user: User, capability: str = Capability.VIEW_PEOPLE):
    require(user, capability)
    return Person.objects.filter(household__site__in=user.site_scope(), merged_into=None)


def shelters_for_user(user: User, capability: str = Capability.MANAGE_SHELTER):
    require(user, capability)
    return Shelter.objects.filter(site__in=user.site_scope())


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_household_for_user(user: User, pk, capability: str = Capability.VIEW_PEOPLE) -> Household:
    return _get(households_for_user(user, capability).select_related("site", "origin_area"), pk)


def get_person_for_user(user: User, pk, capability: str = Capability.VIEW_PEOPLE) -> Person:
    return _get(people_for_user(user, capability).select_related("household__site"), pk)


def get_shelter_for_user(user: User, pk, capability: str = Capability.MANAGE_SHELTER) -> Shelter:
    return _get(shelters_for_user(user, capability), pk)
