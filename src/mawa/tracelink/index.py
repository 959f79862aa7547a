"""An in-memory index of registered people for tracing: name keys as integer codes in numpy
arrays, and sorted blocking keys on pairs of name parts.

A registry of a million people becomes eight blocking keys a person (given+father,
given+family, father+grandfather, ...), so a request finds its candidates by binary search in
one sorted array even when one or two of its parts are missing, misspelt beyond the name keys,
or wrong; the candidates are then scored together (``score.py``) rather than one by one.
"""

from array import array
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np

from mawa.linkage.features import governorate_key, parse_date
from mawa.linkage.types import Record
from mawa.namekeys import name_key, split_name
from mawa.tracelink.request import _spread_chain, parse_sex

NAMES = ("given", "father", "grandfather", "family", "mother")
GIVEN, FATHER, GRANDFATHER, FAMILY, MOTHER = range(5)
PAIRS = (
    (GIVEN, FATHER),
    (GIVEN, FAMILY),
    (GIVEN, GRANDFATHER),
    (GIVEN, MOTHER),
    (FATHER, GRANDFATHER),
    (FATHER, FAMILY),
    (FATHER, MOTHER),
    (GRANDFATHER, FAMILY),
)
SEX_CODES = {"": 0, "M": 1, "F": 2}
_SHIFT = 28  # codes below 2**28; a blocking key is pair << 56 | code_a << 28 | code_b


@lru_cache(maxsize=1 << 18)
def cell_key(text: str, last: bool = False) -> str:
    """The key of a name cell: its first part's (the person's own name when a cell holds
    more), for a family name its last part's; '' when it has no letters."""
    parts = [part for part in split_name(text or "") if name_key(part)]
    if not parts:
        return ""
    return name_key(parts[-1] if last else parts[0])


class Vocabulary:
    """Name keys as small integers (0 is 'missing'), with one spelling of each to compare."""

    def __init__(self):
        self.codes: dict[str, int] = {"": 0}
        self.spellings: list[str] = [""]
        self.keys: list[str] = [""]

    def code(self, key: str, spelling: str) -> int:
        found = self.codes.get(key)
        if found is None:
            found = self.codes[key] = len(self.spellings)
            self.spellings.append(spelling)
            self.keys.append(key)
        return found

    def lookup(self, key: str) -> int:
        """The code of a key, -1 when nobody indexed has it (0 for no key)."""
        return self.codes.get(key, -1)


def record_cells(record: Record) -> tuple[str, str, str, str, str]:
    given, father, grandfather, family = _spread_chain(
        record.given_name, record.father_name, record.grandfather_name, record.family_name
    )
    return given, father, grandfather, family, record.mother_name


class Index:
    """Registered people ready for tracing. ``add`` records, then ``freeze`` once; ``reference``
    (a larger index sharing this one's vocabulary) gives name frequencies and registry size,
    so that a small index of new registrations scores as the whole registry would. A caller
    whose registry lives elsewhere (a database) gives ``size`` and ``counter(field, key)``, the
    number of registered people with that key in that field, instead."""

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        reference: "Index | None" = None,
        *,
        size: int | None = None,
        counter: Callable[[int, str], int] | None = None,
    ):
        self.vocabulary = vocabulary or (reference.vocabulary if reference else Vocabulary())
        self.reference = reference
        self._size = size
        self._counter = counter
        self.ids: list[str] = []
        self._codes = [array("i") for _ in NAMES]
        self._years = array("h")
        self._sexes = array("b")
        self._governorates = array("i")
        self._governorate_codes: dict[str, int] = (
            reference._governorate_codes if reference else {"": 0}
        )
        self.frozen = False

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, record: Record) -> None:
        """Index one registration; ValueError for a sex or birth date that cannot be read."""
        sex = parse_sex(record.sex)
        date = parse_date(record.birth_date)
        if date is None:
            raise ValueError(f"birth_date {record.birth_date!r} is not YYYY-MM-DD or YYYY")
        for number, text in enumerate(record_cells(record)):
            key = cell_key(text, number == FAMILY)
            self._codes[number].append(self.vocabulary.code(key, text) if key else 0)
        self._years.append(date[0] or 0)
        self._sexes.append(SEX_CODES[sex])
        governorate = governorate_key(record.governorate) or ""
        self._governorates.append(
            self._governorate_codes.setdefault(governorate, len(self._governorate_codes))
        )
        self.ids.append(record.id)

    def extend(self, records: Iterable[Record]) -> None:
        for record in records:
            self.add(record)

    def freeze(self) -> "Index":
        """Build the arrays and the sorted blocking keys."""
        self.codes = [np.frombuffer(column, dtype=np.int32).copy() for column in self._codes]
        self.years = np.frombuffer(self._years, dtype=np.int16).astype(np.int32)
        self.sexes = np.frombuffer(self._sexes, dtype=np.int8).copy()
        self.governorates = np.frombuffer(self._governorates, dtype=np.int32).copy()
        rows = np.arange(len(self.ids), dtype=np.int32)
        keys, owners = [], []
        for number, (a, b) in enumerate(PAIRS):
            both = (self.codes[a] > 0) & (self.codes[b] > 0)
            keys.append(
                (np.int64(number) << 56)
                | (self.codes[a][both].astype(np.int64) << _SHIFT)
                | self.codes[b][both].astype(np.int64)
            )
            owners.append(rows[both])
        keys_all = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        order = np.argsort(keys_all, kind="stable")
        self.block_keys = keys_all[order]
        self.block_rows = np.concatenate(owners)[order] if owners else rows[:0]
        source = self.reference or self
        self.size = max(self._size or len(source.ids), 1)
        size = len(self.vocabulary.spellings)
        self.counts = [
            np.bincount(column, minlength=size) if source is self else None for column in self.codes
        ]
        self.frozen = True
        return self

    def count(self, field: int, code: int) -> int:
        """How many people of the registry have this key in this field."""
        if self._counter is not None:
            return self._counter(field, self.vocabulary.keys[code]) if code > 0 else 0
        source = self.reference or self
        counts = source.counts[field]
        return int(counts[code]) if 0 < code < len(counts) else 0

    def block(self, pair: int, code_a: int, code_b: int) -> np.ndarray:
        key = (pair << 56) | (code_a << _SHIFT) | code_b
        low = np.searchsorted(self.block_keys, key, side="left")
        high = np.searchsorted(self.block_keys, key, side="right")
        return self.block_rows[low:high]

    def governorate_code(self, text: str) -> int:
        return self._governorate_codes.get(governorate_key(text) or "", -1) if text else 0
