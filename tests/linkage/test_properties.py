"""Property tests: any Unicode in any field never breaks compare_records or mawa dedup."""

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mawa.linkage import Record, compare_records, dedup_csv
from mawa.linkage.types import FIELDS
from tests.namekeys.test_properties import ANY, NAMEY

CELL = st.one_of(ANY, NAMEY, st.sampled_from(["1984-03-17", "1984", "M", "F", "07701234567"]))
RECORD = st.builds(lambda cells: Record("x", *cells), st.lists(CELL, min_size=10, max_size=10))


@settings(max_examples=200, deadline=None)
@given(RECORD, RECORD)
def test_compare_records_on_any_text(a, b):
    result = compare_records(a, b)
    assert 0.0 <= result.probability <= 1.0
    assert compare_records(b, a).probability == result.probability


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELL, min_size=0, max_size=12), max_size=6))
def test_dedup_on_any_csv_never_crashes(tmp_path, rows):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    with source.open("w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for number, row in enumerate(rows):
            writer.writerow([f"r{number}", *row])
    result = dedup_csv(source, target)
    with target.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["id", "cluster"]
    assert all(isinstance(line, int) and message for line, message in result.malformed)
