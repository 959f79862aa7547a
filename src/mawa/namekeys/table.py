"""The curated name table: common Iraqi names with their Arabic forms and Latin spellings.

Hand-written because rules alone cannot separate names whose consonants agree (حسن Hassan and
حسين Hussein are both h-s-n once Latin vowels are ignored) and cannot know every spelling
(Mohd, Ehmed). No public data set maps Iraqi names across scripts, so the table is data in
``data/names.csv`` that deployments extend with their own file, named by the MAWA_NAME_TABLE
environment variable (several joined by os.pathsep) or passed to ``load_table``.

Every listed spelling of a row gets the row's canonical key. Canonical keys are the rule
skeleton of the row's Arabic form; when rows share a skeleton, the first row keeps it and the
others get their long vowels spelled in (حسين 'hsin'). Unlisted spellings whose skeleton is
shared by several rows go to the row with the closest listed spelling (Husien -> Hussein).
Keys depend on the table: after changing it, re-index (``NameTable.fingerprint`` tells).
"""

import csv
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from mawa.namekeys.arabic import arabic_skeleton, has_arabic
from mawa.namekeys.normal import normalize
from mawa.namekeys.skeleton import leaf_words, part_key, word_skeleton

BUILTIN = Path(__file__).with_name("data") / "names.csv"
ENV_VAR = "MAWA_NAME_TABLE"


@dataclass
class Row:
    arabic: list[str]  # normalised forms, first is the canonical one
    latin: list[str]  # normalised spellings
    kind: str = ""
    source: str = ""
    tier: int = 0  # 0 for the built-in file, then 1, 2... for each extra file in order
    forms: list[str] = field(default_factory=list)  # single-word forms, for nearest()

    @property
    def primary(self) -> str:
        return (self.arabic or self.latin)[0]


def _read_rows(path: Path, tier: int = 0) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for number, cells in enumerate(csv.reader(lines), start=1):
            if number == 1 and cells and cells[0].strip().lower() == "arabic":
                continue  # header
            cells = [*cells, "", "", ""]
            arabic = _forms(cells[0])
            latin = _forms(cells[1])
            if arabic or latin:
                source = f"{path.name}:{number}"
                rows.append(Row(arabic, latin, cells[2].strip(), source, tier))
    return rows


def _forms(cell: str) -> list[str]:
    forms: list[str] = []
    for raw in cell.split("|"):
        form = normalize(raw)
        if form and form not in forms:
            forms.append(form)
    return forms


