"""The import's fast paths give what the slow ones give.

`check_table` cleans each column once per distinct value (`_Lean`): its verdict, cleaned values
and messages must be the registration forms' own, row by row, in every language.
`households_bulk_register` writes plain rows (COPY on PostgreSQL, multi-row INSERT on SQLite):
the people, needs, documents, search tokens, movements and audit events must be those that
`household_register` writes one household at a time, and nothing must stay when a row fails.
"""

import datetime as dt
import sys

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation

from mawa.core.models import AuditEvent
from mawa.registry import imports, services
from mawa.registry.forms import LATIN_LETTER, HouseholdForm, MemberForm
from mawa.registry.imports import check_table, import_households
from mawa.registry.models import (
    Household,
    IdentityDocument,
    Movement,
    Person,
    SearchToken,
    SpecificNeed,
)
from mawa.registry.search import number_token, person_tokens
from mawa.registry.tables import Table
from tests.conftest import member

TODAY = timezone.localdate()
PERSON_SKIPPED = {"id", "household_id", "created_at", "updated_at"}

# Member rows as the import gives them to the form: valid ones, each kind of mistake, the
# same values again (served from the cache), Arabic-Indic digits, look-alike Latin letters.
MEMBER_ROWS = [
    {"relationship": "head", "given_name_ar": "حسين", "sex": "M", "birth_date": "1980-05-01"},
    {"relationship": "spouse", "given_name_ar": "زينب", "sex": "F", "birth_date": "1984"},
    {"relationship": "son", "given_name_ar": "علي", "sex": "M", "birth_date": "٢٠١٠-٠١-٠٢"},
    {"relationship": "son", "given_name_ar": "علي", "sex": "M", "birth_date": "2010-01-02"},
    {"relationship": "head", "given_name_ar": "", "given_name_lat": "", "sex": "M"},
    {"relationship": "head", "given_name_ar": "Ali", "sex": "M"},
    {"relationship": "head", "given_name_ar": "\u212aarim", "sex": "M"},  # Kelvin sign
    {"relationship": "head", "family_name_ar": "\u0130brahim", "given_name_ar": "عمر"},
    {"relationship": "cousin", "given_name_ar": "عمر", "sex": "X"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "birth_date": "2999-01-01"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "birth_date": "1850"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "birth_date": "31/02/2001"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "birth_date": "0000"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "birth_date": "2999-01-01"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "phone": "0770-abc"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "phone": "+964 ٧٧٠ 123"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "document_kind": "passport"},
    {
        "relationship": "head",
        "given_name_lat": "  Omar   Farouk ",
        "sex": "F",
        "document_kind": "national_id",
        "document_number": " A١٢٣ ",
        "needs": ["DS", "SM", "DS"],
    },
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "needs": ["XX"]},
    {"relationship": "head", "given_name_ar": "ع" * 61, "sex": "M"},
    {"relationship": "head", "given_name_ar": "عمر", "sex": "M", "needs": ["DS", "SM", "DS"]},
]
HOUSEHOLD_ROWS = [
    {"arrival_date": "2017-01-05", "displacement_date": "2016-10-17", "phone": "07701234567"},
    {"arrival_date": "2016-01-05", "displacement_date": "2016-10-17"},
    {"arrival_date": "2017-01-05", "displacement_date": "2016-10-17", "phone": "07701234567"},
    {"arrival_date": "1999-01-05"},
    {"arrival_date": "", "phone": "call me"},
    {"arrival_date": "٢٠١٧-٠١-٠٥", "origin_village": "x" * 121},
]


def _full(form_class, data: dict):
    form = form_class(data)
    form.is_valid()
    return form


def _verdict(form) -> tuple:
    errors = {name: list(messages) for name, messages in form.errors.items()}
    cleaned = dict(form.cleaned_data) if not errors else {}
    return errors, cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar", "ckb"])
