"""Pages of the tracing app. Thin: reads through ``access``, writes through ``services``; every
view of a case is audited, and no registry page links here or says a case exists."""

import csv
import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.access import require, sites_for_user
from mawa.core.audit import audit_record, audit_views
from mawa.core.ids import clean_reference
from mawa.core.models import AuditEvent
from mawa.registry.models import Household
from mawa.tracing import services
from mawa.tracing.access import (
    cases_for_user,
    get_case_for_user,
    get_consent_for_user,
    get_match_for_user,
    get_verification_for_user,
)
from mawa.tracing.apps import TRACE, TRACE_EXPORT
from mawa.tracing.forms import CaseForm, ConsentForm, SoughtForm, StatusForm
from mawa.tracing.models import Case, Circumstance, Consent, ExportSwitch, Match, Status
from mawa.tracing.pdf import summary_pdf
from mawa.tracing.reasons import reasons_text

SOUGHT_FIELDS = ("relation", "given_name", "father_name", "grandfather_name", "family_name",
                 "mother_name", "sex", "birth_year", "governorate", "last_seen_date",
                 "circumstances", "marks", "last_seen_place")  # fmt: skip


def _fail(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def case_list(request):
    cases = cases_for_user(request.user).filter(erased_at=None)
    status = request.GET.get("status", "")
    cases = cases.filter(status=status) if status in Status.values else cases
    cases = list(cases.select_related("site")[:200])
    audit_views(actor=request.user, objects=cases)  # a list shows the seekers' names
    context = {"cases": cases, "status": status,
               "statuses": Status.choices, "children": False}  # fmt: skip
    return render(request, "tracing/case_list.html", context)


@login_required
def child_list(request):
    cases = cases_for_user(request.user).filter(is_child=True, erased_at=None)
    cases = list(cases.select_related("site")[:200])
    audit_views(actor=request.user, objects=cases)
    context = {"cases": cases, "children": True,
               "statuses": Status.choices}  # fmt: skip
    return render(request, "tracing/case_list.html", context)


def _seeker_person(user, form):
    reference = clean_reference(form.cleaned_data["seeker_household"] or "")
    if not reference:
        return None
    household = Household.objects.filter(reference=reference, site__in=user.site_scope()).first()
    if household is None:
        return None
    return household.members.filter(relationship="head").first() or household.members.first()


@login_required
def case_new(request):
    require(request.user, TRACE)
    sites = sites_for_user(request.user, TRACE)
    form = CaseForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seeker = services.SeekerInput(
            person=_seeker_person(request.user, form),
            given_name=data["seeker_given_name"],
            father_name=data["seeker_father_name"],
            grandfather_name=data["seeker_grandfather_name"],
            family_name=data["seeker_family_name"],
            sex=data["seeker_sex"],
            contact=data["seeker_contact"],
        )
        sought = services.SoughtInput(**{name: data[name] for name in SOUGHT_FIELDS})
        try:
            case = services.case_open(
                actor=request.user, site=data["site"], seeker=seeker, sought=[sought],
                notes=data["notes"], designated_officer=data["designated_officer"],
            )  # fmt: skip
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Case %(ref)s recorded.") % {"ref": case.reference})
            return redirect("tracing:case_detail", pk=case.pk)
    return render(request, "tracing/case_new.html", {"form": form})


def _match_rows(case: Case):
    rows = []
    matches = (
        Match.objects.filter(sought__case=case)
        .exclude(state=Match.State.REJECTED)
        .select_related("person__household__site", "other_case", "sought")
        .prefetch_related("verifications", "consents")
    )
    for match in matches:
        rows.append({
            "match": match,
            "reasons": reasons_text(match.reasons),
            "verifications": [
                {"v": v, "question": Case.unseal(v.question_sealed),
                 "answer": Case.unseal(v.answer_sealed)}
                for v in match.verifications.all()
            ],
        })  # fmt: skip
    return rows


def _circumstance(code: str | None) -> str:
    labels = dict(Circumstance.choices)
    return str(labels.get(code, code or ""))


@login_required
def case_detail(request, pk):
    case = get_case_for_user(request.user, pk)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=case)
    sought = [
        {"s": s, "circumstances": _circumstance(Case.unseal(s.circumstances_sealed)),
         "marks": Case.unseal(s.marks_sealed), "place": Case.unseal(s.last_seen_place_sealed)}
        for s in case.sought.all()
    ]  # fmt: skip
    rows = _match_rows(case)
    audit_views(actor=request.user, objects=[r["match"].person for r in rows if r["match"].person])
    context = {
        "case": case,
        "sought": sought,
        "rows": rows,
        "contact": Case.unseal(case.seeker_contact_sealed),
        "notes": Case.unseal(case.notes_sealed),
        "best_interests": Case.unseal(case.best_interests_sealed),
        "history": case.history.select_related("by"),
        "status_form": StatusForm(initial={"status": case.status}),
        "consent_form": ConsentForm(),
        "is_designated": case.designated_officer_id == request.user.pk,
        "rejected": Match.objects.filter(sought__case=case, state=Match.State.REJECTED).count(),
    }
    return render(request, "tracing/case_detail.html", context)


