"""``trace_csv``: the engine of ``mawa trace`` (registry and requests in, candidates out).

Never raises on bad data: a row with the wrong number of cells, bytes that are not UTF-8, a
cell too long, no id, a repeated id, or a sex, birth date, birth year or relation that cannot
be read is reported with its file and line number and skipped. The output (``request,rank,id,
score``, up to ``top`` rows a request, best first, none for a request without a candidate
above the threshold) is written to a temporary file renamed into place at the end.
"""

import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mawa.linkage.types import FIELDS, Record
from mawa.tracelink.index import Index
from mawa.tracelink.request import REQUEST_FIELDS, Request, profiles
from mawa.tracelink.score import THRESHOLD, match_index

MAX_CELL = 1_000
Progress = Callable[[float, str], None]


@dataclass
class TraceResult:
    registry: int = 0
    requests: int = 0
    with_candidates: int = 0
    rows: int = 0
    malformed: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, message)


def _rows(path: Path, wanted: tuple[str, ...], key: str, malformed: list, label: str
          ) -> Iterator[tuple[int, dict[str, str]]]:  # fmt: skip
    """(line, {column: cell}) of the good rows; bad ones go to ``malformed``."""
    csv.field_size_limit(1 << 24)
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        columns: dict[str, int] | None = None
        width = 0
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                malformed.append((label, line, f"unreadable CSV ({error}): skipped"))
                continue
            if columns is None:
                names = [c.strip().lstrip("\ufeff").strip().lower() for c in cells]
                if key not in names:
                    malformed.append(
                        (label, line, f"no header with a {key!r} column: no rows read")
                    )
                    return
                columns = {name: names.index(name) for name in wanted if name in names}
                missing = [name for name in wanted if name not in columns]
                if missing:
                    text = "missing columns (read as empty): " + ", ".join(missing)
                    malformed.append((label, line, text))
                width = len(cells)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            problem = _problem(cells, width)
            if problem:
                malformed.append((label, line, f"{problem}: skipped"))
                continue
            values = {name: cells[i].strip() for name, i in columns.items()}
            ident = values.get(key, "")
            if not ident:
                malformed.append((label, line, f"no {key}: skipped"))
                continue
            if ident in seen:
                malformed.append(
                    (label, line, f"{key} {ident!r} repeats line {seen[ident]}: skipped")
                )
                continue
            seen[ident] = line
            yield line, values
        if columns is None:
            malformed.append((label, 1, "empty file: no header and no rows"))


def _problem(cells: list[str], width: int) -> str | None:
    if len(cells) != width:
        return f"expected {width} fields, found {len(cells)}"
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return "not valid UTF-8"
    if any(len(cell) > MAX_CELL for cell in cells):
        return f"a cell longer than {MAX_CELL} characters"
    return None


def read_registry(path, malformed: list, label: str = "registry") -> Index:
    index = Index()
    for line, values in _rows(Path(path), FIELDS, "id", malformed, label):
        try:
            index.add(Record(**values))
        except ValueError as error:
            malformed.append((label, line, f"{error}: skipped"))
    return index.freeze()


def read_requests(path, malformed: list, label: str = "requests") -> list[tuple[Request, list]]:
    found = []
    for line, values in _rows(Path(path), REQUEST_FIELDS, "request", malformed, label):
        request = Request(**values)
        try:
            found.append((request, profiles(request)))
        except ValueError as error:
            malformed.append((label, line, f"{error}: skipped"))
    return found


def trace_csv(
    registry_path,
    requests_path,
    output_path,
    *,
    top: int = 5,
    threshold: float = THRESHOLD,
    progress: Progress | None = None,
) -> TraceResult:
    """Match every request against the registry and write the candidates; see the module
    docstring. Raises OSError only when a file cannot be opened or written."""
    result = TraceResult()
    report = progress or (lambda fraction, stage: None)
    report(0.0, "reading the registry")
    index = read_registry(registry_path, result.malformed)
    result.registry = len(index)
    report(0.4, "reading the requests")
    requests = read_requests(requests_path, result.malformed)
    result.requests = len(requests)
    out = Path(output_path)
    fd, temporary = tempfile.mkstemp(prefix=".mawa-trace-", suffix=".csv", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("request", "rank", "id", "score"))
            for number, (request, readings) in enumerate(requests, start=1):
                found = match_index(index, readings, top=top, threshold=threshold)
                result.with_candidates += bool(found)
                for rank, candidate in enumerate(found, start=1):
                    writer.writerow((request.request, rank, candidate.id, f"{candidate.score:.4f}"))
                    result.rows += 1
                if number % 1000 == 0:
                    report(0.4 + 0.6 * number / len(requests), f"matched {number:,} requests")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    report(1.0, "done")
    result.malformed.sort(key=lambda item: (item[0] != "registry", item[1]))
    return result
