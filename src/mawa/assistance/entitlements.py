"""Entitlements: what a household gets in a cycle, by its programme's published rules, with
the reasons in words (the distribution screen, the cards page and planning read them)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mawa.assistance.models import EntitlementRule, Programme
from mawa.registry.models import Household, Person, SpecificNeed


@dataclass
class Entitlement:
    items: dict[str, Decimal] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)

    def add(self, code: str, quantity: Decimal, why: str) -> None:
        if quantity:
            self.items[code] = self.items.get(code, Decimal(0)) + quantity
            self.explanation.append(why)


def quantity_text(quantity: Decimal) -> str:
    """1.000 -> "1", 4.500 -> "4.5": quantities as people read them."""
    return f"{quantity.normalize():f}"


def entitlement_compute(rules, size: int, needs: set[str]) -> Entitlement:
    """Apply a programme's rules to a household of `size` people with these specific needs."""
    result = Entitlement()
    for rule in rules:
        what = f"{rule.commodity.name} ({rule.commodity.get_unit_display()})"
        if rule.basis == EntitlementRule.Basis.HOUSEHOLD:
            result.add(rule.commodity.code, rule.quantity, f"{quantity_text(rule.quantity)} {what}")
        elif rule.basis == EntitlementRule.Basis.PERSON:
            quantity = rule.quantity * size
            result.add(
                rule.commodity.code,
                quantity,
                _("%(n)s people × %(q)s: %(t)s %(what)s")
                % {
                    "n": size,
                    "q": quantity_text(rule.quantity),
                    "t": quantity_text(quantity),
                    "what": what,
                },
            )
        elif rule.basis == EntitlementRule.Basis.BAND and rule.min_size <= size <= rule.max_size:
            result.add(
                rule.commodity.code,
                rule.quantity,
                _("%(n)s people: %(q)s %(what)s")
                % {"n": size, "q": quantity_text(rule.quantity), "what": what},
            )
        elif rule.basis == EntitlementRule.Basis.NEED and rule.need in needs:
            label = SpecificNeed.Code(rule.need).label
            result.add(
                rule.commodity.code,
                rule.quantity,
                _("%(need)s top-up: %(q)s %(what)s")
                % {"need": label, "q": quantity_text(rule.quantity), "what": what},
            )
    return result


def household_profile(household: Household) -> tuple[int, set[str]]:
    """The household's size and its members' specific needs, in one query."""
    rows = Person.objects.filter(household=household, merged_into=None).values_list(
        "id", "needs__code"
    )
    members, needs = set(), set()
    for person_id, code in rows:
        members.add(person_id)
        if code:
            needs.add(code)
    return len(members), needs


def entitlement_for(household: Household, programme: Programme) -> Entitlement:
    size, needs = household_profile(household)
    rules = programme.rules.select_related("commodity")
    return entitlement_compute(rules, size, needs)