def test_lean_check_gives_each_form_its_own_verdict_and_messages(language, areas):
    with translation.override(language):
        members = imports._Lean(MemberForm)
        for row in MEMBER_ROWS * 2:
            data = imports._ascii({**imports._member_data({}), **row})
            lean = members.check(data)
            assert _verdict(lean) == _verdict(_full(MemberForm, data)), row
            if not lean.errors:
                full = _full(MemberForm, data)
                assert lean.member_fields() == full.member_fields()
                assert lean.documents() == full.documents()
        households = imports._Lean(HouseholdForm)
        for row in HOUSEHOLD_ROWS * 2:
            data = imports._ascii(
                {"consent_date": "2017-01-05", "consent_purposes": ["assistance"], **row}
            )
            assert _verdict(households.check(data)) == _verdict(_full(HouseholdForm, data)), row


def test_latin_letter_pattern_is_the_rule_it_replaces():
    """MemberForm used `"a" <= ch.lower() <= "z"` per character; the pattern must agree on
    every code point (it also catches the Kelvin sign and dotted capital I)."""
    disagree = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(LATIN_LETTER.match(chr(code))) != ("a" <= chr(code).lower() <= "z")
    ]
    assert disagree == []


def _table(rows: list[list[str]]) -> Table:
    headers = [
        "household",
        "relationship",
        "given_name_ar",
        "family_name_ar",
        "given_name",
        "sex",
        "birth_date",
        "phone",
        "document_type",
        "document_number",
        "needs",
        "origin",
        "arrival",
    ]
    return Table(headers=headers, rows=rows)


HH = ["IQG15Q05", "2017-01-05"]  # origin and arrival of H1
ROWS = [
    ["H1", "head", "حسين", "الجبوري", "Hussein", "M", "1980-05-01", "07701234567", "", "", ""] + HH,
    ["H1", "spouse", "زينب", "التميمي", "", "F", "1984", "", "passport", "A1234567", "WR", "", ""],
    ["H1", "son", "يوسف", "الجبوري", "Yousif", "M", "٢٠١٢-٠٣-٠٣", "", "", "", "DS SM", "", ""],
    ["H2", "head", "", "", "Omar", "female", "1970", "+964 750 111 2222", "national_id", "١٩٩٨٧"]
    + ["", "", "2017-02-01"],
    ["H3", "head", "علي", "", "", "M", "1990-01-01", "", "", "", "", "", ""],
    ["H3", "daughter", "سارة", "", "", "F", "2015-06-30", "", "", "", "SC", "", ""],
]  # fmt: skip


def _snapshot(households) -> list[dict]:
    """What was written for these households, without ids, references and timestamps."""
    result = []
    for household in households:
        people = list(household.members.all())  # in created_at order: the order given
        result.append(
            {
                "household": {
                    name: getattr(household, name)
                    for name in (
                        "site_id",
                        "status",
                        "phone",
                        "origin_area_id",
                        "origin_village",
                        "displacement_date",
                        "arrival_date",
                        "consent_date",
                        "consent_purposes",
                        "registered_by_id",
                    )
                },
                "people": [
                    {
                        f.attname: getattr(p, f.attname)
                        for f in Person._meta.concrete_fields
                        if f.attname not in PERSON_SKIPPED
                    }
                    for p in people
                ],
                "needs": [sorted(p.needs.values_list("code", flat=True)) for p in people],
                "documents": [list(p.documents.values_list("kind", "number")) for p in people],
                "consents": [
                    sorted(
                        p.consents.values_list(
                            "purpose", "partner", "given_by", "given_on", "recorded_by_id"
                        )
                    )
                    for p in people
                ],
                "tokens": [
                    sorted(
                        set(SearchToken.objects.filter(person=p).values_list("token", flat=True))
                        - {number_token(household.reference)}
                    )
                    for p in people
                ],
                "movements": list(
                    household.movements.values_list(
                        "kind", "date", "to_site_id", "people", "recorded_by_id"
                    )
                ),
                "events": [
                    (e.username, e.user_id, e.object_type, e.summary["site"], e.summary["members"])
                    for e in AuditEvent.objects.filter(action="create", object_id=str(household.pk))
                ],
                "event_members": [str(p.pk) for p in people],
            }
        )
    return result


