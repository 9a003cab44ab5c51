"""Box labels on Avery 5160 (Letter, 3 x 10) and L7160 (A4, 3 x 7) sheets.

Real sheets sit a few millimetres off in real printers, so a printer offset
(in mm, right and down) moves every label. Each label: route and stop, the
household code or name, box n of N, allergies and dietary flags in bold (so a
box can be checked at the door), and an optional blank
"SPECIAL ____" line. Labels come in route, then stop, order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm
from reportlab.pdfgen import canvas as rl_canvas

from mutualaid_desktop.domain.enums import PrivacyLevel
from mutualaid_desktop.i18n import _
from mutualaid_desktop.sheets.data import RunSheet
from mutualaid_desktop.sheets.pdftext import TextWriter
from mutualaid_desktop.sheets.privacy import shown_name
from mutualaid_desktop.sheets.text import GlyphReport, font_runs, register_fonts


@dataclass(frozen=True)
class LabelSheet:
    name: str
    page: tuple[float, float]
    columns: int
    rows: int
    width: float
    height: float
    left: float  # page edge to the first label's left edge
    top: float  # page edge to the first label's top edge
    pitch_x: float  # left edge to the next label's left edge
    pitch_y: float

    def cell(self, index: int, offset_x: float = 0, offset_y: float = 0) -> tuple[float, float]:
        """Bottom-left corner of label `index` on its page (points, reportlab's y-up)."""
        col = index % self.columns
        row = (index // self.columns) % self.rows
        x = self.left + col * self.pitch_x + offset_x
        y = self.page[1] - (self.top + row * self.pitch_y + self.height) - offset_y
        return x, y

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


SHEETS = {
    "avery5160": LabelSheet(
        "Avery 5160",
        LETTER,
        3,
        10,
        2.625 * inch,
        1.0 * inch,
        0.1875 * inch,
        0.5 * inch,
        2.75 * inch,
        1.0 * inch,
    ),
    "l7160": LabelSheet(
        "Avery L7160", A4, 3, 7, 63.5 * mm, 38.1 * mm, 7.21 * mm, 15.15 * mm, 66.04 * mm, 38.1 * mm
    ),
}


@dataclass(frozen=True)
class Label:
    lines: list[tuple[str, bool, float]]  # text, bold, size


def labels_for(runs: list[RunSheet], privacy: PrivacyLevel, special_line: bool) -> list[Label]:
    out = []
    for run in runs:
        for stop in sorted(run.stops, key=lambda s: s.seq):
            who = (
                stop.code
                if privacy is PrivacyLevel.CODE
                else (f"{shown_name(stop.name, stop.code, privacy)}  {stop.code}")
            )
            for n in range(1, max(stop.boxes, 1) + 1):
                lines = [
                    (f"{run.name} · stop {stop.seq}", True, 9.0),
                    (who, False, 9.0),
                    (f"Box {n} of {max(stop.boxes, 1)} · {stop.box_type or 'box'}", False, 8.0),
                ]
                allergies = [
                    *stop.allergy_labels,
                    *(f"“{t}”" for t in stop.restrictions.unrecognised),
                ]
                if allergies:
                    lines.append((_("ALLERGY: ") + ", ".join(allergies), True, 8.0))
                if stop.diet_labels:
                    lines.append((", ".join(stop.diet_labels), True, 7.5))
                if special_line:
                    lines.append(("SPECIAL ______________", False, 7.5))
                out.append(Label(lines))
    return out


def box_labels(
    runs: list[RunSheet],
    organization: str,
    day: date,
    privacy: PrivacyLevel,
    sheet: str = "avery5160",
    offset_mm: tuple[float, float] = (0.0, 0.0),
    special_line: bool = True,
) -> tuple[bytes, list[str]]:
    """Labels, every line kept inside its label (shrunk or cut to fit)."""
    register_fonts()
    spec = SHEETS[sheet]
    report = GlyphReport()
    out = BytesIO()
    c = rl_canvas.Canvas(out, pagesize=spec.page, invariant=1)
    c.setTitle(
        _("Box labels · {organization} · {day}").format(
            organization=organization, day=day.isoformat()
        )
    )
    pad = 2.2 * mm
    labels = labels_for(runs, privacy, special_line)
    for i, label in enumerate(labels):
        if i and i % spec.per_page == 0:
            c.showPage()
        x, y = spec.cell(i, offset_mm[0] * mm, offset_mm[1] * mm)
        c.saveState()
        clip = c.beginPath()
        clip.rect(x, y, spec.width, spec.height)
        c.clipPath(clip, stroke=0, fill=0)  # whatever happens, nothing prints outside the label
        line_y = y + spec.height - pad
        writer = TextWriter(c)  # the label's lines as one text object
        for content, bold, size in label.lines:
            runs_ = font_runs(content, bold, report)
            size = _fit(runs_, size, spec.width - 2 * pad)
            line_y -= size * 1.15
            if line_y < y + pad * 0.5:
                break  # no room left in this label: never print outside it
            writer.line(x + pad, line_y, runs_, size)
        writer.close()
        c.restoreState()
    c.save()
    return out.getvalue(), report.sentences()


def _fit(runs: list[tuple[str, str]], size: float, width: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 5:
        if sum(stringWidth(piece, font, size) for font, piece in runs) <= width:
            return size
        size -= 0.25
    return size
