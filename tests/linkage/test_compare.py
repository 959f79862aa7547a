"""compare_records on the hard cases of the issue: who must match and who must not."""

import pytest

from mawa.linkage import Record, blocking_keys, compare_records

PERSON = Record(
    "a",
    given_name="محمد",
    father_name="علي",
    grandfather_name="حسين",
    family_name="الجبوري",
    mother_name="فاطمة",
    sex="M",
    birth_date="1984-03-17",
    governorate="نينوى",
    phone="07701234567",
)


def with_(record: Record, **changes) -> Record:
    values = {name: getattr(record, name) for name in record.__dataclass_fields__}
    return Record(**(values | {"id": "b"} | changes))


def test_same_person_in_latin_script_matches():
    other = with_(
        PERSON,
        given_name="Mohammed",
        father_name="Ali",
        grandfather_name="Hussein",
        family_name="Al-Jubouri",
        mother_name="Fatima",
        governorate="Ninewa",
        phone="+964 770 123 4567",
    )
    result = compare_records(PERSON, other)
    assert result.probability > 0.99
    assert "given_variant" in result.reason_codes  # same name, other script
    assert "phone_same" in result.reason_codes


def test_dropped_grandfather_and_spelling_variant_match():
    other = with_(PERSON, given_name="Muhammad", grandfather_name="", mother_name="")
    result = compare_records(PERSON, other)
    assert result.probability > 0.9
    assert "grandfather_missing" in result.reason_codes


def test_typo_in_a_spelling_matches():
    other = with_(PERSON, given_name="Mohamemd", father_name="Aly", family_name="Aljuboori")
    assert compare_records(PERSON, other).probability > 0.9


def test_brothers_do_not_match():
    brother = with_(PERSON, given_name="أحمد", birth_date="1987-06-02", phone="07701234567")
    result = compare_records(PERSON, brother)
    assert result.probability < 0.01
    assert result.reason_codes[0] == "given_differs"
    assert "different given names (possible siblings)" in result.reasons


def test_twins_do_not_match_even_with_shared_phone_and_id():
    twin = with_(PERSON, given_name="Hassan", id_number="199912345678")
    same_card = with_(PERSON, id_number="199912345678")
    assert compare_records(same_card, twin).probability < 0.5


def test_hassan_and_hussein_are_different_names():
    a = with_(PERSON, given_name="Hassan")
    b = with_(PERSON, given_name="Hussein", birth_date="1986-01-09")
    assert compare_records(a, b).levels["given"] == "differs"


def test_grandson_named_after_grandfather_does_not_match():
    grandfather = with_(PERSON, given_name="علي", father_name="حسن", grandfather_name="أحمد",
                        mother_name="زينب", birth_date="1950-01-01")  # fmt: skip
    grandson = with_(PERSON, given_name="Ali", father_name="Mohammed", grandfather_name="Ali",
                     mother_name="Huda", birth_date="2010-04-04")  # fmt: skip
    result = compare_records(grandfather, grandson)
    assert result.probability < 0.001
    assert "named_after_grandfather" in result.reason_codes


def test_cousins_named_after_the_same_grandfather_do_not_match():
    one = with_(PERSON, given_name="Ali", father_name="Hassan", grandfather_name="Ali",
                mother_name="Zainab", birth_date="2001-02-02")  # fmt: skip
    two = with_(PERSON, given_name="علي", father_name="حسين", grandfather_name="علي",
                mother_name="هدى", birth_date="2003-05-05")  # fmt: skip
    assert compare_records(one, two).probability < 0.01


def test_namesake_in_another_governorate_does_not_match():
    namesake = with_(PERSON, mother_name="سعاد", birth_date="1971-09-30", governorate="Anbar",
                     phone="07809876543")  # fmt: skip
    assert compare_records(PERSON, namesake).probability < 0.01


def test_weak_dates_are_weak_evidence():
    exact = with_(PERSON, mother_name="", governorate="", phone="")
    default = with_(exact, birth_date="1984-01-01")
    year_only = with_(exact, birth_date="1984")
    exact_other = with_(exact, id="c")
    p_exact = compare_records(exact, exact_other).probability
    p_default = compare_records(with_(default, id="c"), default).probability
    p_year = compare_records(with_(year_only, id="c"), year_only).probability
    assert p_default < p_exact and p_year < p_exact
    assert "birth_year_same_weak" in compare_records(default, exact).reason_codes


@pytest.mark.parametrize("date", ["1984", "1984-01-01", "1984-07-01", "1984-00-00"])
def test_default_dates_are_weak(date):
    result = compare_records(with_(PERSON, birth_date=date), with_(PERSON, id="c"))
    assert "birth_year_same_weak" in result.reason_codes


def test_empty_records_do_not_crash():
    result = compare_records(Record("x"), Record("y"))
    assert 0.0 <= result.probability <= 1.0
    assert blocking_keys(Record("x")) == []


def test_blocking_keys_are_shared_across_scripts():
    latin = with_(PERSON, given_name="Mohammed", father_name="Ali", family_name="Al-Jubouri")
    assert set(blocking_keys(PERSON)) & set(blocking_keys(latin))
