"""The tracing match: the seeker's names as evidence, ranks, thresholds, and `mawa trace`."""

import csv

import pytest
from django.core.management import call_command

from mawa.linkage.types import FIELDS, Record
from mawa.tracelink import Index, Request, match_index, profiles, reasons
from mawa.tracelink.evaluate import evaluate
from mawa.tracelink.request import parse_birth_year
from mawa.tracelink.synthetic import generate

PEOPLE = [
    Record("son", "يوسف", "حسين", "علي", "الجبوري", "زينب", "M", "2001-03-03", "نينوى"),
    Record("brother", "عمر", "حسين", "علي", "الجبوري", "زينب", "M", "2003-06-01", "نينوى"),
    Record("cousin", "يوسف", "حسن", "علي", "الجبوري", "فاطمة", "M", "2001", "نينوى"),
    Record("other", "Yousif", "Ahmed", "Salih", "Al-Obaidi", "Huda", "M", "2001", "Anbar"),
    Record("daughter", "Noor", "Hussein", "Ali", "Al-Jubouri", "Zainab", "F", "1999", "Ninewa"),
]
PEOPLE += [
    Record(f"filler{i}", name, father, "", family, "", "M", str(1950 + i % 60), "")
    for i, (name, father, family) in enumerate(
        (n, f, fam)
        for n in ("محمد", "أحمد", "كاظم", "عباس", "مصطفى")
        for f in ("جعفر", "عثمان", "إبراهيم", "موسى")
        for fam in ("التميمي", "الدليمي", "العبيدي", "الشمري", "الزبيدي")
    )
]


@pytest.fixture(scope="module")
def index():
    built = Index()
    built.extend(PEOPLE)
    return built.freeze()


def request(**cells) -> Request:
    return Request("q1", **cells)


def test_a_father_looking_for_his_son_gives_the_sons_father_and_family(index):
    # Only the son's given name and an approximate age are typed; the rest is the seeker's.
    wanted = request(given_name="Yusuf", birth_year="~2000", seeker_given_name="Hussein",
                     seeker_father_name="Ali", seeker_family_name="Al-Jubouri",
                     seeker_sex="M", relation="son")  # fmt: skip
    (profile,) = profiles(wanted)
    assert (profile.father, profile.grandfather, profile.family) == ("Hussein", "Ali", "Al-Jubouri")
    assert profile.sex == "M" and set(profile.derived) == {"father", "grandfather", "family"}
    found = match_index(index, profiles(wanted))
    assert found[0].id == "son"
    scores = {c.id: c.score for c in found}
    assert scores.get("brother", 0) < min(scores["son"], scores["cousin"])  # another given name
    assert any("seeker" in text for text in reasons(found[0]))


def test_without_the_seekers_names_the_same_request_is_not_enough(index):
    assert match_index(index, profiles(request(given_name="Yusuf", birth_year="~2000"))) == []


def test_a_mother_gives_the_mothers_name(index):
    wanted = request(given_name="يوسف", father_name="حسين", seeker_given_name="Zainab",
                     seeker_sex="F", relation="son")  # fmt: skip
    (profile,) = profiles(wanted)
    assert profile.mother == "Zainab" and profile.father == "حسين"
    assert match_index(index, profiles(wanted))[0].id == "son"


def test_a_seeker_of_unknown_sex_is_read_both_ways(index):
    wanted = request(given_name="Noor", seeker_given_name="Hussein", seeker_father_name="Ali",
                     seeker_family_name="Jubouri", relation="daughter")  # fmt: skip
    assert len(profiles(wanted)) == 2
    assert match_index(index, profiles(wanted))[0].id == "daughter"


def test_a_typed_name_that_contradicts_the_seeker_drops_that_reading():
    wanted = request(given_name="Noor", father_name="Kadhim", seeker_given_name="Hussein",
                     seeker_sex="M", relation="daughter")  # fmt: skip
    (profile,) = profiles(wanted)
    assert profile.father == "Kadhim" and profile.derived == ()


