"""What assistance leaves in the record: stock movements and dispatches in the audit log, and
every scan at a distribution point (a view of a household's names, size and needs) in the scan
log, which is the audit record of the distribution screen (docs/safety.md)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mawa.assistance import services
from mawa.assistance.models import Dispatch, ScanLog, StockEntry, StockLocation
from mawa.core.models import AuditEvent
from tests.conftest import login


@pytest.mark.django_db
def test_stock_entries_and_dispatches_are_audited(users, point, commodities):
    client = login(users["mona"])
    client.post(
        reverse("assistance:stock_move"),
        {
            "s-kind": "loss",
            "s-location": point.pk,
            "s-commodity": commodities["rice"].pk,
            "s-quantity": "10",
            "s-note": "rats",
        },
    )
    loss = StockEntry.objects.get(kind="loss")
    event = AuditEvent.objects.get(object_type="assistance.stockentry", object_id=str(loss.pk))
    assert event.username == "mona" and event.action == AuditEvent.Action.CREATE
    assert Decimal(event.summary["quantity"]) == -10 and event.summary["kind"] == "loss"

    other = StockLocation.objects.create(name="Point C", kind="point", site=point.site)
    dispatch = services.dispatch_send(
        actor=users["mona"],
        source=point,
        destination=other,
        commodity=commodities["rice"],
        quantity=5,
    )
    services.dispatch_receive(actor=users["mona"], dispatch=dispatch, counted=4)
    assert AuditEvent.objects.filter(object_id=str(dispatch.pk)).count() == 2
    for entry in StockEntry.objects.filter(dispatch=dispatch):
        assert AuditEvent.objects.filter(object_id=str(entry.pk), username="mona").exists()
    assert Dispatch.objects.get(pk=dispatch.pk).received_quantity == 4


@pytest.mark.django_db
def test_every_scan_is_recorded_with_operator_time_point_and_card(users, card, cycle, point):
    client = login(users["dina"])
    client.post(reverse("assistance:scan", args=[point.pk, cycle.pk]), {"code": card.code})
    scan = ScanLog.objects.get()
    assert (scan.operator, scan.point, scan.cycle, scan.card, scan.outcome) == (
        users["dina"],
        point,
        cycle,
        card,
        ScanLog.Outcome.SHOWN,
    )
    # The give writes its redemption and ledger lines, which are their own record: no audit row.
    before = AuditEvent.objects.count()
    client.post(reverse("assistance:give", args=[point.pk, cycle.pk]), {"code": card.code})
    assert ScanLog.objects.filter(outcome=ScanLog.Outcome.GIVEN, operator=users["dina"]).exists()
    assert AuditEvent.objects.count() == before
