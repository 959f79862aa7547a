"""On a field node, every redemption, scan and stock entry becomes an event for headquarters,
written in the same transaction as the row (the signals are sent inside it)."""

from django.dispatch import receiver

from mawa.assistance import offline
from mawa.assistance.signals import redemption_recorded, scan_logged, stock_recorded
from mawa.field.services import household_data, node_events, person_edit_record
from mawa.registry.signals import household_created, person_changed


@receiver(redemption_recorded)
def redemption_to_event(sender, redemption, entries, scan, **kwargs):
    node_events(
        lambda: [
            ("redemption", offline.redemption_data(redemption, entries)),
            ("scan", offline.scan_data(scan)),
        ]
    )


@receiver(scan_logged)
def scan_to_event(sender, scan, **kwargs):
    node_events(lambda: [("scan", offline.scan_data(scan))])


@receiver(stock_recorded)
def stock_to_event(sender, entry, **kwargs):
    node_events(lambda: [("stock", offline.stock_entry_data(entry))])


@receiver(person_changed)
def person_to_event(sender, person, changes, **kwargs):
    person_edit_record(person, changes)


@receiver(household_created)
def household_to_event(sender, household, people, arrival, **kwargs):
    node_events(lambda: [("household", household_data(household, people, arrival))])
