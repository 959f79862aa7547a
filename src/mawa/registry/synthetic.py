"""Seeded synthetic households of displaced Iraqi families, for the demo, tests and benchmarks.

Faker's Arabic locales carry no Iraqi family names, so the names here are a small curated list of
common Iraqi given names and laqabs in Arabic script with one of their usual Latin spellings.
Records are written with bulk inserts: a million people take minutes, not hours.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from mawa.core.ids import new_id
from mawa.core.models import AdminArea, Site, User
from mawa.registry.models import (
    ConsentPurpose,
    Household,
    IdentityDocument,
    Movement,
    Person,
    SearchToken,
    Sector,
    Shelter,
    SpecificNeed,
)
from mawa.registry.search import person_tokens

MALE = [
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("علي", "Ali"),
    ("حسين", "Hussein"),
    ("حسن", "Hassan"),
    ("عمر", "Omar"),
    ("خالد", "Khalid"),
    ("عبد الله", "Abdullah"),
    ("يوسف", "Yousif"),
    ("إبراهيم", "Ibrahim"),
    ("مصطفى", "Mustafa"),
    ("كاظم", "Kadhim"),
    ("جاسم", "Jasim"),
    ("عباس", "Abbas"),
    ("سعد", "Saad"),
    ("محمود", "Mahmoud"),
    ("فاضل", "Fadhil"),
    ("حيدر", "Haider"),
    ("صالح", "Salih"),
    ("عبد الرحمن", "Abdulrahman"),
    ("قاسم", "Qasim"),
    ("ماجد", "Majid"),
    ("رعد", "Raad"),
    ("سلمان", "Salman"),
    ("نوري", "Nouri"),
    ("هاشم", "Hashim"),
    ("وليد", "Waleed"),
    ("زياد", "Ziad"),
    ("طارق", "Tariq"),
    ("عادل", "Adel"),
    ("كريم", "Kareem"),
    ("مهدي", "Mahdi"),
]
FEMALE = [
    ("فاطمة", "Fatima"),
    ("زينب", "Zainab"),
    ("مريم", "Maryam"),
    ("نور", "Noor"),
    ("سارة", "Sara"),
    ("هدى", "Huda"),
    ("أمل", "Amal"),
    ("رنا", "Rana"),
    ("شيماء", "Shaimaa"),
    ("آمنة", "Amina"),
    ("خديجة", "Khadija"),
    ("سعاد", "Suaad"),
    ("ليلى", "Layla"),
    ("بشرى", "Bushra"),
    ("انتصار", "Intisar"),
    ("وفاء", "Wafaa"),
    ("رقية", "Ruqaya"),
    ("حنان", "Hanan"),
    ("إيمان", "Iman"),
    ("سميرة", "Samira"),
]
FAMILY = [
    ("الجبوري", "Al-Jubouri"),
    ("الدليمي", "Al-Dulaimi"),
    ("العبيدي", "Al-Obaidi"),
    ("الشمري", "Al-Shammari"),
    ("التميمي", "Al-Tamimi"),
    ("الزبيدي", "Al-Zubaidi"),
    ("الجنابي", "Al-Janabi"),
    ("العزاوي", "Al-Azzawi"),
    ("الحمداني", "Al-Hamdani"),
    ("المشهداني", "Al-Mashhadani"),
    ("السامرائي", "Al-Samarrai"),
    ("الربيعي", "Al-Rubaie"),
    ("الخفاجي", "Al-Khafaji"),
    ("السعدي", "Al-Saadi"),
    ("البياتي", "Al-Bayati"),
    ("الكربولي", "Al-Karbouli"),
    ("العيساوي", "Al-Issawi"),
    ("الفهداوي", "Al-Fahdawi"),
    ("الحديثي", "Al-Hadithi"),
    ("الراوي", "Al-Rawi"),
    ("العاني", "Al-Ani"),
    ("الطائي", "Al-Taie"),
]
NEEDS = [c for c, _label in SpecificNeed.Code.choices]


@dataclass
class Generated:
    households: int = 0
    people: int = 0


def _birth(rng: random.Random, today: dt.date, low: int, high: int) -> tuple[dt.date, str]:
    year = today.year - rng.randint(low, high)
    roll = rng.random()
    if roll < 0.15:
        return dt.date(year, 1, 1), Person.DatePrecision.YEAR
    if roll < 0.25:
        return dt.date(year, 7, 1), Person.DatePrecision.ESTIMATED
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28)), Person.DatePrecision.EXACT


def _person(rng, household, relationship, sex, given, father, grandfather, family, mother, when):
    script = rng.random()
    arabic, latin = script < 0.9, script > 0.35
    names = {"given": given, "father": father, "grandfather": grandfather, "family": family}
    fields = {}
    for part, (ar, lat) in names.items():
        fields[f"{part}_name_ar"] = ar if arabic else ""
        fields[f"{part}_name_lat"] = lat if latin else ""
    fields["mother_name_ar"] = f"{mother[0]} {mother[2][0]}" if arabic else ""
    fields["mother_name_lat"] = f"{mother[1]} {mother[2][1]}" if latin else ""
    birth, precision = when
    return Person(
        id=new_id(),
        household=household,
        relationship=relationship,
        sex=sex,
        birth_date=birth,
        birth_date_precision=precision,
        **fields,
    )


def _family(rng: random.Random, household: Household, today: dt.date) -> list[Person]:
    family = rng.choice(FAMILY)
    head_male = rng.random() < 0.8
    father, grandfather = rng.choice(MALE), rng.choice(MALE)
    mother = (*rng.choice(FEMALE), rng.choice(FAMILY))
    head_given = rng.choice(MALE) if head_male else rng.choice(FEMALE)
    head = _person(
        rng,
        household,
        Person.HEAD,
        "M" if head_male else "F",
        head_given,
        father,
        grandfather,
        family,
        mother,
        _birth(rng, today, 22, 70),
    )
    people = [head]
    spouse_mother = (*rng.choice(FEMALE), rng.choice(FAMILY))
    if head_male and rng.random() < 0.85:
        spouse_family = rng.choice(FAMILY)
        people.append(
            _person(
                rng,
                household,
                Person.Relationship.SPOUSE,
                "F",
                rng.choice(FEMALE),
                rng.choice(MALE),
                rng.choice(MALE),
                spouse_family,
                spouse_mother,
                _birth(rng, today, 18, 60),
            )
        )
    children = rng.choices(range(0, 9), weights=[2, 4, 7, 10, 12, 11, 8, 5, 3])[0]
    child_mother = spouse_mother if head_male else mother
    for _ in range(children):
        male = rng.random() < 0.5
        people.append(
            _person(
                rng,
                household,
                Person.Relationship.SON if male else Person.Relationship.DAUGHTER,
                "M" if male else "F",
                rng.choice(MALE) if male else rng.choice(FEMALE),
                head_given if head_male else rng.choice(MALE),
                father if head_male else rng.choice(MALE),
                family,
                child_mother,
                _birth(rng, today, 0, 20),
            )
        )
    return people


def ensure_shelters(site: Site, rng: random.Random, per_sector: int = 20) -> list[Shelter]:
    """Sectors A, B, C... with tents or caravans, enough for the site's capacity."""
    existing = list(site.shelters.all())
    if existing:
        return existing
    count = max(1, min(site.capacity_households or 100, 400))
    sectors = [
        Sector.objects.create(site=site, name=chr(65 + i))
        for i in range((count + per_sector - 1) // per_sector)
    ]
    kind = Shelter.Kind.CARAVAN if rng.random() < 0.3 else Shelter.Kind.TENT
    return Shelter.objects.bulk_create(
        Shelter(
            site=site,
            sector=sectors[i // per_sector],
            code=f"{sectors[i // per_sector].name}-{i % per_sector + 1:02d}",
            kind=kind,
            capacity_people=6,
        )
        for i in range(count)
    )


@transaction.atomic
def generate_households(
    *,
    sites: list[Site],
    households: int,
    seed: int = 2017,
    registered_by: User | None = None,
    with_shelters: bool = True,
    batch: int = 2000,
) -> Generated:
    rng = random.Random(seed)
    today = dt.date.today()
    origins = list(
        AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).values_list("pk", flat=True)
    )
    weights = [max(s.capacity_households, 50) for s in sites]
    shelters = {s.pk: ensure_shelters(s, rng) for s in sites} if with_shelters else {}
    result = Generated()
    pending: dict[str, list] = {k: [] for k in ("h", "p", "t", "m", "n", "d")}

    def flush():
        Household.objects.bulk_create(pending["h"], batch_size=batch)
        Person.objects.bulk_create(pending["p"], batch_size=batch)
        for key, model in (
            ("n", SpecificNeed),
            ("d", IdentityDocument),
            ("m", Movement),
            ("t", SearchToken),
        ):
            model.objects.bulk_create(pending[key], batch_size=batch)
        for values in pending.values():
            values.clear()

    for _ in range(households):
        site = rng.choices(sites, weights=weights)[0]
        arrival = today - dt.timedelta(days=int(rng.expovariate(1 / 300)) % 1200)
        household = Household(
            id=new_id(),
            site=site,
            phone=f"07{rng.choice('5789')}{rng.randint(0, 99_999_999):08d}"
            if rng.random() < 0.7
            else "",
            origin_area_id=rng.choice(origins) if origins else None,
            displacement_date=arrival - dt.timedelta(days=rng.randint(0, 60)),
            arrival_date=arrival,
            consent_date=arrival,
            consent_purposes=[ConsentPurpose.ASSISTANCE, ConsentPurpose.CONTACT],
            registered_by=registered_by,
        )
        people = _family(rng, household, today)
        site_shelters = shelters.get(site.pk)
        shelter = rng.choice(site_shelters) if site_shelters else None
        for person in people:
            person.shelter = shelter
            documents = []
            if rng.random() < 0.6 and person.relationship in (Person.HEAD, "spouse"):
                documents.append(
                    IdentityDocument(
                        person=person,
                        kind="national_id",
                        number=f"{rng.randint(10**11, 10**12 - 1)}",
                    )
                )
            if rng.random() < 0.08:
                pending["n"].append(SpecificNeed(person=person, code=rng.choice(NEEDS)))
            pending["d"] += documents
            pending["t"] += [
                SearchToken(person=person, site_id=site.pk, token=t)
                for t in person_tokens(person, documents, household)
            ]
        pending["h"].append(household)
        pending["p"] += people
        pending["m"].append(
            Movement(
                household=household,
                kind=Movement.Kind.ARRIVAL,
                date=arrival,
                to_site=site,
                people=len(people),
                recorded_by=registered_by,
            )
        )
        result.households += 1
        result.people += len(people)
        if len(pending["p"]) >= batch * 5:
            flush()
    flush()
    return result
