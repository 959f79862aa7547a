"""The records, results and errors of the linkage package (plain dataclasses, no Django)."""

from dataclasses import dataclass, field

FIELDS = (
    "id",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "sex",
    "birth_date",
    "governorate",
    "id_number",
    "phone",
)


@dataclass(frozen=True, slots=True)
class Record:
    """One registration as the linkage sees it. Name cells may be Arabic or Latin script or
    empty; ``birth_date`` is "YYYY-MM-DD", "YYYY" or ""; ``sex`` is "M", "F" or "";
    ``governorate`` is the governorate of origin (Arabic or Latin, a name or a P-code)."""

    id: str
    given_name: str = ""
    father_name: str = ""
    grandfather_name: str = ""
    family_name: str = ""
    mother_name: str = ""
    sex: str = ""
    birth_date: str = ""
    governorate: str = ""
    id_number: str = ""
    phone: str = ""


@dataclass
class Comparison:
    """The verdict on one pair: a match probability and why."""

    probability: float
    reasons: list[str] = field(default_factory=list)
    reason_codes: list[str] = field(default_factory=list)
    match_weight: float = 0.0  # log2 of the Bayes factor plus the prior, as Splink reports it
    levels: dict[str, str] = field(default_factory=dict)  # comparison -> level name


@dataclass
class LinkResult:
    """Pairs above the review threshold, a cluster for every input id, malformed CSV rows."""

    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)
    malformed: list[tuple[int, str]] = field(default_factory=list)


class Cancelled(Exception):  # noqa: N818 - the name the callers use
    """Raised by ``link`` and ``dedup_csv`` when ``should_cancel()`` turned true."""
