"""Writes of the tracing app: cases, matching runs, decisions, verification, consent, erasure.

Each service takes keyword-only arguments, runs in a transaction and writes the audit log.
Sensitive values are sealed with the case's key (``Case.seal``) before they are stored, and
the audit log never carries them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core import vault
from mawa.core.audit import audit_record
from mawa.core.ids import new_reference
from mawa.core.models import Site, User
from mawa.core.roles import Role
from mawa.registry.models import Person
from mawa.tracelink.request import parse_birth_year
from mawa.tracing import matching
from mawa.tracing.models import (
    CHILD_CIRCUMSTANCES,
    OPEN_STATUSES,
    Case,
    Consent,
    ExportSwitch,
    Match,
    Sought,
    Status,
    StatusChange,
    Verification,
)


@dataclass
class SoughtInput:
    relation: str
    given_name: str = ""
    father_name: str = ""
    grandfather_name: str = ""
    family_name: str = ""
    mother_name: str = ""
    sex: str = ""
    birth_year: str = ""
    governorate: str = ""
    last_seen_date: object = None
    circumstances: str = ""
    marks: str = ""
    last_seen_place: str = ""


@dataclass
class SeekerInput:
    person: Person | None = None
    given_name: str = ""
    father_name: str = ""
    grandfather_name: str = ""
    family_name: str = ""
    sex: str = ""
    contact: str = ""
    names: dict = field(default_factory=dict)


def _status(case: Case, status: str, actor: User | None, reason: str = "") -> None:
    case.status = status
    StatusChange.objects.create(case=case, status=status, reason=reason[:200], by=actor)


def _sought_create(case: Case, data: SoughtInput) -> Sought:
    try:
        parse_birth_year(data.birth_year)
    except ValueError as error:
        raise ValidationError(
            _("Birth year: give a year (1990), an approximate year (~1990), a range or an age.")
        ) from error
    return Sought.objects.create(
        case=case,
        relation=data.relation,
        given_name=data.given_name.strip(),
        father_name=data.father_name.strip(),
        grandfather_name=data.grandfather_name.strip(),
        family_name=data.family_name.strip(),
        mother_name=data.mother_name.strip(),
        sex=data.sex,
        birth_year=data.birth_year.strip(),
        governorate=data.governorate.strip(),
        last_seen_date=data.last_seen_date,
        circumstances_sealed=case.seal(data.circumstances),
        marks_sealed=case.seal(data.marks),
        last_seen_place_sealed=case.seal(data.last_seen_place),
    )


@transaction.atomic
def case_open(*, actor: User, site: Site, seeker: SeekerInput, sought: list[SoughtInput],
              notes: str = "", designated_officer: User | None = None) -> Case:  # fmt: skip
    """Record a tracing request and match it at once."""
    if not sought:
        raise ValidationError(_("A case needs at least one sought person."))
    is_child = any(s.circumstances in CHILD_CIRCUMSTANCES for s in sought)
    case = Case(
        reference=f"TR-{new_reference()}",
        site=site,
        officer=actor if actor.role == Role.PROTECTION else None,
        designated_officer=designated_officer,
        is_child=is_child,
        key_id=vault.key_new(),
        seeker_person=seeker.person,
        seeker_given_name=seeker.given_name.strip(),
        seeker_father_name=seeker.father_name.strip(),
        seeker_grandfather_name=seeker.grandfather_name.strip(),
        seeker_family_name=seeker.family_name.strip(),
        seeker_sex=seeker.sex,
        created_by=actor,
    )
    case.seeker_contact_sealed = case.seal(seeker.contact)
    case.notes_sealed = case.seal(notes)
    case.save()
    for data in sought:
        _sought_create(case, data)
    _status(case, Status.OPEN, actor, "")
    audit_record(actor=actor, action="create", obj=case, summary={"sought": len(sought),
                 "child": is_child})  # fmt: skip
    case_match(actor=actor, case=case)
    return case


@transaction.atomic
def sought_add(*, actor: User, case: Case, data: SoughtInput) -> Sought:
    _require_open(case)
    sought = _sought_create(case, data)
    if data.circumstances in CHILD_CIRCUMSTANCES and not case.is_child:
        case.is_child = True
        case.save(update_fields=["is_child", "updated_at"])
    audit_record(actor=actor, action="change", obj=case, summary={"sought_added": str(sought.pk)})
    case_match(actor=actor, case=case)
    return sought


def _require_open(case: Case) -> None:
    if case.erased_at is not None or not case.is_open:
        raise ValidationError(_("This case is no longer open."))


@transaction.atomic
def case_match(*, actor: User | None, case: Case) -> int:
    """Match every sought person of an open case; new proposals only (a person rejected or
    already proposed for this sought person is never proposed again). Returns how many."""
    if case.erased_at is not None or not case.is_open:
        return 0
    made = 0
    for sought in case.sought.all():
        known_people = set(sought.matches.exclude(person=None).values_list("person_id", flat=True))
        known_cases = set(
            sought.matches.exclude(other_case=None).values_list("other_case_id", flat=True)
        )
        for candidate, person in matching.registry_matches(sought, exclude=known_people):
            Match.objects.create(sought=sought, person=person, score=candidate.score,
                                 reasons=matching.reasons_of(candidate))  # fmt: skip
            made += 1
        for candidate, other, mutual in matching.case_matches(sought, exclude=known_cases):
            Match.objects.create(
                sought=sought,
                other_case=other,
                mutual=mutual,
                score=candidate.score,
                reasons=matching.reasons_of(candidate),
            )
            made += 1
    if made and case.status == Status.OPEN:
        _status(case, Status.POTENTIAL_MATCH, actor, _("%(n)d candidates proposed") % {"n": made})
        case.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="change", obj=case, summary={"matched": made})
    return made


DECISIONS = {
    "confirm": Match.State.CONFIRMED,
    "reject": Match.State.REJECTED,
    "verify": Match.State.VERIFYING,
}


@transaction.atomic
def match_decide(*, actor: User, match: Match, decision: str) -> Match:
    """Confirm, reject (remembered: never proposed again) or ask for verification."""
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    case = match.sought.case
    _require_open(case)
    match.state = DECISIONS[decision]
    match.decided_by, match.decided_at = actor, timezone.now()
    match.save(update_fields=["state", "decided_by", "decided_at"])
    if decision == "verify" and case.status != Status.UNDER_VERIFICATION:
        _status(case, Status.UNDER_VERIFICATION, actor)
    elif decision == "confirm":
        if match.person_id:
            match.sought.found_person_id = match.person_id
            match.sought.save(update_fields=["found_person"])
        _status(case, Status.LOCATED_ALIVE, actor, _("match confirmed"))
    elif (
        decision == "reject"
        and case.status == Status.POTENTIAL_MATCH
        and not Match.objects.filter(sought__case=case, state=Match.State.PROPOSED).exists()
    ):
        _status(case, Status.OPEN, actor, _("every candidate rejected"))
    case.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="change", obj=match, summary={"decision": decision})
    return match


@transaction.atomic
def verification_ask(*, actor: User, match: Match, question: str) -> Verification:
    case = match.sought.case
    _require_open(case)
    if not question.strip():
        raise ValidationError(_("Write the question."))
    asked = Verification.objects.create(match=match, question_sealed=case.seal(question.strip()),
                                        asked_by=actor)  # fmt: skip
    if match.state == Match.State.PROPOSED:
        match.state = Match.State.VERIFYING
        match.save(update_fields=["state"])
    audit_record(actor=actor, action="create", obj=asked)
    return asked


@transaction.atomic
def verification_answer(*, actor: User, verification: Verification, answer: str,
                        consistent: bool | None) -> Verification:  # fmt: skip
    case = verification.match.sought.case
    _require_open(case)
    verification.answer_sealed = case.seal(answer.strip())
    verification.consistent = consistent
    verification.answered_by, verification.answered_at = actor, timezone.now()
    verification.save()
    audit_record(actor=actor, action="change", obj=verification,
                 summary={"consistent": consistent})  # fmt: skip
    return verification


@transaction.atomic
def best_interests_record(*, actor: User, case: Case, note: str) -> Case:
    """The best-interests step a child's reunification needs, by a protection officer."""
    if not case.is_child:
        raise ValidationError(_("Only a child's case has a best-interests step."))
    if not note.strip():
        raise ValidationError(_("Write the best-interests assessment."))
    case.best_interests_sealed = case.seal(note.strip())
    case.best_interests_at, case.best_interests_by = timezone.now(), actor
    case.save(update_fields=["best_interests_sealed", "best_interests_at", "best_interests_by",
                             "updated_at"])  # fmt: skip
    audit_record(actor=actor, action="change", obj=case, summary={"best_interests": True})
    return case


