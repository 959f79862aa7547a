"""Listening to the registry: store the duplicate choices a clerk made while registering."""

from django.dispatch import receiver

from mawa.names.services import record_registration_choices
from mawa.registry.signals import household_registered


@receiver(household_registered)
def store_duplicate_choices(sender, household, people, actor, prefixes, data, **kwargs):
    for person, prefix in zip(people, prefixes, strict=False):
        choices = data.getlist(f"{prefix}-duplicate") if hasattr(data, "getlist") else []
        record_registration_choices(actor=actor, person=person, choices=choices)
