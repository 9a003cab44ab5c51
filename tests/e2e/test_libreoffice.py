"""Exports opened by LibreOffice (when it is installed): accents right, no formula runs.

LibreOffice converts each export to XLSX headless; openpyxl then reads what
LibreOffice made of it. Skipped where LibreOffice is absent (CI has none:
`apt-get install libreoffice-calc-nogui` to run it).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.domain.contact import Address, Phone
from mutualaid_desktop.exchange.export import ExportKind, export

SOFFICE = shutil.which("soffice")
HOSTILE = ["=1+1", "+2+3", "-4+5", "@SUM(6,7)", '=HYPERLINK("http://evil.example","click")']
NAMES = ["Zoë Ñúñez-Ødegaard", "Nguyễn Thị Warsame", "דוד כהן"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_libreoffice_opens_exports_with_accents_and_runs_no_formula(store, tmp_path, suffix):
    import openpyxl

    for i, text in enumerate(HOSTILE + NAMES):
        store.insert(
            Contact(
                name=text,
                phones=[Phone(original=f"+1713555010{i}")],
                notes=text,
                address=Address(city="Bogotá"),
            )
        )
    source = tmp_path / f"contacts{suffix}"
    export(store, ExportKind.CONTACTS, source)
    out = tmp_path / "lo"
    # A CSV is opened as UTF-8, as LibreOffice's import dialog offers for a file with a BOM.
    charset = ["--infilter=CSV:44,34,76,1"] if suffix == ".csv" else []
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            *charset,
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    sheet = openpyxl.load_workbook(out / "contacts.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = {str(c.value) for c in cells if c.value is not None}
    assert set(NAMES) <= values and "Bogotá" in values
    for text in HOSTILE:
        # Shown as the text that was stored (behind OWASP's apostrophe in a CSV), never run.
        assert (text if suffix == ".xlsx" else "'" + text) in values
    assert "2" not in values and "13" not in values  # =1+1 and @SUM(6,7) did not compute