@transaction.atomic
def consent_record(*, actor: User, match: Match, given_by: str, scopes: list[str]) -> Consent:
    """The found person's agreement to disclose (who, when, to what). For a child only the
    designated officer consents, on the child's behalf."""
    case = match.sought.case
    if match.state != Match.State.CONFIRMED:
        raise ValidationError(_("Confirm the match before recording consent."))
    scopes = [s for s in scopes if s in Consent.Scope.values]
    if not scopes:
        raise ValidationError(_("Say what may be disclosed."))
    if case.is_child:
        if case.designated_officer_id != actor.pk:
            raise PermissionDenied
        given_by = actor.get_full_name() or actor.username
    elif not given_by.strip():
        raise ValidationError(_("Say who consented."))
    consent = Consent.objects.create(match=match, given_by=given_by.strip()[:120],
                                     on_behalf_of_child=case.is_child, scopes=scopes,
                                     recorded_by=actor)  # fmt: skip
    audit_record(actor=actor, action="create", obj=consent, summary={"scopes": scopes})
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    if consent.withdrawn_at is None:
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(actor=actor, action="change", obj=consent, summary={"withdrawn": True})
    return consent


def disclosable(case: Case) -> list[tuple[Match, set[str]]]:
    """Confirmed matches whose active consent lets the seeker be told something, with what."""
    found = []
    matches = Match.objects.filter(sought__case=case, state=Match.State.CONFIRMED)
    for match in matches.prefetch_related("consents"):
        scopes = {s for c in match.consents.all() if c.active for s in c.scopes}
        if scopes:
            found.append((match, scopes))
    return found


