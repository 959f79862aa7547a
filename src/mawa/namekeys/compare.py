"""Similarity of name parts across scripts, and alignment of two name chains.

Hand-written because string-similarity libraries compare characters, and محمد and Mohammed
share none; comparing the cross-script keys with rapidfuzz fixes that. The alignment knows the
shape of an Iraqi name chain (given, father, grandfather, family), where the grandfather is
the part most often left out, which a generic sequence aligner does not.
"""

from rapidfuzz.distance import JaroWinkler

from mawa.namekeys.keys import key_info

KNOWN_DISTINCT = 0.7  # two different listed names (Hassan, Hussein) are not a spelling slip
GRANDFATHER = 2  # index of the grandfather's name in a four-part chain
GAP = 0.15  # cost of leaving a part unmatched
GAP_GRANDFATHER = 0.05  # ... cheaper for the grandfather, the part most often dropped


def part_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two name parts in any script: 1.0 for the same key, else
    Jaro-Winkler on the keys, scaled down when both are different listed names."""
    key_a, known_a = key_info(a)
    key_b, known_b = key_info(b)
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    score = JaroWinkler.normalized_similarity(key_a, key_b)
    if known_a and known_b:
        score *= KNOWN_DISTINCT
    return score


def _gap_cost(index: int, length: int, other_length: int) -> float:
    if length > other_length and length >= 4 and index == GRANDFATHER:
        return GAP_GRANDFATHER
    return GAP


def align_parts(a: list[str], b: list[str]) -> list[tuple[int | None, int | None, float]]:
    """Align two name chains in order, e.g. [given, father, family] with [given, father,
    grandfather, family]. Returns (index in a or None, index in b or None, similarity) for
    every part of both, in order; empty parts are never matched."""
    n, m = len(a), len(b)
    sim = [[part_similarity(x, y) if x.strip() and y.strip() else None for y in b] for x in a]
    # best[i][j]: best score aligning a[i:] with b[j:]; filled from the end.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            options = []
            if i < n and j < m and sim[i][j] is not None:
                options.append((sim[i][j] + best[i + 1][j + 1], "match"))
            if i < n:
                cost = 0.0 if not a[i].strip() else _gap_cost(i, n, m)
                options.append((best[i + 1][j] - cost, "skip_a"))
            if j < m:
                cost = 0.0 if not b[j].strip() else _gap_cost(j, m, n)
                options.append((best[i][j + 1] - cost, "skip_b"))
            if options:
                best[i][j], move[i][j] = max(options, key=lambda option: option[0])
    pairs: list[tuple[int | None, int | None, float]] = []
    i = j = 0
    while i < n or j < m:
        step = move[i][j]
        if step == "match":
            pairs.append((i, j, sim[i][j]))
            i, j = i + 1, j + 1
        elif step == "skip_a":
            pairs.append((i, None, 0.0))
            i += 1
        else:
            pairs.append((None, j, 0.0))
            j += 1
    return pairs
