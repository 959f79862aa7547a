"""Tracing's own comparison: how strongly each part of a request points at a registered person.

Not the duplicate check's model: a relative's description is not a second registration. Ages
are guesses, so birth years are compared with the request's spread; the given name may be
missing while the seeker gives the rest; the grandfather's and family names are often mixed
up. Each part adds its weight of evidence in bits (log2 of how much likelier the agreement is
for the right person than for anyone), a common name less than a rare one (its frequency in
the registry), and the sum with the prior odds of one person among the registry gives the
score (a probability).
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from mawa.namekeys import part_similarity
from mawa.tracelink.index import FAMILY, NAMES, PAIRS, SEX_CODES, Index, cell_key
from mawa.tracelink.request import Profile

# Per name part: share of right people agreeing exactly, with a similar spelling, differing.
M_SAME = {"given": 0.85, "father": 0.85, "grandfather": 0.70, "family": 0.75, "mother": 0.70}
M_SIMILAR = 0.08
U_SIMILAR = 0.01
M_DIFFERS = {"given": 0.0005, "father": 0.05, "grandfather": 0.15, "family": 0.05, "mother": 0.05}
PSEUDO_PEOPLE, TYPICAL_U = 1000, 0.005
MAX_SAME_BITS = 8.0  # a unique name is strong evidence, but not the whole case
SIMILAR = 0.88  # part_similarity at or above which two spellings are 'similar'
WEAK = 0.75  # between WEAK and SIMILAR: no evidence either way
# Birth years: (years apart beyond the request's spread, bits).
YEAR_BITS = ((1, 3.9), (3, 1.9), (6, -1.0), (10, -3.0))
YEAR_FAR_BITS = -6.0
SEX_BITS = (1.0, -4.6)  # same, different
GOVERNORATE_BITS = (0.8, -0.8)
THRESHOLD = 0.3  # candidates below this score are not proposed
MAX_BLOCK = 20_000  # a blocking key held by more people is not read (it says too little)
PRIOR_MIN_SIZE = 10_000  # a small registry is a corner of where the sought person may be
MIN_AGREEING = 2  # name parts that must agree (same or similar) for a candidate to be shown


def _bits(m: float, u: float) -> float:
    return math.log2(m / u)


DIFFERS_BITS = {name: _bits(M_DIFFERS[name], 0.95) for name in NAMES}


@dataclass
class Candidate:
    """One registered person proposed for a request, with the evidence in order."""

    id: str
    score: float
    levels: dict[str, str] = field(default_factory=dict)  # part -> same/variant/similar/...
    derived: tuple[str, ...] = ()  # name parts that came from the seeker's names
    years_apart: int | None = None


@lru_cache(maxsize=1 << 16)
def _similarity(a: str, b: str) -> float:
    return part_similarity(a, b)


class _Query:
    """A profile's codes in an index."""

    def __init__(self, index: Index, profile: Profile):
        self.profile = profile
        self.spellings = [getattr(profile, name) for name in NAMES]
        self.keys = [cell_key(text, i == FAMILY) for i, text in enumerate(self.spellings)]
        self.codes = [index.vocabulary.lookup(key) if key else 0 for key in self.keys]


def candidate_rows(index: Index, queries: list[_Query]) -> np.ndarray:
    """Rows sharing at least one blocking pair with any reading of the request."""
    found = []
    for query in queries:
        for number, (a, b) in enumerate(PAIRS):
            if query.codes[a] > 0 and query.codes[b] > 0:
                rows = index.block(number, query.codes[a], query.codes[b])
                if len(rows) <= MAX_BLOCK:
                    found.append(rows)
    if not found:
        return np.zeros(0, dtype=np.int32)
    return np.unique(np.concatenate(found))


