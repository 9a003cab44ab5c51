"""Packing slips (one per stop), the pick list (one per day or run), the sign-in sheet."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from reportlab.lib.units import inch, mm
from reportlab.platypus import Spacer

from mutualaid_desktop.domain.collation import sort_key
from mutualaid_desktop.domain.enums import PageSize, PrivacyLevel
from mutualaid_desktop.domain.food import item_name, unit_name
from mutualaid_desktop.domain.packing import PackedLine, lower_first
from mutualaid_desktop.i18n import _, format_date, household_language, ngettext, speaking
from mutualaid_desktop.sheets.data import RunSheet, StopLine
from mutualaid_desktop.sheets.grid import Boxed, Side
from mutualaid_desktop.sheets.page import SheetHeader, Text, build_pdf, table
from mutualaid_desktop.sheets.privacy import plain_shown_name, shown_name

CHECK = "☐"
SLIP_WIDTH = 7.1 * inch


def _household(stop: StopLine) -> str:
    parts = [ngettext("{n} adult", "{n} adults", stop.adults).format(n=stop.adults)]
    if stop.children:
        parts.append(ngettext("{n} child", "{n} children", stop.children).format(n=stop.children))
    if stop.seniors:
        parts.append(ngettext("{n} senior", "{n} seniors", stop.seniors).format(n=stop.seniors))
    size = stop.household_size
    return ngettext("{n} person: {who}", "{n} people: {who}", size).format(
        n=size, who=", ".join(parts)
    )


def restriction_lines(stop: StopLine, text: Text, style: str = "body") -> list[Any]:
    """Allergies, diet and allergy words nobody could read: bold, for every sheet."""
    out: list[Any] = []
    if stop.allergy_labels:
        out.append(text(_("ALLERGIES: ") + ", ".join(stop.allergy_labels), style, bold=True))
    if stop.diet_labels:
        out.append(text(_("Diet: ") + ", ".join(stop.diet_labels), style, bold=True))
    for words in stop.restrictions.unrecognised:
        out.append(
            text(_("Allergy note, check by hand: “{text}”").format(text=words), style, bold=True)
        )
    return out


def _item_name(line: PackedLine) -> str:
    if not line.replaces:
        return item_name(line.name)
    return _("{item} (instead of {original}: {reason})").format(
        item=item_name(line.name),
        original=lower_first(item_name(line.replaces)),
        reason=line.reason,
    )


def _slip(run: RunSheet, stop: StopLine, privacy: PrivacyLevel, text: Text) -> Boxed:
    """One framed slip: who, how many, allergies and diet in bold, the items to tick;
    in the household's own language where the program has it."""
    with speaking(household_language(stop.languages)):
        return _slip_in_language(run, stop, privacy, text)


def _slip_in_language(run: RunSheet, stop: StopLine, privacy: PrivacyLevel, text: Text) -> Boxed:
    name = shown_name(stop.name, stop.code, privacy)
    boxes = max(stop.boxes, 1)
    inner = SLIP_WIDTH - 12
    where = _("{run} · stop {seq} · {day}").format(
        run=run.name, seq=stop.seq, day=format_date(run.day, "day")
    )
    head = Side(
        [[text(f"{stop.code}  ·  {name}", "big", bold=True)], [text(where, bold=True)]],
        inner / 2,
    )
    box_type = _("Box type: {box_type} · {boxes}").format(
        box_type=stop.box_type or _("not set"), boxes=_boxes(boxes)
    )
    parts: list[Any] = [
        head,
        text(_household(stop)),
        text(box_type),
        *restriction_lines(stop, text, "big"),
    ]
    split = boxes > 1
    rows: list[list[Any]] = []
    # In the order of the names printed, which the household's language decides.
    for line in sorted(stop.items, key=lambda line: sort_key(item_name(line.name))):
        row = [
            text(CHECK),
            text(_item_name(line)),
            text(unit_name(line.unit), "small"),
            text(str(line.quantity), bold=True),
        ]
        if split:
            row.append(text(" + ".join(str(n) for n in line.per_box(boxes)), "small"))
        rows.append(row)
    if not rows:
        rows = [["", text(_("No items listed for this box type")), "", "", *([""] * split)]]
    headers = ["", _("Item"), _("Unit"), _("Qty")]
    qty = 0.8 * inch
    widths = [0.3 * inch, inner - 0.3 * inch - 1.6 * inch - qty, 1.6 * inch, qty]
    if split:
        headers.append(_("In box 1 + 2") if boxes == 2 else _("Per box"))
        widths = [0.3 * inch, widths[1] - 1.0 * inch, 1.6 * inch, 0.45 * inch, 1.35 * inch]
    parts.append(table(headers, rows, widths, text))
    for sentence in [gone.sentence for gone in stop.packed.left_out] + list(stop.packed.unmet):
        parts.append(text(sentence, "big", bold=True))
    parts.append(Spacer(1, 4))
    parts.append(text(_("Packed by ______________________")))
    return Boxed(parts, SLIP_WIDTH, below=5 * mm)


