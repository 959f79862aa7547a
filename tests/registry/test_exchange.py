"""Import (dry run, all-or-nothing, valid-only, cp1256, Kobo paths) and export (HXL)."""

import csv
import io

import hxl
import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mawa.core.models import AuditEvent
from mawa.registry.models import Household, ImportJob, Person
from tests.conftest import login

KOBO_HEADER = [
    "start",
    "hh/household_id",
    "hh/member/relationship",
    "hh/member/given_name_ar",
    "hh/member/father_name_ar",
    "hh/member/family_name_ar",
    "hh/member/sex",
    "hh/member/birth_date",
    "hh/origin_pcode",
    "hh/phone",
]
GOOD_ROWS = [
    [
        "2017-01-01",
        "H1",
        "head",
        "حسين",
        "علي",
        "الجبوري",
        "M",
        "1980-05-01",
        "IQG15Q05",
        "07701234567",
    ],
    ["2017-01-01", "H1", "spouse", "زينب", "حسن", "التميمي", "F", "1984", "", ""],
    ["2017-01-01", "H2", "head", "فاطمة", "محمد", "العبيدي", "female", "١٩٧٠-٠١-٠١", "", ""],
]
BAD_ROWS = [
    ["2017-01-01", "H3", "head", "علي", "", "", "M", "2999-01-01", "", ""],  # future birth
    ["2017-01-01", "H4", "head", "", "", "", "M", "1990", "", ""],  # no name
    ["2017-01-01", "H5", "head", "عمر", "", "", "Q", "1990", "IQG99Q99", ""],  # sex, P-code
    ["2017-01-01", "H6", "son", "سعد", "", "", "M", "2001", "", ""],  # no head
]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([KOBO_HEADER, *rows])
    return buffer.getvalue().encode(encoding)


def upload(client, camp, content: bytes, name="kobo.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse("registry:import_upload"),
        {"site": camp.pk, "file": file, "consent_date": "2017-01-02", "consent_confirmed": "on"},
    )


@pytest.mark.django_db
def test_dry_run_lists_every_problem_and_writes_nothing(users, camp_a, areas):
    client = login(users["mona"])
    response = upload(client, camp_a, csv_bytes(GOOD_ROWS + BAD_ROWS))
    assert response.status_code == 302
    check = client.get(response["Location"])
    report = check.context["report"]
    rows_with_errors = {e["row"] for e in report["errors"]}
    assert rows_with_errors == {5, 6, 7, 8}
    columns = {(e["row"], e["column"]) for e in report["errors"]}
    assert (5, "hh/member/birth_date") in columns
    assert (7, "hh/member/sex") in columns or (7, "hh/origin_pcode") in columns
    assert report["valid_households"] == 2
    assert Household.objects.count() == 0
    refused = client.post(response["Location"], {"action": "import_all"})
    assert refused.status_code == 200
    assert Household.objects.count() == 0


@pytest.mark.django_db
def test_import_valid_only_keeps_exactly_the_valid_households(users, camp_a, areas):
    client = login(users["mona"])
    location = upload(client, camp_a, csv_bytes(GOOD_ROWS + BAD_ROWS))["Location"]
    response = client.post(location, {"action": "import_valid"})
    assert response.status_code == 302
    assert Household.objects.count() == 2
    h1 = Person.objects.get(given_name_ar="حسين").household
    assert h1.members.count() == 2 and h1.origin_area.pcode == "IQG15Q05"
    assert Person.objects.get(given_name_ar="زينب").birth_date_precision == "year"
    found = client.get(reverse("registry:household_list"), {"q": "Al-Jubouri"}).context["page"]
    assert [p.given_name_ar for p in found] == ["حسين"]
    event = AuditEvent.objects.get(action="import")
    assert event.summary["households"] == 2 and event.summary["skipped"] == 4
    assert ImportJob.objects.get().status == "imported"


@pytest.mark.django_db
def test_clean_file_imports_all_and_cp1256_is_read(users, camp_a, areas):
    client = login(users["mona"])
    location = upload(client, camp_a, csv_bytes(GOOD_ROWS[:2], encoding="cp1256"))["Location"]
    check = client.get(location)
    assert check.context["encoding"] == "cp1256"
    assert check.context["report"]["error_count"] == 0
    client.post(location, {"action": "import_all"})
    assert set(Person.objects.values_list("family_name_ar", flat=True)) == {"الجبوري", "التميمي"}


@pytest.mark.django_db
def test_xlsx_with_hxl_row_is_read(users, camp_a, areas):
    book = Workbook()
    sheet = book.active
    sheet.append(KOBO_HEADER)
    sheet.append(["#date", "#meta+household"] + [""] * (len(KOBO_HEADER) - 2))
    for row in GOOD_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    client = login(users["mona"])
    location = upload(client, camp_a, buffer.getvalue(), name="kobo.xlsx")["Location"]
    assert client.get(location).context["report"]["valid_households"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,name",
    [
        (b"", "empty.csv"),
        (b"PK\x03\x04garbage", "broken.xlsx"),
        (b"\x00\x01\x02\x03binary", "binary.csv"),
        (b"a,a\n1,2\n", "duplicate-headers.csv"),
    ],
)
def test_malformed_files_get_a_clear_message(users, camp_a, content, name):
    client = login(users["mona"])
    response = upload(client, camp_a, content, name=name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_oversized_upload_is_refused(users, camp_a, settings):
    settings.MAWA_MAX_UPLOAD_BYTES = 100
    response = upload(login(users["mona"]), camp_a, csv_bytes(GOOD_ROWS))
    assert "larger than" in str(response.context["form"].errors["file"])


@pytest.mark.django_db
def test_remapping_columns(users, camp_a, areas):
    client = login(users["mona"])
    location = upload(client, camp_a, csv_bytes(GOOD_ROWS))["Location"]
    # Unmap the household key: every row becomes its own household.
    mapping = {
        f"map_{t}": c for t, c in ImportJob.objects.get().mapping.items() if t != "household"
    }
    response = client.post(location, {**mapping, "action": "check"})
    assert response.context["report"]["households"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["households", "people"])
def test_export_has_hxl_row_that_libhxl_reads_and_is_pseudonymous(users, family_a, kind):
    client = login(users["mona"])
    response = client.get(reverse("registry:export_download", args=[kind, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "الجبوري" not in text and family_a.reference not in text
    source = hxl.data(io.BytesIO(text.encode()), hxl.InputOptions(allow_local=True))
    tags = [column.tag for column in source.columns]
    assert "#meta" in tags and "#loc" in tags
    rows = list(source)
    assert len(rows) == (1 if kind == "households" else 3)
    assert AuditEvent.objects.filter(action="export", summary__identified=False).exists()


@pytest.mark.django_db
def test_identified_xlsx_export_has_names_and_is_audited(users, family_a):
    client = login(users["mona"])
    url = reverse("registry:export_download", args=["people", "xlsx"]) + "?identified=1"
    book = load_workbook(io.BytesIO(client.get(url).content))
    rows = list(book.active.values)
    assert rows[1][0].startswith("#")
    assert any("الجبوري" in (cell or "") for row in rows[2:] for cell in row)
    assert AuditEvent.objects.filter(action="export", summary__identified=True).exists()
