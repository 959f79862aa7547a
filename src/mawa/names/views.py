"""Pages of the names app: the live duplicate check, the review queue, merges and batch runs."""

import threading

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import close_old_connections
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.access import require
from mawa.core.audit import audit_record, audit_views
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.core.spreadsheets import csv_writer
from mawa.names import batch, services
from mawa.names.models import CandidatePair, DedupRun
from mawa.registry.models import Person

PARTS = ("given", "father", "grandfather", "family", "mother")


@login_required
@require_POST
def duplicate_check(request):
    """HTMX panel under a member row: who in the registry this person may already be. POST,
    so that names, birth dates and numbers stay out of URLs (and proxies' logs)."""
    require(request.user, Capability.REGISTER)
    prefix = request.POST.get("prefix", "")[:20]
    get = lambda name: request.POST.get(f"{prefix}-{name}", "")[:120]  # noqa: E731
    fields = {f"{p}_name_{s}": get(f"{p}_name_{s}") for p in PARTS for s in ("ar", "lat")}
    fields.update(sex=get("sex"), birth_date=get("birth_date"), phone=get("phone"))
    record = services.record_from(fields, documents=[("", get("document_number"))])
    result = services.CheckResult([])
    if record.given_name and (record.father_name or record.family_name) or record.id_number:
        result = services.duplicate_check(user=request.user, record=record)
    audit_views(actor=request.user, objects=[m.person for m in result.matches if m.in_scope])
    context = {"matches": result.matches, "withheld": result.withheld, "prefix": prefix}
    return render(request, "names/_check.html", context)


def _pair_for_user(user, pk) -> CandidatePair:
    pair = services.pairs_for_user(user, statuses=CandidatePair.Status.values).filter(pk=pk).first()
    if pair is None:
        raise Http404
    return pair


@login_required
def review_list(request):
    require(request.user, Capability.REVIEW_DUPLICATES)
    status = request.GET.get("status", "")
    statuses = [status] if status in CandidatePair.Status.values else CandidatePair.OPEN_STATUSES
    pairs = services.pairs_for_user(request.user, statuses).order_by("-probability", "pk")
    page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": CandidatePair.Status.choices}
    return render(request, "names/review_list.html", context)


def _rows(a: Person, b: Person) -> list[dict]:
    rows = []
    for part in PARTS:
        for script in ("ar", "lat"):
            name = f"{part}_name_{script}"
            va, vb = getattr(a, name), getattr(b, name)
            label = Person._meta.get_field(name).verbose_name
            rows.append({"label": label, "a": va, "b": vb, "differs": va != vb, "script": script})
    for name in ("sex", "birth_date", "birth_date_precision", "relationship", "phone"):
        va, vb = getattr(a, name), getattr(b, name)
        label = Person._meta.get_field(name).verbose_name
        rows.append({"label": label, "a": va, "b": vb, "differs": va != vb, "script": "lat"})
    return rows


@login_required
def pair_detail(request, pk):
    require(request.user, Capability.REVIEW_DUPLICATES)
    pair = _pair_for_user(request.user, pk)
    if request.method == "POST":
        keep = pair.person_b if request.POST.get("keep") == "b" else pair.person_a
        try:
            services.pair_decide(
                actor=request.user, pair=pair, decision=request.POST.get("decision", ""), keep=keep
            )
        except services.MergeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision saved."))
            return redirect("names:review_list")
    a, b = pair.person_a, pair.person_b
    audit_views(actor=request.user, objects=[a, b])
    comparison = services.compare_records(services.person_record(a), services.person_record(b))
    context = {
        "pair": pair,
        "a": a,
        "b": b,
        "rows": _rows(a, b),
        "reasons": services.reason_labels(comparison.reason_codes, comparison.reasons),
        "probability": comparison.probability,
    }
    return render(request, "names/pair_detail.html", context)


@login_required
def merge_list(request):
    require(request.user, Capability.REVIEW_DUPLICATES)
    merges = services.merges_for_user(request.user).select_related(
        "kept__household__site", "merged__household__site", "merged_by"
    )
    page = Paginator(merges, 25).get_page(request.GET.get("page"))
    audit_views(actor=request.user, objects=[p for m in page for p in (m.kept, m.merged)])
    return render(request, "names/merge_list.html", {"page": page})


@login_required
@require_POST
def merge_reverse(request, pk):
    require(request.user, Capability.REVIEW_DUPLICATES)
    merge = services.merges_for_user(request.user).filter(pk=pk).first()
    if merge is None:
        raise Http404
    try:
        services.merge_reverse(actor=request.user, merge=merge)
    except services.MergeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The merge was undone."))
    return redirect("names:merge_list")


@login_required
def pairs_export(request):
    """Decided pairs as labelled examples (identified: administrators only, audited)."""
    require(request.user, Capability.RUN_DEDUP)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mawa-labelled-pairs.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(["pair", "label", "probability", "source", "decided_at", "a", "b"])
    decided_statuses = [CandidatePair.Status.SAME, CandidatePair.Status.DIFFERENT]
    decided = services.pairs_for_user(request.user, decided_statuses)  # a site-scoped admin: theirs
    for pair in decided.order_by("decided_at").iterator():
        writer.writerow(
            [
                pair.pk,
                pair.status,
                f"{pair.probability:.4f}",
                pair.source,
                pair.decided_at.isoformat() if pair.decided_at else "",
                pair.person_a_id,
                pair.person_b_id,
            ]
        )
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="names.pairs")
    return response


@login_required
def run_list(request):
    require(request.user, Capability.RUN_DEDUP)
    if request.method == "POST":
        if DedupRun.objects.filter(status=DedupRun.Status.RUNNING).exists():
            messages.error(request, _("A run is already in progress."))
        else:
            run = DedupRun.objects.create(started_by=request.user)
            audit_record(actor=request.user, action=AuditEvent.Action.CREATE, obj=run)
            thread = threading.Thread(target=_run_in_thread, args=(run.pk,), daemon=True)
            thread.start()
            return redirect("names:run_detail", run.pk)
    runs = DedupRun.objects.all()[:20]
    return render(request, "names/run_list.html", {"runs": runs})


def _run_in_thread(run_id) -> None:
    try:
        batch.run_registry(run_id)
    finally:
        close_old_connections()


@login_required
def run_detail(request, pk):
    require(request.user, Capability.RUN_DEDUP)
    run = DedupRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    template = "names/_run_progress.html" if request.headers.get("HX-Request") else None
    return render(request, template or "names/run_detail.html", {"run": run})


@login_required
@require_POST
def run_cancel(request, pk):
    require(request.user, Capability.RUN_DEDUP)
    updated = DedupRun.objects.filter(pk=pk, status=DedupRun.Status.RUNNING).update(
        cancel_requested=True
    )
    if not updated and not DedupRun.objects.filter(pk=pk).exists():
        raise Http404
    return redirect("names:run_detail", pk)
