"""Import (upload, map, dry run, confirm) and export (CSV or XLSX with HXL) pages."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mawa.core.access import get_site_for_user, sites_for_user
from mawa.core.audit import audit_record
from mawa.core.forms import DigitsForm, FlexibleDateField, check_past_date
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.registry import exports, imports, uploads
from mawa.registry.access import households_for_user, people_for_user
from mawa.registry.models import ImportJob
from mawa.registry.needs import PROTECTION_CODES, visible_needs
from mawa.registry.services import RegistryError
from mawa.registry.tables import TableError, read_table


class UploadForm(DigitsForm):
    site = forms.ModelChoiceField(label=gettext_lazy("Site"), queryset=None)
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    consent_date = FlexibleDateField(label=gettext_lazy("Date the families gave consent"))
    consent_confirmed = forms.BooleanField(
        label=gettext_lazy("The families consented to registration for assistance"),
        error_messages={"required": gettext_lazy("Mawa imports only families who consented.")},
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def clean_consent_date(self):
        return check_past_date(self.cleaned_data["consent_date"], earliest_year=2000)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAWA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.MAWA_MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


def _load(job: ImportJob):
    raw = Path(job.stored_as).read_bytes()
    return read_table(job.filename, raw)


def _get_job(user, pk) -> ImportJob:
    sites = sites_for_user(user, Capability.IMPORT)
    job = ImportJob.objects.filter(pk=pk, user=user, status=ImportJob.Status.CHECKED).first()
    if job is None or not sites.filter(pk=job.site_id).exists():
        raise Http404
    return job


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    sites = sites_for_user(request.user, Capability.IMPORT)
    form = UploadForm(request.POST or None, request.FILES or None, sites=sites)
    if request.method == "POST":
        uploads.purge()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        try:
            table = read_table(upload.name, raw)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            path = uploads.store(raw)
            job = ImportJob.objects.create(
                user=request.user,
                site=form.cleaned_data["site"],
                filename=upload.name[:200],
                stored_as=str(path),
                mapping=imports.guess_mapping(table.headers),
                report={"consent_date": form.cleaned_data["consent_date"].isoformat()},
            )
            return redirect("registry:import_check", job.pk)
    return render(request, "registry/import_upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_check(request, pk):
    """Map columns and show the dry run; on confirmation, write all rows or the valid ones."""
    job = _get_job(request.user, pk)
    table = _load(job)
    if request.method == "POST" and any(key.startswith("map_") for key in request.POST):
        job.mapping = {
            target: request.POST[f"map_{target}"]
            for target in imports.TARGETS
            if request.POST.get(f"map_{target}") in table.headers
        }
        job.save(update_fields=["mapping"])
    consent_date = timezone.datetime.fromisoformat(job.report["consent_date"]).date()
    report = imports.check_table(table, job.mapping, consent_date)
    action = request.POST.get("action")
    if action in {"import_all", "import_valid"}:
        try:
            count = imports.import_households(
                actor=request.user,
                site=job.site,
                report=report,
                only_valid=action == "import_valid",
                filename=job.filename,
            )
        except RegistryError as error:
            messages.error(request, str(error))
        else:
            job.status = ImportJob.Status.IMPORTED
            job.report = {**job.report, **report.as_dict(), "imported": count}
            job.save(update_fields=["status", "report"])
            uploads.discard(job)
            Path(job.stored_as).unlink(missing_ok=True)
            messages.success(request, _("%(n)s households imported.") % {"n": count})
            return redirect("registry:household_list")
    context = {
        "job": job,
        "headers": table.headers,
        "targets": [(t, label) for t, (label, _a) in imports.TARGETS.items()],
        "report": report.as_dict(),
        "encoding": table.encoding,
    }
    return render(request, "registry/import_check.html", context)


EXPORT_KINDS = {"households", "people"}
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.write_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.write_xlsx,
    ),
}


@login_required
def export_page(request):
    sites = sites_for_user(request.user, Capability.EXPORT)
    return render(request, "registry/export.html", {"sites": sites})


@login_required
def export_download(request, kind, fmt):
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise Http404
    identified = request.GET.get("identified") == "1"
    if kind == "households":
        queryset = households_for_user(request.user, Capability.EXPORT)
    else:
        queryset = people_for_user(request.user, Capability.EXPORT)
    site_id = request.GET.get("site")
    if site_id:
        site = get_site_for_user(request.user, site_id, Capability.EXPORT)
        queryset = queryset.filter(
            **({"site": site} if kind == "households" else {"household__site": site})
        )
    if kind == "households":
        rows = exports.household_rows(queryset, identified)
    else:  # needs: as the user sees them, and never a protection code in a pseudonymous file
        needs = visible_needs(request.user) - (set() if identified else PROTECTION_CODES)
        rows = exports.person_rows(queryset, identified, needs=needs)
    content_type, writer = EXPORT_FORMATS[fmt]
    body = writer(exports.columns_for(kind, identified), rows)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=f"registry.{kind}",
        summary={"format": fmt, "identified": identified, "site": site_id or "all"},
    )
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mawa-{kind}-{stamp}.{fmt}"'
    return response
