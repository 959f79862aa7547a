"""`mawa reindex`: rebuild the search index (after the name table is extended, say)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from mawa.registry.models import Person, SearchToken
from mawa.registry.search import person_tokens

BATCH = 2000


class Command(BaseCommand):
    help = "Rebuild every person's search tokens from their names, documents and phones."

    def handle(self, *args, **options):
        people = (
            Person.objects.filter(merged_into=None)
            .select_related("household")
            .prefetch_related("documents")
            .order_by("pk")
        )
        done = 0
        with transaction.atomic():
            SearchToken.objects.all().delete()
            pending = []
            for person in people.iterator(chunk_size=BATCH):
                pending += [
                    SearchToken(person=person, site_id=person.household.site_id, token=token)
                    for token in person_tokens(person, person.documents.all(), person.household)
                ]
                done += 1
                if len(pending) >= BATCH * 10:
                    SearchToken.objects.bulk_create(pending, batch_size=BATCH)
                    pending.clear()
            SearchToken.objects.bulk_create(pending, batch_size=BATCH)
        self.stdout.write(f"Re-indexed {done} people.")
