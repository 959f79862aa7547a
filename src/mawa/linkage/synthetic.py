"""Seeded synthetic registrations of displaced Iraqi families, with duplicates and truth labels.

For evaluating de-duplication. Families are three-generation clans (a grandfather, his sons and
daughters, their children), so the hard negatives occur as they do in a registry: brothers and
sisters (three of four names shared), twins (same birth date too), cousins (often both named
after the common grandfather), a grandson named after his grandfather, and namesakes in other
governorates. Every person is registered once; some are registered again with the damage a
second registration brings: the other script, another Latin spelling, Arabic spelling variants
(hamza, ta marbuta, alef maqsura), typos, a dropped grandfather, family or mother's name, a
year-only or 1 January / 1 July birth date, a missing or mistyped ID number, a new phone.

Names come from the curated table of ``mawa.namekeys`` (Arabic forms and real Latin spellings)
with Zipf-like frequencies, the table's first rows being the common names.
"""

import csv
import random
from dataclasses import dataclass, field

from mawa.linkage.governorates import GOVERNORATES
from mawa.linkage.types import FIELDS, Record
from mawa.namekeys.table import BUILTIN

ORIGINS = {
    "Ninewa": 35,
    "Anbar": 25,
    "Salah al-Din": 15,
    "Kirkuk": 7,
    "Diyala": 7,
    "Baghdad": 6,
    "Babil": 3,
    "Erbil": 2,
}
SIMILAR_AR = {"ح": "خج", "خ": "ح", "س": "ص", "ص": "س", "ت": "ط", "ط": "ت", "د": "ذ", "ذ": "د"}
SIMILAR_AR |= {"ز": "ظ", "ظ": "ض", "ض": "ظ", "ع": "غ", "غ": "ع", "ق": "ك", "ك": "ق"}
ORTHOGRAPHY = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ي", "ى"), ("ء", ""))


@dataclass
class Name:
    arabic: tuple[str, ...]
    latin: tuple[str, ...]


@dataclass
class Person:
    pid: str
    sex: str
    given: Name
    father: Name
    grandfather: Name
    family: Name
    mother: tuple[Name, Name]  # the mother's given name and her father's
    birth: tuple[int, int, int]
    date_known: bool  # else recorded as a year, 1 January or 1 July
    origin: str
    id_number: str = ""
    phone: str = ""


@dataclass
class Synthetic:
    """Records in random order, each record's person, and the hard-negative relations."""

    records: list[Record]
    truth: dict[str, str]  # record id -> person id
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (pid, pid, kind)


def _load_names(path=None) -> dict[str, list[Name]]:
    pools: dict[str, list[Name]] = {"m": [], "f": [], "family": []}
    with open(path or BUILTIN, encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines):
            name = Name(tuple(row["arabic"].split("|")), tuple(row["latin_spellings"].split("|")))
            kind = row["kind"].strip()
            for pool in ("m", "f") if kind == "u" else (kind,):
                if pool in pools and name.arabic[0] and name.latin[0]:
                    pools[pool].append(name)
    return pools


class _Names:
    def __init__(self, rng: random.Random, path=None):
        self.rng = rng
        self.pools = _load_names(path)
        self.weights = {
            kind: [1.0 / (rank + 1) ** (0.8 if kind == "family" else 1.0) for rank in range(len(p))]
            for kind, p in self.pools.items()
        }

    def pick(self, kind: str, avoid: tuple[Name, ...] = ()) -> Name:
        while True:
            (name,) = self.rng.choices(self.pools[kind], self.weights[kind])
            if name not in avoid:
                return name