class NameTable:
    """Canonical keys for listed names; implements the Lookup protocol of ``skeleton.py``."""

    def __init__(self, rows: list[Row], fingerprint: str = "", sources: Iterable[str] = ()):
        self.rows = _merge(rows)
        self.fingerprint = fingerprint
        self.sources = list(sources)
        self.canonical: list[str] = [""] * len(self.rows)
        self.conflicts: list[tuple[str, str, str]] = []  # (spelling, kept key, other key)
        self._forms: dict[str, str] = {}
        self._by_skeleton: dict[str, list[int]] = {}
        self._choices: dict[tuple[str, bool], tuple[list[str], list[int]]] = {}
        self._build()

    def __len__(self) -> int:
        return len(self.rows)

    def exact(self, form: str) -> str | None:
        return self._forms.get(form)

    def nearest(self, form: str, skeleton: str) -> str | None:
        candidates = self._by_skeleton.get(skeleton)
        if not candidates:
            return None
        if len(candidates) == 1:
            return self.canonical[candidates[0]]
        choices = self._choices.get((skeleton, has_arabic(form)))
        if choices is None:
            choices = self._choices[skeleton, has_arabic(form)] = self._spellings(
                candidates, has_arabic(form)
            )
        if not choices[0]:
            return self.canonical[candidates[0]]
        best = process.extractOne(form, choices[0], scorer=Levenshtein.normalized_similarity)
        return self.canonical[choices[1][best[2]]]

    def _spellings(self, rows: list[int], arabic: bool) -> tuple[list[str], list[int]]:
        pairs = [(f, i) for i in rows for f in self.rows[i].forms if has_arabic(f) == arabic]
        return [f for f, _ in pairs], [i for _, i in pairs]

    def _register_single(self, index: int, row: Row) -> None:
        key = self.canonical[index]
        for form in row.arabic + row.latin:
            word = form.replace(" ", "")
            self._register(word, key)
            inner = leaf_words(form)
            if row.kind == "family" and len(inner) == 1 and not inner[0].startswith("\0"):
                word = inner[0]
                self._register(word, key)
            row.forms.append(word)
            members = self._by_skeleton.setdefault(word_skeleton(word), [])
            if index not in members:
                members.append(index)

    def _register(self, form: str, key: str) -> None:
        kept = self._forms.setdefault(form, key)
        if kept != key:
            self.conflicts.append((form, kept, key))

    def _build(self) -> None:
        used: set[str] = set()
        compounds: list[int] = []
        singles: dict[tuple[int, str], list[tuple[int, str, str]]] = {}  # -> (row, base, vowels)
        for index, row in enumerate(self.rows):
            leaves = leaf_words(row.primary)
            if len(leaves) != 1 or leaves[0].startswith("\0"):
                compounds.append(index)
                continue
            # Family names are listed with the article and keyed without it.
            base = leaves[0] if row.kind == "family" else row.primary.replace(" ", "")
            skeleton = word_skeleton(base) or base
            vowels = arabic_skeleton(base, vowels=True) if has_arabic(base) else base
            singles.setdefault((row.tier, skeleton), []).append((index, base, vowels))
        # Built-in rows first, so that an extra file never changes a built-in key.
        for (_tier, skeleton), members in sorted(singles.items(), key=lambda item: item[0][0]):
            # The row without long vowels (حسن) keeps the bare skeleton, else the first row.
            plain = next((m for m in members if m[2] == skeleton), members[0])
            for index, _base, vowels in members:
                key = skeleton if index == plain[0] else vowels
                self.canonical[index] = _unique(key, used)
        skip = set(compounds)
        for index, row in enumerate(self.rows):
            if index not in skip:
                self._register_single(index, row)
        for index in compounds:  # keyed element by element, using the single names above
            row = self.rows[index]
            self.canonical[index] = key = _unique(part_key(row.primary, self)[0], used)
            for form in row.arabic + row.latin:
                self._register(form.replace(" ", ""), key)


def _unique(key: str, used: set[str]) -> str:
    candidate, number = key, 1
    while candidate in used:
        number += 1
        candidate = f"{key}~{number}"
    used.add(candidate)
    return candidate


def _merge(rows: list[Row]) -> list[Row]:
    """Rows naming an already listed Arabic form (or, without Arabic, a listed spelling) add
    their spellings to that row, so an extra file can extend a built-in name."""
    merged: list[Row] = []
    owner: dict[str, Row] = {}
    for row in rows:
        target = next((owner[f] for f in row.arabic if f in owner), None)
        if target is None and not row.arabic:
            target = next((owner[f] for f in row.latin if f in owner), None)
        if target is None:
            target = Row([], [], row.kind, row.source, row.tier)
            merged.append(target)
        for attr in ("arabic", "latin"):
            forms = getattr(target, attr)
            forms.extend(f for f in getattr(row, attr) if f not in forms)
            for form in forms:
                owner.setdefault(form, target)
    return merged


def _paths(extra_path, builtin: bool = True) -> list[Path]:
    paths = [BUILTIN] if builtin else []
    paths += [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    if isinstance(extra_path, str | os.PathLike):
        paths.append(Path(extra_path))
    elif extra_path is not None:
        paths += [Path(p) for p in extra_path]
    return paths


_active: NameTable | None = None
_listeners: list[Callable[[], None]] = []


def load_table(extra_path=None, *, activate: bool = True, builtin: bool = True) -> NameTable:
    """Build the table from the built-in file, the MAWA_NAME_TABLE file(s) and extra_path
    (a path or a list of paths), and by default make it the one ``name_key`` uses. Without
    ``builtin`` the built-in file is left out (the benchmark's held-out halves)."""
    global _active
    rows: list[Row] = []
    digest = hashlib.sha256()
    paths = _paths(extra_path, builtin)
    for tier, path in enumerate(paths):
        digest.update(path.read_bytes())
        rows += _read_rows(path, tier)
    table = NameTable(rows, digest.hexdigest()[:16], (str(p) for p in paths))
    if activate:
        _active = table
        for listener in _listeners:
            listener()
    return table


def get_table() -> NameTable:
    """The table in use, loaded on first use."""
    return _active if _active is not None else load_table()


def on_change(listener: Callable[[], None]) -> None:
    """Call listener (e.g. a cache_clear) whenever load_table activates a new table."""
    _listeners.append(listener)