def _boxes(n: int) -> str:
    return ngettext("{n} box", "{n} boxes", n).format(n=n)


def packing_slips(
    runs: list[RunSheet], organization: str, day: date, privacy: PrivacyLevel, page: PageSize
) -> tuple[bytes, list[str]]:
    text = Text()
    story: list[Any] = [_slip(run, stop, privacy, text) for run in runs for stop in run.stops]
    return build_pdf(
        SheetHeader(organization, _("Packing slips"), day, page, report=text.report), story
    ), text.report.sentences()


def pick_list(
    runs: list[RunSheet], organization: str, day: date, page: PageSize
) -> tuple[bytes, list[str]]:
    """Totals per item to pack, grouped by box type, with counts of boxes by type."""
    text = Text()
    boxes: dict[str, int] = defaultdict(int)
    totals: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for run in runs:
        for stop in run.stops:
            kind = stop.box_type or _("Type not set")
            boxes[kind] += stop.boxes
            for line in stop.items:
                totals[kind][(item_name(line.name), unit_name(line.unit))] += line.quantity
    scope = (
        runs[0].name
        if len(runs) == 1
        else ngettext("{n} run", "{n} runs", len(runs)).format(n=len(runs))
    )
    story: list[Any] = [
        text(_("Pick list · {scope}").format(scope=scope), "title"),
        text(
            _("Boxes to pack: {kinds} · {total} in all").format(
                kinds=", ".join(f"{n} {kind}" for kind, n in sorted(boxes.items())),
                total=sum(boxes.values()),
            ),
            "big",
        ),
        Spacer(1, 3 * mm),
    ]
    for kind in sorted(totals):
        story.append(text(f"{kind} · {_boxes(boxes[kind])}", "big", bold=True))
        rows = [
            [text(name), text(unit), text(str(qty)), text(CHECK), text("")]
            for (name, unit), qty in sorted(totals[kind].items())
        ]
        story.append(
            table(
                [_("Item"), _("Unit"), _("Quantity"), _("Picked"), _("Differences")],
                rows,
                [2.5 * inch, 1.5 * inch, 0.8 * inch, 0.6 * inch, 1.6 * inch],
                text,
            )
        )
        story.append(Spacer(1, 4 * mm))
    return build_pdf(
        SheetHeader(organization, _("Pick list"), day, page, report=text.report), story
    ), text.report.sentences()


def sign_in_sheet(
    runs: list[RunSheet], organization: str, day: date, privacy: PrivacyLevel, page: PageSize
) -> tuple[bytes, list[str]]:
    """For pickup distributions: who came, signed, and who picked up for whom."""
    text = Text()

    # Ordered as the sheet shows them: by code when only codes show, else by the name shown.
    def order(stop: StopLine) -> tuple[str, str]:
        shown = (
            "" if privacy is PrivacyLevel.CODE else plain_shown_name(stop.name, stop.code, privacy)
        )
        return shown.casefold(), stop.code

    stops = sorted((s for r in runs for s in r.stops), key=order)
    rows = [
        [
            text(s.code),
            text(shown_name(s.name, s.code, privacy)),
            text(str(s.household_size)),
            text(s.box_type or ""),
            Spacer(1, 18),  # room to sign
            "",
        ]
        for s in stops
    ]
    story: list[Any] = [
        text(_("Sign-in sheet"), "title"),
        table(
            [
                _("Code"),
                _("Name"),
                _("People"),
                _("Box type"),
                _("Signature or initials"),
                _("Picked up by (if not the household)"),
            ],
            rows,
            [0.8 * inch, 1.6 * inch, 0.55 * inch, 1.05 * inch, 1.45 * inch, 1.65 * inch],
            text,
        ),
    ]
    return build_pdf(
        SheetHeader(organization, _("Sign-in sheet"), day, page, report=text.report), story
    ), text.report.sentences()
