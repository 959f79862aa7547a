"""What the linkage compares: per-record features built on the name keys, and blocking keys.

One record becomes a flat dict of features (a key and a 'known name' flag per name part, the
birth year, full date and whether the date is weak, normalised sex, governorate, ID number and
phone). ``compare_records`` scores two such dicts in Python; the batch engine loads the same
dicts as columns into DuckDB (or Spark), so both see exactly the same values.
"""

import datetime as dt
import re
from functools import lru_cache

from mawa.linkage.governorates import canonical_governorate
from mawa.linkage.types import Record
from mawa.namekeys import normalize, split_name, to_ascii_digits
from mawa.namekeys.grade import is_listed, loose_key, skeleton_key
from mawa.namekeys.keys import key_info

NAME_FIELDS = ("given", "father", "grandfather", "family", "mother")
_NAME_COLUMNS = tuple(
    (name, f"{name}_known", f"{name}_norm", f"{name}_skel", f"{name}_loose") for name in NAME_FIELDS
)
WEAK_DAYS = frozenset({"01-01", "07-01"})  # the defaults clerks type for an unknown birthday
MIN_YEAR, MAX_YEAR = 1880, 2100
_DATE = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2}))?")
_NOT_ID = re.compile(r"[^0-9A-Z]")
_NOT_DIGIT = re.compile(r"[^0-9]")
_SEX = {
    "m": "M",
    "male": "M",
    "ذكر": "M",
    "f": "F",
    "female": "F",
    "انثى": "F",
    "أنثى": "F",
    "انثي": "F",
}


@lru_cache(maxsize=1 << 18)
def name_info(raw: str, last: bool = False) -> tuple[str | None, bool, str, str | None, str | None]:
    """(key or None, listed, normalised spelling, skeleton or None, loose skeleton or None) of
    a name cell. The key is the whole cell's when the name table lists it (زين العابدين), else
    its first part's (the person's own name when a cell holds more) or, for a family name,
    its last part's. Listed: the spelling is in the table as written, so a different listed
    name is a different name, not a typo. The skeletons are table-free (``namekeys.grade``):
    what an unlisted spelling is compared by."""
    whole = normalize(raw)
    if is_listed(whole):
        key, _known = key_info(raw)
        part, norm, listed = raw, whole, True
    else:
        parts = split_name(raw)
        if not parts:
            return None, False, "", None, None
        part = parts[-1] if last else parts[0]
        key, _known = key_info(part)
        norm = normalize(part)
        listed = is_listed(norm)
    skeleton = skeleton_key(part) or None
    return key or None, listed, norm, skeleton, (loose_key(skeleton) if skeleton else None)


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> tuple[int | None, str | None, bool] | None:
    """(year, full date or None, weak) for "YYYY-MM-DD", "YYYY", "YYYY-00-00" or "";
    None when the text is not a valid date. Weak: year only, or 1 January / 1 July."""
    text = to_ascii_digits(text.strip())
    if not text:
        return None, None, False
    match = _DATE.fullmatch(text)
    if not match:
        return None
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    month, day = match.group(2), match.group(3)
    if month is None or month == "00" or day == "00":
        return year, None, True  # unknown day (and month): Iraqi records write 00
    try:
        dt.date(year, int(month), int(day))
    except ValueError:
        return None
    return year, text, f"{month}-{day}" in WEAK_DAYS


@lru_cache(maxsize=1 << 10)
def parse_sex(text: str) -> str | None:
    """'M', 'F' or None for empty; raises ValueError for anything else."""
    text = normalize(text)
    if not text:
        return None
    if text in _SEX:
        return _SEX[text]
    raise ValueError(f"sex must be M or F, not {text!r}")


def clean_id(text: str) -> str | None:
    """An ID number as digits and capital letters; None when fewer than 4 remain."""
    if not text:
        return None
    cleaned = _NOT_ID.sub("", (text if text.isascii() else to_ascii_digits(text)).upper())
    return cleaned if len(cleaned) >= 4 else None


