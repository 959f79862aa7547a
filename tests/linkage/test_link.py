"""link(): accuracy on a generated set, agreement with compare_records, progress, cancel."""

import pytest

from mawa.linkage import Cancelled, Record, compare_records, link
from mawa.linkage.evaluate import merged_relations, pairwise_scores
from mawa.linkage.synthetic import generate


@pytest.fixture(scope="module")
def generated():
    data = generate(6000, seed=11)
    return data, link(data.records)


def test_reaches_the_f1_floor(generated):
    data, result = generated
    scores = pairwise_scores(result.clusters, data.truth)
    assert scores.f1 >= 0.95, scores
    assert scores.precision >= 0.98, scores


def test_hard_negatives_are_not_merged(generated):
    data, result = generated
    merged = merged_relations(result.clusters, data.truth, data.relations)
    for kind in ("twins", "grandson", "cousins"):
        assert merged[kind] == 0, merged
    assert merged["siblings"] <= 2, merged


def test_every_id_has_a_cluster_and_pairs_are_ordered(generated):
    data, result = generated
    assert set(result.clusters) == {r.id for r in data.records}
    assert all(a < b and 0.5 <= p <= 1 for a, b, p in result.pairs)


def test_batch_probabilities_equal_compare_records(generated):
    data, result = generated
    records = {r.id: r for r in data.records}
    size = len(data.records)
    for a, b, p in result.pairs[:300]:
        expected = compare_records(records[a], records[b], registry_size=size).probability
        assert p == pytest.approx(expected, abs=1e-6), (records[a], records[b])


def test_small_inputs():
    assert link([]).clusters == {}
    assert link([Record("only")]).clusters == {"only": "only"}
    one = Record("1", "محمد", "علي", "حسين", "الجبوري", "فاطمة", "M", "1984-03-17", "Ninewa")
    two = Record("2", "Mohammed", "Ali", "Hussein", "Al-Jubouri", "Fatima", "M", "1984-03-17")
    result = link([one, two])
    assert result.clusters == {"1": "1", "2": "1"}
    assert result.pairs[0][:2] == ("1", "2")


def test_repeated_id_is_an_error():
    with pytest.raises(ValueError, match="duplicate"):
        link([Record("1"), Record("1")])


def test_progress_is_reported_and_monotonic():
    seen = []
    link(generate(300, seed=3).records, progress=lambda share, message: seen.append(share))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_cancel_between_stages():
    calls = []

    def should_cancel():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        link(generate(300, seed=3).records, should_cancel=should_cancel)


def test_generator_is_seeded():
    assert generate(200, seed=5).records == generate(200, seed=5).records
    assert generate(200, seed=5).records != generate(200, seed=6).records


def test_batch_columns_equal_row_features():
    from mawa.linkage.columns import Table
    from mawa.linkage.features import blocking_values, features

    records = generate(800, seed=13).records
    table = Table()
    for record in records:
        table.add(record)
    rows = table.arrow(max_block=10**9).to_pylist()
    for record, row in zip(records, rows, strict=True):
        expected = features(record)
        for column in ("given", "father_known", "grandfather", "family", "mother", "birth_year"):
            assert row[column] == expected[column], (record, column)
        for column in ("birth_full", "birth_weak", "sex", "governorate", "id_number", "phone"):
            assert row[column] == expected[column], (record, column)
        blocks = [row[f"b{i}"] for i in range(len(blocking_values(expected)))]
        assert blocks == blocking_values(expected)
