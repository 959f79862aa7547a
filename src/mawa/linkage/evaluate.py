"""Pairwise precision, recall and F1 of a clustering against truth labels."""

from collections import Counter
from dataclasses import dataclass


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int


def _pairs(counts) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def pairwise_scores(clusters: dict[str, str], truth: dict[str, str]) -> Scores:
    """Scores over all record pairs: a pair is predicted when both records share a cluster,
    true when they share an entity in ``truth``. Ids missing from clusters are singletons."""
    predicted = _pairs(Counter(clusters.get(r, r) for r in truth).values())
    true = _pairs(Counter(truth.values()).values())
    correct = _pairs(Counter((clusters.get(r, r), e) for r, e in truth.items()).values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, true, predicted, correct)


def merged_relations(
    clusters: dict[str, str], truth: dict[str, str], relations: list[tuple[str, str, str]]
) -> Counter:
    """How many related-but-distinct people (siblings, twins, ...) share a cluster, by kind."""
    cluster_sets: dict[str, set[str]] = {}
    for record_id, entity in truth.items():
        cluster_sets.setdefault(entity, set()).add(clusters.get(record_id, record_id))
    merged: Counter = Counter()
    for a, b, kind in relations:
        if cluster_sets.get(a, set()) & cluster_sets.get(b, set()):
            merged[kind] += 1
    return merged