def test_a_brother_gives_father_grandfather_and_family(index):
    wanted = request(given_name="Omar", mother_name="Zaynab", seeker_given_name="Yousif",
                     seeker_father_name="Husain", seeker_grandfather_name="Ali",
                     seeker_family_name="Jubouri", relation="brother")  # fmt: skip
    found = match_index(index, profiles(wanted))
    assert found[0].id == "brother"


def test_rejected_people_are_never_proposed_again(index):
    wanted = request(given_name="يوسف", father_name="حسين", family_name="الجبوري", sex="M")
    assert match_index(index, profiles(wanted))[0].id == "son"
    assert "son" not in [c.id for c in match_index(index, profiles(wanted), exclude={"son"})]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1990", (1990, 0)),
        ("~1990", (1990, 2)),
        ("1988-1992", (1990, 2)),
        ("١٩٩٠", (1990, 0)),
        ("16", (2001, 1)),
        ("", (None, 0)),
    ],  # fmt: skip
)
def test_birth_years_as_relatives_give_them(text, expected):
    assert parse_birth_year(text) == expected


def test_unreadable_values_are_refused():
    for bad in ({"birth_year": "soon"}, {"sex": "X"}, {"relation": "neighbour"}):
        with pytest.raises(ValueError):
            profiles(request(**bad))


def test_the_generated_requests_meet_the_floors_on_a_small_registry():
    data = generate(4000, 400, seed=11)
    figures = evaluate(data)
    assert figures["top5"] >= 0.9
    assert figures["top1"] >= 0.8
    assert figures["false_for_unregistered"] <= 0.1


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_mawa_trace_writes_ranked_candidates_and_reports_bad_lines(tmp_path, capsys):
    registry = tmp_path / "registry.csv"
    _write(registry, FIELDS, [[getattr(p, f) for f in FIELDS] for p in PEOPLE])
    with open(registry, "a", encoding="utf-8") as handle:
        handle.write("broken,row\n")
        handle.write("x1,a,b,c,d,e,Q,1990,,,\n")  # sex Q
    requests = tmp_path / "requests.csv"
    header = ["request", "given_name", "father_name", "grandfather_name", "family_name",
              "mother_name", "sex", "birth_year", "governorate", "seeker_given_name",
              "seeker_father_name", "seeker_grandfather_name", "seeker_family_name",
              "seeker_sex", "relation"]  # fmt: skip
    _write(requests, header, [
        ["r1", "Yusuf", "", "", "", "", "", "~2000", "", "Hussein", "Ali", "", "Al-Jubouri", "M",
         "son"],
        ["r2", "Zzzz", "Qqqq", "", "", "", "", "", "", "", "", "", "", "", "other"],
        ["r3", "Yusuf", "", "", "", "", "", "next year", "", "", "", "", "", "", "son"],
        ["r1", "again"] + [""] * 13,
        ["r4", "short"],
    ])  # fmt: skip
    with open(requests, "ab") as handle:
        handle.write(b"r5,\xff\xfe," + b"," * 12 + b"\n")
    out = tmp_path / "out.csv"
    call_command("trace", str(registry), str(requests), "--out", str(out), "--quiet")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["request", "rank", "id", "score"]
    assert rows[1][:3] == ["r1", "1", "son"]
    assert {row[0] for row in rows[1:]} == {"r1"}  # r2 has nobody above the threshold
    err = capsys.readouterr().err
    for expected in ("registry line 107", "registry line 108", "requests line 4",
                     "requests line 5", "requests line 6", "requests line 7"):  # fmt: skip
        assert expected in err, err


def test_mawa_trace_survives_an_empty_and_a_headerless_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    headerless = tmp_path / "h.csv"
    headerless.write_text("a,b,c\n")
    out = tmp_path / "out.csv"
    call_command("trace", str(empty), str(headerless), "--out", str(out), "--quiet")
    assert out.read_text() == "request,rank,id,score\n"
