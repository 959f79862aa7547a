"""Re-matching open cases when people are registered or edited (registry signals).

Runs after the registration's transaction commits, against the new or edited people only;
a failure is logged and never stops a registration."""

import logging

from django.db import transaction
from django.dispatch import receiver

from mawa.registry.models import Person
from mawa.registry.signals import household_created, person_changed
from mawa.tracing import matching

log = logging.getLogger(__name__)


def _later(person_ids: list) -> None:
    def run() -> None:
        try:
            people = Person.objects.filter(pk__in=person_ids).select_related(
                "household__origin_area__parent__parent"
            )
            matching.rematch_people(list(people))
        except Exception:  # noqa: BLE001 - tracing must never break a registration
            log.exception("re-matching open tracing cases failed")

    transaction.on_commit(run)


@receiver(household_created)
def on_household_created(sender, household, people, **kwargs) -> None:
    _later([p.pk for p in people])


@receiver(person_changed)
def on_person_changed(sender, person, changes, **kwargs) -> None:
    if any("name" in name or name in ("sex", "birth_date") for name in changes):
        _later([person.pk])
