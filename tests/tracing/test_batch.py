"""A partner's list matched against the registry: CSV and XLSX, bad rows reported, results
sealed with the list's own key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mawa.tracelink import REQUEST_FIELDS
from mawa.tracing import views_batch
from mawa.tracing.batch import run_batch
from mawa.tracing.models import BatchList
from tests.conftest import login

pytestmark = pytest.mark.django_db
ROWS = [
    ["p1", "يوسف", "حسين", "", "الجبوري", "", "M", "2012"] + [""] * 7,
    ["p2", "Zzzzz", "Qqqqq", "", "", "", "", ""] + [""] * 7,
    ["p3", "Yousif", "", "", "", "", "", "next spring"] + [""] * 7,
]


@pytest.fixture
def inline(monkeypatch):
    monkeypatch.setattr(views_batch, "start", run_batch)


def csv_file() -> bytes:
    lines = [",".join(REQUEST_FIELDS)] + [",".join(row) for row in ROWS]
    return ("\n".join(lines) + "\n").encode()


def xlsx_file(tmp_path) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(REQUEST_FIELDS))
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "list.xlsx"
    book.save(path)
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_partners_list_finds_the_registered_son(officers, family_a, camp_a, inline, tmp_path,
                                                  kind):  # fmt: skip
    body = csv_file() if kind == "csv" else xlsx_file(tmp_path)
    upload = SimpleUploadedFile(f"partner.{kind}", body)
    client = login(officers["pia"])
    response = client.post(reverse("tracing:batch_list"), {"site": camp_a.pk, "file": upload})
    listed = BatchList.objects.get()
    assert response.status_code == 302 and listed.state == "done", listed.malformed
    assert (listed.rows, listed.matched) == (2, 1)
    assert [line for line, _m in listed.malformed] == [4]  # 'next spring' is no birth year
    assert "يوسف" not in listed.results_sealed
    page = client.get(reverse("tracing:batch_detail", args=[listed.pk])).content.decode()
    assert "يوسف حسين" in page
    download = client.get(reverse("tracing:batch_detail", args=[listed.pk]) + "?download=1")
    son = family_a.members.get(relationship="son")
    assert f"p1,1,{son.pk}," in download.content.decode()


def test_a_file_that_is_not_a_list_is_refused(officers, camp_a, inline):
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8")
    response = login(officers["pia"]).post(reverse("tracing:batch_list"),
                                           {"site": camp_a.pk, "file": upload})  # fmt: skip
    assert response.status_code == 200 and not BatchList.objects.exists()
