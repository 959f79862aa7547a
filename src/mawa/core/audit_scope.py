"""Which audit events a user may read: all of them for users of every site, and for a user
scoped to some sites (a site-scoped administrator) only the events about records in those sites
and their own actions.

Core does not know which records belong to a site: each app declares it in its
`AppConfig.ready`, for each object type it audits:

    audit_scope("registry.person", lambda sites: Person.objects.filter(household__site__in=sites))

Events about object types nobody declared (log-ins, users, nodes) are for administrators of
every site only.
"""

from collections.abc import Callable

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Replace

from mawa.core.models import AuditEvent, User

_SCOPES: dict[str, Callable] = {}


def audit_scope(object_type: str, in_sites: Callable) -> None:
    """Declare how to find the objects of `object_type` within some sites: `in_sites(sites)`
    returns a queryset of them."""
    _SCOPES[object_type] = in_sites


def _key(expression):
    # A UUID is text with dashes in the log and on PostgreSQL, 32 hex digits on SQLite.
    return Replace(Cast(expression, CharField()), Value("-"), Value(""))


def audit_events_for_user(user: User):
    events = AuditEvent.objects.all()
    if user.all_sites:
        return events
    sites = user.site_scope()
    about = Q(user=user)
    for object_type, in_sites in _SCOPES.items():
        keys = in_sites(sites).annotate(audit_key=_key("pk")).values("audit_key")
        about |= Q(object_type=object_type, audit_key__in=keys)
    return events.annotate(audit_key=_key("object_id")).filter(about)
