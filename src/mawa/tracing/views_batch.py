"""Pages for a partner's list of sought people: upload, progress, candidates (audited)."""

import csv
import threading
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mawa.core import vault
from mawa.core.access import get_site_for_user, require, sites_for_user
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent
from mawa.core.roles import Role
from mawa.registry.models import Person
from mawa.tracelink import REQUEST_FIELDS
from mawa.tracing import batch as batches
from mawa.tracing.access import _get
from mawa.tracing.apps import TRACE
from mawa.tracing.models import BatchList

MAX_BYTES = 5 * 1024 * 1024


def batches_for_user(user):
    require(user, TRACE)
    if user.role == Role.ADMINISTRATOR:
        return BatchList.objects.all()
    return BatchList.objects.filter(site__in=user.site_scope())


def start(batch_id, path) -> None:
    threading.Thread(target=batches.run_in_thread, args=(batch_id, path), daemon=True).start()


@login_required
def batch_list(request):
    require(request.user, TRACE)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.name.lower().endswith((".csv", ".xlsx")):
            messages.error(request, _("Choose a CSV or XLSX file."))
        elif upload.size > MAX_BYTES:
            messages.error(request, _("The file is larger than 5 MB."))
        else:
            site = get_site_for_user(request.user, request.POST.get("site"), TRACE)
            path = batches.store_upload(upload)
            batch = BatchList.objects.create(
                site=site,
                uploaded_by=request.user,
                filename=upload.name[:200],
                key_id=vault.key_new(),
            )
            audit_record(actor=request.user, action=AuditEvent.Action.IMPORT, obj=batch)
            start(batch.pk, path)
            return redirect("tracing:batch_detail", pk=batch.pk)
    context = {
        "batches": batches_for_user(request.user).select_related("site")[:50],
        "sites": sites_for_user(request.user, TRACE),
        "header": ",".join(REQUEST_FIELDS),
    }
    return render(request, "tracing/batch_list.html", context)


@login_required
def batch_detail(request, pk):
    found = _get(batches_for_user(request.user), pk=pk)
    rows = []
    if found.state == BatchList.State.DONE:
        results = batches.results(found) or []
        people = Person.objects.select_related("household__site").in_bulk({r[2] for r in results})
        rows = [(r[0], r[1], people.get(uuid.UUID(r[2])), r[3]) for r in results]
        audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=found)
    if request.GET.get("download") == "1" and found.state == BatchList.State.DONE:
        audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, obj=found)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="tracing-candidates.csv"'
        writer = csv.writer(response)
        writer.writerow(["request", "rank", "id", "score"])
        for request_id, rank, person, score in rows:
            writer.writerow([request_id, rank, person.pk if person else "", f"{score:.4f}"])
        return response
    partial = request.headers.get("HX-Request")
    template = "tracing/_batch_progress.html" if partial else "tracing/batch_detail.html"
    return render(request, template, {"batch": found, "rows": rows})
