"""Send a finished PDF to a printer as it is, where the system can print PDFs itself.

On Linux and macOS, CUPS takes a PDF as it is (`lp`): the printer, or its
driver, lays out the vector pages, crisp at any resolution, in the time it
takes to hand over a file. The window falls back to rendering pages itself
only where there is no such command (ui/printing.py).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from mutualaid_desktop import files
from mutualaid_desktop.domain.enums import PageSize
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _

MEDIA = {PageSize.LETTER: "Letter", PageSize.A4: "A4"}


def direct_print_command() -> str | None:
    """The CUPS `lp` command, where this system has one."""
    return shutil.which("lp")


def print_directly(
    pdf: bytes,
    printer: str,
    page: PageSize,
    title: str,
    copies: int = 1,
    command: str | None = None,
) -> str:
    """Queue `pdf` on `printer` at the paper size of the settings; the queue's answer.

    A UserError with the system's own words when the printer refuses it.
    """
    lp = command or direct_print_command()
    if lp is None:
        raise UserError(_("This computer has no print command (lp); print from the window."))
    with tempfile.TemporaryDirectory(prefix="mutualaid-print-") as folder:
        path = Path(folder) / "sheet.pdf"
        files.write_private(path, pdf)  # 0600 in mkdtemp's 0700 folder, gone after lp
        argv = [lp, "-n", str(max(copies, 1)), "-o", f"media={MEDIA[page]}", "-t", title]
        if printer:
            argv[1:1] = ["-d", printer]
        try:
            done = subprocess.run(
                [*argv, str(path)], capture_output=True, text=True, timeout=120, check=False
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise UserError(
                _("The printer did not take the sheet ({error}); try again.").format(error=error)
            ) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise UserError(
            _("The printer did not take the sheet: {said}").format(
                said=said[-1]
                if said
                else _("lp exit {returncode}").format(returncode=done.returncode)
            )
        )
    return done.stdout.strip()