def _assert_tokens_are_person_tokens(households, site):
    """Every person's stored tokens are exactly `person_tokens` of the stored person (whatever
    tokens that function gives now), each stored once, with the household's site."""
    for household in households:
        for person in household.members.all():
            stored = list(SearchToken.objects.filter(person=person).values_list("token", "site_id"))
            expected = person_tokens(person, list(person.documents.all()), household)
            assert sorted(t for t, _site in stored) == sorted(expected)
            assert {s for _t, s in stored} == {site.pk}


@pytest.fixture(params=[1000, 1], ids=["one batch", "a batch a household"])
def batches(request, monkeypatch):
    """Households are written in batches (one written while the next is prepared)."""
    monkeypatch.setattr(services, "BATCH_HOUSEHOLDS", request.param)
    return request.param


@pytest.mark.django_db
def test_import_writes_what_registration_writes(users, camp_a, camp_b, areas, batches):
    mapping = imports.guess_mapping(_table([]).headers)
    report = check_table(_table(ROWS), mapping, TODAY)
    assert report.errors == [] and len(report.valid_households) == 3
    typed = [
        services.household_register(
            actor=users["mona"], site=camp_a, members=group.members, **group.data
        )
        for group in report.valid_households
    ]
    assert (
        import_households(
            actor=users["mona"], site=camp_a, report=report, only_valid=False, filename="f.csv"
        )
        == 3
    )
    imported = list(Household.objects.exclude(pk__in=[h.pk for h in typed]).order_by("created_at"))
    assert len(imported) == 3

    written_typed, written_imported = _snapshot(typed), _snapshot(imported)
    for one, other in zip(written_typed, written_imported, strict=True):
        for key in ("household", "people", "needs", "documents", "tokens", "movements"):
            assert one[key] == other[key], key
        assert one["events"][0][:4] == other["events"][0][:4]
        assert one["events"][0][4] == one["event_members"]
        assert other["events"][0][4] == other["event_members"]
    assert [p["given_name_lat"] for p in written_imported[1]["people"]] == ["Omar"]
    assert written_imported[0]["needs"] == [[], ["WR"], ["DS", "SM"]]
    assert written_imported[0]["documents"][1] == [("passport", "A1234567")]
    assert written_imported[1]["documents"][0] == [("national_id", "19987")]
    _assert_tokens_are_person_tokens(imported, camp_a)
    _assert_tokens_are_person_tokens(typed, camp_a)
    bulk_events = AuditEvent.objects.filter(action="create", summary__import=True)
    assert bulk_events.count() == 3
    assert AuditEvent.objects.filter(action="import").count() == 1


@pytest.mark.django_db
def test_bulk_register_of_model_inputs_matches_household_register(users, camp_b, areas):
    """The service alone, given what a caller other than the import might pass."""
    households = [
        (
            {
                "phone": "07501112222",
                "origin_area": areas["mosul"],
                "origin_village": "Bartella",
                "displacement_date": dt.date(2016, 10, 17),
                "arrival_date": dt.date(2017, 1, 5),
                "consent_date": dt.date(2017, 1, 5),
                "consent_purposes": ["assistance", "contact"],
            },
            [
                member(phone="0770 999 8888"),
                member("daughter", "F", given_name_ar="سارة", given_name_lat="Sara"),
            ],
        )
    ]
    households[0][1][1].needs = ["SC", "SC"]
    households[0][1][1].documents = [("civil_id", "C-77"), ("passport", "")]
    typed = services.household_register(
        actor=users["max"], site=camp_b, members=households[0][1], **households[0][0]
    )
    assert (
        services.households_bulk_register(actor=users["max"], site=camp_b, households=households)
        == 1
    )
    bulk = Household.objects.exclude(pk=typed.pk).get()
    one, other = _snapshot([typed])[0], _snapshot([bulk])[0]
    for key in ("household", "people", "needs", "documents", "tokens", "movements"):
        assert one[key] == other[key], key
    assert SpecificNeed.objects.filter(person__household=bulk).count() == 1
    assert IdentityDocument.objects.filter(person__household=bulk).count() == 1
    _assert_tokens_are_person_tokens([bulk], camp_b)
    assert bulk.created_at <= bulk.updated_at and bulk.reference != typed.reference


