"""Planning a cycle from the registry, printing its cards, and the plan's lists and SMS."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from mawa.assistance import services
from mawa.assistance.models import Allocation, RationCard
from mawa.registry.models import SpecificNeed
from mawa.registry.services import household_register
from tests.conftest import login, member


@pytest.fixture
def households(users, camp_a, family_a):
    """Family A plus five small households at Camp A; one of them with a disability. The five
    agreed to be contacted; family A did not."""
    made = [family_a]
    for i in range(5):
        made.append(
            household_register(
                actor=users["alice"],
                site=camp_a,
                members=[member(given_name_ar=f"اسم{i}")],
                arrival_date=dt.date(2017, 1, 1),
                consent_date=dt.date(2017, 1, 1),
                consent_purposes=["assistance", "contact"],
                phone=f"0770000000{i}",
            )
        )
    SpecificNeed.objects.create(person=made[3].head, code="DS")
    return made


@pytest.mark.django_db
def test_manager_issues_cards_plans_and_exports(users, households, cycle, point):
    client = login(users["mona"])
    client.post(reverse("assistance:cycle_issue_cards", args=[cycle.pk]))
    assert RationCard.objects.filter(status="active").count() == 6
    today = dt.date.today().isoformat()
    response = client.post(
        reverse("assistance:cycle_detail", args=[cycle.pk]),
        {
            "point": point.pk,
            "first_day": today,
            "days": 1,
            "start": "08:00",
            "end": "08:30",
            "lanes": 1,
            "per_lane_per_hour": 8,
            "slot_minutes": 30,
            "womens_lane": "",
        },
    )
    assert response.status_code == 302
    allocations = list(Allocation.objects.order_by("rank"))
    assert len(allocations) == 6
    assert sum(a.served for a in allocations) == 4  # one 30-minute slot of 4 households
    assert allocations[0].household == households[3]  # the disability comes first
    assert "isability" in allocations[0].reason
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("assistance:cycle_plan_csv", args=[cycle.pk]), {"language": "ar"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][-1] == "sms" and len(rows) == 7
    assert any("دورك" in row[-1] for row in rows[1:])
    pdf = client.get(reverse("assistance:cycle_cards_pdf", args=[cycle.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_screen_enforces_the_plan(users, households, cycle, point):
    client = login(users["mona"])
    client.post(reverse("assistance:cycle_issue_cards", args=[cycle.pk]))
    client.post(
        reverse("assistance:cycle_detail", args=[cycle.pk]),
        {
            "point": point.pk,
            "first_day": dt.date.today().isoformat(),
            "days": 1,
            "start": "08:00",
            "end": "08:30",
            "lanes": 1,
            "per_lane_per_hour": 8,
            "slot_minutes": 30,
        },
    )
    waiting = Allocation.objects.filter(served=False).first()
    card = RationCard.objects.get(household=waiting.household, status="active")
    result = services.redemption_record(
        actor=users["dina"], cycle=cycle, point=point, typed=card.code
    )
    assert result.outcome == "not_scheduled" and "Not served today" in result.message
    served = Allocation.objects.filter(served=True).first()
    card = RationCard.objects.get(household=served.household, status="active")
    assert (
        services.redemption_record(
            actor=users["dina"], cycle=cycle, point=point, typed=card.code
        ).outcome
        == "given"
    )


@pytest.mark.django_db
def test_bad_plan_input_is_explained(users, households, cycle, point):
    client = login(users["mona"])
    response = client.post(
        reverse("assistance:cycle_detail", args=[cycle.pk]),
        {
            "point": point.pk,
            "first_day": "2017-02-30",
            "days": 0,
            "start": "14:00",
            "end": "08:00",
            "lanes": -1,
            "per_lane_per_hour": 8,
            "slot_minutes": 30,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"first_day", "days", "lanes"}
    assert Allocation.objects.count() == 0


@pytest.mark.django_db
def test_household_cards_page_replace_and_alternates(users, family_a, cycle):
    client = login(users["mona"])
    client.post(
        reverse("assistance:card_issue", args=[family_a.pk]), {"programme": cycle.programme.pk}
    )
    card = RationCard.objects.get()
    page = client.get(reverse("assistance:household_cards", args=[family_a.pk]))
    assert card.code in page.content.decode() and "3 people" in page.content.decode()
    client.post(
        reverse("assistance:card_alternates", args=[card.pk]),
        {"name_1": "زينب حسن", "relation_1": "زوجة", "name_2": "", "relation_2": ""},
    )
    assert card.alternates.get().name == "زينب حسن"
    client.post(reverse("assistance:card_replace", args=[card.pk]))
    card.refresh_from_db()
    new = RationCard.objects.get(status="active")
    assert card.status == "revoked" and new.alternates.get().relation == "زوجة"
    pdf = client.get(reverse("assistance:card_pdf", args=[new.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("assistance:card_pdf", args=[card.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first_day,days", [("9999-12-31", 1), ("9999-12-31", 3), ("0001-01-01", 2)]
)
def test_a_plan_at_the_ends_of_the_calendar_is_refused_with_a_message(
    users, households, cycle, point, first_day, days
):
    client = login(users["mona"])
    client.cookies["mawa_language"] = "en"
    response = client.post(
        reverse("assistance:cycle_detail", args=[cycle.pk]),
        {
            "point": point.pk,
            "first_day": first_day,
            "days": days,
            "start": "08:00",
            "end": "14:00",
            "lanes": 2,
            "per_lane_per_hour": 8,
            "slot_minutes": 30,
        },
    )
    assert response.status_code == 200
    assert "first_day" in response.context["form"].errors
    assert Allocation.objects.count() == 0
