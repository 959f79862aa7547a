"""Permission-checked reads of core objects.

Every object is fetched through a getter that checks both the role (403 when the role may not do
this kind of work at all) and the site scope (404 when the object is outside the user's sites, so
that an id from another camp cannot even be confirmed to exist).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mawa.core.models import Site, User


def require(user: User, capability: str) -> None:
    if not user.is_authenticated or not user.can(capability):
        raise PermissionDenied


def sites_for_user(user: User, capability: str):
    require(user, capability)
    return user.site_scope().filter(is_active=True)


def get_site_for_user(user: User, site_id, capability: str) -> Site:
    try:
        return sites_for_user(user, capability).get(pk=site_id)
    except (Site.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
