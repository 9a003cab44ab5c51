"""Driver route sheets: one per driver per run, stops in order, read in a car.

Every page names its run and driver and is numbered within the run, so a
shuffled pile sorts back. Addresses and phones print at 11 pt, every phone of
the household; each stop has room to write what happened, the driver's notes
(never the organizers' private notes: the sheet data does not even carry
them), allergies labelled as such and what is in the boxes. Per stop, a QR
code any phone camera opens as a map (a web link: iPhone cameras do not open
`geo:`) and one that dials the household (`tel:` in E.164).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote_plus

from reportlab.lib.units import inch, mm
from reportlab.platypus import PageBreak, Spacer

from mutualaid_desktop.domain.enums import MapLinks, PageSize, PrivacyLevel
from mutualaid_desktop.domain.food import item_name
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.sheets.data import RunSheet, StopLine
from mutualaid_desktop.sheets.grid import Side
from mutualaid_desktop.sheets.packing import restriction_lines
from mutualaid_desktop.sheets.page import Section, SheetHeader, Text, build_pdf, table
from mutualaid_desktop.sheets.privacy import shown_name
from mutualaid_desktop.sheets.qr import QrCode
from mutualaid_desktop.sheets.text import isolate

OUTCOMES = (N_("Delivered"), N_("Not home"), N_("Bad address"), N_("Refused"))
QR_SIZE = 0.6 * inch
NOTE_ROOM = 13 * mm  # blank room to write an outcome note (at least 12 mm a stop)


def map_link(stop: StopLine, links: MapLinks = MapLinks.GOOGLE) -> str | None:
    """A web link any phone camera opens in a maps app: the coordinates, else the address."""
    if stop.lat is not None and stop.lon is not None:
        where = f"{stop.lat:.5f},{stop.lon:.5f}"
        if links is MapLinks.OPENSTREETMAP:
            return f"https://www.openstreetmap.org/?mlat={stop.lat:.5f}&mlon={stop.lon:.5f}&zoom=17"
        return f"https://www.google.com/maps/search/?api=1&query={where}"
    if not stop.street:
        return None
    address = quote_plus(stop.address)
    if links is MapLinks.OPENSTREETMAP:
        return f"https://www.openstreetmap.org/search?query={address}"
    return f"https://www.google.com/maps/search/?api=1&query={address}"


def tel_uri(stop: StopLine) -> str | None:
    return f"tel:{stop.phone}" if stop.phone.startswith("+") else None


def _codes(stop: StopLine, links: MapLinks, text: Text) -> Any:
    """The map and phone codes side by side, each with its label underneath."""
    codes = [
        [QrCode(uri, QR_SIZE), text(label, "small")]
        for uri, label in ((map_link(stop, links), _("map")), (tel_uri(stop), _("call")))
        if uri
    ]
    if not codes:
        return text(_("no map or phone"), "small")
    return Side(codes, QR_SIZE + 3)


def _items_summary(stop: StopLine) -> str:
    return ", ".join(f"{item_name(line.name)} {line.quantity}" for line in stop.items)


def _stop_row(stop: StopLine, privacy: PrivacyLevel, links: MapLinks, text: Text) -> list[Any]:
    who = [text(shown_name(stop.name, stop.code, privacy), "big", bold=True)]
    if privacy is not PrivacyLevel.CODE:
        who.append(text(stop.code, "small"))
    who.extend(text(phone, "big") for phone in stop.phones_display)
    if not stop.phones:
        who.append(text(_("no phone"), "small"))
    where = [text(stop.address, "big")]
    if stop.directions:
        where.append(text(stop.directions))
    driver: list[Any] = []
    if stop.driver_notes:
        driver.append(text(stop.driver_notes, bold=True))
    if stop.languages and stop.languages != ["English"]:
        driver.append(text(_("Speaks ") + ", ".join(stop.languages), "small"))
    if stop.accessibility:
        driver.append(text(stop.accessibility, "small"))
    driver.extend(restriction_lines(stop, text, "small"))
    boxes = max(stop.boxes, 1)
    driver.append(
        text(
            ngettext("{n} box · {box_type}", "{n} boxes · {box_type}", boxes).format(
                n=boxes, box_type=stop.box_type or _("type not set")
            ),
            bold=True,
        )
    )
    if stop.items:
        driver.append(text(_items_summary(stop), "small"))
    outcome: list[Any] = [text("☐ " + _(o), "small") for o in OUTCOMES]
    outcome.append(text(_("Note:"), "small"))
    outcome.append(Spacer(1, NOTE_ROOM))
    return [
        text(str(stop.seq), "big", bold=True),
        who,
        where,
        driver,
        outcome,
        _codes(stop, links, text),
    ]


def run_label(run: RunSheet) -> str:
    driver = isolate(run.driver) if run.driver else _("no driver yet")
    return f"{run.name} · {_('Driver')}: {driver}"


def route_story(
    run: RunSheet, support_phone: str, privacy: PrivacyLevel, links: MapLinks, text: Text
) -> list[Any]:
    boxes = run.boxes_by_type()
    support = display_phone(support_phone) if support_phone else "—"
    driver = isolate(run.driver) if run.driver else _("no driver yet")
    if run.driver_phone:
        driver += f", {display_phone(run.driver_phone)}"
    story: list[Any] = [
        Section(run_label(run)),
        text(_("Route sheet · {name}").format(name=run.name), "title"),
        text(
            _("Driver: {driver} · Driver support: {support}").format(
                driver=driver, support=support
            ),
            "big",
        ),
        text(
            ngettext("{n} stop", "{n} stops", len(run.stops)).format(n=len(run.stops))
            + " · "
            + ngettext("{n} box: ", "{n} boxes: ", sum(boxes.values())).format(
                n=sum(boxes.values())
            )
            + ", ".join(f"{n} {kind}" for kind, n in sorted(boxes.items())),
        ),
        text(_("Please shred after your route."), bold=True),
        Spacer(1, 3 * mm),
    ]
    # Fits Letter and A4 alike (A4 is the narrower page: 7.17 in between margins).
    widths = [0.34 * inch, 1.48 * inch, 1.53 * inch, 1.5 * inch, 0.95 * inch]
    widths.append(7.1 * inch - sum(widths))  # two QR codes side by side
    rows = [_stop_row(stop, privacy, links, text) for stop in run.stops]
    story.append(
        table(
            [
                "#",
                _("Household · phones"),
                _("Address"),
                _("For the driver"),
                _("Outcome"),
                _("Scan"),
            ],
            rows,
            widths,
            text,
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
    links: MapLinks = MapLinks.GOOGLE,
) -> tuple[bytes, list[str]]:
    """One PDF with a sheet per run; (bytes, warnings about characters that cannot print)."""
    text = Text()
    story: list[Any] = []
    for i, run in enumerate(runs):
        if i:
            story.append(PageBreak())
        story.extend(route_story(run, support_phone, privacy, links, text))
    header = SheetHeader(
        organization, _("Driver route sheets"), day, page, sections=True, report=text.report
    )
    return build_pdf(header, story), text.report.sentences()
