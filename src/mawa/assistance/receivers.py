"""Listening to the registry (imported by AppConfig.ready, so that the registry never imports
assistance): a household's cards follow its presence."""

from django.dispatch import receiver

from mawa.assistance import services
from mawa.registry.models import Household
from mawa.registry.signals import household_status_changed


@receiver(household_status_changed, dispatch_uid="assistance.cards_follow_household")
def cards_follow_household(sender, *, household, previous, status, actor=None, **kwargs):
    """A household that stops being present has its cards suspended; one present again has
    them back. Runs in the transaction of the change, so both commit or neither does."""
    if status == Household.Status.PRESENT:
        if previous != Household.Status.PRESENT:
            services.cards_restore(actor=actor, household=household)
    else:
        services.cards_suspend(actor=actor, household=household)