def _name_bits(index: Index, query: _Query, number: int, rows: np.ndarray):
    """(bits, level code) arrays for one name part: 0 missing, 1 same, 2 similar, 3 weak,
    4 differs."""
    name = NAMES[number]
    codes = index.codes[number][rows]
    bits = np.zeros(len(rows))
    levels = np.zeros(len(rows), dtype=np.int8)
    if not query.keys[number]:
        return bits, levels
    present = codes > 0
    code = query.codes[number]
    if code > 0:
        # Smoothed towards a typical name's frequency, so a tiny registry (a pilot camp) does not
        # make every name look common: PSEUDO_PEOPLE with TYPICAL_U, then the registry's counts.
        u = (index.count(number, code) + PSEUDO_PEOPLE * TYPICAL_U) / (index.size + PSEUDO_PEOPLE)
        same_bits = min(_bits(M_SAME[name], u), MAX_SAME_BITS)
        same = codes == code
        bits[same] = same_bits
        levels[same] = 1
    else:
        same = np.zeros(len(rows), dtype=bool)
    others = present & ~same
    if others.any():
        unique, inverse = np.unique(codes[others], return_inverse=True)
        spelling = query.spellings[number]
        sims = np.array(
            [_similarity(spelling, index.vocabulary.spellings[c]) for c in unique.tolist()]
        )
        level_of = np.where(sims >= SIMILAR, 2, np.where(sims >= WEAK, 3, 4)).astype(np.int8)
        similar_bits = _bits(M_SIMILAR, U_SIMILAR)
        bits_of = np.where(level_of == 2, similar_bits, np.where(level_of == 3, 0.0, 0.0))
        bits_of = np.where(level_of == 4, DIFFERS_BITS[name], bits_of)
        bits[others] = bits_of[inverse]
        levels[others] = level_of[inverse]
    return bits, levels


def _year_bits(index: Index, profile: Profile, rows: np.ndarray) -> np.ndarray:
    if profile.birth_year is None:
        return np.zeros(len(rows))
    years = index.years[rows]
    apart = np.maximum(np.abs(years - profile.birth_year) - profile.year_spread, 0)
    bits = np.full(len(rows), YEAR_FAR_BITS)
    for limit, value in reversed(YEAR_BITS):
        bits = np.where(apart <= limit, value, bits)
    return np.where(years > 0, bits, 0.0)


def score_rows(index: Index, query: _Query, rows: np.ndarray):
    """(scores, name levels as a (5, n) array) of the rows for one reading of a request."""
    profile = query.profile
    total = np.full(len(rows), -math.log2(max(index.size, PRIOR_MIN_SIZE)))
    levels = np.zeros((len(NAMES), len(rows)), dtype=np.int8)
    for number in range(len(NAMES)):
        bits, levels[number] = _name_bits(index, query, number, rows)
        total += bits
    total += _year_bits(index, profile, rows)
    if profile.sex:
        sexes = index.sexes[rows]
        wanted = SEX_CODES[profile.sex]
        total += np.where(sexes == wanted, SEX_BITS[0], np.where(sexes > 0, SEX_BITS[1], 0.0))
    governorate = index.governorate_code(profile.governorate)
    if governorate:
        theirs = index.governorates[rows]
        total += np.where(
            theirs == governorate,
            GOVERNORATE_BITS[0],
            np.where(theirs > 0, GOVERNORATE_BITS[1], 0.0),
        )
    agreeing = ((levels == 1) | (levels == 2)).sum(axis=0)
    scores = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
    scores = np.where(agreeing >= MIN_AGREEING, scores, 0.0)
    return scores, levels


LEVEL_NAMES = {0: "missing", 1: "same", 2: "similar", 3: "unsure", 4: "differs"}


def match_index(
    index: Index,
    readings: list[Profile],
    *,
    top: int = 5,
    threshold: float = THRESHOLD,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> list[Candidate]:
    """The best ``top`` people of the index at or above ``threshold`` for a request (its
    readings from ``request.profiles``), best first; people in ``exclude`` (ids rejected
    before) are never proposed."""
    queries = [_Query(index, profile) for profile in readings]
    rows = candidate_rows(index, queries)
    if not len(rows):
        return []
    best = np.zeros(len(rows))
    which = np.zeros(len(rows), dtype=np.int8)
    all_levels = []
    for number, query in enumerate(queries):
        scores, levels = score_rows(index, query, rows)
        better = scores > best
        best = np.where(better, scores, best)
        which = np.where(better, number, which)
        all_levels.append(levels)
    order = np.argsort(-best, kind="stable")
    found: list[Candidate] = []
    for position in order.tolist():
        score = float(best[position])
        if score < threshold or len(found) >= top:
            break
        row = int(rows[position])
        record_id = index.ids[row]
        if record_id in exclude:
            continue
        query = queries[int(which[position])]
        levels = all_levels[int(which[position])][:, position]
        found.append(_candidate(index, query, row, record_id, score, levels))
    return found


def _candidate(index, query: _Query, row: int, record_id: str, score: float, levels):
    named = {}
    for number, name in enumerate(NAMES):
        level = LEVEL_NAMES[int(levels[number])]
        if query.keys[number] or level != "missing":
            named[name] = level
    profile = query.profile
    year = int(index.years[row])
    apart = abs(year - profile.birth_year) if year and profile.birth_year is not None else None
    return Candidate(record_id, round(score, 4), named, profile.derived, apart)
