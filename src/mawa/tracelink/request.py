"""A tracing request and what it says about the sought person, the seeker's names included.

A request describes one sought person as a relative remembers them (any part missing, any
script, an approximate birth year) and the seeker who asks. The seeker is evidence: a father
looking for his son gives, with his own name, the son's father's and grandfather's names and
the family name. ``profiles`` turns a request into what to look for.
"""

import re
from dataclasses import dataclass, replace

from mawa.namekeys import normalize, part_similarity, split_name, to_ascii_digits

REQUEST_FIELDS = (
    "request",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "sex",
    "birth_year",
    "governorate",
    "seeker_given_name",
    "seeker_father_name",
    "seeker_grandfather_name",
    "seeker_family_name",
    "seeker_sex",
    "relation",
)

# What the sought person is to the seeker, in the words a request may use.
RELATIONS = {
    "son": ("son", "ابن", "ولد", "کوڕ", "كور"),
    "daughter": ("daughter", "ابنة", "بنت", "ابنه", "کچ", "كچ"),
    "father": ("father", "اب", "والد", "باوک", "باوك"),
    "mother": ("mother", "ام", "والدة", "والده", "دایک", "دايك"),
    "brother": ("brother", "اخ", "برا"),
    "sister": ("sister", "اخت", "خوشک", "خوشك"),
    "husband": ("husband", "زوج", "مێرد", "ميرد"),
    "wife": ("wife", "زوجة", "زوجه", "ژن"),
    "other": ("other", "", "اخر", "اخرى", "قريب", "relative"),
}
_RELATION_LOOKUP = {normalize(word): code for code, words in RELATIONS.items() for word in words}
RELATION_SEX = {
    "son": "M",
    "daughter": "F",
    "father": "M",
    "mother": "F",
    "brother": "M",
    "sister": "F",
    "husband": "M",
    "wife": "F",
}
_SEX = {"m": "M", "male": "M", "ذكر": "M", "f": "F", "female": "F", "انثى": "F", "انثي": "F"}
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_AGE = re.compile(r"^(?:age\s*)?(\d{1,3})$")
CONTRADICTION = 0.75  # below this part_similarity a typed and an implied name disagree
APPROXIMATE_MARKS = ("~", "?", "about", "approx", "circa", "c.", "حوالي", "تقريبا", "نحو")


@dataclass(frozen=True, slots=True)
class Request:
    """One sought person and the seeker, as typed (cells may be empty, in either script)."""

    request: str
    given_name: str = ""
    father_name: str = ""
    grandfather_name: str = ""
    family_name: str = ""
    mother_name: str = ""
    sex: str = ""
    birth_year: str = ""
    governorate: str = ""
    seeker_given_name: str = ""
    seeker_father_name: str = ""
    seeker_grandfather_name: str = ""
    seeker_family_name: str = ""
    seeker_sex: str = ""
    relation: str = ""


@dataclass(frozen=True, slots=True)
class Profile:
    """What to look for: the sought person's names (typed or derived from the seeker), sex,
    birth year with its uncertainty in years, governorate, and which names were derived."""

    given: str = ""
    father: str = ""
    grandfather: str = ""
    family: str = ""
    mother: str = ""
    sex: str = ""
    birth_year: int | None = None
    year_spread: int = 0  # 0: as typed; more when the year was a range or marked approximate
    governorate: str = ""
    derived: tuple[str, ...] = ()  # the name fields that came from the seeker's names


def parse_sex(text: str) -> str:
    """'M', 'F' or '' for empty; ValueError for anything else."""
    cleaned = normalize(text)
    if not cleaned:
        return ""
    if cleaned in _SEX:
        return _SEX[cleaned]
    raise ValueError(f"sex must be M or F, not {text!r}")


def parse_relation(text: str) -> str:
    """The relation code ('son', ..., 'other'); '' and unknown words are 'other' only when
    empty: an unknown word raises ValueError, so a typo is reported rather than guessed."""
    cleaned = normalize(text)
    if cleaned in _RELATION_LOOKUP:
        return _RELATION_LOOKUP[cleaned]
    raise ValueError(f"relation {text!r} is not one of {', '.join(RELATIONS)}")


