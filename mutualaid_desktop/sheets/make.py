"""Make a sheet from the store: the one entry point the CLI and the window share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mutualaid_desktop.domain.enums import PageSize, PrivacyLevel
from mutualaid_desktop.domain.units import MAX_OFFSET_MM, format_length
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.files import replace_atomically
from mutualaid_desktop.i18n import _
from mutualaid_desktop.sheets.data import find_driver, runs_for_day, runs_of_driver
from mutualaid_desktop.sheets.labels import box_labels
from mutualaid_desktop.sheets.packing import packing_slips, pick_list, sign_in_sheet
from mutualaid_desktop.sheets.roster import RideLine, ride_roster, rides_for_day
from mutualaid_desktop.sheets.routes import route_sheets
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.memory import collector_paused

SHEETS = ("routes", "packing", "picklist", "labels", "roster", "signin")


@dataclass(frozen=True)
class Made:
    pdf: bytes
    warnings: list[str]  # characters no font has
    to_check: list[str] = field(default_factory=list)  # stops to look at before printing


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
    # A day's sheets are some 15,000 small flowables that all live until the PDF is
    # written; the cycle collector, woken a hundred times while they are made, walked
    # them every time and freed nothing (a tenth to a sixth of the time).
    with collector_paused():
        return _make(store, kind, day, run_id, privacy, labels, offset_mm, driver_id)


def _make(
    store: Store,
    kind: str,
    day: date,
    run_id: str | None,
    privacy: PrivacyLevel | None,
    labels: str,
    offset_mm: tuple[float, float],
    driver_id: str | None,
) -> Made:
    org = store.organization()
    # The window's combo boxes hand enums back as plain strings.
    level = PrivacyLevel(privacy) if privacy else org.privacy_default
    if kind == "roster":
        rides = _rides(store, day, driver_id)
        return Made(*ride_roster(rides, org.name, day, level, org.page_size))
    if kind not in SHEETS:
        raise UserError(
            _("“{kind}” is not a sheet this program makes; choose one of {sheets}.").format(
                kind=kind, sheets=", ".join(SHEETS)
            )
        )
    if kind == "labels" and max(abs(offset_mm[0]), abs(offset_mm[1])) > MAX_OFFSET_MM:
        unit = org.lengths()
        raise UserError(
            _(
                "A printer offset of {x} right and {y} down is more than label "
                "sheets are ever off; give at most {most} either way."
            ).format(
                x=format_length(offset_mm[0], unit),
                y=format_length(offset_mm[1], unit),
                most=format_length(MAX_OFFSET_MM, unit),
            )
        )
    if driver_id:
        runs = runs_of_driver(store, day, driver_id, run_id)
    else:
        runs = runs_for_day(store, day, run_id)
    check = [
        f"{stop.code} ({run.name}, stop {stop.seq}): {sentence}"
        for run in runs
        for stop in run.stops
        for sentence in stop.needs_review
    ]
    if kind == "routes":
        pdf, warnings = route_sheets(
            runs, org.name, org.support_phone, day, level, org.page_size, org.map_links
        )
    elif kind == "packing":
        pdf, warnings = packing_slips(runs, org.name, day, level, org.page_size)
    elif kind == "picklist":
        pdf, warnings = pick_list(runs, org.name, day, org.page_size)
    elif kind == "signin":
        pdf, warnings = sign_in_sheet(runs, org.name, day, level, org.page_size)
    else:
        sheet = labels or ("l7160" if org.page_size is PageSize.A4 else "avery5160")
        pdf, warnings = box_labels(runs, org.name, day, level, sheet, offset_mm)
    return Made(pdf, warnings, check)


def _rides(store: Store, day: date, driver: str | None) -> list[RideLine]:
    if not driver:
        return rides_for_day(store, day)
    driver_id, name = find_driver(store, driver)
    try:
        return rides_for_day(store, day, driver_id)
    except UserError:
        raise UserError(
            _("{name} has no rides on {day}.").format(name=name, day=day.isoformat())
        ) from None


def write_pdf(pdf: bytes, out: Path) -> None:
    """Write beside the target, then rename: a full disk never leaves half a PDF."""
    out = Path(out)
    if out.parent and not out.parent.exists():
        raise UserError(
            _("The folder {parent} does not exist; choose another place to save.").format(
                parent=out.parent
            )
        )
    try:
        replace_atomically(out, pdf)
    except OSError as error:
        raise UserError(
            _("Could not save {name}: {strerror}.").format(name=out.name, strerror=error.strerror)
        ) from None
