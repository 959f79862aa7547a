"""Names the table does not list (issue 12): the issue's missed pairs merge, strong identifiers
outweigh a spelling, and different listed names stay decisive."""

import pytest

from mawa.linkage import Record, compare_records, link

# The three pairs of issue 12 that `mawa dedup` did not merge.
ISSUE_PAIRS = [
    (
        Record("a", "سعد", "جبار", "خالد", "الحمداني", "Laila", "", "1994-01-01",
               id_number="480640604645"),
        Record("b", "Saed", "Jabar", "Khaled", "El-Hamdani", "Leila", "", "1994-01-01",
               id_number="480640604645"),
    ),
    (
        Record("a", "Saed", "Aziz", "Haidar", "Hamdani", "Souad", "", "1941-11-20"),
        Record("b", "سعد", "عزيز", "حيدر", "الحمداني", "سعاد", "", "1941-11-20"),
    ),
    (
        Record("a", "Ayesa", "Adnan", "Jasim", "Alhadithi", "", "", "1963-01-01",
               id_number="297869348314"),
        Record("b", "عائشة", "عدنان", "جاسم", "الحديثي", "بتول", "", "1963-11-10",
               id_number="297869348314"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), ISSUE_PAIRS)
def test_issue_pairs_match(a, b):
    assert compare_records(a, b).probability > 0.99


def test_issue_pairs_merge_in_batch():
    records = []
    for number, (a, b) in enumerate(ISSUE_PAIRS):
        records += [Record(f"{number}a", *_cells(a)), Record(f"{number}b", *_cells(b))]
    clusters = link(records).clusters
    for number in range(len(ISSUE_PAIRS)):
        assert clusters[f"{number}a"] == clusters[f"{number}b"]


def _cells(record: Record) -> list:
    return [getattr(record, name) for name in record.__dataclass_fields__][1:]


def test_unlisted_spelling_compared_by_skeleton():
    a, b = ISSUE_PAIRS[1]
    result = compare_records(a, b)
    assert result.levels["given"] == "skeleton"
    assert "given_sounds" in result.reason_codes


BASE = dict(father_name="Adnan", grandfather_name="Jasim", family_name="Alhadithi", sex="F")


def test_same_id_outweighs_an_unknown_given_name():
    # a given name nobody would call a spelling of the other: only the document links them
    a = Record("a", "Zozan", birth_date="1963", id_number="297869348314", **BASE)
    b = Record("b", "Bêrîvan", birth_date="1963-11-10", id_number="297869348314", **BASE)
    result = compare_records(a, b)
    assert result.levels["given"] == "unsure"
    assert result.probability > 0.9
    without_id = compare_records(
        Record("a", "Zozan", birth_date="1963", **BASE),
        Record("b", "Bêrîvan", birth_date="1963-11-10", **BASE),
    )
    assert without_id.probability < 0.001


def test_same_id_with_unfitting_age_does_not_excuse_the_given_name():
    # a relative registered with the head's card
    a = Record("a", "Zozan", birth_date="1963", id_number="297869348314", **BASE)
    b = Record("b", "Bêrîvan", birth_date="1990-05-10", id_number="297869348314", **BASE)
    result = compare_records(a, b)
    assert result.levels["given"] == "differs"
    assert result.probability < 0.001


def test_conflicting_ids_weigh_against():
    a = Record("a", "Ayesa", birth_date="1963-01-01", id_number="297869348314", **BASE)
    b = Record("b", "عائشة", birth_date="1963-01-01", id_number="118273645501", **BASE)
    same = Record("c", "عائشة", birth_date="1963-01-01", id_number="297869348314", **BASE)
    conflicting = compare_records(a, b)
    assert conflicting.levels["id_number"] == "differs"
    assert conflicting.match_weight < compare_records(a, same).match_weight - 15
    assert conflicting.probability < 0.5


def test_different_listed_names_stay_decisive_even_with_the_same_id():
    a = Record("a", "Hassan", birth_date="1980-02-02", id_number="297869348314", **BASE)
    b = Record("b", "Hussein", birth_date="1980-02-02", id_number="297869348314", **BASE)
    result = compare_records(a, b)
    assert result.levels["given"] == "differs"
    assert result.probability < 0.01


def test_unlisted_brothers_stay_apart():
    # Kurdish brothers whose names no table lists: same father, family, mother, phone
    common = dict(father_name="Karwan", family_name="Barzani", mother_name="Shirin",
                  sex="M", phone="07501234567")  # fmt: skip
    a = Record("a", "Rebwar", birth_date="1990-03-03", **common)
    b = Record("b", "Dilshad", birth_date="1990-03-03", **common)
    assert compare_records(a, b).probability < 0.01


def test_febrl_like_records_with_two_names_match_on_a_typo():
    a = Record("a", "jonathan", family_name="whitehead", birth_date="1975-04-12",
               governorate="nsw")  # fmt: skip
    b = Record("b", "jonathon", family_name="whithead", birth_date="1975-04-12",
               governorate="nsw")  # fmt: skip
    assert compare_records(a, b).probability > 0.9


def test_generic_records_block_and_match_on_a_typo_in_both_names():
    # two-name records (FEBRL-like): no chain rule can block them, the generic rules do
    a = Record("a", "jonathan", family_name="whitehead", birth_date="1975-04-12")
    b = Record("b", "jonathon", family_name="whithead", birth_date="1975-04-12")
    assert link([a, b]).clusters == {"a": "a", "b": "a"}


def test_swapped_given_and_family_names():
    a = Record("a", "claudia", family_name="huxley", birth_date="1944-10-20", id_number="9295307")
    b = Record("b", "huxley", family_name="claudia", birth_date="1944-10-20", id_number="9295307")
    result = compare_records(a, b)
    assert result.levels["given"] == "swapped"
    assert result.probability > 0.9
