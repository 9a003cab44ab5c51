"""Make a sheet from the store: the one entry point the CLI and the window share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mutualaid_desktop.domain.enums import PageSize, PrivacyLevel
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.files import replace_atomically
from mutualaid_desktop.sheets.data import runs_for_day
from mutualaid_desktop.sheets.labels import box_labels
from mutualaid_desktop.sheets.packing import packing_slips, pick_list, sign_in_sheet
from mutualaid_desktop.sheets.roster import ride_roster, rides_for_day
from mutualaid_desktop.sheets.routes import route_sheets
from mutualaid_desktop.store import Store

SHEETS = ("routes", "packing", "picklist", "labels", "roster", "signin")


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
    labels: str = "",
    offset_mm: tuple[float, float] = (0.0, 0.0),
    driver_id: str | None = None,
) -> Made:
    """The PDF for `kind` on `day`; a UserError when there is nothing to print."""
    org = store.organization()
    level = privacy or org.privacy_default
    if kind == "roster":
        rides = rides_for_day(store, day, driver_id)
        return Made(*ride_roster(rides, org.name, day, level, org.page_size))
    if kind not in SHEETS:
        raise UserError(
            f"“{kind}” is not a sheet this program makes; choose one of {', '.join(SHEETS)}."
        )
    runs = runs_for_day(store, day, run_id)
    if kind == "routes":
        return Made(
            *route_sheets(
                runs, org.name, org.support_phone, day, level, org.page_size, org.map_links
            )
        )
    if kind == "packing":
        return Made(*packing_slips(runs, org.name, day, level, org.page_size))
    if kind == "picklist":
        return Made(*pick_list(runs, org.name, day, org.page_size))
    if kind == "signin":
        return Made(*sign_in_sheet(runs, org.name, day, level, org.page_size))
    sheet = labels or ("l7160" if org.page_size is PageSize.A4 else "avery5160")
    return Made(*box_labels(runs, org.name, day, level, sheet, offset_mm))
    raise UserError(
        f"“{kind}” is not a sheet this program makes; choose one of {', '.join(SHEETS)}."
    )


def write_pdf(pdf: bytes, out: Path) -> None:
    """Write beside the target, then rename: a full disk never leaves half a PDF."""
    out = Path(out)
    if out.parent and not out.parent.exists():
        raise UserError(f"The folder {out.parent} does not exist; choose another place to save.")
    try:
        replace_atomically(out, pdf)
    except OSError as error:
        raise UserError(f"Could not save {out.name}: {error.strerror}.") from None