@pytest.mark.django_db
def test_a_failing_row_leaves_nothing_written(users, camp_a, batches):
    """A row the database refuses (no given name in either script: the forms would have caught
    it) comes after other households' rows (in the same batch or in an earlier one, already
    written): none of them is kept."""
    good = [member(), member("son", given_name_ar="يوسف")]
    bad = [member(), member("son", given_name_ar="", given_name_lat="")]
    data = {
        "arrival_date": dt.date(2017, 1, 5),
        "consent_date": dt.date(2017, 1, 5),
        "consent_purposes": ["assistance"],
    }
    counts = [m.objects.count() for m in (Household, Person, SearchToken, Movement, AuditEvent)]
    with pytest.raises(IntegrityError):
        services.households_bulk_register(
            actor=users["alice"], site=camp_a, households=[(data, good), (data, good), (data, bad)]
        )
    after = [m.objects.count() for m in (Household, Person, SearchToken, Movement, AuditEvent)]
    assert after == counts
    # The transaction goes on: a good household is then written whole.
    assert (
        services.households_bulk_register(
            actor=users["alice"], site=camp_a, households=[(data, good)]
        )
        == 1
    )
    assert Person.objects.count() == counts[1] + 2


@pytest.mark.django_db
def test_a_household_without_one_head_stops_the_batches_already_written(users, camp_a, batches):
    two_heads = [member(), member(given_name_ar="عمر")]
    data = {
        "arrival_date": dt.date(2017, 1, 5),
        "consent_date": dt.date(2017, 1, 5),
        "consent_purposes": ["assistance"],
    }
    with pytest.raises(services.RegistryError):
        services.households_bulk_register(
            actor=users["alice"], site=camp_a, households=[(data, [member()]), (data, two_heads)]
        )
    assert Household.objects.count() == 0 and SearchToken.objects.count() == 0


@pytest.mark.django_db
def test_an_import_with_errors_writes_nothing_unless_only_valid(users, camp_a, areas):
    rows = ROWS + [["H4", "head", "", "", "", "M", "1990", "", "", "", "", "", ""]]
    report = check_table(_table(rows), imports.guess_mapping(_table([]).headers), TODAY)
    assert [(e.row, e.column) for e in report.errors] == [(8, "given_name_ar")]
    with pytest.raises(services.RegistryError):
        import_households(
            actor=users["mona"], site=camp_a, report=report, only_valid=False, filename="f"
        )
    assert Household.objects.count() == 0 and SearchToken.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["create", "import"]).exists()
    kept = import_households(
        actor=users["mona"], site=camp_a, report=report, only_valid=True, filename="f"
    )
    assert kept == 3 == Household.objects.count()
    assert Person.objects.count() == 6
    event = AuditEvent.objects.get(action="import")
    assert event.summary["households"] == 3 and event.summary["skipped"] == 1


@pytest.mark.django_db
def test_import_messages_are_in_the_users_language(areas):
    rows = [["H1", "head", "", "", "", "M", "1990", "", "", "", "", "", ""]]
    mapping = imports.guess_mapping(_table([]).headers)
    with translation.override("ar"):
        message = check_table(_table(rows), mapping, TODAY).errors[0].message
        data = imports._ascii(imports._member_data({"relationship": "head", "sex": "M"}))
        expected = _full(MemberForm, data).errors["given_name_ar"][0]
    assert message == expected
    with translation.override("en"):
        english = check_table(_table(rows), mapping, TODAY).errors[0].message
    assert english == "Give the person's given name in either script."
    assert message != english
