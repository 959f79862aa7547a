"""``dedup_csv``: the engine of ``mawa dedup`` (CSV of registrations in, id,cluster out).

Never raises on bad data: a row with the wrong number of cells, bytes that are not UTF-8, an
invalid date or sex, or a repeated id is reported with its line number and left as a singleton
(its own cluster); a row without an id cannot be written back and is only reported. The
output has one row for every distinct input id, in input order, and is written to a temporary
file renamed into place at the end, so a cancelled or failed run leaves no half-written file.
Ids are written back byte for byte, even when they are not valid UTF-8.
"""

import csv
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from mawa.linkage.batch import Progress, _Steps, link_table
from mawa.linkage.columns import Table
from mawa.linkage.features import validate
from mawa.linkage.types import FIELDS, LinkResult, Record

MAX_CELL = 1_000  # characters; a longer cell is a broken row, not a name


def _invalid_utf8(cells: list[str]) -> bool:
    try:
        "".join(cells).encode("utf-8")  # undecodable bytes arrive as lone surrogates
    except UnicodeEncodeError:
        return True
    return False


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


class _Reader:
    """Reads rows, keeping what is good in a Table and what is not in ``malformed``."""

    def __init__(self, steps: _Steps, total_lines: int):
        self.steps = steps
        self.total = max(total_lines, 1)
        self.table = Table()
        self.order: list[str] = []  # every distinct id, in input order
        self.first_line: dict[str, int] = {}
        self.malformed: list[tuple[int, str]] = []
        self.columns: dict[str, int] = {}
        self.width = len(FIELDS)

    def header(self, line: int, cells: list[str]) -> bool:
        """Take the header; False when the first row is data (standard columns assumed)."""
        names = [c.strip().lstrip("\ufeff").strip().lower() for c in cells]
        if "id" not in names:
            self.columns = {name: i for i, name in enumerate(FIELDS)}
            self.malformed.append((line, "no header with an 'id' column: standard columns assumed"))
            return False
        self.columns = {name: names.index(name) for name in FIELDS if name in names}
        self.width = len(cells)
        missing = [name for name in FIELDS if name not in self.columns]
        if missing:
            self.malformed.append((line, "missing columns (read as empty): " + ", ".join(missing)))
        return True

    def row(self, line: int, cells: list[str]) -> None:
        if not any(cell.strip() for cell in cells):
            return  # a blank line
        position = self.columns["id"]
        record_id = cells[position].strip() if position < len(cells) else ""
        if not record_id:
            self.malformed.append((line, "no id: row skipped"))
            return
        if record_id in self.first_line:
            first = self.first_line[record_id]
            self.malformed.append((line, f"id {record_id!r} repeats line {first}: row skipped"))
            return
        self.first_line[record_id] = line
        self.order.append(record_id)
        problem = self._problem(cells)
        if problem is None:
            values = {name: cells[i] for name, i in self.columns.items() if name != "id"}
            record = Record(record_id, **values)
            try:
                validate(record)
                self.table.add(record)
            except ValueError as error:
                problem = str(error)
        if problem is not None:
            self.malformed.append((line, f"{problem}: left as a singleton"))
        if len(self.order) % 50_000 == 0:
            share = min(line / self.total, 1.0)
            self.steps.report(0.15 * share, f"read {len(self.order):,} rows")

    def _problem(self, cells: list[str]) -> str | None:
        if len(cells) != self.width:
            return f"expected {self.width} fields, found {len(cells)}"
        if _invalid_utf8(cells):
            return "not valid UTF-8"
        if any(len(cell) > MAX_CELL for cell in cells):
            return f"a cell longer than {MAX_CELL} characters"
        return None


def _read(path: Path, steps: _Steps) -> _Reader:
    reader_state = _Reader(steps, _count_lines(path))
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        rows = csv.reader(handle)
        started = False
        while True:
            line = rows.line_num + 1
            try:
                cells = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                reader_state.malformed.append((line, f"unreadable CSV ({error}): row skipped"))
                continue
            if not started:
                started = True
                if reader_state.header(line, cells):
                    continue
            reader_state.row(line, cells)
        if not started:
            reader_state.malformed.append((1, "empty file: no header and no rows"))
            reader_state.columns = {name: i for i, name in enumerate(FIELDS)}
    return reader_state


def _write(path: Path, order: list[str], clusters: dict[str, str]) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=".mawa-dedup-", suffix=".csv", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(("id", "cluster"))
            for record_id in order:
                writer.writerow((record_id, clusters.get(record_id, record_id)))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dedup_csv(
    input_path,
    output_path,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    threshold: float = 0.9,
    review_threshold: float = 0.5,
    backend: str = "duckdb",
) -> LinkResult:
    """Read registrations from ``input_path`` (UTF-8 CSV with the header id, given_name,
    father_name, grandfather_name, family_name, mother_name, sex, birth_date, governorate,
    id_number, phone), write ``id,cluster`` for every input id to ``output_path``, and return
    the result with the malformed rows as (line number, message). Raises ``Cancelled`` if
    ``should_cancel()`` turns true (no output is written), OSError if a file cannot be opened."""
    steps = _Steps(progress, should_cancel)
    steps.report(0.0, "reading the CSV")
    state = _read(Path(input_path), steps)
    result = link_table(
        state.table,
        threshold=threshold,
        review_threshold=review_threshold,
        backend=backend,
        steps=steps,
    )
    _write(Path(output_path), state.order, result.clusters)
    result.malformed = sorted(state.malformed)
    return result
