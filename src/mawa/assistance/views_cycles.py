"""Cycle pages: issue and print cards, plan who is served when, lists per slot, SMS texts."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.assistance import plans, services
from mawa.assistance.access import points_for_user
from mawa.assistance.forms import PlanForm
from mawa.assistance.models import Allocation, Cycle, RationCard
from mawa.assistance.printing import card_data
from mawa.cards import labels_for, render_cards
from mawa.core.access import require
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.core.spreadsheets import csv_writer
from mawa.planning import DEFAULT_RULES, Placement, Plan, Schedule
from mawa.registry.consent import households_consenting
from mawa.registry.models import ConsentPurpose, Household


def _cycle_for_user(user, pk) -> Cycle:
    require(user, Capability.MANAGE_ASSISTANCE)
    cycle = (
        Cycle.objects.filter(pk=pk, sites__in=user.site_scope())
        .select_related("programme")
        .distinct()
        .first()
    )
    if cycle is None:
        raise Http404
    return cycle


@login_required
def cycle_list(request):
    require(request.user, Capability.MANAGE_ASSISTANCE)
    cycles = (
        Cycle.objects.filter(sites__in=request.user.site_scope())
        .select_related("programme")
        .distinct()
    )
    return render(request, "assistance/cycle_list.html", {"cycles": cycles})


@login_required
def cycle_detail(request, pk):
    cycle = _cycle_for_user(request.user, pk)
    points = points_for_user(request.user, Capability.MANAGE_ASSISTANCE).filter(
        site__in=cycle.sites.all()
    )
    form = PlanForm(request.POST or None, points=points, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        schedule = Schedule(
            days=[data["first_day"] + dt.timedelta(days=i) for i in range(data["days"])],
            start=data["start"],
            end=data["end"],
            lanes=data["lanes"],
            per_lane_per_hour=data["per_lane_per_hour"],
            womens_lane=data["womens_lane"],
            slot_minutes=data["slot_minutes"],
        )
        try:
            plan = plans.plan_cycle(
                actor=request.user, cycle=cycle, point=data["point"], schedule=schedule
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Plan saved: %(s)s households served, %(u)s not this time.")
                % {"s": plan.served, "u": plan.unserved},
            )
            return redirect("assistance:cycle_detail", cycle.pk)
    allocations = Allocation.objects.filter(cycle=cycle, point__in=points)
    cards = RationCard.objects.filter(
        programme=cycle.programme,
        status=RationCard.Status.ACTIVE,
        household__site__in=request.user.site_scope().filter(pk__in=cycle.sites.all()),
    )
    context = {
        "cycle": cycle,
        "form": form,
        "rules_text": DEFAULT_RULES.describe(),
        "cards": cards.count(),
        "served": allocations.filter(served=True).count(),
        "unserved": allocations.filter(served=False).count(),
        "first": allocations.select_related("household").order_by("rank")[:50],
    }
    return render(request, "assistance/cycle_detail.html", context)


@login_required
@require_POST
def cycle_issue_cards(request, pk):
    cycle = _cycle_for_user(request.user, pk)
    issued = services.cards_issue_for_cycle(actor=request.user, cycle=cycle)
    messages.success(request, _("%(n)s cards issued.") % {"n": issued})
    return redirect("assistance:cycle_detail", cycle.pk)


@login_required
def cycle_cards_pdf(request, pk):
    cycle = _cycle_for_user(request.user, pk)
    language = request.GET.get("language") or (get_language() or "ar")[:3]
    language = language if language in ("ar", "ckb", "en") else "ar"
    layout = "single" if request.GET.get("layout") == "single" else "sheet"
    cards = RationCard.objects.filter(
        programme=cycle.programme,
        status=RationCard.Status.ACTIVE,
        household__site__in=request.user.site_scope().filter(pk__in=cycle.sites.all()),
    ).order_by("household__site", "code")
    pdf = render_cards(
        card_data(cards), language=language, layout=layout, labels=labels_for(language)
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        obj=cycle,
        summary={"cards_pdf": cards.count(), "layout": layout},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cards-{cycle.name}.pdf"'
    return response


@login_required
def cycle_plan_csv(request, pk):
    """The plan as lists per slot, with the SMS text for each household, for announcements."""
    cycle = _cycle_for_user(request.user, pk)
    allocations = (
        Allocation.objects.filter(cycle=cycle, point__site__in=request.user.site_scope())
        .select_related("point")
        .order_by("day", "slot_start", "lane", "rank")
    )
    codes = dict(
        RationCard.objects.filter(programme=cycle.programme, status="active").values_list(
            "household_id", "code"
        )
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{cycle.name}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    language = request.GET.get("language") or (get_language() or "ar")[:3]
    allocations = list(allocations)
    # SMS texts and phone numbers only for households that agreed to be contacted
    households = [a.household_id for a in allocations]
    contactable = households_consenting(ConsentPurpose.CONTACT, households)
    phones = dict(Household.objects.filter(pk__in=contactable).values_list("pk", "phone"))
    texts = _messages(allocations, language, {str(pk) for pk in contactable})
    writer.writerow(
        [
            "rank",
            "card",
            "point",
            "served",
            "day",
            "time",
            "lane",
            "planned_date",
            "reason",
            "phone",
            "sms",
        ]
    )
    for a in allocations:
        writer.writerow(
            [
                a.rank,
                codes.get(a.household_id, ""),
                a.point.name,
                int(a.served),
                a.day or "",
                a.slot_start.strftime("%H:%M") if a.slot_start else "",
                a.lane or "",
                a.planned_date or "",
                a.reason,
                phones.get(a.household_id, ""),
                texts.get(str(a.household_id), ""),
            ]
        )
    audit_record(
        actor=request.user, action=AuditEvent.Action.EXPORT, obj=cycle, summary={"plan_csv": True}
    )
    return response


def _messages(allocations: list[Allocation], language: str, contactable: set[str]) -> dict:
    """SMS texts from the planning package's templates (ar, ckb, en), for stored allocations
    of the `contactable` households."""
    placements = [
        Placement(
            household_id=str(a.household_id),
            rank=a.rank,
            score=a.score,
            reason=a.reason,
            reason_codes=[],
            served=a.served,
            day=a.day,
            slot_start=a.slot_start,
            lane=a.lane,
            planned_date=a.planned_date,
        )
        for a in allocations
    ]
    served = sum(1 for p in placements if p.served)
    plan = Plan(
        placements=placements,
        served=served,
        unserved=len(placements) - served,
        stock_used={},
        stock_left={},
    )
    return plan.messages(
        household_language={p.household_id: language for p in placements},
        contactable=contactable,
    )
