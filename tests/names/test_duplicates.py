"""Duplicate check at registration, review decisions, reversible merges, batch runs."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from mawa.core.models import AuditEvent
from mawa.names import batch, services
from mawa.names.models import CandidatePair, DedupRun, Merge
from mawa.registry.models import Household, SearchToken
from mawa.registry.services import household_register
from tests.conftest import login, member
from tests.registry.test_views import register_data

LATIN_HUSSEIN = {
    "m-0-given_name_lat": "Hussein",
    "m-0-father_name_lat": "Ali",
    "m-0-grandfather_name_lat": "Kadhim",
    "m-0-family_name_lat": "Al-Jubouri",
    "m-0-mother_name_lat": "Fatima",
    "m-0-sex": "M",
    "m-0-birth_date": "1980-05-01",
}


def check(client, params):
    return client.post(reverse("names:check"), {"prefix": "m-0", **params})


@pytest.mark.django_db
def test_check_finds_the_same_man_typed_in_latin_script(users, family_a):
    response = check(login(users["alice"]), LATIN_HUSSEIN)
    matches = response.context["matches"]
    assert matches and matches[0].person == family_a.head
    assert matches[0].in_scope and matches[0].probability >= 0.9
    assert "الجبوري" in response.content.decode()
    assert matches[0].reasons


@pytest.mark.django_db
def test_check_from_another_site_names_the_site_but_shows_no_data(users, family_a):
    response = check(login(users["bob"]), LATIN_HUSSEIN)
    body = response.content.decode()
    assert response.context["matches"][0].in_scope is False
    assert "Camp A" in body
    assert "الجبوري" not in body and "Kadhim" not in body and family_a.reference not in body


@pytest.mark.django_db
def test_brother_is_not_proposed_as_the_same_person(users, family_a):
    brother = {**LATIN_HUSSEIN, "m-0-given_name_lat": "Hassan", "m-0-birth_date": "1983-02-11"}
    matches = check(login(users["alice"]), brother).context["matches"]
    assert all(m.probability < 0.9 for m in matches)


@pytest.mark.django_db
def test_check_needs_the_register_capability(users):
    assert check(login(users["victor"]), LATIN_HUSSEIN).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("action,status", [("flag", "open"), ("link", "linked")])
def test_clerks_choice_at_registration_is_stored_for_review(
    users, family_a, camp_a, action, status
):
    client = login(users["alice"])
    match = check(client, LATIN_HUSSEIN).context["matches"][0]
    choice = match.choice_flag if action == "flag" else match.choice_link
    head = {
        "relationship": "head",
        "sex": "M",
        "given_name_lat": "Hussein",
        "father_name_lat": "Ali",
        "family_name_lat": "Al-Jubouri",
        "birth_date": "1980",
    }
    data = register_data(camp_a, [head])
    data["m-0-duplicate"] = [choice, "tampered-value"]
    assert client.post(reverse("registry:household_register"), data).status_code == 302
    pair = CandidatePair.objects.get()
    assert pair.status == status and pair.source == "registration"
    assert {pair.person_a, pair.person_b} >= {family_a.head}


@pytest.fixture
def twin_records(users, camp_a, camp_b, family_a):
    """Hussein registered again at Camp B in Latin script: a true duplicate."""
    again = household_register(
        actor=users["ada"],
        site=camp_b,
        members=[
            member(
                given_name_ar="",
                father_name_ar="",
                grandfather_name_ar="",
                family_name_ar="",
                mother_name_ar="",
                given_name_lat="Husain",
                father_name_lat="Ali",
                family_name_lat="Aljuboori",
                mother_name_lat="Fatima",
            )
        ],
        arrival_date=family_a.arrival_date,
        consent_date=family_a.arrival_date,
        consent_purposes=["assistance"],
    )
    return family_a.head, again.head


@pytest.mark.django_db
def test_merge_hides_the_duplicate_and_undo_restores_it(users, twin_records):
    kept, duplicate = twin_records
    pair = services.pair_record(a=kept, b=duplicate, probability=0.97, reasons=[], source="batch")
    client = login(users["ada"])
    page = client.get(reverse("names:pair_detail", args=[pair.pk]))
    assert page.status_code == 200 and "Husain" in page.content.decode()
    keep = "a" if pair.person_a == kept else "b"
    client.post(reverse("names:pair_detail", args=[pair.pk]), {"decision": "same", "keep": keep})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.household.status == Household.Status.MERGED
    assert not SearchToken.objects.filter(person=duplicate).exists()
    found = client.get(reverse("registry:household_list"), {"q": "Husain"}).context["page"]
    assert duplicate not in list(found)
    merge = Merge.objects.get()
    assert merge.provenance["person"]["given_name_lat"] == "Husain"
    client.post(reverse("names:merge_reverse", args=[merge.pk]))
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.household.status == Household.Status.PRESENT
    assert SearchToken.objects.filter(person=duplicate).exists()
    assert AuditEvent.objects.filter(summary__merge_reversed=str(merge.pk)).exists()


@pytest.mark.django_db
def test_different_people_are_never_proposed_again(users, twin_records):
    a, b = twin_records
    pair = services.pair_record(a=a, b=b, probability=0.7, reasons=[], source="batch")
    services.pair_decide(actor=users["ada"], pair=pair, decision="different")
    run = DedupRun.objects.create(started_by=users["ada"])
    assert batch.store_pairs(run, [(str(a.pk), str(b.pk), 0.99)]) == 0
    assert CandidatePair.objects.get().status == "different"


@pytest.mark.django_db
def test_review_queue_only_shows_pairs_inside_the_users_sites(users, twin_records):
    a, b = twin_records
    pair = services.pair_record(a=a, b=b, probability=0.9, reasons=[], source="batch")
    mona = login(users["mona"])  # manager of Camp A only: one record is at Camp B
    assert pair not in list(mona.get(reverse("names:review_list")).context["page"])
    assert mona.get(reverse("names:pair_detail", args=[pair.pk])).status_code == 404
    assert pair in list(login(users["ada"]).get(reverse("names:review_list")).context["page"])


@pytest.mark.django_db
def test_batch_run_over_the_registry_stores_pairs(users, twin_records):
    run = DedupRun.objects.create(started_by=users["ada"])
    done = batch.run_registry(run.pk)
    assert done.status == "done" and done.records == 4
    a, b = twin_records
    first, second = sorted([str(a.pk), str(b.pk)])
    assert CandidatePair.objects.filter(person_a_id=first, person_b_id=second).exists()


@pytest.mark.django_db
def test_batch_run_can_be_cancelled(users, twin_records):
    run = DedupRun.objects.create(started_by=users["ada"], cancel_requested=True)
    assert batch.run_registry(run.pk).status == "cancelled"


@pytest.mark.django_db
def test_labelled_pairs_export_is_for_administrators_and_audited(users, twin_records):
    a, b = twin_records
    pair = services.pair_record(a=a, b=b, probability=0.9, reasons=[], source="batch")
    services.pair_decide(actor=users["ada"], pair=pair, decision="different")
    assert login(users["mona"]).get(reverse("names:pairs_export")).status_code == 403
    response = login(users["ada"]).get(reverse("names:pairs_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "different"
    assert AuditEvent.objects.filter(action="export", object_type="names.pairs").exists()


def test_mawa_dedup_command_clusters_and_reports_bad_lines(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,given_name,father_name,grandfather_name,family_name,mother_name,sex,birth_date,"
        "governorate,id_number,phone\n"
        "1,حسين,علي,كاظم,الجبوري,فاطمة,M,1980-05-01,IQG15,,\n"
        "2,Hussein,Ali,Kadhim,Al-Jubouri,Fatima,M,1980-05-01,IQG15,,\n"
        "3,حسن,علي,كاظم,الجبوري,فاطمة,M,1983-01-01,IQG15,,\n"
        "4,broken,row\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    stderr = io.StringIO()
    call_command(
        "dedup", str(source), out=str(out), quiet=True, stderr=stderr, stdout=io.StringIO()
    )
    clusters = dict(csv.reader(out.open(encoding="utf-8")))
    assert set(clusters) == {"id", "1", "2", "3", "4"}
    assert clusters["1"] == clusters["2"] != clusters["3"]
    assert "line 5" in stderr.getvalue()


@pytest.mark.django_db
def test_api_duplicate_check_redacts_other_sites(client, users, family_a):
    from tests.test_api import token_for

    body = {
        "relationship": "head",
        "sex": "M",
        "given_name_lat": "Hussein",
        "father_name_lat": "Ali",
        "grandfather_name_lat": "Kadhim",
        "family_name_lat": "Al-Jubouri",
        "mother_name_lat": "Fatima",
        "birth_date": "1980-05-01",
    }
    own = client.post(
        "/api/v1/duplicates/check",
        body,
        content_type="application/json",
        **token_for(users["alice"]),
    ).json()
    assert own[0]["person_id"] == str(family_a.head.pk) and own[0]["in_your_sites"]
    other = client.post(
        "/api/v1/duplicates/check", body, content_type="application/json", **token_for(users["bob"])
    ).json()
    assert other[0]["site_name"] == "Camp A" and other[0]["person_id"] is None
    assert other[0]["name_ar"] is None and other[0]["name_lat"] is None
    viewer = client.post(
        "/api/v1/duplicates/check",
        body,
        content_type="application/json",
        **token_for(users["victor"]),
    )
    assert viewer.status_code == 403
