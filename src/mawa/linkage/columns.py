"""The records of a batch run as Arrow columns of features, computed once per distinct value.

A million registrations hold far fewer distinct cells (names repeat, dates repeat), so each
column is dictionary-encoded and ``features.py``'s functions run once per distinct value, then
the results are spread back with Arrow's ``take``: the same functions as ``compare_records``,
so both see the same values, at a fraction of the cost of a Python loop over rows.
"""

from collections.abc import Callable

from mawa.linkage.features import (
    BLOCKING_RULES,
    NAME_FIELDS,
    clean_id,
    clean_phone,
    governorate_key,
    name_info,
    parse_date,
    parse_sex,
    spread,
)
from mawa.linkage.types import Record

CELLS = ("given", "father", "grandfather", "family", "mother", "sex", "birth", "gov", "id", "phone")
BLOCK_COLUMNS = [f"b{number}" for number in range(len(BLOCKING_RULES))]


def _sex(text: str) -> str | None:
    try:
        return parse_sex(text)
    except ValueError:
        return None


def _date(text: str) -> tuple[int | None, str | None, bool]:
    return parse_date(text) or (None, None, False)


class Table:
    """Cells of the records to link; row i is internal id i."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.cells: dict[str, list[str]] = {name: [] for name in CELLS}

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, record: Record) -> None:
        self.ids.append(record.id)
        cells = self.cells
        given, father, grandfather, family = spread(record)
        cells["given"].append(given)
        cells["father"].append(father)
        cells["grandfather"].append(grandfather)
        cells["family"].append(family)
        cells["mother"].append(record.mother_name)
        cells["sex"].append(record.sex)
        cells["birth"].append(record.birth_date)
        cells["gov"].append(record.governorate)
        cells["id"].append(record.id_number)
        cells["phone"].append(record.phone)

    def arrow(self, max_block: int = 1_000):
        """The Arrow table Splink reads: uid, feature columns and blocking keys. A blocking
        value shared by more than ``max_block`` records (a placeholder ID, the commonest full
        name at national scale) is dropped; the other rules still apply to those records."""
        import pyarrow as pa  # noqa: PLC0415 - a Splink dependency
        import pyarrow.compute as pc  # noqa: PLC0415

        data: dict = {"uid": pa.array(range(len(self.ids)), pa.int64())}
        text, flag = pa.string(), pa.bool_()
        for name in NAME_FIELDS:
            last = name == "family"
            key, known, norm, skeleton, loose = _per_distinct(
                self.cells[name],
                lambda v, last=last: name_info(v, last),
                text,
                flag,
                text,
                text,
                text,
            )
            data[name], data[f"{name}_known"], data[f"{name}_norm"] = key, known, norm
            data[f"{name}_skel"], data[f"{name}_loose"] = skeleton, loose
        year, full, weak = _per_distinct(
            self.cells["birth"], _date, pa.int32(), pa.string(), pa.bool_()
        )
        data |= {"birth_year": year, "birth_full": full, "birth_weak": weak}
        (data["sex"],) = _per_distinct(self.cells["sex"], lambda v: (_sex(v),), pa.string())
        (data["governorate"],) = _per_distinct(
            self.cells["gov"], lambda v: (governorate_key(v),), pa.string()
        )
        (data["id_number"],) = _per_distinct(self.cells["id"], lambda v: (clean_id(v),), text)
        (data["phone"],) = _per_distinct(self.cells["phone"], lambda v: (clean_phone(v),), text)
        chain = [pc.is_null(data[name]) for name in ("father", "grandfather", "mother")]
        no_chain = pc.and_(pc.and_(chain[0], chain[1]), chain[2])
        data["generic"] = pc.if_else(no_chain, pa.scalar("g"), pa.scalar(None, pa.string()))
        for column, rule in zip(BLOCK_COLUMNS, BLOCKING_RULES, strict=True):
            parts = [pc.cast(data[part], pa.string()) for part in rule]
            joined = pc.binary_join_element_wise(*parts, "|", null_handling="emit_null")
            key = pc.binary_join_element_wise(f"{column}", joined, ":", null_handling="emit_null")
            counts = pc.value_counts(key)
            huge = counts.field("values").filter(pc.greater(counts.field("counts"), max_block))
            if len(huge):
                key = pc.if_else(pc.is_in(key, value_set=huge), pa.scalar(None, pa.string()), key)
            data[column] = key
        return pa.table(data)


def _per_distinct(values: list[str], func: Callable[[str], tuple], *types) -> list:
    """Apply func (returning a tuple) once per distinct value; one Arrow array per output."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    encoded = pc.dictionary_encode(pa.array(values, pa.string()).fill_null(""))
    results = [func(value) for value in encoded.dictionary.to_pylist()]
    return [
        pa.array([r[i] for r in results], kind).take(encoded.indices)
        for i, kind in enumerate(types)
    ]
