"""Signals other apps listen to, so that the registry never imports them."""

from django.dispatch import Signal

# Sent by the registration view after a household is saved, with the people in form order and
# the submitted form data (the names app reads each member's duplicate choices from it).
household_registered = Signal()

# Sent by person_update after saving, with changes = {field: [old, new]} for what changed
# (the field app turns it into an event, and stamps each field for merging edits made offline).
person_changed = Signal()

# Sent by household_register inside its transaction, with the people and the arrival movement
# (a field node turns it into an event for headquarters, committed with the household).
household_created = Signal()

# Sent inside the transaction that changes a household's status (household_depart; the names
# app's merge and its undo; a returns app later), with household, previous and status (values
# of Household.Status) and actor. Assistance suspends the household's cards when it stops
# being present and restores them when it is present again.
household_status_changed = Signal()
