"""Who sees which tickets (see mawa.core.access for the 403/404 rule).

- Restricted categories (sexual exploitation and abuse, fraud by staff) are seen by PSEA focal
  points only, in their sites; a focal point sees nothing else. Every other role, administrators
  included, gets querysets from which restricted tickets are gone: not listed, not counted, and
  a restricted ticket's id answers 404 like one that does not exist.
- Other tickets are seen by help desks and camp managers (and administrators) in their sites;
  a ticket with no site yet (an SMS) by those who see every site.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.http import Http404

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.access import require
from mawa.core.models import User
from mawa.core.roles import Role
from mawa.feedback.caps import FIGURES, HANDLE, RECORD
from mawa.feedback.models import Ticket
from mawa.registry.models import Household, Person

__all__ = ["FIGURES", "HANDLE", "RECORD"]

RESTRICTED_ROLES = frozenset({Role.FOCAL_POINT})


def sees_restricted(user: User) -> bool:
    return user.is_active and user.role in RESTRICTED_ROLES


def _in_scope(user: User) -> Q:
    if user.all_sites:
        return Q()
    # The ids themselves, not a subquery: with one site, the (site, -created_at) index serves
    # the newest tickets without sorting every ticket of the site.
    return Q(site_id__in=list(user.site_scope().values_list("pk", flat=True)))


def tickets_for_user(user: User, capability: str = HANDLE):
    require(user, capability)
    tickets = Ticket.objects.filter(_in_scope(user))
    return tickets.restricted() if sees_restricted(user) else tickets.ordinary()


def get_ticket_for_user(user: User, pk, capability: str = HANDLE) -> Ticket:
    queryset = tickets_for_user(user, capability).select_related(
        "site", "owner", "household", "person", "cycle", "point", "created_by", "answered_by"
    )
    try:
        return queryset.get(pk=pk)
    except (Ticket.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def figures_tickets(user: User):
    """What aggregate figures count: ordinary tickets in the user's sites, whatever the role."""
    require(user, FIGURES)
    return Ticket.objects.filter(_in_scope(user)).ordinary()


def shows_identity(user: User, ticket: Ticket) -> bool:
    """The complainant's name and contact: to the ticket's owner and to focal points."""
    return ticket.owner_id == user.pk or sees_restricted(user)


def _scoped(queryset, user: User, field: str):
    return queryset if user.all_sites else queryset.filter(**{f"{field}__in": user.site_scope()})


def linkable(user: User, kind: str):
    """What a ticket recorded by `user` may link to: households, people, cycles, points and
    sites in the user's sites (no person's details are shown by it: a reference is typed)."""
    require(user, RECORD)
    if kind == "household":
        return _scoped(Household.objects.all(), user, "site")
    if kind == "person":
        return _scoped(Person.objects.filter(merged_into=None), user, "household__site")
    if kind == "cycle":
        return _scoped(Cycle.objects.all(), user, "sites").distinct()
    if kind == "point":
        points = StockLocation.objects.filter(kind=StockLocation.Kind.POINT)
        return _scoped(points, user, "site").select_related("site")
    return user.site_scope().filter(is_active=True)


def get_linked(user: User, kind: str, pk):
    try:
        return linkable(user, kind).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
