"""The names app's part in field-node sync (mawa.core.sync), registered by NamesConfig.ready.

Kind **pair**: a likely duplicate flagged at a node (a clerk's "same person" or "unsure" at
registration) reaches headquarters' review queue. Offices hold the open pairs among their
sites' people, and headquarters' decisions come back as the pairs' new status. Reviewing and
merging are headquarters' work (they change records at several sites): closed on nodes.
"""

from mawa.core import sync
from mawa.core.bulk import ids_here
from mawa.names.models import CandidatePair
from mawa.registry.models import Person

REGISTERS = frozenset({"distribution", "office"})


def pair_data(pair: CandidatePair) -> dict:
    return {
        "id": str(pair.pk),
        "a": str(pair.person_a_id),
        "b": str(pair.person_b_id),
        "probability": pair.probability,
        "reasons": pair.reasons,
        "source": pair.source,
        "status": pair.status,
    }


def _pairs_check(rows: list[dict], scope: sync.Scope) -> bool:
    """One of the two people, at least, is at the node's sites (the other may be anywhere:
    the duplicate check looks at the node's whole registry)."""
    people = {row["a"] for row in rows} | {row["b"] for row in rows}
    inside = set(
        map(
            str,
            Person.objects.filter(pk__in=people, household__site__in=scope.site_ids()).values_list(
                "pk", flat=True
            ),
        )
    )
    return all(row["a"] in inside or row["b"] in inside for row in rows)


def _pairs_apply(rows: list[dict], scope: sync.Scope) -> None:
    have = ids_here(CandidatePair, [row["id"] for row in rows])
    for row in rows:
        if (
            row["id"] in have
            or CandidatePair.objects.filter(person_a_id=row["a"], person_b_id=row["b"]).exists()
        ):
            continue
        CandidatePair.objects.create(
            id=row["id"],
            person_a_id=row["a"],
            person_b_id=row["b"],
            probability=row["probability"],
            reasons=row["reasons"],
            source=row["source"],
            status=row["status"],
        )


sync.register_kind(sync.Kind("pair", REGISTERS, _pairs_apply, _pairs_check, 60))
sync.register_part(
    sync.Part(
        CandidatePair,
        ("person_a", "person_b", "probability", "reasons", "source", "status"),
        lambda scope: CandidatePair.objects.filter(
            person_a__household__site__in=scope.site_ids(),
            person_b__household__site__in=scope.site_ids(),
        ),
        frozenset({"office"}),
        160,
    )
)
sync.register_hashed(CandidatePair, ("person_a_id", "person_b_id", "status"))
sync.node_pages("names:check", "api:duplicate_check")
sync.node_closed(
    "names:review_list",
    "names:pair_detail",
    "names:merge_list",
    "names:merge_reverse",
    "names:pairs_export",
    "names:run_list",
    "names:run_detail",
    "names:run_cancel",
)
