"""Tracing cases: matching with reasons, decisions remembered, consent before disclosure,
children, encryption per case and erasure."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from mawa.core import vault
from mawa.core.models import AuditEvent
from mawa.registry.services import household_register
from mawa.tracing import services
from mawa.tracing.models import Case, Match, Sought, Status
from tests.conftest import login, member
from tests.tracing.conftest import open_case

pytestmark = pytest.mark.django_db


def son_match(case):
    return Match.objects.get(sought__case=case, person__given_name_ar="يوسف")


def test_a_fathers_request_finds_his_registered_son_with_reasons(case_a, family_a, officers):
    match = son_match(case_a)
    assert match.person.household == family_a
    case_a.refresh_from_db()
    assert case_a.status == Status.POTENTIAL_MATCH
    page = login(officers["pia"]).get(reverse("tracing:case_detail", args=[case_a.pk]))
    body = page.content.decode()
    assert "as the seeker&#x27;s own name implies" in body or "seeker's own name" in body
    assert AuditEvent.objects.filter(action="view", object_id=str(case_a.pk)).exists()
    assert AuditEvent.objects.filter(action="view", object_id=str(match.person.pk)).exists()


def test_sensitive_fields_are_sealed_with_the_cases_own_key(case_a):
    raw = Sought.objects.filter(case=case_a).values_list("marks_sealed", flat=True).get()
    assert raw.startswith(f"v1:{case_a.key_id}:") and "scar" not in raw
    contact = Case.objects.filter(pk=case_a.pk).values_list("seeker_contact_sealed", flat=True)
    assert "0770" not in contact.get()
    assert Case.unseal(raw) == "a scar on the left hand"


def test_a_rejected_candidate_is_never_proposed_again(case_a, officers):
    match = son_match(case_a)
    services.match_decide(actor=officers["pia"], match=match, decision="reject")
    services.case_match(actor=officers["pia"], case=case_a)
    assert Match.objects.filter(sought__case=case_a, person=match.person).count() == 1
    assert Match.objects.get(pk=match.pk).state == Match.State.REJECTED


def test_verification_questions_and_answers_are_recorded_sealed(case_a, officers):
    match = son_match(case_a)
    asked = services.verification_ask(actor=officers["pia"], match=match,
                                      question="What was the family's goat called?")  # fmt: skip
    services.verification_answer(actor=officers["pia"], verification=asked, answer="Bayda",
                                 consistent=True)  # fmt: skip
    asked.refresh_from_db()
    assert "Bayda" not in asked.answer_sealed and Case.unseal(asked.answer_sealed) == "Bayda"
    assert Match.objects.get(pk=match.pk).state == Match.State.VERIFYING


def seeker_page(officer, case) -> str:
    return login(officer).get(reverse("tracing:seeker_update", args=[case.pk])).content.decode()


def test_the_seeker_is_told_nothing_before_consent_and_after_withdrawal(case_a, officers, camp_a):
    pia = officers["pia"]
    match = son_match(case_a)
    before = seeker_page(pia, case_a)
    assert "The search continues" in before and camp_a.name not in before
    services.match_decide(actor=pia, match=match, decision="confirm")
    confirmed = seeker_page(pia, case_a)
    assert "The search continues" in confirmed and camp_a.name not in confirmed
    assert "07701234567" not in confirmed
    with pytest.raises(ValidationError):  # reunification needs consent first
        services.status_change(actor=pia, case=case_a, status=Status.REUNIFIED)
    consent = services.consent_record(actor=pia, match=match, given_by="Yousif himself",
                                      scopes=["existence", "location"])  # fmt: skip
    told = seeker_page(pia, case_a)
    assert camp_a.name in told and "07701234567" not in told  # contact was not agreed to
    services.consent_withdraw(actor=pia, consent=consent)
    after = seeker_page(pia, case_a)
    assert "The search continues" in after and camp_a.name not in after


def test_a_childs_consent_and_reunification_need_the_designated_officer_and_best_interests(
    officers, family_a, camp_a
):
    pia, olga = officers["pia"], officers["olga"]
    case = open_case(pia, camp_a, circumstances="unaccompanied", designated=olga)
    assert case.is_child
    match = son_match(case)
    services.match_decide(actor=pia, match=match, decision="confirm")
    with pytest.raises(PermissionDenied):
        services.consent_record(actor=pia, match=match, given_by="", scopes=["location"])
    services.consent_record(actor=olga, match=match, given_by="", scopes=["location"])
    with pytest.raises(ValidationError):
        services.status_change(actor=pia, case=case, status=Status.REUNIFIED)
    services.best_interests_record(actor=pia, case=case, note="the father is safe and able")
    services.status_change(actor=pia, case=case, status=Status.REUNIFIED)
    assert list(case.history.values_list("status", flat=True)) == [
        "open", "potential_match", "located_alive", "reunified",
    ]  # fmt: skip


def test_a_childs_case_is_hidden_from_other_officers_of_the_site(officers, family_a, camp_a):
    case = open_case(officers["pia"], camp_a, circumstances="separated", designated=officers["pia"])
    url = reverse("tracing:case_detail", args=[case.pk])
    assert login(officers["olga"]).get(url).status_code == 404
    assert login(officers["pia"]).get(url).status_code == 200
    children = login(officers["olga"]).get(reverse("tracing:child_list")).content.decode()
    assert case.reference not in children


def test_erasing_a_closed_case_destroys_its_key(case_a, officers):
    pia = officers["pia"]
    with pytest.raises(ValidationError):
        services.case_erase(actor=pia, case=case_a)
    services.status_change(actor=pia, case=case_a, status=Status.CLOSED, reason="found dead")
    sealed = Sought.objects.get(case=case_a).marks_sealed
    services.case_erase(actor=pia, case=case_a)
    assert vault.decrypt(sealed) is None
    sought = Sought.objects.get(case=case_a)
    assert sought.given_name == "" and Case.objects.get(pk=case_a.pk).seeker_given_name == ""
    assert not Match.objects.filter(sought__case=case_a).exists()


def test_mutual_cases_come_first(officers, camp_a, camp_b):
    # Yousif looks for his father Hussein; Hussein looks for his son Yousif.
    services.case_open(
        actor=officers["paul"], site=camp_b,
        seeker=services.SeekerInput(given_name="Yousif", father_name="Hussein",
                                    grandfather_name="Ali", family_name="Al-Jubouri", sex="M"),
        sought=[services.SoughtInput(relation="father", given_name="Hussein", father_name="Ali",
                                     family_name="Al-Jubouri")],
    )  # fmt: skip
    case = open_case(officers["pia"], camp_a)
    match = Match.objects.get(sought__case=case, other_case__isnull=False)
    assert match.mutual


def test_registry_pages_say_nothing_about_a_case(case_a, family_a, users):
    body = (
        login(users["mona"])
        .get(reverse("registry:household_detail", args=[family_a.pk]))
        .content.decode()
    )
    assert case_a.reference not in body and "tracing" not in body.lower()


def test_exports_are_off_until_an_administrator_turns_them_on(case_a, users):
    ada = login(users["ada"])
    url = reverse("tracing:export")
    assert ada.get(url + "?download=1").status_code == 302
    ada.post(url, {"enabled": "1"})
    csv_text = ada.get(url + "?download=1").content.decode()
    assert "TR-" not in csv_text and "يوسف" not in csv_text  # pseudonymised by default
    assert "يوسف" in ada.get(url + "?download=1&names=1").content.decode()


def test_the_case_summary_is_a_pdf(case_a, officers):
    response = login(officers["pia"]).get(reverse("tracing:case_pdf", args=[case_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_recording_a_request_through_the_page(officers, family_a, camp_a):
    client = login(officers["pia"])
    response = client.post(reverse("tracing:case_new"), {
        "site": camp_a.pk, "seeker_given_name": "زينب", "seeker_sex": "F", "relation": "son",
        "given_name": "يوسف", "father_name": "حسين", "birth_year": "٢٠١٢",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert son_match(case).person.household == family_a
    typo = {"site": camp_a.pk, "relation": "son", "given_name": "x", "birth_year": "soon"}
    bad = client.post(reverse("tracing:case_new"), typo)
    assert bad.status_code == 200 and "approximate year" in bad.content.decode()


def test_a_person_registered_later_is_proposed_by_trace_rematch(officers, camp_a, users):
    case = open_case(officers["pia"], camp_a)  # nobody registered yet
    assert not Match.objects.filter(sought__case=case).exists()
    household_register(
        actor=users["alice"], site=camp_a,
        members=[member(), member("son", "M", given_name_ar="يوسف", father_name_ar="حسين",
                                  grandfather_name_ar="علي", birth_date=dt.date(2012, 3, 3))],
        arrival_date=dt.date(2017, 1, 1), consent_date=dt.date(2017, 1, 1),
        consent_purposes=["assistance"],
    )  # fmt: skip
    call_command("trace_rematch")
    assert son_match(case).person.given_name_ar == "يوسف"


def test_a_registration_re_matches_open_cases_once_it_commits(
    officers, camp_a, users, django_capture_on_commit_callbacks
):
    case = open_case(officers["pia"], camp_a)
    with django_capture_on_commit_callbacks(execute=True):
        household_register(
            actor=users["alice"], site=camp_a,
            members=[member(given_name_ar="يوسف", father_name_ar="حسين", grandfather_name_ar="علي",
                            birth_date=dt.date(2011, 6, 1))],
            arrival_date=dt.date(2017, 1, 1), consent_date=dt.date(2017, 1, 1),
            consent_purposes=["assistance"],
        )  # fmt: skip
    assert son_match(case).score >= 0.3
