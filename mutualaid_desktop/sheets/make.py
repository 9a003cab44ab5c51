"""Make a sheet from the store: the one entry point the CLI and the window share."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mutualaid_desktop.domain.enums import PrivacyLevel
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.sheets.data import runs_for_day
from mutualaid_desktop.sheets.routes import route_sheets
from mutualaid_desktop.store import Store

SHEETS = ("routes",)  # the other sheets of PRINTOUTS.md are the next step of issue 4


@dataclass(frozen=True)
class Made:
    pdf: bytes
    warnings: list[str]


def make_sheet(
    store: Store,
    kind: str,
    day: date,
    run_id: str | None = None,
    privacy: PrivacyLevel | None = None,
) -> Made:
    """The PDF for `kind` on `day`; a UserError when there is nothing to print."""
    org = store.organization()
    level = privacy or org.privacy_default
    if kind == "routes":
        runs = runs_for_day(store, day, run_id)
        pdf, warnings = route_sheets(runs, org.name, org.support_phone, day, level, org.page_size)
        return Made(pdf, warnings)
    raise UserError(
        f"“{kind}” is not a sheet this program makes; choose one of {', '.join(SHEETS)}."
    )


def write_pdf(pdf: bytes, out: Path) -> None:
    """Write beside the target, then rename: a full disk never leaves half a PDF."""
    out = Path(out)
    if out.parent and not out.parent.exists():
        raise UserError(f"The folder {out.parent} does not exist; choose another place to save.")
    fd, tmp = tempfile.mkstemp(prefix=".mutualaid-", suffix=".pdf", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"Could not save {out.name}: {error.strerror}.") from None
