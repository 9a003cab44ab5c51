"""The funder report as a PDF: the period's totals, a chart by week, tables by week and ZIP."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from mutualaid_desktop.domain.enums import PageSize
from mutualaid_desktop.exchange.report import Counts, FunderReport
from mutualaid_desktop.i18n import _, format_date
from mutualaid_desktop.sheets.grid import Grid
from mutualaid_desktop.sheets.page import MARGIN, SheetHeader, Text, build_pdf, page_size, table
from mutualaid_desktop.sheets.text import BOLD, REGULAR

NEW = colors.HexColor("#2f7d4f")
RETURNING = colors.HexColor("#9cc5a8")


def _period(report: FunderReport) -> str:
    return f"{format_date(report.start, 'date')} – {format_date(report.end, 'date')}"


def report_pdf(report: FunderReport, size: PageSize = PageSize.LETTER) -> bytes:
    """The report's pages (the same report gives the same bytes)."""
    text = Text()
    width = page_size(size)[0] - 2 * MARGIN
    story: list[object] = [
        text(_("Households served, {period}").format(period=_period(report)), "title"),
        text(
            _(
                "A household is served when a box is delivered to it, a need of its is met or it "
                "is given a ride. New households had never been served before; returning ones had. "
                "No names are in this report."
            ),
            "small",
        ),
        Spacer(1, 4 * mm),
        _totals(report.total, width, text),
        Spacer(1, 6 * mm),
        text(_("Households served each week"), "big", bold=True),
        _chart(report, width),
        Spacer(1, 4 * mm),
        text(_("By week"), "big", bold=True),
        Spacer(1, 1 * mm),
        _counts_table(
            _("Week of"), [(format_date(m, "date"), c) for m, c in report.weeks], width, text
        ),
        Spacer(1, 6 * mm),
        text(_("By ZIP code"), "big", bold=True),
        Spacer(1, 1 * mm),
        _counts_table(_("ZIP code"), report.zips, width, text),
    ]
    header = SheetHeader(report.organization, _("Funder report"), report.end, size)
    return build_pdf(header, story)


def _totals(total: Counts, width: float, text: Text) -> object:
    figures = [
        (total.households, _("households served")),
        (total.people, _("people in them")),
        (total.boxes, _("boxes delivered")),
        (total.rides, _("rides given")),
        (total.new, _("new households")),
        (total.returning, _("returning households")),
    ]
    cells = [[text(f"{n:,}", "title"), text(label, "small")] for n, label in figures]
    return Grid([], [cells], [width / len(cells)] * len(cells))


def _counts_table(first: str, rows: list[tuple[str, Counts]], width: float, text: Text) -> object:
    headers = [
        first,
        _("Households"),
        _("People"),
        _("Boxes"),
        _("Rides"),
        _("New"),
        _("Returning"),
    ]
    body: list[list[object]] = [
        [
            text(label),
            *(
                text(f"{n:,}")
                for n in (c.households, c.people, c.boxes, c.rides, c.new, c.returning)
            ),
        ]
        for label, c in rows
    ]
    if not body:
        body = [[text(_("Nobody was served in this period.")), "", "", "", "", "", ""]]
    first_width = width * 0.22
    rest = (width - first_width) / 6
    return table(headers, body, [first_width] + [rest] * 6, text)


def _chart(report: FunderReport, width: float) -> Drawing:
    height = 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 34
    chart.width, chart.height = width - 40, height - 48
    chart.data = [
        [c.new for _m, c in report.weeks] or [0],
        [c.returning for _m, c in report.weeks] or [0],
    ]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [format_date(m, "day_month") for m, _c in report.weeks] or [
        ""
    ]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    weeks = len(report.weeks)
    chart.categoryAxis.labels.angle = 45 if weeks > 10 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if weeks > 10 else "n"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((c.households for _m, c in report.weeks), default=0)
    chart.valueAxis.valueMax = max(top * 1.15, 5)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.bars[0].fillColor = NEW
    chart.bars[1].fillColor = RETURNING
    chart.bars.strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 170, height - 4
    legend.fontName = REGULAR
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(NEW, _("new")), (RETURNING, _("returning"))]
    drawing.add(legend)
    # The axis's name sits just right of its top, clear of the tick labels.
    drawing.add(String(chart.x + 4, height - 8, _("households"), fontName=BOLD, fontSize=7))
    return drawing
