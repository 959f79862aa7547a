"""Core pages: language choice, the audit log, and friendly error pages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mawa.core.access import require
from mawa.core.audit import audit_record
from mawa.core.audit_scope import audit_events_for_user
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.core.spreadsheets import csv_writer


@require_POST
def language_set(request):
    """Switch the page language; a logged-in user's choice is saved on their account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if translation.check_for_language(language):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie("mawa_language", language, samesite="Lax", max_age=365 * 86400)
    return response


@login_required
def audit_list(request):
    require(request.user, Capability.VIEW_AUDIT)
    events = audit_events_for_user(request.user).select_related("user")
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    object_id = request.GET.get("object", "").strip()
    if object_id:
        events = events.filter(object_id=object_id)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {"page": page, "actions": AuditEvent.Action.choices, "action": action},
    )


@login_required
def audit_export(request):
    require(request.user, Capability.VIEW_AUDIT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mawa-audit.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(["at", "username", "action", "object_type", "object_id", "address", "summary"])
    for event in audit_events_for_user(request.user).order_by("at").iterator(chunk_size=2000):
        writer.writerow(
            [
                event.at.isoformat(),
                event.username,
                event.action,
                event.object_type,
                event.object_id,
                event.address or "",
                event.summary,
            ]
        )
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="core.audit")
    return response


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
