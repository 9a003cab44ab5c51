"""Reading the spreadsheets organizers already keep: CSV in any encoding, XLSX, ODS.

Whatever the file, the result is a `Table`: the header row and the rows below
it as text, each with the row number a spreadsheet program shows. CSV files
come from Excel (cp1252, UTF-16), Google Forms and Airtable (UTF-8, with or
without a BOM) and LibreOffice (any delimiter), so the encoding, delimiter and
quoting are detected rather than asked for.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _

# A sign-up sheet of 20,000 households is a few MB; anything this large is not one.
MAX_FILE_BYTES = 200_000_000
# An XLSX or ODS is a zip: refuse one that would inflate past this (a zip bomb).
MAX_UNPACKED_BYTES = 500_000_000
_DELIMITERS = (",", ";", "\t", "|")
_QUOTES = ('"', "'")
_SAMPLE_ROWS = 60
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class Table:
    """One sheet: its headers, its rows as text, and how it was read."""

    name: str
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]  # as the spreadsheet program numbers them (the header row is 1 or more)
    sheet_names: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    def column(self, index: int, limit: int | None = None) -> list[str]:
        """The non-empty values of a column, in order (the first `limit` of them)."""
        out: list[str] = []
        for row in self.rows:
            value = row[index].strip()
            if value:
                out.append(value)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def samples(self, index: int, count: int = 3) -> list[str]:
        """A few different values of a column, to show what it holds."""
        seen: list[str] = []
        for row in self.rows[:2000]:
            value = row[index].strip()
            if value and value not in seen:
                seen.append(value)
                if len(seen) >= count:
                    break
        return seen

    def describe(self) -> str:
        """How the file was read, for the wizard's first page and the command line."""
        parts = [
            _("{n} rows").format(n=len(self.rows)),
            _("{n} columns").format(n=len(self.headers)),
        ]
        if self.encoding:
            parts.append(self.encoding)
        if self.delimiter:
            parts.append(
                _("separated by {d}").format(d=_DELIMITER_NAMES.get(self.delimiter, self.delimiter))
            )
        return ", ".join(parts)


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}


def read_table(path: Path | str, sheet: str | None = None) -> Table:
    """Read a CSV, XLSX or ODS file (`sheet`: which sheet of a workbook; default the first)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(_("There is no file at {path}.").format(path=path)) from None
    if path.is_dir():
        raise UserError(_("{path} is a folder; choose a spreadsheet file.").format(path=path))
    if size > MAX_FILE_BYTES:
        raise UserError(
            _(
                "{name} is {mb} MB, too large for a sign-up sheet; split it into smaller files."
            ).format(name=path.name, mb=size // 1_000_000)
        )
    head = _read_head(path)
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() in _SPREADSHEET_SUFFIXES:
        return _read_workbook(path, sheet)
    if sheet:
        raise UserError(
            _("{name} is a CSV file, which has no sheets; leave out --sheet.").format(
                name=path.name
            )
        )
    return read_csv_bytes(path.read_bytes(), path.name)


def _read_head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(8)


# -- CSV ---------------------------------------------------------------------


def read_csv_bytes(data: bytes, name: str = "") -> Table:
    """A CSV file's contents as a Table, whatever its encoding, delimiter and quoting."""
    text, encoding = decode(data, name)
    if not text.strip():
        raise UserError(
            _("{name} is empty; there is nothing to import.").format(name=name or _("The file"))
        )
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if controls > len(sample) // 20:
        raise UserError(
            _("{name} is not a spreadsheet or a text file; save it as CSV, XLSX or ODS.").format(
                name=name or _("The file")
            )
        )
    delimiter, quote = _dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote)
    try:
        records = [row for row in reader]
    except csv.Error as error:
        raise UserError(
            _(
                "{name} could not be read as a table ({error}); save it again as CSV or XLSX."
            ).format(name=name or _("The file"), error=error)
        ) from None
    return _table(name, records, encoding=encoding, delimiter=delimiter)


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """The text of a file and the name of its encoding.

    A byte-order mark is trusted first, then strict UTF-8 (most files today,
    and a detector can mistake short UTF-8 for something else), then Excel's
    Windows-1252, then charset-normalizer for the rest.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    if b"\x00" in data[:4000]:
        # UTF-16 without a mark: every other byte of Latin text is zero.
        even, odd = data[0:4000:2].count(0), data[1:4000:2].count(0)
        if max(even, odd) > len(data[:4000]) // 4:
            codec = "utf-16-be" if even > odd else "utf-16-le"
            return data.decode(codec, errors="replace"), "UTF-16"
        raise UserError(
            _("{name} is not a spreadsheet or a text file; save it as CSV, XLSX or ODS.").format(
                name=name or _("The file")
            )
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western, "Windows-1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("cp1252", errors="replace")
        encoding = "cp1252"
    return text, _ENCODING_NAMES.get(encoding, encoding)


# Letters and marks of Western languages (Spanish, French, Portuguese, German...)
# and the punctuation Excel adds (curly quotes, dashes, €) in cp1252's upper half.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŸŽž¿¡«»‘’“”–—…€°ºª·•\u00a0"
)


def _as_western(data: bytes) -> str | None:
    """The text as Windows-1252, if that reads as Western letters and punctuation only.

    Excel on Windows saves "CSV" in cp1252, the encoding of most organizers'
    files that are not UTF-8; a detector, on a short file, often prefers
    another code page in which "¿" reads as "ż". A file in which cp1252 gives
    only Western letters is cp1252; anything else goes to the detector.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all(ch in _WESTERN for ch in set(text) if ord(ch) > 127):
        return text
    return None


