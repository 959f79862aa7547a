"""Dashboards: the whole operation and one site at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.access import get_site_for_user, sites_for_user
from mawa.core.roles import Capability
from mawa.registry import services, stats
from mawa.registry.forms import ShelterBatchForm


def _figures_context(sites, user) -> dict:
    exact = stats.exact_counts(user)
    series = stats.movement_series(sites)
    return {
        "bars": stats.chart_bars(series, exact=exact),
        "arrivals_30": stats.small_cell(sum(d["in"] for d in series), exact),
        "departures_30": stats.small_cell(sum(d["out"] for d in series), exact),
        "needs": stats.needs_counts(sites, user),
    }


@login_required
def dashboard(request):
    sites = sites_for_user(request.user, Capability.VIEW_DASHBOARD).select_related("area")
    exact = stats.exact_counts(request.user)
    figures = stats.site_figures(list(sites), exact)
    figures.sort(key=lambda f: (not f.over_capacity, -f.people))
    context = {
        "figures": figures,
        "totals": stats.totals(figures, exact),
        **_figures_context(sites, request.user),
    }
    return render(request, "registry/dashboard.html", context)


@login_required
def site_detail(request, pk):
    site = get_site_for_user(request.user, pk, Capability.VIEW_DASHBOARD)
    (figures,) = stats.site_figures([site], stats.exact_counts(request.user))
    context = {"site": site, "figures": figures, **_figures_context([site], request.user)}
    if request.user.can(Capability.VIEW_PEOPLE):
        context["shelters"] = stats.shelter_rows(site)
    if request.user.can(Capability.MANAGE_SHELTER):
        context["shelter_form"] = ShelterBatchForm(prefix="shelters")
    return render(request, "registry/site_detail.html", context)


@login_required
@require_POST
def site_shelters_add(request, pk):
    site = get_site_for_user(request.user, pk, Capability.MANAGE_SHELTER)
    form = ShelterBatchForm(request.POST, prefix="shelters")
    if form.is_valid():
        made = services.shelters_add(actor=request.user, site=site, **form.cleaned_data)
        messages.success(request, _("%(n)s shelters added.") % {"n": len(made)})
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect("registry:site_detail", site.pk)
