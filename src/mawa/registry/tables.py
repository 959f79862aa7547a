"""Reading uploaded tables (CSV or XLSX) safely, whatever encoding or shape they arrive in.

KoboToolbox and ODK exports are the common case: one column per question, named with group
paths like `group/question`. Windows Arabic (cp1256) CSV files from Excel are common too:
a file that is not valid UTF-8 is read with charset-normalizer's best guess among the encodings
Iraqi offices use, cp1256 first.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 200_000
MAX_COLUMNS = 300
ENCODINGS = ["utf_8", "cp1256", "cp1252", "utf_16"]


class TableError(Exception):
    """The file cannot be read; the message says why, in the user's language."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    encoding: str = ""


def decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8", errors="strict"), "utf-8"
        except UnicodeDecodeError as exc:
            raise TableError(
                _("The file says it is UTF-8 text but is not: save it again as CSV (UTF-8).")
            ) from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw[:200_000], cp_isolation=ENCODINGS).best()
    encoding = best.encoding if best else "cp1256"
    try:
        return raw.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise TableError(_("The file's text encoding could not be recognised.")) from exc


def _clean(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    if "\x00" in text:
        raise TableError(_("This is not a CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text[:10_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = [[_clean(c) for c in row] for row in reader]
    except csv.Error as exc:
        raise TableError(_("The CSV file is malformed: %s") % exc) from exc
    return _table(rows, encoding)


def read_xlsx(raw: bytes) -> Table:
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(_("This is not a readable XLSX workbook.")) from exc
    except Exception as exc:  # a damaged part fails in many ways (XML, types): unreadable too
        raise TableError(_("The workbook's first sheet cannot be read.")) from exc
    rows = []
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            rows.append([_clean(c) for c in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS + 1:
                break
    except Exception as exc:
        raise TableError(_("The workbook's first sheet cannot be read.")) from exc
    finally:
        book.close()
    return _table(rows, "xlsx")


def _table(rows: list[list[str]], encoding: str) -> Table:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise TableError(_("The file is empty."))
    headers = rows[0]
    if len(headers) > MAX_COLUMNS:
        raise TableError(_("The file has more than %s columns.") % MAX_COLUMNS)
    if len(rows) - 1 > MAX_ROWS:
        raise TableError(_("The file has more than %s rows; split it.") % MAX_ROWS)
    if len(set(headers)) != len(headers) or not all(headers):
        raise TableError(_("Every column needs a distinct name in the first row."))
    width = len(headers)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    if body and body[0] and all(c.startswith("#") or not c for c in body[0]):
        body = body[1:]  # an HXL hashtag row
    return Table(headers=headers, rows=body, encoding=encoding)


def read_table(name: str, raw: bytes) -> Table:
    if raw[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(raw)
    return read_csv(raw)
