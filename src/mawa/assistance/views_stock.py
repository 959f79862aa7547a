"""Stock pages: balances per location, receipts and losses, dispatches and their counting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.assistance import offline, services
from mawa.assistance.access import doubles_for_user, get_double_for_user
from mawa.assistance.entitlements import quantity_text
from mawa.assistance.forms import DispatchForm, ReceiveForm, StockForm, locations_for
from mawa.assistance.models import Dispatch
from mawa.core.access import require
from mawa.core.roles import Capability


@login_required
def stock_overview(request):
    require(request.user, Capability.MANAGE_ASSISTANCE)
    locations = list(locations_for(request.user).select_related("site"))
    for location in locations:
        location.balance = [
            (code, quantity_text(qty))
            for code, qty in sorted(services.stock_balance(location).items())
        ]
    incoming = Dispatch.objects.filter(destination__in=locations, received_at=None).select_related(
        "source", "destination", "commodity"
    )
    context = {
        "locations": locations,
        "incoming": incoming,
        "stock_form": StockForm(user=request.user, prefix="s"),
        "dispatch_form": DispatchForm(user=request.user, prefix="d"),
    }
    return render(request, "assistance/stock.html", context)


def _report(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
@require_POST
def stock_move(request):
    require(request.user, Capability.MANAGE_ASSISTANCE)
    form = StockForm(request.POST, user=request.user, prefix="s")
    if form.is_valid():
        services.stock_record(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Recorded."))
    else:
        _report(request, form)
    return redirect("assistance:stock")


@login_required
@require_POST
def stock_dispatch(request):
    require(request.user, Capability.MANAGE_ASSISTANCE)
    form = DispatchForm(request.POST, user=request.user, prefix="d")
    if form.is_valid():
        try:
            services.dispatch_send(actor=request.user, **form.cleaned_data)
        except services.AssistanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Dispatched."))
    else:
        _report(request, form)
    return redirect("assistance:stock")


@login_required
@require_POST
def stock_receive(request, pk):
    require(request.user, Capability.MANAGE_ASSISTANCE)
    dispatch = Dispatch.objects.filter(pk=pk, destination__in=locations_for(request.user)).first()
    if dispatch is None:
        raise Http404
    form = ReceiveForm(request.POST)
    if form.is_valid():
        try:
            services.dispatch_receive(
                actor=request.user, dispatch=dispatch, counted=form.cleaned_data["counted"]
            )
        except services.AssistanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Received and counted."))
    else:
        _report(request, form)
    return redirect("assistance:stock")


@login_required
def doubles(request):
    """Households served twice in a cycle at offline field nodes, for someone to look into."""
    rows = doubles_for_user(request.user, Capability.MANAGE_ASSISTANCE).order_by(
        "reviewed_at", "-at"
    )
    return render(request, "assistance/doubles.html", {"doubles": rows[:500]})


@login_required
@require_POST
def double_review(request, pk):
    redemption = get_double_for_user(request.user, pk, Capability.MANAGE_ASSISTANCE)
    offline.double_review(
        actor=request.user, redemption=redemption, note=request.POST.get("note", "")
    )
    messages.success(request, _("Marked as reviewed."))
    return redirect("assistance:doubles")
