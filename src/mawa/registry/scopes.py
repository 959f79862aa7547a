"""The registry's declarations to shared machinery, imported by RegistryConfig.ready: which
audit events are about which sites (mawa.core.audit_scope), and which specific needs each kind
of work uses (mawa.registry.needs declares its own on import)."""

from mawa.core.audit_scope import audit_scope
from mawa.registry import needs  # noqa: F401 - declares the registry's own need scopes
from mawa.registry.models import Consent, Household, Person

audit_scope("registry.household", lambda sites: Household.objects.filter(site__in=sites))
audit_scope("registry.person", lambda sites: Person.objects.filter(household__site__in=sites))
audit_scope(
    "registry.consent", lambda sites: Consent.objects.filter(person__household__site__in=sites)
)