class Generator:
    """``Generator(seed).generate(n)``: about n records (exactly n), reproducible by seed."""

    def __init__(
        self,
        seed: int = 2017,
        dup_rate: float = 0.15,
        namesake_rate: float = 0.02,
        names_path=None,
        damage: float = 1.0,
    ):
        """``names_path``: a name table CSV to draw names from (default the built-in one);
        ``damage``: a factor on the rates of typos, dropped names and weak dates of second
        registrations (1.0: the rates the shipped model was fitted on)."""
        self.rng = random.Random(seed)
        self.names = _Names(self.rng, names_path)
        self.damage = damage
        self.dup_rate = dup_rate
        self.namesake_rate = namesake_rate
        self.people: list[Person] = []
        self.relations: list[tuple[str, str, str]] = []
        self._pid = 0

    # --- people ---

    def _new_pid(self) -> str:
        self._pid += 1
        return f"P{self._pid:07d}"

    def _birth(self, year: int, known: float = 0.7) -> tuple[tuple[int, int, int], bool]:
        rng = self.rng
        return (year, rng.randint(1, 12), rng.randint(1, 28)), rng.random() < known

    def _person(self, sex, given, father, grandfather, family, mother, year, origin, phone):
        birth, known = self._birth(year)
        rng = self.rng
        id_number = (
            "".join(rng.choice("0123456789") for _ in range(12)) if rng.random() < 0.6 else ""
        )
        person = Person(self._new_pid(), sex, given, father, grandfather, family, mother, birth,
                        known, origin, id_number, phone)  # fmt: skip
        self.people.append(person)
        return person

    def _phone(self) -> str:
        rng = self.rng
        return (
            f"07{rng.choice('3456789')}{rng.randint(0, 99999999):08d}" if rng.random() < 0.8 else ""
        )

    def _children(self, father: Person, mother: tuple[Name, Name], first_year: int, count: int,
                  name_after: Name | None) -> list[Person]:  # fmt: skip
        rng, names = self.rng, self.names
        taken: list[Name] = []
        children: list[Person] = []
        phone = self._phone()
        year = first_year
        for index in range(count):
            sex = rng.choice("MF")
            if index == 0 and name_after is not None and sex == "M" and rng.random() < 0.4:
                given = name_after  # the first grandson named after his grandfather
            else:
                given = names.pick(sex.lower(), tuple(taken))
            taken.append(given)
            child = self._person(sex, given, father.given, father.father, father.family, mother,
                                 year, father.origin, phone)  # fmt: skip
            if children and rng.random() < 0.03:  # twins: same birth date
                twin = children[-1]
                child.birth, child.date_known = twin.birth, twin.date_known
                self.relations.append((twin.pid, child.pid, "twins"))
            elif children:
                self.relations.append((children[-1].pid, child.pid, "siblings"))
            if given == name_after:
                self.relations.append((child.pid, self._grand[father.pid], "grandson"))
            children.append(child)
            year += rng.randint(1, 3)
            if year > 2016:
                break
        return children

    def _clan(self) -> list[Person]:
        rng, names = self.rng, self.names
        family = names.pick("family")
        (origin,) = rng.choices(list(ORIGINS), list(ORIGINS.values()))
        year = rng.randint(1935, 1962)
        wife = (names.pick("f"), names.pick("m"))
        head = self._person("M", names.pick("m"), names.pick("m"), names.pick("m"), family, (
            names.pick("f"), names.pick("m")), year, origin, self._phone())  # fmt: skip
        wife_person = self._person("F", wife[0], wife[1], names.pick("m"), names.pick("family"),
                                   (names.pick("f"), names.pick("m")), year + rng.randint(0, 8),
                                   origin, head.phone)  # fmt: skip
        members = [head, wife_person]
        sons = self._children(head, wife, year + rng.randint(20, 28), rng.randint(2, 6), None)
        members += sons
        first_cousins: list[Person] = []
        for son in sons:
            if son.sex != "M" or son.birth[0] > 1994 or rng.random() < 0.2:
                continue
            self._grand[son.pid] = head.pid
            daughter_in_law = (names.pick("f"), names.pick("m"))
            kids = self._children(son, daughter_in_law, son.birth[0] + rng.randint(20, 30),
                                  rng.randint(1, 6), head.given)  # fmt: skip
            members += kids
            if kids and first_cousins:
                self.relations.append((first_cousins[0].pid, kids[0].pid, "cousins"))
            first_cousins = first_cousins or kids
        return members

    def _namesake(self, other: Person) -> Person:
        """An unrelated person with the same four names from another governorate."""
        rng, names = self.rng, self.names
        origin = rng.choice([g for g in ORIGINS if g != other.origin])
        person = self._person(other.sex, other.given, other.father, other.grandfather,
                              other.family, (names.pick("f"), names.pick("m")),
                              rng.randint(1940, 2012), origin, self._phone())  # fmt: skip
        self.relations.append((other.pid, person.pid, "namesake"))
        return person

    # --- records ---

    def _arabic(self, name: Name, noise: float) -> str:
        rng = self.rng
        text = name.arabic[0] if rng.random() < 0.8 else rng.choice(name.arabic)
        if rng.random() < noise * 4:
            before, after = rng.choice(ORTHOGRAPHY)
            text = text.replace(before, after)
        if " " in text and rng.random() < 0.3:
            text = text.replace(" ", "")  # عبد الله / عبدالله
        return text

    def _latin(self, name: Name, family: bool) -> str:
        rng = self.rng
        spellings = name.latin
        text = spellings[0] if rng.random() < 0.5 else rng.choice(spellings)
        if family:
            (prefix,) = rng.choices(["Al-", "Al ", "al-", "Al", ""], [50, 15, 10, 5, 20])
            text = prefix + (text.lower() if prefix == "Al" else text)
        return text

    def _typo(self, text: str) -> str:
        rng = self.rng
        if len(text) < 4:
            return text
        i = rng.randrange(1, len(text) - 1)
        op = rng.random()
        if op < 0.3:
            return text[:i] + text[i + 1 :]
        if op < 0.5:
            return text[:i] + text[i] + text[i:]
        if op < 0.7:
            return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
        similar = "aeiouy" if text.isascii() else SIMILAR_AR.get(text[i])
        return text[:i] + rng.choice(similar) + text[i + 1 :] if similar else text

    def _name(self, name: Name, script: str, noise: float, family: bool = False) -> str:
        rng = self.rng
        arabic = script == "ar" or (script == "mixed" and rng.random() < 0.5)
        text = self._arabic(name, noise) if arabic else self._latin(name, family)
        return self._typo(text) if rng.random() < noise else text

    def _date(self, person: Person, duplicate: bool) -> str:
        rng = self.rng
        year, month, day = person.birth
        if rng.random() < 0.05:
            return ""
        if not person.date_known:
            if duplicate and rng.random() < 0.25:
                year += rng.choice((-2, -1, 1, 2))  # estimated ages drift
            (form,) = rng.choices(("year", "jan", "jul"), (5, 4, 1))
            return {"year": f"{year}", "jan": f"{year}-01-01", "jul": f"{year}-07-01"}[form]
        if duplicate and rng.random() < min(0.1 * self.damage, 0.9):
            return f"{year}" if rng.random() < 0.5 else f"{year}-01-01"
        if duplicate and rng.random() < 0.03:
            day = rng.randint(1, 28)  # a mistyped day
        return f"{year}-{month:02d}-{day:02d}"

    def _phone_text(self, phone: str, arabic: bool) -> str:
        rng = self.rng
        form = rng.random()
        text = phone if form < 0.6 else ("+964 " if form < 0.8 else "964") + phone[1:]
        if arabic and rng.random() < 0.3:
            text = text.translate(str.maketrans("0123456789+", "٠١٢٣٤٥٦٧٨٩+"))
        return text

    def _record(self, rid: str, p: Person, duplicate: bool) -> Record:
        rng = self.rng
        (script,) = rng.choices(("ar", "lat", "mixed"), (55, 35, 10))
        noise = min(0.05 * self.damage, 0.5) if duplicate else 0.02
        drop = (lambda share: rng.random() < min(share * self.damage, 0.9)) if duplicate else (
            lambda share: rng.random() < share / 6)  # fmt: skip
        cells = {
            "given_name": self._name(p.given, script, noise),
            "father_name": "" if drop(0.03) else self._name(p.father, script, noise),
            "grandfather_name": "" if drop(0.3) else self._name(p.grandfather, script, noise),
            "family_name": "" if drop(0.08) else self._name(p.family, script, noise, True),
        }
        mother = "" if drop(0.25) else self._name(p.mother[0], script, noise)
        if mother and rng.random() < 0.3:
            mother += " " + self._name(p.mother[1], script, noise)
        if duplicate and rng.random() < 0.02:  # the whole name typed in one cell
            cells = {"given_name": " ".join(cells.values()), "father_name": "",
                     "grandfather_name": "", "family_name": ""}  # fmt: skip
        sex = p.sex if rng.random() < 0.97 else ("" if rng.random() < 0.8 else "MF"[p.sex == "M"])
        origin = p.origin
        if rng.random() < 0.1:
            origin = "" if rng.random() < 0.5 else rng.choice(list(ORIGINS))
        gov = rng.choice(GOVERNORATES[origin][:3]) if origin else ""
        id_number = p.id_number if rng.random() < 0.8 else ""
        if id_number and duplicate and rng.random() < 0.05:
            i = rng.randrange(len(id_number))
            id_number = id_number[:i] + rng.choice("0123456789") + id_number[i + 1 :]
        phone = p.phone if rng.random() < 0.7 else ""
        if duplicate and rng.random() < 0.15:
            phone = self._phone()
        return Record(rid, mother_name=mother, sex=sex, birth_date=self._date(p, duplicate),
                      governorate=gov, id_number=id_number,
                      phone=self._phone_text(phone, script == "ar") if phone else "",
                      **cells)  # fmt: skip

    def generate(self, n: int) -> Synthetic:
        rng = self.rng
        self._grand: dict[str, str] = {}
        target_people = max(1, int(n / (1 + self.dup_rate * 1.2)))
        while len(self.people) < target_people:
            clan = self._clan()
            for person in clan:
                if rng.random() < self.namesake_rate and len(self.people) < target_people:
                    self._namesake(person)
        people = self.people[:target_people]
        plan: list[tuple[Person, bool]] = [(p, False) for p in people]
        for person in people:
            if rng.random() < self.dup_rate:
                plan += [(person, True)] * (1 if rng.random() < 0.8 else 2)
        while len(plan) < n:
            plan.append((rng.choice(people), True))
        plan = plan[:n]
        rng.shuffle(plan)
        records, truth = [], {}
        for index, (person, duplicate) in enumerate(plan):
            rid = f"R{index + 1:07d}"
            records.append(self._record(rid, person, duplicate))
            truth[rid] = person.pid
        present = set(truth.values())
        relations = [r for r in self.relations if r[0] in present and r[1] in present]
        return Synthetic(records, truth, relations)


def generate(n: int, seed: int = 2017, names_path=None, damage: float = 1.0) -> Synthetic:
    """n synthetic records with duplicates and truth labels (see the module docstring)."""
    return Generator(seed, names_path=names_path, damage=damage).generate(n)


def write_csv(records: list[Record], path) -> None:
    """Write records as the CSV that ``mawa dedup`` reads."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for record in records:
            writer.writerow([getattr(record, name) for name in FIELDS])