def parse_birth_year(text: str, *, this_year: int = 2017) -> tuple[int | None, int]:
    """(year, spread) from '1990', '~1990', '1990?', 'about 1990', '1988-1992', '١٩٩٠' or an
    age ('16' -> this_year - 16, spread 1); (None, 0) for empty; ValueError otherwise."""
    cleaned = to_ascii_digits(text or "").strip().lower()
    if not cleaned:
        return None, 0
    years = [int(y) for y in _YEAR.findall(cleaned)]
    approximate = any(mark in cleaned for mark in APPROXIMATE_MARKS)
    if years:
        low, high = min(years), max(years)
        middle = (low + high) // 2
        spread = (high - low + 1) // 2 + (2 if approximate else 0)
        return middle, spread
    age = _AGE.match(cleaned.strip(" ~?"))
    if age and int(age.group(1)) <= 110:
        return this_year - int(age.group(1)), 1 + (2 if approximate else 0)
    raise ValueError(f"birth_year {text!r} is not a year, a range of years or an age")


def _spread_chain(given: str, father: str, grandfather: str, family: str):
    """A whole name typed into the given-name cell, spread over the four cells."""
    if father or grandfather or family or not given:
        return given, father, grandfather, family
    parts = split_name(given)
    if len(parts) == 2:
        return parts[0], parts[1], "", ""
    if len(parts) == 3:
        return parts[0], parts[1], "", parts[2]
    if len(parts) >= 4:
        return parts[0], parts[1], parts[2], " ".join(parts[3:])
    return given, father, grandfather, family


def _from_seeker(request: Request, relation: str, seeker_sex: str) -> dict[str, str]:
    """The sought person's name fields implied by the seeker's names and the relation."""
    given, father, grandfather, family = _spread_chain(
        request.seeker_given_name,
        request.seeker_father_name,
        request.seeker_grandfather_name,
        request.seeker_family_name,
    )
    if relation in ("son", "daughter"):
        if seeker_sex == "F":
            return {"mother": given}
        return {"father": given, "grandfather": father, "family": family}
    if relation in ("brother", "sister"):
        return {"father": father, "grandfather": grandfather, "family": family}
    if relation == "father":
        return {"given": father, "father": grandfather, "family": family}
    return {}


def profiles(request: Request) -> list[Profile]:
    """What to look for. Typed names win over derived ones. When the seeker's sex is unknown
    and it decides what their names say (a parent looking for a child), both readings are
    returned and a candidate is scored against the better one. Raises ValueError for a sex,
    relation or birth year that cannot be read."""
    sex = parse_sex(request.sex)
    seeker_sex = parse_sex(request.seeker_sex)
    relation = parse_relation(request.relation)
    year, spread = parse_birth_year(request.birth_year)
    given, father, grandfather, family = _spread_chain(
        request.given_name, request.father_name, request.grandfather_name, request.family_name
    )
    base = Profile(
        given=given.strip(),
        father=father.strip(),
        grandfather=grandfather.strip(),
        family=family.strip(),
        mother=request.mother_name.strip(),
        sex=sex or RELATION_SEX.get(relation, ""),
        birth_year=year,
        year_spread=spread,
        governorate=request.governorate.strip(),
    )
    readings = [seeker_sex] if seeker_sex or relation not in ("son", "daughter") else ["M", "F"]
    found: list[Profile] = []
    for reading in readings:
        implied = {k: v.strip() for k, v in _from_seeker(request, relation, reading).items()}
        if any(_contradicts(getattr(base, name), value) for name, value in implied.items()):
            continue  # e.g. a typed father's name that is not the seeker's: not this reading
        derived = {
            name: value for name, value in implied.items() if value and not getattr(base, name)
        }
        profile = replace(base, derived=tuple(sorted(derived)), **derived)
        if profile not in found:
            found.append(profile)
    return found or [base]


def _contradicts(typed: str, implied: str) -> bool:
    """A typed name and the one the seeker's name implies are clearly different names."""
    if not typed or not implied:
        return False
    typed_parts, implied_parts = split_name(typed), split_name(implied)
    if not typed_parts or not implied_parts:
        return False
    return part_similarity(typed_parts[0], implied_parts[0]) < CONTRADICTION
