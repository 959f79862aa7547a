"""Which specific needs a user may see: need-to-know for protection data.

Protection codes (a survivor of violence, an unaccompanied or separated child, a woman or child
at risk, a family separated) tell who is vulnerable to whom: only users with the
`view_protection` capability (protection officers, administrators) see them. Every other role
sees only the codes its work uses, as each app declares in its `AppConfig.ready`:

    needs_used_by(Capability.DISTRIBUTE, entitlement_codes)  # a callable -> codes

The registry declares that registering and editing households use the other (non-protection)
codes. A protection code is never shown without `view_protection`, whatever an app declares.
"""

from collections.abc import Callable, Iterable

from mawa.core.roles import Capability
from mawa.registry.models import SpecificNeed

Code = SpecificNeed.Code
# Family unity (FU) is here with the four the UNHCR guidance names as protection-sensitive: it
# says a family is separated, which is what tracing works on. Older person at risk, single
# parent, disability and serious medical condition drive assistance (top-ups, priority lanes).
PROTECTION_CODES = frozenset(
    {Code.SURVIVOR, Code.SEPARATED_CHILD, Code.WOMAN_AT_RISK, Code.CHILD_AT_RISK, Code.FAMILY_UNITY}
)
ALL_CODES = frozenset(Code.values)
OTHER_CODES = ALL_CODES - PROTECTION_CODES

_USED_BY: dict[str, list[Callable[[], Iterable[str]]]] = {}


def needs_used_by(capability: str, codes: Callable[[], Iterable[str]]) -> None:
    """Declare that users with `capability` need to see the codes `codes()` returns (called
    at each read, so that it can follow data such as a programme's entitlement rules)."""
    _USED_BY.setdefault(capability, []).append(codes)


needs_used_by(Capability.VIEW_PROTECTION, lambda: ALL_CODES)
needs_used_by(Capability.REGISTER, lambda: OTHER_CODES)
needs_used_by(Capability.EDIT_HOUSEHOLD, lambda: OTHER_CODES)


def visible_needs(user) -> frozenset[str]:
    """The specific-need codes `user` may see."""
    codes: set[str] = set()
    for capability, sources in _USED_BY.items():
        if user.can(capability):
            for source in sources:
                codes.update(source())
    if not user.can(Capability.VIEW_PROTECTION):
        codes -= PROTECTION_CODES
    return frozenset(codes & ALL_CODES)


def need_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """The form choices for these codes, in the model's order."""
    codes = set(codes)
    return [(code, label) for code, label in Code.choices if code in codes]