_ENCODING_NAMES = {"cp1252": "Windows-1252", "utf_8": "UTF-8", "mac_roman": "Mac Roman"}


def _dialect(text: str) -> tuple[str, str]:
    """The delimiter and quote character that give the most even table."""
    sample = _first_records(text)
    best: tuple[float, str, str] = (-1.0, ",", '"')
    for quote in _QUOTES:
        for delimiter in _DELIMITERS:
            try:
                rows = list(
                    csv.reader(
                        io.StringIO(sample, newline=""), delimiter=delimiter, quotechar=quote
                    )
                )
            except csv.Error:
                continue
            rows = [r for r in rows if any(c.strip() for c in r)][:_SAMPLE_ROWS]
            if not rows:
                continue
            widths = Counter(len(r) for r in rows)
            width, count = widths.most_common(1)[0]
            if width < 2:
                score = 0.0
            else:
                # Most rows the same width, and wider is better; the double quote
                # is the standard, so it wins a tie.
                score = count / len(rows) * 100 + min(width, 50) + (0.5 if quote == '"' else 0)
            if score > best[0]:
                best = (score, delimiter, quote)
    return best[1], best[2]


def _first_records(text: str, limit: int = 64_000) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit]


# -- XLSX and ODS ------------------------------------------------------------


def _read_workbook(path: Path, sheet: str | None) -> Table:
    _check_unpacked_size(path)
    from python_calamine import CalamineError, load_workbook

    try:
        book = load_workbook(str(path))
    except (CalamineError, ValueError, OSError) as error:
        raise UserError(
            _(
                "{name} could not be opened as a spreadsheet ({error}); open it and save it again "
                "as XLSX, ODS or CSV."
            ).format(name=path.name, error=str(error).splitlines()[0][:120])
        ) from None
    try:
        names = list(book.sheet_names)
        if not names:
            raise UserError(_("{name} has no sheets.").format(name=path.name))
        if sheet is None:
            chosen = names[0]
        else:
            chosen = next((n for n in names if n == sheet), None) or next(
                (n for n in names if n.casefold() == sheet.strip().casefold()), ""
            )
            if not chosen:
                raise UserError(
                    _("{name} has no sheet called “{sheet}”; its sheets are: {names}.").format(
                        name=path.name, sheet=sheet, names=", ".join(names)
                    )
                )
        values = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    finally:
        book.close()
    records = [[cell_text(v) for v in row] for row in values]
    table = _table(f"{path.name} › {chosen}", records)
    table.sheet_names = names
    return table


def _check_unpacked_size(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        return  # an old binary .xls: calamine reads it within its own limits
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise UserError(
            _("{name} is damaged (its contents cannot be unpacked); save it again.").format(
                name=path.name
            )
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(
            _(
                "{name} unpacks to more than {mb} MB, far more than a sign-up sheet; "
                "it was not opened."
            ).format(name=path.name, mb=MAX_UNPACKED_BYTES // 1_000_000)
        )


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (a phone typed as a number has no “.0”)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# -- the table ---------------------------------------------------------------


def _table(
    name: str, records: Sequence[Sequence[str]], encoding: str = "", delimiter: str = ""
) -> Table:
    header_at = _header_row(records)
    if header_at is None:
        raise UserError(
            _(
                "{name} has no row of column headings; the first row should name the columns "
                "(Name, Phone, …)."
            ).format(name=name or _("The file"))
        )
    headers = [" ".join(h.split()) for h in records[header_at]]
    # Spreadsheets pad rows unevenly: cut trailing unnamed, empty columns.
    width = len(headers)
    while (
        width
        and not headers[width - 1]
        and not any(len(r) >= width and r[width - 1].strip() for r in records[header_at + 1 :])
    ):
        width -= 1
    headers = headers[:width]
    for i, h in enumerate(headers):
        if not h:
            headers[i] = _("Column {n}").format(n=_column_letter(i))
    rows: list[list[str]] = []
    numbers: list[int] = []
    for index in range(header_at + 1, len(records)):
        record = list(records[index][:width])
        record += [""] * (width - len(record))
        rows.append(record)
        numbers.append(index + 1)
    return Table(name, headers, rows, numbers, encoding=encoding, delimiter=delimiter)


def _header_row(records: Sequence[Sequence[str]]) -> int | None:
    """The first row that names most columns (a title row above the headings is skipped)."""
    head = records[:15]
    widest = max((sum(1 for c in r if str(c).strip()) for r in head), default=0)
    if widest == 0:
        return None
    for index, row in enumerate(head):
        filled = sum(1 for c in row if str(c).strip())
        if filled >= max(1, (widest + 1) // 2) and filled >= min(2, widest):
            return index
    return None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
