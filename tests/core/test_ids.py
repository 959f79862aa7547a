"""Record identity: UUIDv7 keys sort by time; household numbers catch typos."""

import random

from mawa.core.ids import CROCKFORD, clean_reference, new_id, new_reference


def test_uuid7_is_version_7_and_time_ordered():
    ids = [new_id() for _ in range(200)]
    assert all(i.version == 7 for i in ids)
    assert [i.bytes[:6] for i in ids] == sorted(i.bytes[:6] for i in ids)


def test_reference_round_trips_and_tolerates_case_and_lookalikes():
    reference = new_reference()
    assert clean_reference(reference) == reference
    assert clean_reference(reference.lower().replace("-", " ")) == reference
    assert clean_reference(reference.replace("0", "O").replace("1", "I")) == reference


def test_any_single_typo_is_caught():
    rng = random.Random(7)
    for _ in range(300):
        reference = new_reference()
        body = reference.replace("-", "")
        position = rng.randrange(len(body) - 1)
        wrong = rng.choice([c for c in CROCKFORD if c != body[position]])
        typo = body[:position] + wrong + body[position + 1 :]
        assert clean_reference(typo) is None, (reference, typo)


def test_garbage_is_rejected_without_error():
    for text in ("", "-", "ABC", "٠١٢٣-٤٥٦٧-٨", "\x00" * 20, "UUUU-UUUU-U"):
        assert clean_reference(text) is None
