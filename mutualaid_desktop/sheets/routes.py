"""Driver route sheets: one per driver per run, stops in order, with QR codes.

Each stop has a QR code a phone's map app opens (geo:lat,lon, when the
coordinates are known) and one that dials the household (tel: in E.164),
outcome boxes to tick, and a notes cell; the outcomes are keyed back in from
the paper afterwards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib.units import inch, mm
from reportlab.platypus import PageBreak, Spacer

from mutualaid_desktop.domain.enums import PageSize, PrivacyLevel
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.sheets.data import RunSheet, StopLine
from mutualaid_desktop.sheets.grid import Side
from mutualaid_desktop.sheets.page import SheetHeader, Text, build_pdf, table
from mutualaid_desktop.sheets.privacy import shown_name
from mutualaid_desktop.sheets.qr import QrCode
from mutualaid_desktop.sheets.text import isolate

OUTCOMES = ("Delivered", "Not home", "Bad address", "Refused")
QR_SIZE = 0.58 * inch


def geo_uri(stop: StopLine) -> str | None:
    if stop.lat is None or stop.lon is None:
        return None
    return f"geo:{stop.lat:.6f},{stop.lon:.6f}"


def tel_uri(stop: StopLine) -> str | None:
    return f"tel:{stop.phone}" if stop.phone else None


def _codes(stop: StopLine, text: Text) -> Any:
    """The map and phone codes side by side, each with its label underneath."""
    codes = [
        (uri, label) for uri, label in ((geo_uri(stop), "map"), (tel_uri(stop), "call")) if uri
    ]
    if not codes:
        return text("no map or phone", "small")
    return Side([[QrCode(uri, QR_SIZE), text(label, "small")] for uri, label in codes], QR_SIZE + 2)


def _stop_row(stop: StopLine, privacy: PrivacyLevel, text: Text) -> list[Any]:
    who = [text(shown_name(stop.name, stop.code, privacy), bold=True)]
    if privacy is not PrivacyLevel.CODE:
        who.append(text(stop.code, "small"))
    if stop.phone:
        who.append(text(stop.phone_display))
    where = [text(stop.address)]
    if stop.directions:
        where.append(text(stop.directions, "small"))
    notes = []
    if stop.notes:
        notes.append(text(stop.notes, "small"))
    if stop.languages and stop.languages != ["English"]:
        notes.append(text("Speaks " + ", ".join(stop.languages), "small"))
    if stop.accessibility:
        notes.append(text(stop.accessibility, "small"))
    boxes = [
        text(f"{stop.boxes} box{'es' * (stop.boxes != 1)}", bold=True),
        text(stop.box_type or "type not set", "small"),
    ]
    if stop.diet_labels or stop.allergies:
        boxes.append(text(", ".join([*stop.diet_labels, stop.allergies]).strip(", "), "small"))
    outcome = [text("☐ " + o, "small") for o in OUTCOMES]
    outcome.append(text("Notes:", "small"))
    return [text(str(stop.seq), bold=True), who, where, notes, boxes, outcome, _codes(stop, text)]


def route_story(run: RunSheet, support_phone: str, privacy: PrivacyLevel, text: Text) -> list[Any]:
    boxes = run.boxes_by_type()
    support = display_phone(support_phone) if support_phone else "—"
    driver = isolate(run.driver) if run.driver else "no driver yet"
    if run.driver_phone:
        driver += f", {display_phone(run.driver_phone)}"
    story: list[Any] = [
        text(f"Route sheet · {run.name}", "title"),
        text(f"Driver: {driver} · Driver support: {support}", "big"),
        text(
            f"{len(run.stops)} stops · {sum(boxes.values())} boxes: "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(boxes.items())),
        ),
        text("Please shred after your route.", bold=True),
        Spacer(1, 3 * mm),
    ]
    # Fits Letter and A4 alike (A4 is the narrower page).
    widths = [
        0.28 * inch,
        1.25 * inch,
        1.4 * inch,
        1.1 * inch,
        0.85 * inch,
        0.95 * inch,
        2 * QR_SIZE + 10,
    ]
    rows = [_stop_row(stop, privacy, text) for stop in run.stops]
    story.append(
        table(
            ["#", "Household", "Address", "Notes", "Boxes", "Outcome", "Scan"], rows, widths, text
        )
    )
    return story


def route_sheets(
    runs: list[RunSheet],
    organization: str,
    support_phone: str,
    day: date,
    privacy: PrivacyLevel,
    page: PageSize,
) -> tuple[bytes, list[str]]:
    """One PDF with a sheet per run; (bytes, warnings about characters that cannot print)."""
    text = Text()
    story: list[Any] = []
    for i, run in enumerate(runs):
        if i:
            story.append(PageBreak())
        story.extend(route_story(run, support_phone, privacy, text))
    header = SheetHeader(organization, "Driver route sheets", day, page)
    return build_pdf(header, story), text.report.sentences()
