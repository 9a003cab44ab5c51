"""Sending a PDF to CUPS as it is: the paper of the settings, one sentence when refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mutualaid_desktop.domain import PageSize
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.sheets.send import print_directly


def fake_lp(
    tmp_path: Path, exit_code: int = 0, say: str = "request id is Office-12 (1 file(s))"
) -> Path:
    """A stand-in for `lp` that keeps what it was given."""
    script = tmp_path / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{tmp_path}/argv"\n'
        f'for last; do true; done; cp "$last" "{tmp_path}/printed.pdf"\n'
        + (f'echo "{say}"\n' if exit_code == 0 else f'echo "lp: {say}" >&2\n')
        + f"exit {exit_code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_the_pdf_goes_to_the_printer_as_it_is_on_the_paper_of_the_settings(
    tmp_path: Path,
) -> None:
    lp = fake_lp(tmp_path)
    said = print_directly(b"%PDF-1.4 sheet", "Office", PageSize.A4, "routes", 2, str(lp))
    assert said == "request id is Office-12 (1 file(s))"
    argv = (tmp_path / "argv").read_text().split("\n")
    assert argv[:8] == ["-d", "Office", "-n", "2", "-o", "media=A4", "-t", "routes"]
    assert (tmp_path / "printed.pdf").read_bytes() == b"%PDF-1.4 sheet"


def test_a_refusal_is_one_sentence_in_the_systems_words(tmp_path: Path) -> None:
    lp = fake_lp(tmp_path, 1, "The printer or class does not exist.")
    with pytest.raises(UserError, match="did not take the sheet: lp: The printer or class"):
        print_directly(b"%PDF", "Gone", PageSize.LETTER, "routes", 1, str(lp))
