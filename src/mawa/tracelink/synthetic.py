"""Seeded tracing requests with truth: relatives describing registered people, and requests
for people who were never registered.

The registry is ``mawa.linkage.synthetic`` (three-generation clans, duplicates, namesakes).
A request is written as a relative would: the seeker's own names (from which the sought
person's father's, grandfather's, family or mother's name follow), the sought person's names
with parts missing, an approximate birth year, any script, typos and spellings the name table
does not list. ``variant="heldout"`` changes what the tuning saw: other unknown-spelling rules
(Kurdish letters in Arabic, Hawar letters in Latin), names the table does not list (Kurdish,
Yazidi, Christian), wider age guesses and more missing parts.
"""

import random
from dataclasses import dataclass, field

from mawa.linkage.governorates import GOVERNORATES
from mawa.linkage.synthetic import Generator, Name, Person
from mawa.linkage.types import Record
from mawa.tracelink.request import REQUEST_FIELDS, Request

REQUEST_YEAR = 2017
UNLISTED = {  # (Arabic, Latin spellings), for the held-out variant: not in the name table
    "m": [
        ("يوخنا", ("Youkhana", "Yokhana", "Yukhanna")),
        ("شمعون", ("Shamoon", "Shimon", "Shamun")),
        ("كاروان", ("Karwan", "Karwaan", "Kárwan")),
        ("هيمن", ("Hemin", "Hêmin", "Heemin")),
        ("ريبوار", ("Rebwar", "Rebuar", "Reebwar")),
        ("دلشاد", ("Dilshad", "Dlshad", "Dilşad")),
        ("خدر", ("Khidir", "Khudher", "Xidir")),
        ("نيجيرفان", ("Nechirvan", "Nechervan", "Neçirvan")),
    ],
    "f": [
        ("شيرين", ("Shirin", "Shireen", "Şirîn")),
        ("نسرين", ("Nasreen", "Nisrin", "Nesrin")),
        ("روناك", ("Ronak", "Runak", "Roonak")),
        ("ليلان", ("Lilan", "Leelan", "Lîlan")),
    ],
    "family": [
        ("البازي", ("Al-Bazi", "Bazi", "Albazy")),
        ("الهركي", ("Al-Harki", "Herki", "Harkee")),
        ("البرواري", ("Al-Barwari", "Berwari", "Barwary")),
    ],
}


@dataclass
class Damage:
    """How a relative's description differs from the registration."""

    missing_given: float = 0.07
    keep_derived: float = 0.3  # a derived part typed too (else left to the seeker's names)
    father: float = 0.9
    grandfather: float = 0.35
    family: float = 0.7
    mother: float = 0.4
    sex: float = 0.9
    birth_year: float = 0.85
    age_error: int = 3  # years either way, at most
    approximate: float = 0.25  # written ~1990 or as a range
    governorate: float = 0.5
    typo: float = 0.04
    unknown_spelling: float = 0.12
    rules: str = "dev"


