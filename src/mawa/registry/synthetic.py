"""Seeded synthetic households of displaced Iraqi families, for the demo, tests and benchmarks.

Faker's Arabic locales carry no Iraqi family names, so the names here are a small curated list of
common Iraqi given names and laqabs in Arabic script with one of their usual Latin spellings.
Records are written as plain rows (`mawa.core.bulk`: COPY on PostgreSQL, multi-row INSERTs on
SQLite): a million people take minutes.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from mawa.core.bulk import NewRows, insert_prepared, preparer
from mawa.core.ids import new_id, new_reference
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
    row = {
        "id": new_id(),
        "household_id": household["id"],
        "relationship": relationship,
        "sex": sex,
    }
    for part, (ar, lat) in names.items():
        row[f"{part}_name_ar"] = ar if arabic else ""
        row[f"{part}_name_lat"] = lat if latin else ""
    row["mother_name_ar"] = f"{mother[0]} {mother[2][0]}" if arabic else ""
    row["mother_name_lat"] = f"{mother[1]} {mother[2][1]}" if latin else ""
    row["birth_date"], row["birth_date_precision"] = when
    row["phone"] = ""
    return row


def _family(rng: random.Random, household: dict, today: dt.date) -> list[dict]:
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


def _shelter_ids(sites: list[Site], rng: random.Random) -> dict:
    """Each site's shelter ids in code order (made first where a site has none): ids only, as
    a million-person registry has tens of thousands of shelters."""
    shelters: dict = {}
    existing = Shelter.objects.filter(site__in=sites).order_by("site", "code")
    for site_id, shelter_id in existing.values_list("site_id", "pk"):
        shelters.setdefault(site_id, []).append(shelter_id)
    for site in sites:
        if site.pk not in shelters:
            shelters[site.pk] = [s.pk for s in ensure_shelters(site, rng)]
    return shelters


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
    """Households written as plain rows (`mawa.core.bulk.NewRows`), search tokens included:
    about ten times as fast as model instances through bulk_create, which matters for a
    million-person registry."""
    rng = random.Random(seed)
    today = dt.date.today()
    origins = list(
        AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).values_list("pk", flat=True)
    )
    weights = [max(s.capacity_households, 50) for s in sites]
    shelters = _shelter_ids(sites, rng) if with_shelters else {}
    result = Generated()
    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    tables = {
        key: NewRows(model, connection)
        for key, model in (
            ("h", Household),
            ("p", Person),
            ("n", SpecificNeed),
            ("d", IdentityDocument),
            ("m", Movement),
        )
    }
    tokens: list[tuple] = []
    uuid_db = preparer(Person._meta.pk, connection) or (lambda v: v)
    registered_by_id = registered_by.pk if registered_by else None
    pending_people = 0

    def flush():
        for table in tables.values():  # households before people before the rest
            insert_prepared(connection, *table.batch())
        insert_prepared(
            connection, SearchToken._meta.db_table, ["person_id", "site_id", "token"], tokens
        )
        tokens.clear()

    for _ in range(households):
        site = rng.choices(sites, weights=weights)[0]
        arrival = today - dt.timedelta(days=int(rng.expovariate(1 / 300)) % 1200)
        household = tables["h"].add(
            {
                "id": new_id(),
                "reference": new_reference(),
                "site_id": site.pk,
                "phone": f"07{rng.choice('5789')}{rng.randint(0, 99_999_999):08d}"
                if rng.random() < 0.7
                else "",
                "origin_area_id": rng.choice(origins) if origins else None,
                "displacement_date": arrival - dt.timedelta(days=rng.randint(0, 60)),
                "arrival_date": arrival,
                "consent_date": arrival,
                "consent_purposes": [ConsentPurpose.ASSISTANCE, ConsentPurpose.CONTACT],
                "registered_by_id": registered_by_id,
                **stamps,
            }
        )
        site_key = uuid_db(site.pk)
        people = _family(rng, {"id": household.pk}, today)
        site_shelters = shelters.get(site.pk)
        shelter = rng.choice(site_shelters) if site_shelters else None
        for values in people:
            person = tables["p"].add({**values, "shelter_id": shelter, **stamps})
            documents = []
            if rng.random() < 0.6 and person.relationship in (Person.HEAD, "spouse"):
                documents.append(
                    tables["d"].add(
                        {
                            "person_id": person.pk,
                            "kind": "national_id",
                            "number": f"{rng.randint(10**11, 10**12 - 1)}",
                        }
                    )
                )
            if rng.random() < 0.08:
                tables["n"].add({"person_id": person.pk, "code": rng.choice(NEEDS)})
            person_key = uuid_db(person.pk)
            tokens.extend(
                (person_key, site_key, t) for t in person_tokens(person, documents, household)
            )
        tables["m"].add(
            {
                "id": new_id(),
                "household_id": household.pk,
                "kind": Movement.Kind.ARRIVAL,
                "date": arrival,
                "to_site_id": site.pk,
                "people": len(people),
                "recorded_by_id": registered_by_id,
                "recorded_at": now,
            }
        )
        result.households += 1
        result.people += len(people)
        pending_people += len(people)
        if pending_people >= batch * 5:
            flush()
            pending_people = 0
    flush()
    return result
