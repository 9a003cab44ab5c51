"""The frame every sheet shares: page size, header, "Page X of Y", tables.

Every page carries the organization's name, the date, the sheet's title and
"Page X of Y" (PRINTOUTS.md). Table headers repeat on every page and long
cells wrap and may split across pages. Documents are built with invariant=1:
the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from mutualaid_desktop.domain.enums import PageSize
from mutualaid_desktop.i18n import _, format_date
from mutualaid_desktop.sheets.grid import Grid
from mutualaid_desktop.sheets.runs import LogicalText, RunsText, stringWidth
from mutualaid_desktop.sheets.text import (
    BOLD,
    REGULAR,
    GlyphReport,
    font_runs,
    is_rtl,
    markup,
    register_fonts,
)

MARGIN = 14 * mm  # leaves 7.17 in of width on A4 (the narrower page): tables stay within 7.1 in
SECTION_SIZE = 11  # points: the run and driver atop every route sheet page, read in a car


@dataclass(frozen=True)
class SheetHeader:
    organization: str
    title: str
    day: date
    page_size: PageSize = PageSize.LETTER
    sections: bool = False  # pages numbered per Section, named at the top of each page
    # Characters of the header no font has, reported with the sheet's own.
    report: GlyphReport = field(default_factory=GlyphReport, compare=False)


def page_size(size: PageSize) -> tuple[float, float]:
    width, height = A4 if size is PageSize.A4 else LETTER
    return float(width), float(height)


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9),
        "bold": ParagraphStyle("bold", parent=body, fontName=BOLD),
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=15, leading=18, spaceAfter=2 * mm
        ),
        "big": ParagraphStyle("big", parent=body, fontSize=11, leading=14),
    }


class Text:
    """Makes text of any script for sheets, collecting characters that cannot print."""

    def __init__(self) -> None:
        self.report = GlyphReport()
        self.styles = styles()
        # (text, bold) -> its font runs: a day's sheets repeat the same words thousands
        # of times ("☐", "Delivered", "Canned beans"), and a text's runs never change.
        self._runs: dict[tuple[str, bool], list[tuple[str, str]]] = {}

    def __call__(self, text: str, style: str = "body", bold: bool = False) -> RunsText:
        st = self.styles[style]
        bold = bold or st.fontName == BOLD
        space = st.spaceAfter or 0
        if is_rtl(text):  # wrapped in reading order, so a long name keeps its word order
            return LogicalText(
                text,
                lambda line: font_runs(line, bold, self.report),
                st.fontSize,
                st.leading + space,
            )
        runs = self._runs.get((text, bold))
        if runs is None:
            runs = self._runs[text, bold] = font_runs(text, bold, self.report)
        return RunsText(runs, st.fontSize, st.leading + space)

    def paragraph(self, text: str, style: str = "body", bold: bool = False) -> Paragraph:
        """reportlab's own Paragraph (justification, inline markup) where that is needed."""
        return Paragraph(markup(text, bold=bold, report=self.report), self.styles[style])


class Section(Flowable):  # type: ignore[misc]
    """Starts a part of a sheet numbered on its own ("Route 3 · page 2 of 3").

    Takes no room; every page from here to the next Section carries `label`
    in its header, and is numbered within the section, so a shuffled pile of
    route sheets sorts back by run.
    """

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv._section = self.label


def _numbered_canvas(header: SheetHeader) -> type[rl_canvas.Canvas]:
    """A canvas that holds pages back until the end, to print "Page X of Y" on each."""

    class NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._section = ""

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            sections = [state["_section"] for state in self._pages]
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                section = sections[number - 1]
                within = sections[:number].count(section) if section else 0
                self._frame(number, total, section, within, sections.count(section))
                super().showPage()
            super().save()

        def _frame(self, number: int, total: int, section: str, within: int, of: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(colors.HexColor("#333333"))
            top = height - 9 * mm
            self._line(MARGIN, top, header.organization, 8)
            self.setFont(REGULAR, 8)
            self.drawRightString(width - MARGIN, top, format_date(header.day, "long"))
            self._line(width / 2, top, header.title, 8, bold=True, centred=True)
            self.setFont(REGULAR, 8)
            if not section:  # a sheet in sections is numbered within each (below)
                self.drawRightString(
                    width - MARGIN,
                    8 * mm,
                    _("Page {number} of {total}").format(number=number, total=total),
                )
            self.setStrokeColor(colors.HexColor("#999999"))
            self.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
            if section:
                self.setFillColor(colors.black)
                label = _("{section} · page {number} of {total}").format(
                    section=section, number=within, total=of
                )
                self._line(MARGIN, top - 7.5 * mm, label, SECTION_SIZE, bold=True)
                self._line(MARGIN, 8 * mm, label, 9, bold=True)
            self.restoreState()

        def _line(
            self,
            x: float,
            y: float,
            content: str,
            size: float,
            bold: bool = False,
            centred: bool = False,
        ) -> None:
            """One line of header text in any script (fallback fonts where needed)."""
            pieces = font_runs(content, bold, header.report)
            if centred:
                x -= sum(stringWidth(t, f, size) for f, t in pieces) / 2
            for font, piece in pieces:
                self.setFont(font, size)
                self.drawString(x, y, piece)
                x += stringWidth(piece, font, size)

    return NumberedCanvas


def build_pdf(header: SheetHeader, story: list[Any]) -> bytes:
    """Lay out `story` on pages with the shared header and footer; the PDF's bytes."""
    register_fonts()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=page_size(header.page_size),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + (10 * mm if header.sections else 4 * mm),
        bottomMargin=MARGIN,
        title=header.title,
        author=header.organization,
        invariant=1,
    )
    doc.build(story, canvasmaker=_numbered_canvas(header))
    return out.getvalue()


def table(
    headers: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    text: Text,
) -> Grid:
    """A table whose header repeats on every page and whose rows may split."""
    head = [text(h, "small", bold=True) if isinstance(h, str) else h for h in headers]
    return Grid(head, rows, widths)
