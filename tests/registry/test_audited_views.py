"""Every view of person data is audited, lists included; searches are recorded with who, what
and how many; list APIs have a maximum page size and refuse offsets past it."""

import pytest
from django.urls import reverse

from mawa.core.models import AuditEvent
from mawa.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE
from mawa.names.models import CandidatePair, Merge
from tests.conftest import login
from tests.test_api import token_for


def _new_rows(before: set):
    return AuditEvent.objects.exclude(pk__in=before)


def _ids() -> set:
    return set(AuditEvent.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_api_people_and_households_lists_audit_each_record_and_the_search(client, users, family_a):
    headers = token_for(users["alice"])
    before = _ids()
    response = client.get("/api/v1/people", {"q": "حسين"}, **headers)
    assert response.status_code == 200 and response.json()["count"] >= 1
    returned = {p["id"] for p in response.json()["items"]}
    rows = _new_rows(before)
    viewed = set(rows.filter(action="view").values_list("object_id", flat=True))
    assert viewed == returned
    search = rows.get(action="search")
    assert search.user == users["alice"] and search.summary["results"] == len(returned)
    assert "حسين" not in str(search.summary) and search.values.data["query"] == "حسين"

    before = _ids()
    response = client.get("/api/v1/households", **headers)
    assert response.status_code == 200
    viewed = _new_rows(before).filter(action="view", object_type="registry.household")
    assert set(viewed.values_list("object_id", flat=True)) == {str(family_a.pk)}


@pytest.mark.django_db
def test_list_apis_have_a_maximum_page_size_and_a_bounded_offset(client, users, family_a):
    headers = token_for(users["alice"])
    for query in (
        {"limit": MAX_PAGE_SIZE + 1},
        {"offset": MAX_OFFSET + 1},
        {"offset": 2**64},
        {"limit": 2**70},
    ):
        for path in ("/api/v1/households", "/api/v1/movements"):
            response = client.get(path, query, **headers)
            assert response.status_code == 422, (path, query, response.content)
    assert client.get("/api/v1/households", {"offset": MAX_OFFSET}, **headers).json() == {
        "items": [],
        "count": 1,
    }


@pytest.mark.django_db
def test_html_search_and_household_list_audit_what_they_show(users, family_a):
    client = login(users["alice"])
    before = _ids()
    assert client.get(reverse("registry:household_list")).status_code == 200
    head = family_a.members.get(relationship="head")
    viewed = _new_rows(before).filter(action="view")
    assert list(viewed.values_list("object_id", flat=True)) == [str(head.pk)]

    before = _ids()
    response = client.get(reverse("registry:household_list"), {"q": "يوسف"})
    assert response.status_code == 200
    rows = _new_rows(before)
    son = family_a.members.get(relationship="son")
    assert set(rows.filter(action="view").values_list("object_id", flat=True)) == {str(son.pk)}
    search = rows.get(action="search")
    assert search.summary == {
        "scope": "households",
        "results": 1,
        "fields": ["query"],
        "hash": search.summary["hash"],
    }


@pytest.mark.django_db
def test_the_person_edit_form_audits_the_person_shown(users, family_a):
    son = family_a.members.get(relationship="son")
    before = _ids()
    assert login(users["alice"]).get(reverse("registry:person_edit", args=[son.pk])).status_code
    viewed = _new_rows(before).filter(action="view")
    assert list(viewed.values_list("object_id", flat=True)) == [str(son.pk)]


@pytest.mark.django_db
def test_the_merge_list_audits_both_people_of_each_merge(users, family_a):
    head, spouse = (
        family_a.members.get(relationship="head"),
        family_a.members.get(relationship="spouse"),
    )
    pair = CandidatePair.objects.create(
        person_a=head, person_b=spouse, probability=0.9, source=CandidatePair.Source.values[0]
    )
    Merge.objects.create(pair=pair, kept=head, merged=spouse, merged_by=users["mona"])
    before = _ids()
    assert login(users["mona"]).get(reverse("names:merge_list")).status_code == 200
    viewed = _new_rows(before).filter(action="view")
    assert set(viewed.values_list("object_id", flat=True)) == {str(head.pk), str(spouse.pk)}