@login_required
def sought_add(request, pk):
    case = get_case_for_user(request.user, pk)
    form = SoughtForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = services.SoughtInput(**{n: form.cleaned_data[n] for n in SOUGHT_FIELDS})
        try:
            services.sought_add(actor=request.user, case=case, data=data)
        except ValidationError as error:
            _fail(request, error)
        return redirect("tracing:case_detail", pk=case.pk)
    return render(request, "tracing/sought_add.html", {"form": form, "case": case})


@login_required
@require_POST
def case_rematch(request, pk):
    case = get_case_for_user(request.user, pk)
    made = services.case_match(actor=request.user, case=case)
    messages.info(request, _("%(n)d new candidates.") % {"n": made})
    return redirect("tracing:case_detail", pk=case.pk)


@login_required
@require_POST
def case_status(request, pk):
    case = get_case_for_user(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.status_change(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Choose a status."))
    return redirect("tracing:case_detail", pk=case.pk)


@login_required
@require_POST
def case_best_interests(request, pk):
    case = get_case_for_user(request.user, pk)
    try:
        services.best_interests_record(actor=request.user, case=case,
                                       note=request.POST.get("note", "")[:4000])  # fmt: skip
    except ValidationError as error:
        _fail(request, error)
    return redirect("tracing:case_detail", pk=case.pk)


@login_required
@require_POST
def case_erase(request, pk):
    case = get_case_for_user(request.user, pk)
    try:
        services.case_erase(actor=request.user, case=case)
    except ValidationError as error:
        _fail(request, error)
        return redirect("tracing:case_detail", pk=case.pk)
    messages.success(request, _("Case %(ref)s erased.") % {"ref": case.reference})
    return redirect("tracing:case_list")


@login_required
@require_POST
def match_decide(request, pk):
    match = get_match_for_user(request.user, pk)
    try:
        services.match_decide(actor=request.user, match=match,
                              decision=request.POST.get("decision", ""))  # fmt: skip
    except ValidationError as error:
        _fail(request, error)
    return redirect("tracing:case_detail", pk=match.sought.case_id)


@login_required
@require_POST
def verification_ask(request, pk):
    match = get_match_for_user(request.user, pk)
    try:
        services.verification_ask(actor=request.user, match=match,
                                  question=request.POST.get("question", "")[:1000])  # fmt: skip
    except ValidationError as error:
        _fail(request, error)
    return redirect("tracing:case_detail", pk=match.sought.case_id)


@login_required
@require_POST
def verification_answer(request, pk):
    verification = get_verification_for_user(request.user, pk)
    consistent = {"yes": True, "no": False}.get(request.POST.get("consistent", ""))
    try:
        services.verification_answer(
            actor=request.user, verification=verification,
            answer=request.POST.get("answer", "")[:2000], consistent=consistent,
        )  # fmt: skip
    except ValidationError as error:
        _fail(request, error)
    return redirect("tracing:case_detail", pk=verification.match.sought.case_id)


@login_required
@require_POST
def consent_record(request, pk):
    match = get_match_for_user(request.user, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what may be disclosed."))
        return redirect("tracing:case_detail", pk=match.sought.case_id)
    try:
        services.consent_record(actor=request.user, match=match, **form.cleaned_data)
    except ValidationError as error:
        _fail(request, error)
    except PermissionDenied:
        messages.error(request, _("Only the designated officer consents on a child's behalf."))
    return redirect("tracing:case_detail", pk=match.sought.case_id)


@login_required
@require_POST
def consent_withdraw(request, pk):
    consent = get_consent_for_user(request.user, pk)
    services.consent_withdraw(actor=request.user, consent=consent)
    return redirect("tracing:case_detail", pk=consent.match.sought.case_id)


def seeker_news(case: Case) -> dict:
    """What the seeker may be told: only that the search continues, until the found person
    (or, for a child, the designated officer) has agreed, and only what they agreed to."""
    found = []
    for match, scopes in services.disclosable(case):
        person = match.person
        contact = site = ""
        if person is not None and Consent.Scope.CONTACT in scopes:
            contact = person.phone or person.household.phone
        if person is not None and Consent.Scope.LOCATION in scopes:
            site = person.household.site.name
        found.append({"name": match.sought.full_name, "contact": contact, "site": site})
    return {"found": found}


@login_required
def seeker_update(request, pk):
    case = get_case_for_user(request.user, pk)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=case,
                 summary={"page": "seeker_update"})  # fmt: skip
    return render(request, "tracing/seeker_update.html", {"case": case, **seeker_news(case)})


@login_required
def case_pdf(request, pk):
    case = get_case_for_user(request.user, pk)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, obj=case,
                 summary={"format": "pdf"})  # fmt: skip
    seeker_rows = [(_("seeker"), case.seeker_names), (_("status"), case.get_status_display())]
    sections = [(_("Case %(ref)s") % {"ref": case.reference}, seeker_rows)]
    for sought in case.sought.all():
        rows = [
            (_("relation to the seeker"), sought.get_relation_display()),
            (_("name"), sought.full_name),
            (_("mother's name"), sought.mother_name),
            (_("birth year or age"), sought.birth_year),
            (_("distinguishing marks"), Case.unseal(sought.marks_sealed) or ""),
        ]
        if sought.found_person_id:
            person = sought.found_person
            rows.append((_("found at"), person.household.site.name))
        sections.append((_("Sought person"), rows))
    body = summary_pdf(
        title=_("Family tracing: case summary"), sections=sections,
        language=get_language() or "en",
        footer=_("Confidential. Printed %(when)s.") % {"when": timezone.now().date().isoformat()},
    )  # fmt: skip
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
    return response


def _pseudonym(value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"tracing:{value}".encode(), hashlib.sha256).hexdigest()[:12]


@login_required
def export(request):
    require(request.user, TRACE_EXPORT)
    switch = ExportSwitch.objects.first()
    if request.method == "POST":
        services.exports_switch(actor=request.user, enabled=request.POST.get("enabled") == "1")
        return redirect("tracing:export")
    if request.GET.get("download") != "1":
        return render(request, "tracing/export.html", {"enabled": bool(switch and switch.enabled)})
    if not (switch and switch.enabled):
        messages.error(request, _("Exports of tracing data are off."))
        return redirect("tracing:export")
    named = request.GET.get("names") == "1"
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="tracing.case",
                 summary={"pseudonymised": not named})  # fmt: skip
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tracing-cases.csv"'
    writer = csv.writer(response)
    writer.writerow(["case", "site", "status", "child", "sought", "relation", "opened"])
    for case in (
        Case.objects.filter(erased_at=None).select_related("site").prefetch_related("sought")
    ):
        for sought in case.sought.all():
            writer.writerow([
                case.reference if named else _pseudonym(case.reference), case.site.code,
                case.status, int(case.is_child),
                sought.full_name if named else _pseudonym(str(sought.pk)),
                sought.relation, case.created_at.date().isoformat(),
            ])  # fmt: skip
    return response
