"""dedup_csv: the engine of `mawa dedup` never crashes on bad data and names the lines."""

import csv

import pytest

from mawa.linkage import Cancelled, dedup_csv
from mawa.linkage.synthetic import generate, write_csv
from mawa.linkage.types import FIELDS

HEADER = ",".join(FIELDS).encode()


def run(tmp_path, content: bytes):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(content)
    result = dedup_csv(source, target)
    with target.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "cluster"]
    return result, dict(rows[1:])


def test_malformed_rows_are_reported_with_line_numbers(tmp_path):
    content = b"\n".join([
        HEADER,
        "1,محمد,علي,حسين,الجبوري,فاطمة,M,1980-05-14,Ninewa,,".encode(),
        b"2,Mohammed,Ali,,Al-Jubouri,Fatima,M,1980,Ninewa,,",
        b"3,Ahmed,Ali,Hussein,Jubouri,Fatima,M,1985-13-45,Ninewa,,",
        b"4,too,few",
        b"5,Omar\xff\xfe,Ali,Hussein,Jubouri,Fatima,M,1985,Ninewa,,",
        b"6,Zaid,Ali,Hussein,Jubouri,Fatima,X,1985,Ninewa,,",
        b"7,Zaid,Ali,Hussein,Jubouri,Fatima,M,1985,Ninewa,,,extra",
        b"2,again,,,,,,,,,",
        b",no id,,,,,,,,,",
        b"\xff8,Zaid,Ali,Hussein,Jubouri,Fatima,M,12/05/1985,Ninewa,,",
        b"",
    ])  # fmt: skip
    result, clusters = run(tmp_path, content)
    lines = dict(result.malformed)
    assert set(lines) == {4, 5, 6, 7, 8, 9, 10, 11}
    assert "birth_date" in lines[4] and "expected 11 fields, found 3" in lines[5]
    assert "UTF-8" in lines[6] and "sex" in lines[7] and "found 12" in lines[8]
    assert "repeats line 3" in lines[9] and "no id" in lines[10]
    assert clusters["1"] == clusters["2"] == "1"
    for singleton in ("3", "4", "5", "6", "7", "\udcff8"):
        assert clusters[singleton] == singleton
    assert len(clusters) == 8  # one row per distinct id; the id-less row cannot be written


def test_empty_file(tmp_path):
    result, clusters = run(tmp_path, b"")
    assert clusters == {} and result.malformed[0][0] == 1


def test_header_only(tmp_path):
    result, clusters = run(tmp_path, HEADER + b"\n")
    assert clusters == {} and result.malformed == []


def test_no_header_assumes_standard_columns(tmp_path):
    result, clusters = run(tmp_path, b"1,Ali,,,,,M,1990,,,\n2,Ali,,,,,M,1990,,,\n")
    assert set(clusters) == {"1", "2"} and result.malformed[0][0] == 1


def test_bom_reordered_columns_and_quoted_newlines(tmp_path):
    content = (
        '\ufeffgiven_name,id,family_name\n"Mohammed",a,"Al-\nJubouri"\nمحمد,b,الجبوري\n'
    ).encode()
    result, clusters = run(tmp_path, content)
    assert set(clusters) == {"a", "b"}
    assert any("missing columns" in message for _line, message in result.malformed)


def test_year_zero_and_weird_dates_do_not_crash(tmp_path):
    rows = [HEADER] + [
        f"{i},Ali,Hassan,,Jubouri,,M,{date},,,".encode()
        for i, date in enumerate(["0000", "1985-00-00", "١٩٨٥", "99999", "1985-02-30", "x"])
    ]
    result, clusters = run(tmp_path, b"\n".join(rows))
    assert len(clusters) == 6
    assert {line for line, _m in result.malformed} == {2, 5, 6, 7}


def test_generated_csv_round_trip_and_cancel(tmp_path):
    data = generate(1500, seed=9)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(data.records, source)
    progress = []
    result = dedup_csv(source, target, progress=lambda share, message: progress.append(share))
    assert result.malformed == [] and progress[-1] == 1.0
    with target.open(encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == [r.id for r in data.records]
    target.unlink()
    with pytest.raises(Cancelled):
        dedup_csv(source, target, should_cancel=lambda: True)
    assert not target.exists()
