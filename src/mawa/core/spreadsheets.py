"""The one writer of CSV and XLSX files that leave Mawa (exports, reports, the audit log).

A cell that a spreadsheet would read as a formula is neutralised: text starting with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice against CSV
injection), so that a name typed as `=HYPERLINK(...)` arrives as text, not as a live link. Only
text is touched: numbers and dates are written as they are. In XLSX, text cells are also stored
as text (openpyxl would otherwise store a string starting with `=` as a formula)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer's writerow and writerows, every cell neutralised."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **options) -> SafeCsvWriter:
    return SafeCsvWriter(file, **options)


def write_csv(columns, rows) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (Excel then reads Arabic right): a row of
    column names, a row of HXL hashtags, then `rows` (dicts keyed by column name)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([name for name, _tag in columns])
    writer.writerow([tag for _name, tag in columns])
    for row in rows:
        writer.writerow([row[name] for name, _tag in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def text_cell(_name: str, value):
    return str(value) if value != "" else None


def write_xlsx(columns, rows, *, sheet_name: str = "data", cell=text_cell) -> bytes:
    """The CSV's table as a spreadsheet; `cell(name, value)` gives each cell (text by default,
    an empty value left empty)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)

    def safe(value):
        if not isinstance(value, str):
            return value
        written = WriteOnlyCell(sheet, neutralise(value))
        written.data_type = "s"  # text, never a formula
        return written

    sheet.append([safe(name) for name, _tag in columns])
    sheet.append([safe(tag) for _name, tag in columns])
    for row in rows:
        sheet.append([safe(cell(name, row[name])) for name, _tag in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
