"""Writing tables that spreadsheet programs open safely: CSV (UTF-8 with BOM) and XLSX.

A cell a spreadsheet would run as a formula (text starting with =, +, -, @,
a tab or a carriage return) is neutralised in CSV with a leading apostrophe,
as OWASP advises against CSV injection: a household's note "=HYPERLINK(...)"
must never run on a funder's computer. XLSX cells are written as typed values
(text, numbers, dates), never as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.files import replace_atomically
from mutualaid_desktop.i18n import _

Cell = str | int | float | date | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """One table to write: a name (the XLSX sheet), headings and rows."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text, never runs (OWASP: prefix an apostrophe)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def file_format(out: Path) -> str:
    """ "csv" or "xlsx" from the file name, or one sentence saying what to name it."""
    suffix = out.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    raise UserError(
        _(
            "End the file name with .csv or .xlsx (not “{name}”); it says which format to write."
        ).format(name=out.name)
    )


def write_tables(out: Path, sheets: Sequence[Sheet]) -> None:
    """Write `sheets` to `out` (CSV: the first sheet only), replacing the file at once."""
    fmt = file_format(out)
    data = to_csv(sheets[0]) if fmt == "csv" else to_xlsx(sheets)
    if not out.parent.exists():
        raise UserError(
            _("There is no folder {folder}; choose another place.").format(folder=out.parent)
        )
    replace_atomically(out, data)


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a BOM, so Excel opens accents right; every formula-like cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def to_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook of typed values; nothing in it is a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: write_string never makes formulas, and these
            # options stop every other path from turning text into one.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    used: set[str] = set()
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.name, used))
        widths = [min(max(len(h), 8), 40) for h in sheet.headers]
        for c, header in enumerate(sheet.headers):
            ws.write_string(0, c, header, bold)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                    if c < len(widths):
                        widths[c] = min(max(widths[c], len(value)), 40)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif isinstance(value, datetime):
                    ws.write_datetime(r, c, value.replace(tzinfo=None), moment)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width + 2)
        ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique in the book.
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    candidate, n = cleaned, 2
    while candidate.casefold() in used:
        candidate = f"{cleaned[:28]} {n}"
        n += 1
    used.add(candidate.casefold())
    return candidate
