"""Need-to-know: protection codes only for protection officers and administrators, every other
role only the specific needs its work uses, small counts suppressed for readers who may not see
people."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from mawa.assistance.models import Commodity, EntitlementRule, Programme
from mawa.core.roles import Role
from mawa.registry.models import Movement, SpecificNeed
from tests.conftest import login, make_user


@pytest.fixture
def pia(camp_a):
    """A protection officer at Camp A."""
    return make_user("pia", Role.PROTECTION, [camp_a])


@pytest.fixture
def needs_a(family_a):
    """The head is a survivor of violence (protection) with a disability; his son has a
    serious medical condition."""
    head, son = family_a.head, family_a.members.get(relationship="son")
    for person, code in [(head, "SV"), (head, "DS"), (son, "SM")]:
        SpecificNeed.objects.create(person=person, code=code)
    return family_a


def household_page(user, household) -> str:
    return (
        login(user).get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    )


@pytest.mark.django_db
def test_protection_codes_only_for_protection_officers_and_administrators(users, pia, needs_a):
    for name in ("alice", "mona"):  # registration clerk, camp manager: non-protection codes
        page = household_page(users[name], needs_a)
        assert "Survivor of violence" not in page, name
        assert "Disability" in page and "Serious medical condition" in page, name
    for user in (pia, users["ada"]):
        page = household_page(user, needs_a)
        assert "Survivor of violence" in page and "Disability" in page


@pytest.mark.django_db
def test_distribution_operator_sees_only_the_needs_that_set_an_entitlement(users, needs_a):
    programme = Programme.objects.create(code="food", name_en="Food")
    kit = Commodity.objects.create(code="kit", name_en="Hygiene kit", unit="kit")
    for need in ("DS", "SV"):  # even a rule on a protection code does not show it
        EntitlementRule.objects.create(
            programme=programme, basis="need", commodity=kit, quantity=1, need=need
        )
    page = household_page(users["dina"], needs_a)
    assert "Disability" in page
    assert "Serious medical condition" not in page and "Survivor of violence" not in page


@pytest.mark.django_db
def test_a_clerk_editing_a_person_neither_sees_nor_wipes_protection_codes(users, needs_a):
    head = needs_a.head
    client = login(users["alice"])
    url = reverse("registry:person_edit", args=[head.pk])
    form = client.get(url).context["form"]
    assert "SV" not in dict(form.fields["needs"].choices)
    assert form.initial["needs"] == ["DS"]
    data = {
        "relationship": "head",
        "sex": "M",
        "given_name_ar": "حسين",
        "father_name_ar": "علي",
        "family_name_ar": "الجبوري",
        "birth_date": "1980-05-01",
        "needs": ["SM"],  # unticks the disability, ticks a medical condition
    }
    assert client.post(url, data).status_code == 302
    assert set(head.needs.values_list("code", flat=True)) == {"SV", "SM"}
    refused = client.post(url, {**data, "needs": ["WR"]})  # a code the clerk may not see
    assert refused.status_code == 200 and "needs" in refused.context["form"].errors
    assert set(head.needs.values_list("code", flat=True)) == {"SV", "SM"}


@pytest.mark.django_db
def test_pseudonymous_export_drops_protection_codes(users, needs_a):
    client = login(users["ada"])
    url = reverse("registry:export_download", args=["people", "csv"])
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert {r["specific_needs"] for r in rows[1:]} == {"DS", "SM", ""}
    identified = client.get(url, {"identified": "1"}).content.decode("utf-8-sig")
    assert "DS SV" in identified  # an administrator's identified export keeps them
    by_manager = login(users["mona"]).get(url, {"identified": "1"}).content.decode("utf-8-sig")
    assert "SV" not in by_manager.replace("#", "")


@pytest.mark.django_db
def test_dashboards_show_small_counts_as_under_five_to_viewers(users, pia, needs_a, camp_a):
    def needs(user, name="registry:dashboard", args=()):
        page = login(user).get(reverse(name, args=args))
        return page, dict(page.context["needs"])

    Movement.objects.create(
        household=needs_a, kind="arrival", date=timezone.localdate(), to_site=camp_a, people=3
    )
    page, viewer = needs(users["victor"])
    assert viewer["Disability"] == "<5" and viewer["Survivor of violence"] == "<5"
    assert viewer["Child at risk"] == 0  # zero gives nobody away
    body = page.content.decode()
    assert "<b>&lt;5</b>" in body and "<b>3</b>" not in body  # 3 people present
    figures = {f.site.code: f for f in page.context["figures"]}
    assert figures["camp-a"].people_cell == "<5" and figures["camp-a"].capacity_used is None
    assert "+&lt;5" in body and page.context["arrivals_30"] == "<5"  # chart and total
    _page, manager = needs(users["mona"], "registry:site_detail", [camp_a.pk])
    assert manager["Disability"] == 1 and manager["Survivor of violence"] == "<5"
    _page, protection = needs(pia)
    assert protection["Survivor of violence"] == 1


@pytest.mark.django_db
def test_a_protection_officer_records_protection_codes_without_editing_the_household(
    users, pia, needs_a
):
    son = needs_a.members.get(relationship="son")
    client = login(pia)
    assert client.get(reverse("registry:person_edit", args=[son.pk])).status_code == 403
    url = reverse("registry:person_needs", args=[son.pk])
    assert f'action="{url}"' in household_page(pia, needs_a)
    assert client.post(url, {"needs": ["SC", "SM"]}).status_code == 302
    assert set(son.needs.values_list("code", flat=True)) == {"SC", "SM"}
    assert login(users["alice"]).post(url, {"needs": []}).status_code == 403
    assert set(son.needs.values_list("code", flat=True)) == {"SC", "SM"}
    assert url not in household_page(users["alice"], needs_a)
