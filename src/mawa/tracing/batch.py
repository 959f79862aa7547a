"""A partner's list of sought people matched against the registry, with progress.

The list (CSV or XLSX with the header of ``mawa trace``'s REQUESTS.csv) is read by
``mawa.tracelink``'s reader, so a bad row is reported with its line number and skipped; each
request is matched like a case's sought person (``matching.registry_matches_for``). The
uploaded file is deleted once read. Runs in a thread started by the page; the page polls.
"""

import csv
import json
import tempfile
from pathlib import Path

from django.db import close_old_connections

from mawa.core import vault
from mawa.tracelink.csvio import read_requests
from mawa.tracing import matching
from mawa.tracing.models import BatchList

MAX_ROWS = 20_000


def xlsx_to_csv(source: Path, target: Path) -> None:
    from openpyxl import load_workbook  # noqa: PLC0415 - only for XLSX uploads

    book = load_workbook(source, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if cell is None else str(cell) for cell in row])
    book.close()


def run_batch(batch_id, path: Path) -> BatchList:
    batch = BatchList.objects.get(pk=batch_id)
    malformed: list = []
    results: list = []
    try:
        source = path
        if path.suffix.lower() == ".xlsx":
            source = path.with_suffix(".csv")
            xlsx_to_csv(path, source)
        requests = read_requests(source, malformed, label="list")[:MAX_ROWS]
        BatchList.objects.filter(pk=batch.pk).update(rows=len(requests))
        matched = 0
        for number, (request, readings) in enumerate(requests, start=1):
            found = matching.registry_matches_for(readings)
            matched += bool(found)
            for rank, (candidate, person) in enumerate(found, start=1):
                results.append([request.request, rank, str(person.pk), candidate.score])
            if number % 20 == 0 or number == len(requests):
                BatchList.objects.filter(pk=batch.pk).update(
                    progress=number / max(len(requests), 1), matched=matched
                )
        sealed = vault.encrypt(json.dumps(results), key_id=batch.key_id)
        BatchList.objects.filter(pk=batch.pk).update(
            state=BatchList.State.DONE, progress=1.0, matched=matched, results_sealed=sealed,
            malformed=[[line, message] for _label, line, message in malformed[:200]],
        )  # fmt: skip
    except Exception as error:  # noqa: BLE001 - the page shows that the run failed
        BatchList.objects.filter(pk=batch.pk).update(
            state=BatchList.State.FAILED, malformed=[[0, str(error)[:300]]]
        )
    finally:
        for leftover in {path, path.with_suffix(".csv")}:
            leftover.unlink(missing_ok=True)
    return BatchList.objects.get(pk=batch.pk)


def run_in_thread(batch_id, path: Path) -> None:
    try:
        run_batch(batch_id, path)
    finally:
        close_old_connections()


def store_upload(upload) -> Path:
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    with tempfile.NamedTemporaryFile(prefix="mawa-tracing-", suffix=suffix, delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name)


def results(batch: BatchList) -> list | None:
    """[[request, rank, person id, score]], or None when the batch's key was destroyed."""
    text = vault.decrypt(batch.results_sealed) if batch.results_sealed else ""
    return None if text is None else json.loads(text or "[]")
