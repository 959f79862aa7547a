"""Planning a distribution from the registry: candidates in, allocations out.

The ranking and scheduling are `mawa.planning.plan_distribution` (pure, published rules); this
module reads each household's size, needs, last assistance and entitlement, and stores the plan
as Allocation rows that the distribution-point screen enforces.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from mawa.assistance.entitlements import entitlement_compute
from mawa.assistance.models import Allocation, Cycle, RationCard, Redemption, StockLocation
from mawa.assistance.services import stock_balance
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent, User
from mawa.planning import DEFAULT_RULES, Candidate, Plan, Schedule, plan_distribution
from mawa.registry.models import Household, Person, SpecificNeed


def candidates_for(cycle: Cycle, point: StockLocation, today: dt.date) -> list[Candidate]:
    """Every present household at the point's site with an active card for the programme."""
    cards = dict(
        RationCard.objects.filter(
            programme=cycle.programme_id,
            status=RationCard.Status.ACTIVE,
            household__site=point.site_id,
            household__status=Household.Status.PRESENT,
        ).values_list("household_id", "code")
    )
    households = Household.objects.filter(pk__in=cards).annotate(
        size=Count("members", filter=Q(members__merged_into=None)),
        female_head=Count(
            "members", filter=Q(members__relationship=Person.HEAD, members__sex=Person.Sex.FEMALE)
        ),
    )
    needs = defaultdict(set)
    for household_id, code in SpecificNeed.objects.filter(
        person__household__in=list(cards), person__merged_into=None
    ).values_list("person__household_id", "code"):
        needs[household_id].add(code)
    last = dict(
        Redemption.objects.filter(cycle__programme=cycle.programme_id, household__in=list(cards))
        .exclude(cycle=cycle)
        .values("household_id")
        .annotate(last=Max("at"))
        .values_list("household_id", "last")
    )
    rules = list(cycle.programme.rules.select_related("commodity"))
    result = []
    for household in households:
        entitlement = entitlement_compute(rules, household.size, needs[household.pk])
        last_at = last.get(household.pk)
        result.append(
            Candidate(
                household_id=str(household.pk),
                size=household.size,
                needs=frozenset(needs[household.pk]),
                days_since_assistance=(today - last_at.date()).days if last_at else None,
                days_since_arrival=max((today - household.arrival_date).days, 0),
                female_headed=household.female_head > 0,
                entitlement={k: float(v) for k, v in entitlement.items.items()},
                tie_key=cards[household.pk],
            )
        )
    return result


@transaction.atomic
def plan_cycle(
    *,
    actor: User,
    cycle: Cycle,
    point: StockLocation,
    schedule: Schedule,
    expected_stock=(),
) -> Plan:
    today = timezone.localdate()
    already = set(Redemption.objects.filter(cycle=cycle).values_list("household_id", flat=True))
    candidates = [
        c
        for c in candidates_for(cycle, point, today)
        if c.household_id not in {str(h) for h in already}
    ]
    stock = {code: float(qty) for code, qty in stock_balance(point).items()}
    plan = plan_distribution(
        candidates,
        stock,
        rules=DEFAULT_RULES,
        schedule=schedule,
        cycle_seed=f"{cycle.pk}",
        expected_stock=list(expected_stock),
    )
    Allocation.objects.filter(cycle=cycle, point=point).delete()
    Allocation.objects.filter(
        cycle=cycle, household_id__in=[c.household_id for c in candidates]
    ).delete()
    Allocation.objects.bulk_create(
        (
            Allocation(
                cycle=cycle,
                point=point,
                household_id=p.household_id,
                rank=p.rank,
                score=p.score,
                reason=p.reason[:300],
                served=p.served,
                day=p.day,
                slot_start=p.slot_start,
                lane=p.lane,
                planned_date=p.planned_date,
            )
            for p in plan.placements
        ),
        batch_size=5000,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=cycle,
        summary={"plan": str(point.pk), "served": plan.served, "unserved": plan.unserved},
    )
    return plan
