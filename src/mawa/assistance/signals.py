"""Signals other apps listen to, so that assistance never imports them.

Each is sent inside the transaction that writes the row, so a listener that writes too (the
field app's event log) commits or rolls back with it: no row without its event, and no event
without its row.
"""

from django.dispatch import Signal

# redemption, entries (the StockEntry rows written with it), scan (its ScanLog)
redemption_recorded = Signal()
# scan: a ScanLog for any outcome other than "given"
scan_logged = Signal()
# entry: a StockEntry recorded by stock_record (receipts, losses, dispatches, adjustments)
stock_recorded = Signal()
