"""Who may see a tracing case: protection officers assigned to it or working at its site, and
administrators. A child's case is stricter: only its assigned and designated officers and
administrators. Everyone else gets 403 for the pages (wrong role) or 404 for a case (not even
that it exists)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from mawa.core.access import require
from mawa.core.models import User
from mawa.core.roles import Role
from mawa.tracing.apps import TRACE
from mawa.tracing.models import Case, Consent, Match, Sought, Verification


def cases_for_user(user: User):
    require(user, TRACE)
    if user.role == Role.ADMINISTRATOR:
        return Case.objects.all()
    assigned = Q(officer=user) | Q(designated_officer=user)
    at_site = Q(site__in=user.site_scope(), is_child=False)
    return Case.objects.filter(assigned | at_site)


def _get(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_case_for_user(user: User, pk) -> Case:
    return _get(cases_for_user(user).select_related("site", "officer", "designated_officer"), pk=pk)


def get_sought_for_user(user: User, pk) -> Sought:
    return _get(Sought.objects.filter(case__in=cases_for_user(user)).select_related("case"), pk=pk)


def get_match_for_user(user: User, pk) -> Match:
    matches = Match.objects.filter(sought__case__in=cases_for_user(user))
    return _get(matches.select_related("sought__case", "person__household__site"), pk=pk)


def get_verification_for_user(user: User, pk) -> Verification:
    found = Verification.objects.filter(match__sought__case__in=cases_for_user(user))
    return _get(found.select_related("match__sought__case"), pk=pk)


def get_consent_for_user(user: User, pk) -> Consent:
    found = Consent.objects.filter(match__sought__case__in=cases_for_user(user))
    return _get(found.select_related("match__sought__case"), pk=pk)
