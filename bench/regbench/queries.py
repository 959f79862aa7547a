"""The seeded query mix: what clerks type into the search box.

Six kinds in equal numbers, shuffled: one Arabic name part (half typed without hamza or ta
marbuta, as many keyboards and clerks do), one Latin spelling (some in lower case), a given name
and a family name together (in either script), a household number (as printed, or lower case
without dashes), a phone number (local, international, spaced) and a national ID number (some
typed with Arabic-Indic digits). Numbers are drawn from the database, so they exist.
"""

import random

KINDS = ("arabic_part", "latin_part", "given_family", "reference", "phone", "document")
_PLAIN = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sample_numbers() -> dict:
    """Every household's id, reference and phone, and every document number, in a fixed order.

    About 190,000 short rows each at a million people: cheap, and the seeded choices made from
    them are the same on every run against the same database.
    """
    from mawa.registry.models import Household, IdentityDocument

    households = list(
        Household.objects.order_by("reference").values_list("pk", "reference", "phone")
    )
    return {
        "household_ids": [pk for pk, _ref, _phone in households],
        "references": [ref for _pk, ref, _phone in households],
        "phones": [phone for _pk, _ref, phone in households if len(phone) == 11],
        "documents": list(
            IdentityDocument.objects.order_by("number").values_list("number", flat=True)
        ),
    }


def _name_lists():
    from mawa.registry.synthetic import FAMILY, FEMALE, MALE

    return MALE, FEMALE, FAMILY


def _arabic_part(rng, numbers) -> str:
    male, female, family = _name_lists()
    name = rng.choice(rng.choice([male, female, family]))[0]
    return name.translate(_PLAIN) if rng.random() < 0.5 else name


def _latin_part(rng, numbers) -> str:
    male, female, family = _name_lists()
    name = rng.choice(rng.choice([male, female, family]))[1]
    return name.lower() if rng.random() < 0.3 else name


def _given_family(rng, numbers) -> str:
    male, female, family = _name_lists()
    script = 0 if rng.random() < 0.5 else 1
    given = rng.choice(male if rng.random() < 0.6 else female)[script]
    return f"{given} {rng.choice(family)[script]}"


def _reference(rng, numbers) -> str:
    reference = rng.choice(numbers["references"])
    return reference if rng.random() < 0.5 else reference.replace("-", "").lower()


def _phone(rng, numbers) -> str:
    phone = rng.choice(numbers["phones"])  # 07XXXXXXXXX
    roll = rng.random()
    if roll < 0.4:
        return phone
    if roll < 0.7:
        return f"+964 {phone[1:4]} {phone[4:7]} {phone[7:]}"
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}"


def _document(rng, numbers) -> str:
    number = rng.choice(numbers["documents"])
    return number.translate(_ARABIC_DIGITS) if rng.random() < 0.25 else number


_MAKERS = {
    "arabic_part": _arabic_part,
    "latin_part": _latin_part,
    "given_family": _given_family,
    "reference": _reference,
    "phone": _phone,
    "document": _document,
}


def make_queries(rng: random.Random, numbers: dict, count: int) -> list[tuple[str, str]]:
    """`count` (kind, text) pairs, as equal a mix of the six kinds as count allows, shuffled."""
    queries = [
        (KINDS[i % len(KINDS)], _MAKERS[KINDS[i % len(KINDS)]](rng, numbers)) for i in range(count)
    ]
    rng.shuffle(queries)
    return queries
