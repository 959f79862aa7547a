"""The duplicate check tells a clerk where a named person is: by POST, audited, limited per hour,
and with no person id in a match at another site. Merges and the audit log across sites."""

import pytest
from django.core import signing
from django.urls import reverse

from mawa.core.models import AuditEvent
from mawa.core.roles import Role
from mawa.names import services
from mawa.names.models import CandidatePair, Disclosure, Merge
from tests.conftest import login, make_user
from tests.names.test_duplicates import LATIN_HUSSEIN, check
from tests.registry.test_views import register_data


@pytest.mark.django_db
def test_the_check_refuses_get_so_that_names_stay_out_of_urls(users, family_a):
    client = login(users["alice"])
    response = client.get(reverse("names:check"), {"prefix": "m-0", **LATIN_HUSSEIN})
    assert response.status_code == 405
    row = client.get(reverse("registry:member_row"), {"index": "1"}).content.decode()
    assert "hx-post=" in row and "hx-get=" not in row


@pytest.mark.django_db
def test_a_match_at_another_site_carries_no_person_id_and_is_audited(users, family_a):
    head = family_a.head
    response = check(login(users["bob"]), LATIN_HUSSEIN)
    body = response.content.decode()
    (match,) = response.context["matches"]
    assert not match.in_scope and str(head.pk) not in body and head.pk.hex not in body
    for value in (match.choice_flag, match.choice_link):
        assert value in body
        choice = signing.loads(value, salt=services.SIGNING_SALT)
        assert "p" not in choice and str(head.pk) not in str(choice)
    disclosure = Disclosure.objects.get()
    assert disclosure.user == users["bob"] and disclosure.person == head
    event = AuditEvent.objects.get(action="view", object_id=str(head.pk))
    assert event.user == users["bob"] and event.summary["disclosed_site"] == "camp-a"
    check(login(users["bob"]), LATIN_HUSSEIN)  # the same person again within the hour
    assert Disclosure.objects.count() == 1
    assert AuditEvent.objects.filter(action="view", object_id=str(head.pk)).count() == 1


@pytest.mark.django_db
def test_a_flag_on_a_match_elsewhere_reaches_review_through_the_disclosure(users, family_a, camp_b):
    bob = login(users["bob"])
    match = check(bob, LATIN_HUSSEIN).context["matches"][0]
    head = {
        "relationship": "head",
        "sex": "M",
        "given_name_lat": "Hussein",
        "father_name_lat": "Ali",
        "family_name_lat": "Al-Jubouri",
        "birth_date": "1980",
    }
    data = register_data(camp_b, [head])
    data["m-0-duplicate"] = match.choice_flag
    assert bob.post(reverse("registry:household_register"), data).status_code == 302
    pair = CandidatePair.objects.get()
    assert family_a.head in (pair.person_a, pair.person_b) and pair.status == "open"
    # Another clerk cannot use bob's disclosure to name the person.
    other = make_user("bea", Role.CLERK, [camp_b])
    disclosure = Disclosure.objects.get()
    assert services._chosen_person(other, {"d": str(disclosure.pk), "a": "flag"}) is None
    assert services._chosen_person(users["bob"], {"d": str(disclosure.pk)}) == family_a.head


@pytest.mark.django_db
def test_disclosures_per_hour_are_limited_with_a_clear_message(settings, users, family_a):
    settings.MAWA_DISCLOSURES_PER_HOUR = 0
    response = check(login(users["bob"]), LATIN_HUSSEIN)
    assert response.context["matches"] == [] and response.context["withheld"] == 1
    assert "not shown" in response.content.decode() and "Camp A" not in response.content.decode()
    assert not Disclosure.objects.exists()
    mine = check(login(users["alice"]), LATIN_HUSSEIN)  # a match in one's own sites: shown
    assert mine.context["matches"][0].in_scope and mine.context["withheld"] == 0


@pytest.fixture
def cross_merge(users, family_a, family_b):
    """Camp A's head merged into Camp B's: a merge across two sites."""
    kept, merged = family_b.head, family_a.members.get(relationship="son")
    pair = services.pair_record(a=kept, b=merged, probability=0.9, reasons=[], source="batch")
    return services.person_merge(actor=users["ada"], pair=pair, kept=kept, merged=merged)


@pytest.mark.django_db
def test_a_merge_across_sites_is_seen_and_undone_only_with_both_sites(users, cross_merge, camp_a):
    max_b = login(users["max"])  # manager of Camp B, where the kept record is
    assert cross_merge not in list(max_b.get(reverse("names:merge_list")).context["page"])
    assert max_b.post(reverse("names:merge_reverse", args=[cross_merge.pk])).status_code == 404
    assert Merge.objects.get().reversed_at is None
    both = make_user("bea", Role.CAMP_MANAGER, [camp_a, cross_merge.kept.household.site])
    assert cross_merge in list(login(both).get(reverse("names:merge_list")).context["page"])
    assert (
        login(both).post(reverse("names:merge_reverse", args=[cross_merge.pk])).status_code == 302
    )
    assert Merge.objects.get().reversed_at is not None


@pytest.mark.django_db
def test_a_site_scoped_administrator_reads_only_their_sites_audit_log(
    users, family_a, family_b, camp_a
):
    admin_a = make_user("ali", Role.ADMINISTRATOR, [camp_a])
    ada_user = users["ada"]
    ada = login(ada_user)
    for household in (family_a, family_b):  # a view of each household's people
        ada.get(reverse("registry:household_detail", args=[household.pk]))
    page = login(admin_a).get(reverse("core:audit_list"))
    shown = {e.object_id for e in page.context["page"]}
    assert str(family_a.pk) in shown and str(family_a.head.pk) in shown
    assert str(family_b.pk) not in shown and str(family_b.head.pk) not in shown
    export = login(admin_a).get(reverse("core:audit_export")).content.decode("utf-8-sig")
    assert str(family_a.pk) in export and str(family_b.pk) not in export
    # a pair across the two sites is not theirs; a pair within Camp A is
    son = family_a.members.get(relationship="son")
    pair = {"probability": 0.6, "reasons": [], "source": "batch", "actor": ada_user}
    across = services.pair_record(a=family_a.head, b=family_b.head, **pair)
    within = services.pair_record(a=family_a.head, b=son, **pair)
    shown = {e.object_id for e in login(admin_a).get(reverse("core:audit_list")).context["page"]}
    assert str(within.pk) in shown and str(across.pk) not in shown
    everything = ada.get(reverse("core:audit_list")).context["page"]
    assert str(family_b.pk) in {e.object_id for e in everything}


@pytest.mark.django_db
def test_a_site_scoped_administrator_exports_only_pairs_within_their_sites(
    users, family_a, family_b, camp_a
):
    son = family_a.members.get(relationship="son")
    across = services.pair_record(
        a=family_a.head, b=family_b.head, probability=0.6, reasons=[], source="batch"
    )
    within = services.pair_record(
        a=family_a.head, b=son, probability=0.6, reasons=[], source="batch"
    )
    for pair in (across, within):
        services.pair_decide(actor=users["ada"], pair=pair, decision="different")
    admin_a = make_user("ali", Role.ADMINISTRATOR, [camp_a])
    export = login(admin_a).get(reverse("names:pairs_export")).content.decode("utf-8-sig")
    assert str(within.pk) in export and str(across.pk) not in export
    everything = login(users["ada"]).get(reverse("names:pairs_export")).content.decode("utf-8-sig")
    assert str(across.pk) in everything
