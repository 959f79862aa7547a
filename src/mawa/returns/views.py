"""Returns pages: a household's return (intentions, readiness, history), the DTM-like figures,
and the clearance priority list."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.access import require, sites_for_user
from mawa.core.audit import audit_record, audit_views
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.hazards.apps import VIEW_HAZARDS
from mawa.hazards.exchange import export_features
from mawa.hazards.models import Building, HazardArea
from mawa.registry.access import get_household_for_user
from mawa.registry.models import Movement
from mawa.returns import services, stats
from mawa.returns.apps import RECORD_RETURN
from mawa.returns.forms import IntentionForm
from mawa.returns.priority import priorities
from mawa.returns.readiness import LEVELS, readiness


@login_required
def household_return(request, pk):
    household = get_household_for_user(request.user, pk)
    intentions = list(household.return_intentions.select_related("area", "building", "recorded_by"))
    audit_views(actor=request.user, objects=intentions)
    current = next((i for i in intentions if i.is_current), None)
    initial = {}
    if current:
        initial = {
            "intends": current.intends,
            "area": current.area_id,
            "address": current.address,
            "latitude": current.latitude,
            "longitude": current.longitude,
            "building": current.building.ref if current.building else "",
            "intended_date": current.intended_date,
            "obstacles": current.obstacles,
        }
    elif household.origin_area_id:
        initial = {"area": household.origin_area_id, "address": household.origin_village}
    context = {
        "household": household,
        "intentions": intentions,
        "current": current,
        "readiness": readiness(current) if current else None,
        "levels": [(str(words), colour) for words, colour in LEVELS.values()],
        "returns": household.movements.filter(reason=Movement.Reason.RETURN).select_related(
            "destination_area"
        ),
        "form": IntentionForm(initial=initial) if request.user.can(RECORD_RETURN) else None,
    }
    return render(request, "returns/household.html", context)


@login_required
@require_POST
def intention_record(request, pk):
    household = get_household_for_user(request.user, pk, RECORD_RETURN)
    form = IntentionForm(request.POST)
    if form.is_valid():
        try:
            services.intention_record(actor=request.user, household=household, **form.cleaned_data)
        except services.ReturnError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Return intention recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("returns:household", household.pk)


@login_required
def statistics(request):
    sites = sites_for_user(request.user, Capability.VIEW_DASHBOARD)
    tables = [(name, build(sites)) for name, build in stats.TABLES.items()]
    return render(request, "returns/stats.html", {"tables": tables})


@login_required
def statistics_csv(request, table):
    sites = sites_for_user(request.user, Capability.VIEW_DASHBOARD)
    if table not in stats.TABLES:
        raise Http404
    data = stats.TABLES[table](sites)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="returns-{table}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (Arabic names) only with the BOM
    writer = csv.writer(response)
    writer.writerow([str(h) for h in data["header"]])
    writer.writerow(data["hxl"])
    writer.writerows(data["rows"])
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="returns.statistics",
        summary={"table": table},
    )
    return response


@login_required
def priority_list(request):
    require(request.user, VIEW_HAZARDS)
    return render(request, "returns/priority.html", {"items": priorities()})


@login_required
def priority_geojson(request):
    """The priority list as GeoJSON (rank and suppressed counts in the properties): what a
    mine-action information system takes, and whose status updates `mawa hazards import`
    and the import page take back."""
    require(request.user, VIEW_HAZARDS)
    items = priorities()
    extra = {
        item.place.ref: {"rank": item.rank, "households_blocked": item.shown} for item in items
    }
    buildings = Building.objects.filter(
        pk__in=[i.place.pk for i in items if i.place.kind == "building"]
    )
    areas = HazardArea.objects.filter(pk__in=[i.place.pk for i in items if i.place.kind == "area"])
    collection = export_features(buildings=buildings, areas=areas, extra=extra)
    collection["features"].sort(key=lambda f: f["properties"]["rank"])
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="returns.priorities",
        summary={"features": len(items)},
    )
    response = HttpResponse(json.dumps(collection), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="clearance-priorities.geojson"'
    return response
