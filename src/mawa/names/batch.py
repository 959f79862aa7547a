"""A batch de-duplication run over the whole registry, with progress and cancellation.

The linkage (Splink on DuckDB) runs in `mawa.linkage.link`; this module feeds it the registry's
people, reports progress to the DedupRun row that the page polls, and stores the candidate pairs
for review. Pairs already decided 'different' are never proposed again.
"""

import time

from django.utils import timezone

from mawa.linkage import Cancelled, Record, link
from mawa.names.models import CandidatePair, DedupRun
from mawa.names.services import record_from
from mawa.registry.models import Person

BATCH = 5000


def registry_records():
    """Every person not merged, as a linkage Record (Arabic script preferred per part)."""
    people = (
        Person.objects.filter(merged_into=None)
        .select_related("household__origin_area__parent__parent")
        .prefetch_related("documents")
        .order_by("pk")
    )
    for person in people.iterator(chunk_size=BATCH):
        household = person.household
        area = household.origin_area
        governorate = area.governorate().pcode if area else ""
        documents = [(d.kind, d.number) for d in person.documents.all()]
        yield record_from(
            person,
            pk=person.pk,
            governorate=governorate,
            documents=documents,
            phone=person.phone or household.phone,
        )


def store_pairs(run: DedupRun, pairs: list[tuple[str, str, float]]) -> int:
    existing = set(CandidatePair.objects.values_list("person_a_id", "person_b_id"))
    existing = {(str(a), str(b)) for a, b in existing}
    new = []
    for a, b, probability in pairs:
        first, second = sorted((str(a), str(b)))
        if (first, second) in existing:
            continue
        new.append(
            CandidatePair(
                person_a_id=first,
                person_b_id=second,
                probability=probability,
                source=CandidatePair.Source.BATCH,
                run=run,
            )
        )
    CandidatePair.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return len(new)


def run_registry(run_id, records: list[Record] | None = None) -> DedupRun:
    run = DedupRun.objects.get(pk=run_id)
    last = [0.0]

    def progress(fraction: float, stage: str) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or fraction >= 1:
            last[0] = now
            DedupRun.objects.filter(pk=run.pk).update(progress=fraction, stage=stage[:120])

    def should_cancel() -> bool:
        return DedupRun.objects.filter(pk=run.pk, cancel_requested=True).exists()

    try:
        progress(0.01, "reading the registry")
        records = records if records is not None else list(registry_records())
        DedupRun.objects.filter(pk=run.pk).update(records=len(records))
        result = link(records, progress=progress, should_cancel=should_cancel)
        found = store_pairs(run, result.pairs)
        DedupRun.objects.filter(pk=run.pk).update(
            status=DedupRun.Status.DONE,
            progress=1,
            stage="done",
            pairs_found=found,
            finished_at=timezone.now(),
        )
    except Cancelled:
        DedupRun.objects.filter(pk=run.pk).update(
            status=DedupRun.Status.CANCELLED, finished_at=timezone.now()
        )
    except Exception as error:  # a failed run must say why on its page, not vanish
        DedupRun.objects.filter(pk=run.pk).update(
            status=DedupRun.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run
