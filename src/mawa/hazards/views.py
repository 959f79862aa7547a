"""Hazard pages: the map, the list, a building's or an area's record, its steps, imports.

Every logged-in role sees hazard data (it saves lives); mine-action coordinators and
administrators record steps and import. Every page shows whose word a status is: a resident's
mark, or a survey or clearance team's or agency's finding.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mawa.core.access import require
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.hazards import exchange, services
from mawa.hazards.apps import EDIT_HAZARDS, VIEW_HAZARDS
from mawa.hazards.forms import BlocksForm, BuildingForm, ImportForm, StepForm
from mawa.hazards.models import COLOURS, WEIGHT, Blocks, Source, Status
from mawa.hazards.selectors import (
    areas_for_user,
    buildings_for_user,
    can_edit,
    get_place_for_user,
)

BOUNDARIES = "boundaries.geojson"


def legend() -> list[dict]:
    return [
        {"code": code, "label": label, "colour": COLOURS[code]} for code, label in Status.choices
    ]


def _boundaries_path():
    return settings.DATA_DIR / BOUNDARIES


@login_required
def map_page(request):
    require(request.user, VIEW_HAZARDS)
    config = {
        "features": reverse("api:map_features"),
        "boundaries": reverse("hazards:boundaries"),
        "tiles": getattr(settings, "MAP_TILE_URL", ""),
        "centre": [34.3, 43.4],
        "zoom": 6,
        "statuses": {code: str(label) for code, label in Status.choices},
        "colours": COLOURS,
        "sources": {code: str(WEIGHT[code]) for code in Source.values},
        "new": reverse("hazards:building_new") if can_edit(request.user) else "",
        "intentions": {code: str(label) for code, label in INTENTIONS},
        "text": {
            "cluster": _("%(count)s places, grouped: zoom in to see them"),
            "shown": _("%(count)s places shown"),
            "site": _("Site"),
            "open": _("Open the record"),
            "record_here": _("Report a hazard here"),
        },
    }
    context = {
        "config": config,
        "legend": legend(),
        "sources": Source.choices,
        "layers": [
            ("buildings", _("Buildings")),
            ("areas", _("Hazard areas")),
            ("sites", _("Sites")),
        ]
        + extra_layers(request.user),
    }
    return render(request, "hazards/map.html", context)


# Layers other apps add to the map page's filter: (name, label, capability), and the words of
# their clusters' counts (the returns app adds its intentions).
PAGE_LAYERS: list[tuple[str, str, str]] = []
INTENTIONS: list[tuple[str, str]] = []


def extra_layers(user) -> list[tuple[str, str]]:
    return [(name, label) for name, label, capability in PAGE_LAYERS if user.can(capability)]


@login_required
def boundaries(request):
    require(request.user, VIEW_HAZARDS)
    path = _boundaries_path()
    if not path.exists():
        return JsonResponse({"type": "FeatureCollection", "features": []})
    return FileResponse(path.open("rb"), content_type="application/geo+json")


@login_required
@require_http_methods(["GET", "POST"])
def boundaries_upload(request):
    """An administrator loads country and administrative boundaries (for example OCHA's) as
    the map's background: no tile server is needed."""
    require(request.user, Capability.MANAGE_SITES)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = json.loads(form.cleaned_data["file"].read())
            features = data.get("features") if isinstance(data, dict) else None
            if data.get("type") != "FeatureCollection" or not isinstance(features, list):
                raise ValueError
        except (ValueError, AttributeError, UnicodeDecodeError):
            messages.error(request, _("The file is not a GeoJSON FeatureCollection."))
        else:
            _boundaries_path().write_text(json.dumps(data), encoding="utf-8")
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.IMPORT,
                object_type="hazards.boundaries",
                summary={"features": len(features)},
            )
            messages.success(request, _("%d boundaries loaded.") % len(features))
            return redirect("hazards:map")
    return render(request, "hazards/upload.html", {"form": form, "title": _("Map boundaries")})