@transaction.atomic
def status_change(*, actor: User, case: Case, status: str, reason: str = "") -> Case:
    if case.erased_at is not None:
        raise ValidationError(_("This case was erased."))
    if status not in Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Status.CLOSED and not reason.strip():
        raise ValidationError(_("Give the reason for closing the case."))
    if status == Status.REUNIFIED:
        if case.is_child and case.best_interests_at is None:
            raise ValidationError(_("A child is reunified only after the best-interests step."))
        if not disclosable(case):
            raise ValidationError(_("Reunification needs a confirmed match with consent."))
    _status(case, status, actor, reason)
    if status == Status.CLOSED:
        case.closed_reason = reason.strip()[:200]
    case.save(update_fields=["status", "closed_reason", "updated_at"])
    audit_record(actor=actor, action="change", obj=case, summary={"status": status})
    return case


@transaction.atomic
def case_erase(*, actor: User, case: Case) -> Case:
    """Erase a closed case for good: its key is destroyed (every sealed value, in every backup,
    is unreadable from now on) and its names are blanked."""
    if case.status != Status.CLOSED:
        raise ValidationError(_("Only a closed case can be erased."))
    if case.erased_at is None:
        vault.key_destroy(case.key_id)
        blank = {f"seeker_{p}_name": "" for p in ("given", "father", "grandfather", "family")}
        Case.objects.filter(pk=case.pk).update(erased_at=timezone.now(), seeker_person=None,
                                               **blank)  # fmt: skip
        names = {f"{p}_name": "" for p in ("given", "father", "grandfather", "family", "mother")}
        Sought.objects.filter(case=case).update(birth_year="", governorate="", found_person=None,
                                                **names)  # fmt: skip
        Match.objects.filter(sought__case=case).delete()
        audit_record(actor=actor, action="delete", obj=case, summary={"erased": True})
        case.refresh_from_db()
    return case


@transaction.atomic
def exports_switch(*, actor: User, enabled: bool) -> ExportSwitch:
    if actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied
    switch = ExportSwitch.objects.first() or ExportSwitch()
    switch.enabled, switch.changed_by = enabled, actor
    switch.save()
    audit_record(actor=actor, action="change", obj=switch, summary={"enabled": enabled})
    return switch


def rematch_open_cases(*, actor: User | None = None) -> int:
    """Match every open case again (after registrations): new proposals only."""
    made = 0
    for case in Case.objects.filter(status__in=OPEN_STATUSES, erased_at=None):
        made += case_match(actor=actor, case=case)
    return made
