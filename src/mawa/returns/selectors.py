"""Reads of return intentions: personal data, scoped to the user's sites like the households
they belong to (403 for a role that may not see people, 404 outside the user's sites)."""

from mawa.core.access import require
from mawa.core.models import User
from mawa.core.roles import Capability
from mawa.returns.models import ReturnIntention


def intentions_for_user(user: User, capability: str = Capability.VIEW_PEOPLE):
    require(user, capability)
    return ReturnIntention.objects.filter(household__site__in=user.site_scope())


def current_intentions_for_user(user: User, capability: str = Capability.VIEW_PEOPLE):
    return intentions_for_user(user, capability).filter(is_current=True)