@login_required
def hazard_list(request):
    """Buildings and areas as a table, filtered like the map (for screens without a map)."""
    kind = request.GET.get("kind", "building")
    places = (areas_for_user if kind == "area" else buildings_for_user)(request.user)
    status, source = request.GET.get("status", ""), request.GET.get("source", "")
    if status in Status.values:
        places = places.filter(status=status)
    if source in Source.values:
        places = places.filter(source=source)
    page = Paginator(places.select_related("area").order_by("-status_at"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "kind": kind,
        "status": status,
        "source": source,
        "statuses": Status.choices,
        "sources": Source.choices,
    }
    return render(request, "hazards/list.html", context)


def _detail(request, kind, pk):
    place = get_place_for_user(request.user, kind, pk)
    context = {
        "place": place,
        "kind": kind,
        "steps": place.steps.select_related("recorded_by").order_by("-at", "-recorded_at"),
        "can_edit": can_edit(request.user),
        "step_form": StepForm(initial={"status": place.status}),
        "blocks_form": BlocksForm(initial={"blocks": place.blocks}),
        "blocks": Blocks.choices,
        "step_url": reverse(f"hazards:{kind}_step", args=[place.pk]),
        "blocks_url": reverse(f"hazards:{kind}_blocks", args=[place.pk]),
    }
    return render(request, "hazards/detail.html", context)


@login_required
def building_detail(request, pk):
    return _detail(request, "building", pk)


@login_required
def area_detail(request, pk):
    return _detail(request, "area", pk)


@login_required
@require_POST
def step_add(request, pk, kind):
    place = get_place_for_user(request.user, kind, pk, EDIT_HAZARDS)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.step_record(
                actor=request.user,
                place=place,
                at=form.when(),
                **{
                    k: form.cleaned_data[k]
                    for k in ("status", "source", "method", "by", "evidence", "reason")
                },
            )
        except services.HazardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Status recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect(f"hazards:{kind}_detail", place.pk)


@login_required
@require_POST
def blocks_edit(request, pk, kind):
    place = get_place_for_user(request.user, kind, pk, EDIT_HAZARDS)
    form = BlocksForm(request.POST)
    if form.is_valid():
        services.blocks_set(actor=request.user, place=place, blocks=form.cleaned_data["blocks"])
        messages.success(request, _("Saved."))
    return redirect(f"hazards:{kind}_detail", place.pk)


@login_required
@require_http_methods(["GET", "POST"])
def building_new(request):
    """A new report of a building (from the map: its point comes from a tap or the device)."""
    require(request.user, EDIT_HAZARDS)
    initial = {k: request.GET.get(k) for k in ("latitude", "longitude") if request.GET.get(k)}
    initial.setdefault("status", Status.REPORTED)
    form = BuildingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            building = services.building_create(
                actor=request.user,
                at=form.when(),
                **{
                    k: data[k]
                    for k in (
                        "latitude",
                        "longitude",
                        "address",
                        "area",
                        "status",
                        "source",
                        "method",
                        "by",
                        "evidence",
                        "reason",
                    )
                },
            )
        except services.HazardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Building recorded."))
            return redirect("hazards:building_detail", building.pk)
    return render(request, "hazards/building_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Status updates from a mine-action information system, as GeoJSON: all or nothing."""
    require(request.user, EDIT_HAZARDS)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.MAWA_MAX_UPLOAD_BYTES:
            messages.error(request, _("The file is too large."))
        else:
            try:
                report = exchange.import_features(
                    actor=request.user, data=upload.read(), label=upload.name
                )
            except exchange.ImportFailed as failed:
                errors = failed.errors
                messages.error(request, _("Nothing imported: correct the file and try again."))
            else:
                messages.success(
                    request,
                    _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
                return redirect("hazards:list")
    context = {
        "form": form,
        "errors": errors[:200],
        "more": max(0, len(errors) - 200),
        "title": _("Import hazards (GeoJSON)"),
    }
    return render(request, "hazards/upload.html", context)


@login_required
def export_geojson(request):
    require(request.user, VIEW_HAZARDS)
    collection = exchange.export_features()
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="hazards.geojson",
        summary={"features": len(collection["features"])},
    )
    response = HttpResponse(json.dumps(collection), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="hazards.geojson"'
    return response
