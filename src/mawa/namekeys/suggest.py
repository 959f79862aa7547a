"""Growing the name table from use: which spellings a registry holds that the table lacks.

``unlisted(cells)`` counts the name parts of a registry's name cells that the active table
does not list; ``closest(part)`` ranks the listed names the part most likely spells (same
table-free skeleton first, then near skeletons, then the nearest listed spelling in the same
script). ``mawa names suggest`` prints both, with a table row an administrator can review and
add to the file named by MAWA_NAME_TABLE: nothing is ever added to the table by itself.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein

from mawa.namekeys.arabic import has_arabic
from mawa.namekeys.elements import split_name
from mawa.namekeys.grade import is_listed, loose_key, skeleton_key
from mawa.namekeys.normal import normalize
from mawa.namekeys.table import NameTable, Row, get_table


@dataclass
class Candidate:
    row: Row
    score: float  # in [0, 1], higher is closer

    @property
    def label(self) -> str:
        latin = self.row.latin[0] if self.row.latin else ""
        arabic = self.row.arabic[0] if self.row.arabic else ""
        return f"{arabic} ({latin})" if arabic and latin else arabic or latin


def unlisted(cells: Iterable[str]) -> Counter:
    """Normalised name parts of the cells that the active table does not list, counted."""
    counts: Counter = Counter()
    for cell in cells:
        if not cell:
            continue
        for part in split_name(cell):
            norm = normalize(part)
            if norm and any(ch.isalpha() for ch in norm) and not is_listed(norm):
                counts[norm] += 1
    return counts


def _row_skeletons(table: NameTable) -> list[tuple[Row, set[str]]]:
    cached = getattr(table, "_suggest_skeletons", None)
    if cached is None:
        cached = [
            (row, {skeleton_key(form) for form in row.arabic + row.latin} - {""})
            for row in table.rows
        ]
        table._suggest_skeletons = cached  # one table, built once per process
    return cached


def closest(part: str, count: int = 3, table: NameTable | None = None) -> list[Candidate]:
    """Up to ``count`` listed names that ``part`` most likely spells, closest first."""
    table = table or get_table()
    norm = normalize(part)
    skeleton = skeleton_key(part)
    if not norm or not skeleton:
        return []
    loose = loose_key(skeleton)
    arabic = has_arabic(norm)
    found: list[Candidate] = []
    for row, skeletons in _row_skeletons(table):
        best = 0.0
        for other in skeletons:
            if other == skeleton:
                best = max(best, 1.0)
            elif loose_key(other) == loose:
                best = max(best, 0.9)
            else:
                best = max(best, 0.8 * JaroWinkler.normalized_similarity(skeleton, other))
        if best < 0.6:
            continue
        forms = [f for f in row.arabic + row.latin if has_arabic(f) == arabic]
        spelling = max((Levenshtein.normalized_similarity(norm, f) for f in forms), default=0.0)
        found.append(Candidate(row, round(0.8 * best + 0.2 * spelling, 3)))
    found.sort(key=lambda c: -c.score)
    return found[:count]


def proposal(part: str, candidate: Candidate) -> str:
    """A CSV row (arabic,latin_spellings,kind) adding ``part`` to the candidate's name."""
    row = candidate.row
    arabic = row.arabic[0] if row.arabic else ""
    if has_arabic(part):
        return f"{arabic}|{part},,{row.kind}"
    return f"{arabic},{part},{row.kind}"
