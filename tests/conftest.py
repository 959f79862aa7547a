"""Shared fixtures: two camps and named users with different access, as in healthchecks.

- alice: registration clerk at Camp A
- mona: camp manager at Camp A
- dina: distribution operator at Camp A (sees people, cannot register)
- bob: registration clerk at Camp B (wrong site for Camp A's records)
- max: camp manager at Camp B
- victor: viewer of every site (wrong role for people's records)
- ada: administrator of every site
"""

import datetime as dt

import pytest
from django.core.management.commands import flush
from django.db import connections
from django.test import Client

from mawa.core import append_only
from mawa.core.models import AdminArea, Site, User
from mawa.core.roles import Role
from mawa.registry.models import Person, Sector, Shelter
from mawa.registry.services import MemberInput, household_register

PASSWORD = "a-long-test-password-1"
pytest_plugins = ["tests.fixtures_assistance"]


_flush = flush.Command.handle


def _flush_past_the_audit_triggers(self, **options):
    """Tests that commit (browser, live server) empty every table afterwards: on SQLite with
    DELETE, which the audit log's triggers refuse, so they are lifted for that moment only.
    (PostgreSQL's flush truncates, which fires no row trigger.)"""
    connection = connections[options.get("database") or "default"]
    if connection.vendor != "sqlite":
        return _flush(self, **options)
    append_only.uninstall(connection)
    try:
        return _flush(self, **options)
    finally:
        append_only.install(connection)


flush.Command.handle = _flush_past_the_audit_triggers


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def areas(db):
    ninewa = AdminArea.objects.create(pcode="IQG15", level=1, name_en="Ninewa", name_ar="نينوى")
    mosul = AdminArea.objects.create(
        pcode="IQG15Q05", level=2, name_en="Al-Mosul", name_ar="الموصل", parent=ninewa
    )
    erbil = AdminArea.objects.create(pcode="IQG11", level=1, name_en="Erbil", name_ar="أربيل")
    makhmour = AdminArea.objects.create(
        pcode="IQG11Q04", level=2, name_en="Makhmour", name_ar="مخمور", parent=erbil
    )
    return {"ninewa": ninewa, "mosul": mosul, "erbil": erbil, "makhmour": makhmour}


@pytest.fixture
def camp_a(areas):
    return Site.objects.create(
        code="camp-a",
        name_en="Camp A",
        name_ar="مخيم أ",
        area=areas["makhmour"],
        capacity_households=10,
        capacity_people=12,
    )


@pytest.fixture
def camp_b(areas):
    return Site.objects.create(
        code="camp-b",
        name_en="Camp B",
        name_ar="مخيم ب",
        area=areas["mosul"],
        capacity_households=100,
        capacity_people=600,
    )


def make_user(username, role, sites=(), all_sites=False):
    user = User.objects.create_user(username, password=PASSWORD, role=role, all_sites=all_sites)
    user.sites.set(sites)
    return user


@pytest.fixture
def users(camp_a, camp_b):
    return {
        "alice": make_user("alice", Role.CLERK, [camp_a]),
        "mona": make_user("mona", Role.CAMP_MANAGER, [camp_a]),
        "dina": make_user("dina", Role.DISTRIBUTION, [camp_a]),
        "bob": make_user("bob", Role.CLERK, [camp_b]),
        "max": make_user("max", Role.CAMP_MANAGER, [camp_b]),
        "victor": make_user("victor", Role.VIEWER, all_sites=True),
        "ada": make_user("ada", Role.ADMINISTRATOR, all_sites=True),
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(relationship="head", sex="M", **names) -> MemberInput:
    fields = {
        "relationship": relationship,
        "sex": sex,
        "given_name_ar": "حسين",
        "father_name_ar": "علي",
        "grandfather_name_ar": "كاظم",
        "family_name_ar": "الجبوري",
        "mother_name_ar": "فاطمة",
        "given_name_lat": "",
        "father_name_lat": "",
        "grandfather_name_lat": "",
        "family_name_lat": "",
        "mother_name_lat": "",
        "birth_date": dt.date(1980, 5, 1),
        "birth_date_precision": Person.DatePrecision.EXACT,
        "phone": "",
    }
    fields.update(names)
    return MemberInput(fields=fields)


@pytest.fixture
def family_a(users, camp_a):
    """Hussein Ali Kadhim al-Jubouri's family of three at Camp A."""
    return household_register(
        actor=users["alice"],
        site=camp_a,
        members=[
            member(),
            member(
                "spouse",
                "F",
                given_name_ar="زينب",
                father_name_ar="حسن",
                grandfather_name_ar="محمد",
                family_name_ar="التميمي",
                mother_name_ar="سعاد",
            ),
            member(
                "son",
                "M",
                given_name_ar="يوسف",
                father_name_ar="حسين",
                grandfather_name_ar="علي",
                birth_date=dt.date(2012, 3, 3),
            ),
        ],
        phone="07701234567",
        arrival_date=dt.date(2016, 10, 20),
        consent_date=dt.date(2016, 10, 20),
        consent_purposes=["assistance"],
    )


@pytest.fixture
def family_b(users, camp_b):
    return household_register(
        actor=users["bob"],
        site=camp_b,
        members=[member(given_name_ar="عمر", given_name_lat="Omar")],
        arrival_date=dt.date(2017, 1, 5),
        consent_date=dt.date(2017, 1, 5),
        consent_purposes=["assistance"],
    )


@pytest.fixture
def shelters_a(camp_a):
    sector = Sector.objects.create(site=camp_a, name="A")
    return [
        Shelter.objects.create(site=camp_a, sector=sector, code=f"A-{i}", capacity_people=4)
        for i in (1, 2)
    ]
