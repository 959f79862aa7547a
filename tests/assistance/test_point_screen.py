"""The distribution-point screen and the redemption API."""

import pytest
from django.urls import reverse

from mawa.assistance import services
from mawa.assistance.models import Redemption
from tests.conftest import login
from tests.test_api import token_for


@pytest.mark.django_db
def test_operator_scans_sees_entitlement_gives_and_second_scan_is_refused(
    users, card, cycle, point
):
    client = login(users["dina"])
    client.cookies["mawa_language"] = "en"
    screen = client.get(reverse("assistance:screen", args=[point.pk, cycle.pk]))
    assert screen.status_code == 200
    scan_url = reverse("assistance:scan", args=[point.pk, cycle.pk])
    shown = client.post(scan_url, {"code": card.code}).content.decode()
    assert "الجبوري" in shown and "give-button" in shown and "3 people" in shown
    assert Redemption.objects.count() == 0
    give_url = reverse("assistance:give", args=[point.pk, cycle.pk])
    given = client.post(give_url, {"code": card.code}).content.decode()
    assert "Given" in given and Redemption.objects.count() == 1
    again = client.post(scan_url, {"code": card.code}).content.decode()
    assert "Already collected" in again and "Point B" in again and "give-button" not in again


@pytest.mark.django_db
def test_point_of_another_site_is_not_found(users, card, cycle, point):
    client = login(users["max"])  # a camp manager at Camp B
    assert client.get(reverse("assistance:screen", args=[point.pk, cycle.pk])).status_code == 404


@pytest.mark.django_db
def test_api_redemption_statuses(client, users, card, cycle, point):
    headers = token_for(users["dina"])
    url = "/api/v1/redemptions"
    body = {"cycle": str(cycle.pk), "card": card.code}
    first = client.post(url, body, content_type="application/json", **headers)
    assert first.status_code == 201 and first.json()["entitlement"]["food-parcel"] == "1"
    second = client.post(url, body, content_type="application/json", **headers)
    assert second.status_code == 409 and second.json()["point"] == "Point B"
    unknown = client.post(
        url, {**body, "card": "ZZZZ-ZZZZ-Z"}, content_type="application/json", **headers
    )
    assert unknown.status_code == 404
    viewer = client.post(url, body, content_type="application/json", **token_for(users["victor"]))
    assert viewer.status_code == 403
    other = client.post(url, body, content_type="application/json", **token_for(users["max"]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_cards_export_and_token_commands(tmp_path, users, card, cycle):
    import csv
    import io

    from django.core.management import CommandError, call_command

    out = tmp_path / "cards.csv"
    call_command("cards", "export", "--out", str(out), stdout=io.StringIO())
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [
        ["cycle", "card", "household"],
        [str(cycle.pk), card.code, str(card.household_id)],
    ]
    call_command(
        "cards", "export", "--out", str(out), "--cycle", str(cycle.pk), stdout=io.StringIO()
    )
    with pytest.raises(CommandError):
        call_command("cards", "export", "--out", str(out), "--cycle", "nope")


@pytest.mark.django_db
def test_close_the_day_reconciles_and_stops_further_giving(users, card, cycle, point, family_b):
    from mawa.assistance.models import Allocation, DayClose
    from mawa.assistance.reports import reconciliation

    client = login(users["dina"])
    client.cookies["mawa_language"] = "en"
    client.post(reverse("assistance:give", args=[point.pk, cycle.pk]), {"code": card.code})
    figures = reconciliation(cycle, point, None)
    assert figures["served"] == 1
    assert figures["stock"]["food-parcel"] == {
        "received": "100",
        "given": "1",
        "lost": "0",
        "sent_on": "0",
        "left": "99",
    }
    report = client.get(reverse("assistance:report", args=[point.pk, cycle.pk]))
    assert report.status_code == 200
    client.post(reverse("assistance:close", args=[point.pk, cycle.pk]))
    close = DayClose.objects.get()
    assert close.figures["served"] == 1
    second = client.post(reverse("assistance:close", args=[point.pk, cycle.pk]), follow=True)
    assert "already closed" in second.content.decode()
    assert Allocation.objects.count() == 0
    other = services.card_issue(actor=users["ada"], household=family_b, programme=cycle.programme)
    cycle.sites.add(family_b.site)
    users["dina"].sites.add(family_b.site)  # she acts only at her own sites
    refused = client.post(
        reverse("assistance:scan", args=[point.pk, cycle.pk]), {"code": other.code}
    ).content.decode()
    assert "closed" in refused
    csv_text = client.get(reverse("assistance:report_csv", args=[point.pk, cycle.pk]))
    assert "#item+code" in csv_text.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_manager_records_stock_dispatches_and_counts_a_shortfall(users, point, commodities):
    from mawa.assistance.models import Dispatch, StockLocation

    client = login(users["mona"])
    assert client.get(reverse("assistance:stock")).status_code == 200
    client.post(
        reverse("assistance:stock_move"),
        {
            "s-kind": "loss",
            "s-location": point.pk,
            "s-commodity": commodities["rice"].pk,
            "s-quantity": "١٠",
            "s-note": "rats",
        },
    )
    assert services.stock_balance(point)["rice"] == 990
    other = StockLocation.objects.create(name="Point C", kind="point", site=point.site)
    client.post(
        reverse("assistance:stock_dispatch"),
        {
            "d-source": point.pk,
            "d-destination": other.pk,
            "d-commodity": commodities["rice"].pk,
            "d-quantity": "100",
        },
    )
    dispatch = Dispatch.objects.get(destination=other)
    client.post(reverse("assistance:stock_receive", args=[dispatch.pk]), {"counted": "95"})
    assert services.stock_balance(other)["rice"] == 95
    assert services.stock_balance(point)["rice"] == 890
    bad = client.post(
        reverse("assistance:stock_dispatch"),
        {
            "d-source": point.pk,
            "d-destination": other.pk,
            "d-commodity": commodities["rice"].pk,
            "d-quantity": "-5",
        },
        follow=True,
    )
    assert bad.status_code == 200 and Dispatch.objects.filter(destination=other).count() == 1


@pytest.mark.django_db
def test_screen_is_arabic_by_default_and_follows_a_chosen_language(users, card, cycle, point):
    client = login(users["dina"])
    url = reverse("assistance:screen", args=[point.pk, cycle.pk])
    assert 'lang="ar" dir="rtl"' in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("language_set"), {"language": "en", "next": "/"})
    assert 'lang="en" dir="ltr"' in client.get(url).content.decode()