def clean_phone(text: str) -> str | None:
    """A phone number's last 10 digits without the Iraqi prefixes (+964, 00964, 0)."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        digits = _NOT_DIGIT.sub("", text if text.isascii() else to_ascii_digits(text))
    else:
        digits = text
    if len(digits) > 10:
        digits = digits.removeprefix("00964").removeprefix("964")
    digits = digits.lstrip("0")
    if len(digits) < 7 or digits.count(digits[0]) == len(digits):
        return None  # too short, or 0000000 / 1111111 placeholders
    return digits[-10:]


@lru_cache(maxsize=1 << 12)
def governorate_key(text: str) -> str | None:
    """Canonical governorate (نينوى = Ninewa = Nineveh), a name key for unlisted places,
    or the upper-cased code for a P-code such as IQG15."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[A-Za-z]{2,3}\d+", text):
        return text.upper()
    return canonical_governorate(text) or None


def spread(record: Record) -> tuple[str, str, str, str]:
    """The four chain cells; a whole name typed into the given-name cell is spread out."""
    cells = (record.given_name, record.father_name, record.grandfather_name, record.family_name)
    if cells[1] or cells[2] or cells[3] or not cells[0]:
        return cells
    parts = split_name(cells[0])
    if len(parts) == 2:
        return parts[0], parts[1], "", ""
    if len(parts) == 3:
        return parts[0], parts[1], "", parts[2]
    if len(parts) >= 4:
        return parts[0], parts[1], parts[2], " ".join(parts[3:])
    return cells


def validate(record: Record) -> None:
    """Raise ValueError for a birth date or sex that is not one of the accepted forms."""
    if parse_date(record.birth_date) is None:
        raise ValueError(f"birth_date {record.birth_date!r} is not YYYY-MM-DD or YYYY")
    parse_sex(record.sex)


def features(record: Record, strict: bool = False) -> dict:
    """The comparable features of one record. Invalid values become missing; with strict
    they raise ValueError instead (the CSV reader reports them as malformed rows)."""
    out: dict = {}
    given, father, grandfather, family = spread(record)
    cells = (given, father, grandfather, family, record.mother_name)
    for columns, raw in zip(_NAME_COLUMNS, cells, strict=True):
        for column, value in zip(columns, name_info(raw, columns[0] == "family"), strict=True):
            out[column] = value
    date = parse_date(record.birth_date)
    if date is None:
        if strict:
            raise ValueError(f"birth_date {record.birth_date!r} is not YYYY-MM-DD or YYYY")
        date = (None, None, False)
    out["birth_year"], out["birth_full"], out["birth_weak"] = date
    try:
        out["sex"] = parse_sex(record.sex)
    except ValueError:
        if strict:
            raise
        out["sex"] = None
    out["governorate"] = governorate_key(record.governorate)
    out["id_number"] = clean_id(record.id_number)
    out["phone"] = clean_phone(record.phone)
    out["generic"] = generic(out)
    return out


BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("given", "father", "family", "governorate"),
    ("given", "family", "birth_year"),
    ("father", "family", "birth_year"),
    ("given", "father", "birth_year"),
    ("id_number",),
    ("phone", "given"),
    ("generic", "given_loose", "family_loose"),
    ("generic", "family_loose", "birth_year"),
    ("generic", "given_loose", "birth_year"),
)  # each catches duplicates the others miss. Measured on the generator: (given, father,
# grandfather) and (given, mother, birth_year) found 0.35% of the findable pairs for 40% of the
# candidates, so they were dropped; the governorate of origin splits the largest block (given,
# father, family) five ways for 0.4% of recall.


# The last three are for generic records (no father's, grandfather's or mother's name: FEBRL,
# or a form that asks only for two names), whose pairs the chain rules above cannot find; they
# use the loose skeletons, so a typo in one name still blocks. "generic" is None on a record
# with any chain name, so these rules never touch Iraqi four-part records.


def generic(feats: dict) -> str | None:
    """'g' for a record without father's, grandfather's and mother's names, else None."""
    chain = (feats["father"], feats["grandfather"], feats["mother"])
    return "g" if all(value is None for value in chain) else None


def blocking_values(feats: dict) -> list[str | None]:
    """One value per rule in BLOCKING_RULES; None where a part is missing."""
    values: list[str | None] = []
    for number, rule in enumerate(BLOCKING_RULES):
        parts = [feats[column] for column in rule]
        if any(part is None or part == "" for part in parts):
            values.append(None)
        else:
            values.append(f"b{number}:" + "|".join(str(part) for part in parts))
    return values


def blocking_keys(record: Record) -> list[str]:
    """The blocking keys of a record: two records are compared in batch when they share one.
    Stable strings ("b0:mhmd|ali|jbry"), so a database can index them for candidate lookup."""
    return [value for value in blocking_values(features(record)) if value is not None]
