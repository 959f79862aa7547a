"""The specific needs a distribution operator sees: those some programme's entitlement rules
give a top-up for (protection codes stay hidden whatever the rules: see mawa.registry.needs).
Imported by AssistanceConfig.ready."""

from mawa.assistance.models import EntitlementRule
from mawa.core.roles import Capability
from mawa.registry.needs import needs_used_by


def entitlement_needs() -> set[str]:
    rules = EntitlementRule.objects.filter(basis=EntitlementRule.Basis.NEED)
    return set(rules.values_list("need", flat=True))


needs_used_by(Capability.DISTRIBUTE, entitlement_needs)
