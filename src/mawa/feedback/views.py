"""Pages of complaints and feedback: intake, list, detail (assign, status, answer), overdue,
the dashboard panel. Patterns and figures are in views_figures.py."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.assistance.access import points_for_user
from mawa.assistance.models import Cycle
from mawa.core.access import require
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability, Role
from mawa.feedback import patterns, services
from mawa.feedback.access import (
    FIGURES,
    HANDLE,
    RECORD,
    get_ticket_for_user,
    sees_restricted,
    shows_identity,
    tickets_for_user,
)
from mawa.feedback.forms import AnswerForm, AssignForm, FilterForm, StatusForm, TicketForm
from mawa.feedback.models import Category, Status


@dataclass
class Page:
    """A page of tickets without a COUNT over every ticket in scope (hundreds of thousands at
    headquarters): one row more than a page is read to know whether an older page exists."""

    rows: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page(tickets, number) -> Page:
    try:
        number = max(1, min(int(number or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    size = settings.MAWA_PAGE_SIZE
    rows = list(tickets[(number - 1) * size : number * size + 1])
    return Page(rows[:size], number, len(rows) > size)


def _errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
def ticket_list(request):
    tickets = tickets_for_user(request.user).select_related("site", "owner")
    form = FilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        for field in ("status", "category", "channel"):
            if data[field]:
                tickets = tickets.filter(**{field: data[field]})
        if data["site"]:
            tickets = tickets.filter(site=data["site"])
        if data["overdue"]:
            tickets = tickets.overdue()
        if data["mine"]:
            tickets = tickets.filter(owner=request.user)
    page = _page(tickets.order_by("-created_at"), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_record": request.user.can(RECORD),
        "restricted_view": sees_restricted(request.user),
    }
    return render(request, "feedback/ticket_list.html", context)


@login_required
def ticket_new(request):
    require(request.user, RECORD)
    form = TicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_record(actor=request.user, intake=form.intake())
        except services.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            if not tickets_for_user(request.user).filter(pk=ticket.pk).exists():
                if not ticket.restricted:  # a focal point recorded an ordinary ticket
                    messages.success(
                        request,
                        _("Recorded as %(reference)s and passed to the site's team.")
                        % {"reference": ticket.reference},
                    )
                    return redirect("feedback:ticket_new")
                messages.success(
                    request,
                    _(
                        "Recorded as %(reference)s and passed to the PSEA focal points. Give "
                        "the person this reference; only the focal points will see the ticket."
                    )
                    % {"reference": ticket.reference},
                )
                return redirect("feedback:ticket_new")
            messages.success(
                request, _("Recorded as %(reference)s.") % {"reference": ticket.reference}
            )
            return redirect("feedback:ticket_detail", ticket.pk)
    return render(request, "feedback/ticket_new.html", {"form": form})


def _detail_context(request, ticket) -> dict:
    user = request.user
    actions = []
    if ticket.household_id and user.can(Capability.VIEW_PEOPLE):
        actions.append(("registry:household_detail", ticket.household_id, _("Household record")))
    assists = user.can(Capability.MANAGE_ASSISTANCE)
    if assists and ticket.category == Category.MISSING_FROM_LIST and ticket.cycle_id:
        actions.append(("assistance:cycle_detail", ticket.cycle_id, _("The cycle's schedule")))
    if assists and ticket.category == Category.CARD_LOST and ticket.household_id:
        actions.append(("assistance:household_cards", ticket.household_id, _("Replace the card")))
    owners = services.owners_for(ticket)
    return {
        "ticket": ticket,
        "identity": shows_identity(user, ticket),
        "events": ticket.events.select_related("actor"),
        "actions": actions,
        "assign_form": AssignForm(
            ticket=ticket, owners=owners, sites=user.site_scope().filter(is_active=True)
        ),
        "status_form": StatusForm(initial={"status": ticket.status}),
        "answer_form": AnswerForm(ticket=ticket),
    }


@login_required
def ticket_detail(request, pk):
    ticket = get_ticket_for_user(request.user, pk)
    services.audit(actor=request.user, action=AuditEvent.Action.VIEW, ticket=ticket)
    return render(request, "feedback/ticket_detail.html", _detail_context(request, ticket))


@login_required
@require_POST
def ticket_assign(request, pk):
    ticket = get_ticket_for_user(request.user, pk)
    form = AssignForm(
        request.POST,
        ticket=ticket,
        owners=services.owners_for(ticket),
        sites=request.user.site_scope().filter(is_active=True),
    )
    if form.is_valid():
        try:
            services.ticket_assign(
                actor=request.user,
                ticket=ticket,
                owner=form.cleaned_data["owner"],
                site=form.cleaned_data.get("site"),
            )
        except services.FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Assigned."))
    else:
        _errors(request, form)
    return redirect("feedback:ticket_detail", ticket.pk)


@login_required
@require_POST
def ticket_status(request, pk):
    ticket = get_ticket_for_user(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_status(actor=request.user, ticket=ticket, **form.cleaned_data)
        except services.FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Status changed."))
    else:
        _errors(request, form)
    return redirect("feedback:ticket_detail", ticket.pk)


@login_required
@require_POST
def ticket_answer(request, pk):
    ticket = get_ticket_for_user(request.user, pk)
    form = AnswerForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            services.ticket_answer(actor=request.user, ticket=ticket, **form.cleaned_data)
        except services.FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The answer is recorded."))
    else:
        _errors(request, form)
    return redirect("feedback:ticket_detail", ticket.pk)


def _late_by_site(user):
    late = tickets_for_user(user).overdue().select_related("site", "owner").order_by("due_at")
    groups: dict = {}
    for ticket in late[:500]:
        groups.setdefault(ticket.site, []).append(ticket)
    return sorted(groups.items(), key=lambda item: item[0].name if item[0] else "")


@login_required
def overdue(request):
    require(request.user, HANDLE)
    context = {"groups": _late_by_site(request.user), "now": timezone.now()}
    return render(request, "feedback/overdue.html", context)


@login_required
def dashboard_panel(request):
    """Late tickets on the dashboard: a camp manager sees those of the site's owners (the help
    desk's and their own), a focal point the late restricted ones; the others their own."""
    require(request.user, HANDLE)
    late = tickets_for_user(request.user).overdue()
    if request.user.role not in (Role.CAMP_MANAGER, Role.FOCAL_POINT, Role.ADMINISTRATOR):
        late = late.filter(owner=request.user)
    unowned = tickets_for_user(request.user).filter(status=Status.NEW).count()
    context = {
        "late": late.count(),
        "unowned": unowned,
        "groups": _late_by_site(request.user),
        "busy": _busy_points(request.user),
    }
    return render(request, "feedback/_dashboard_panel.html", context)


def _busy_points(user, days: int = 7, most: int = 20) -> list[dict]:
    """Distribution points (of the user's sites) where a day of the last week stands out."""
    if not user.can(FIGURES):
        return []
    found = []
    today = timezone.localdate()
    for point in points_for_user(user, FIGURES).order_by("name")[:most]:
        cycle = Cycle.objects.filter(sites=point.site_id).order_by("-starts").first()
        if cycle is None:
            continue
        recent = [
            r
            for r in patterns.point_days(point, cycle, today)
            if r["spike"] and (today - r["day"]).days < days
        ]
        if recent:
            found.append({"point": point, "cycle": cycle, "days": recent})
    return found