VARIANTS = {
    "dev": Damage(),
    "heldout": Damage(
        missing_given=0.1,
        keep_derived=0.2,
        father=0.85,
        grandfather=0.25,
        family=0.55,
        mother=0.3,
        sex=0.85,
        age_error=5,
        approximate=0.35,
        governorate=0.4,
        typo=0.06,
        unknown_spelling=0.2,
        rules="heldout",
    ),
}
LATIN_RULES = {
    "dev": (("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("a", "e"), ("ss", "s")),
    "heldout": (
        ("sh", "ş"),
        ("ch", "ç"),
        ("e", "ê"),
        ("i", "î"),
        ("q", "g"),
        ("dh", "z"),
        ("th", "s"),
        ("w", "v"),
        ("kh", "x"),
    ),  # fmt: skip
}
ARABIC_RULES = {
    "dev": (("ة", "ه"), ("ى", "ا"), ("أ", "ا"), ("ي", "ى")),
    "heldout": (("ك", "ک"), ("ي", "ی"), ("ه", "ە"), ("ة", "ە"), ("ى", "ی")),
}


@dataclass
class Synthetic:
    """The registry, the requests, and the truth: request -> person id (None: unregistered)."""

    registry: list[Record]
    person_of: dict[str, str]  # registry record id -> person id
    requests: list[Request]
    truth: dict[str, str | None] = field(default_factory=dict)


class RequestGenerator:
    def __init__(self, seed: int = 2017, variant: str = "dev"):
        self.rng = random.Random(seed * 7919 + len(variant))
        self.seed = seed
        self.variant = variant
        self.damage = VARIANTS[variant]

    # --- spellings ---

    def _spell(self, name: Name, script: str) -> str:
        rng, damage = self.rng, self.damage
        if script == "ar":
            text = rng.choice(name.arabic)
            if rng.random() < damage.unknown_spelling:
                before, after = rng.choice(ARABIC_RULES[damage.rules])
                text = text.replace(before, after)
        else:
            text = rng.choice(name.latin)
            if rng.random() < damage.unknown_spelling:
                before, after = rng.choice(LATIN_RULES[damage.rules])
                text = text.replace(before, after, 1)
        if rng.random() < damage.typo and len(text) >= 5:
            i = rng.randrange(1, len(text) - 1)
            text = text[:i] + text[i + 1 :] if rng.random() < 0.5 else text[:i] + text[i] + text[i:]
        return text

    def _family(self, name: Name, script: str) -> str:
        text = self._spell(name, script)
        if script != "ar" and self.rng.random() < 0.6:
            text = "Al-" + text
        return text

    # --- requests ---

    def _pick_relation(self, person: Person) -> str:
        rng = self.rng
        age = REQUEST_YEAR - person.birth[0]
        options = ["brother" if person.sex == "M" else "sister", "other"]
        options += ["son" if person.sex == "M" else "daughter"] * (4 if age < 40 else 1)
        if age > 35:
            options += ["father" if person.sex == "M" else "mother"] * 2
            options += ["husband" if person.sex == "M" else "wife"]
        return rng.choice(options)

    def _seeker(self, person: Person, relation: str, pools) -> tuple[dict, str]:
        """The seeker's four names and sex, and the seeker's kind (father/mother/...)."""
        rng = self.rng
        male, female, families = pools["m"], pools["f"], pools["family"]
        if relation in ("son", "daughter"):
            if rng.random() < 0.6:
                return {"given": person.father, "father": person.grandfather,
                        "grandfather": rng.choice(male), "family": person.family}, "M"  # fmt: skip
            mother, her_father = person.mother
            return {"given": mother, "father": her_father, "grandfather": rng.choice(male),
                    "family": rng.choice(families)}, "F"  # fmt: skip
        if relation in ("brother", "sister"):
            sex = rng.choice("MF")
            return {"given": rng.choice(male if sex == "M" else female), "father": person.father,
                    "grandfather": person.grandfather, "family": person.family}, sex  # fmt: skip
        if relation == "father":
            sex = rng.choice("MF")
            return {"given": rng.choice(male if sex == "M" else female), "father": person.given,
                    "grandfather": person.father, "family": person.family}, sex  # fmt: skip
        sex = "F" if relation == "husband" else ("M" if relation == "wife" else rng.choice("MF"))
        return {"given": rng.choice(male if sex == "M" else female), "father": rng.choice(male),
                "grandfather": rng.choice(male), "family": rng.choice(families)}, sex  # fmt: skip

    def _details(self, cells: dict, person: Person, origin_forms) -> None:
        """Sex, an approximate birth year and the governorate, each when the relative gives it."""
        rng, damage = self.rng, self.damage
        if rng.random() < damage.sex:
            cells["sex"] = person.sex
        if rng.random() < damage.birth_year:
            year = person.birth[0] + rng.randint(-damage.age_error, damage.age_error)
            if rng.random() < damage.approximate:
                year_text = f"~{year}" if rng.random() < 0.5 else f"{year - 2}-{year + 2}"
            else:
                year_text = str(year)
            cells["birth_year"] = year_text
        if rng.random() < damage.governorate and origin_forms.get(person.origin):
            cells["governorate"] = rng.choice(origin_forms[person.origin])

    def request(self, rid: str, person: Person, origin_forms, pools) -> Request:
        rng, damage = self.rng, self.damage
        relation = self._pick_relation(person)
        seeker, seeker_sex = self._seeker(person, relation, pools)
        derived = {
            "son": {"father", "grandfather", "family"},
            "daughter": {"father", "grandfather", "family"},
            "brother": {"father", "grandfather", "family"},
            "sister": {"father", "grandfather", "family"},
            "father": {"given", "father", "family"},
        }.get(relation, set())
        if relation in ("son", "daughter") and seeker_sex == "F":
            derived = {"mother"}
        script = "ar" if rng.random() < 0.55 else "lat"
        seeker_script = script if rng.random() < 0.7 else ("lat" if script == "ar" else "ar")

        def typed(part: str, share: float) -> bool:
            return rng.random() < (damage.keep_derived if part in derived else share)

        cells = {name: "" for name in REQUEST_FIELDS}
        cells["request"] = rid
        if not rng.random() < damage.missing_given or "given" in derived:
            cells["given_name"] = self._spell(person.given, script)
        if typed("father", damage.father):
            cells["father_name"] = self._spell(person.father, script)
        if typed("grandfather", damage.grandfather):
            cells["grandfather_name"] = self._spell(person.grandfather, script)
        if typed("family", damage.family):
            cells["family_name"] = self._family(person.family, script)
        if typed("mother", damage.mother):
            cells["mother_name"] = self._spell(person.mother[0], script)
        self._details(cells, person, origin_forms)
        for part in ("given", "father", "grandfather", "family"):
            if part == "grandfather" and rng.random() < 0.25:
                continue
            name = seeker[part]
            cells[f"seeker_{part}_name"] = (
                self._family(name, seeker_script)
                if part == "family"
                else self._spell(name, seeker_script)
            )
        cells["seeker_sex"] = seeker_sex if rng.random() < 0.85 else ""
        cells["relation"] = relation
        return Request(**cells)


def _add_unlisted(generator: Generator) -> None:
    """Give the registry's generator names the name table does not list (held-out variant)."""
    names = generator.names
    for kind, entries in UNLISTED.items():
        for arabic, latin in entries:
            names.pools[kind].insert(len(names.pools[kind]) // 10, Name((arabic,), latin))
        names.weights[kind] = [
            1.0 / (rank + 1) ** (0.8 if kind == "family" else 1.0)
            for rank in range(len(names.pools[kind]))
        ]


def generate(registry_size: int, requests: int, *, seed: int = 2017, variant: str = "dev",
             unregistered: float = 0.2) -> Synthetic:  # fmt: skip
    """A registry of ``registry_size`` records and ``requests`` requests, a share of them for
    people who are not registered."""
    registry_generator = Generator(seed)
    outsiders = Generator(seed + 100_003)
    if variant == "heldout":
        _add_unlisted(registry_generator)
        _add_unlisted(outsiders)
    built = registry_generator.generate(registry_size)
    registered = {pid for pid in built.truth.values()}
    people = [p for p in registry_generator.people if p.pid in registered]
    outsiders.generate(max(50, int(requests * unregistered * 1.5)))
    pools = registry_generator.names.pools
    generator = RequestGenerator(seed, variant)
    rng = generator.rng
    origin_forms = {name: forms[:4] for name, forms in GOVERNORATES.items()}
    made: list[Request] = []
    truth: dict[str, str | None] = {}
    for number in range(requests):
        rid = f"T{number + 1:06d}"
        if rng.random() < unregistered:
            person = rng.choice(outsiders.people)
            truth[rid] = None
        else:
            person = rng.choice(people)
            truth[rid] = person.pid
        made.append(generator.request(rid, person, origin_forms, pools))
    return Synthetic(built.records, dict(built.truth), made, truth)
