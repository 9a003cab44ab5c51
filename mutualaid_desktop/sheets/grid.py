"""A plain table flowable: fixed columns, a header that repeats, rows that split.

reportlab's Table handles spans, styles per cell and much more, and spends most
of a sheet's time doing so. Sheets here need less: columns of fixed width, thin
grid lines, a shaded header row repeated on every page, top-aligned cells of
stacked flowables, and rows that may break across pages when a cell is long.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from mutualaid_desktop.sheets.pdftext import TextWriter
from mutualaid_desktop.sheets.runs import RunsText

MIN_SPLIT = 300.0  # points: break a row only with this much of a page to fill
PAD_X = 3.0
PAD_Y = 2.5
LINE = colors.HexColor("#888888")
HEAD = colors.HexColor("#e8e8e8")

Cell = Any  # a flowable, a list of flowables (stacked), or "" for empty


def draw_all(canvas: Any, placed: Sequence[tuple[Flowable, float, float]]) -> None:
    """Draw flowables with their bottom left corners at (x, y), as drawOn would.

    Text goes into as few text objects as the page's reading order allows (one
    for a table's run of text cells), without saving and moving the graphics
    state for each: a day's sheets draw thousands of cells.
    """
    writer = TextWriter(canvas)
    for part, x, y in placed:
        if isinstance(part, RunsText):
            part.write(writer, x, y)
        else:
            writer.close()  # the text so far first: the page reads in order
            part.drawOn(canvas, x, y)
    writer.close()


def _parts(cell: Cell) -> list[Flowable]:
    if cell == "" or cell is None:
        return []
    return list(cell) if isinstance(cell, (list, tuple)) else [cell]


class _Row:
    """One row's cells, laid out at the grid's column widths."""

    def __init__(self, cells: Sequence[Cell], widths: Sequence[float]) -> None:
        self.cells = [_parts(c) for c in cells]
        self.widths = widths
        self.sizes: list[list[float]] = []
        self.height = 0.0

    def layout(self) -> float:
        self.sizes = []
        tallest = 0.0
        for parts, width in zip(self.cells, self.widths, strict=True):
            heights = [p.wrap(width - 2 * PAD_X, 1e6)[1] for p in parts]
            self.sizes.append(heights)
            tallest = max(tallest, sum(heights))
        self.height = tallest + 2 * PAD_Y
        return self.height

    def split(self, room: float) -> tuple[_Row, _Row] | None:
        """The part of this row that fits in `room`, and the rest (None: nothing fits)."""
        first: list[list[Flowable]] = []
        rest: list[list[Flowable]] = []
        for parts, width in zip(self.cells, self.widths, strict=True):
            left = room - 2 * PAD_Y
            head: list[Flowable] = []
            tail: list[Flowable] = []
            for part in parts:
                if tail:
                    tail.append(part)
                    continue
                h = part.wrap(width - 2 * PAD_X, 1e6)[1]
                if h <= left:
                    head.append(part)
                    left -= h
                    continue
                pieces = part.split(width - 2 * PAD_X, left) if hasattr(part, "split") else []
                if pieces:
                    head.append(pieces[0])
                    tail.extend(pieces[1:])
                else:
                    tail.append(part)
            first.append(head)
            rest.append(tail)
        if not any(first):
            return None
        a, b = _Row([], self.widths), _Row([], self.widths)
        a.cells, b.cells = first, rest
        a.layout()
        b.layout()
        return a, b


class Grid(Flowable):  # type: ignore[misc]
    """A table whose header repeats on each page; rows split when they must."""

    def __init__(
        self,
        header: Sequence[Cell],
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        header_rows: int = 1,
    ) -> None:
        super().__init__()
        self.widths = list(widths)
        self.header = _Row(header, self.widths) if header else None
        self.rows = [_Row(r, self.widths) for r in rows]
        self._laid_out = False

    def _ensure_layout(self) -> None:
        if not self._laid_out:
            if self.header is not None:
                self.header.layout()
            for row in self.rows:
                row.layout()
            self._laid_out = True

    @property
    def head_height(self) -> float:
        return self.header.height if self.header is not None else 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._ensure_layout()
        self.width = sum(self.widths)
        self.height = self.head_height + sum(r.height for r in self.rows)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._ensure_layout()
        room = available_height - self.head_height
        used = 0.0
        for i, row in enumerate(self.rows):
            if used + row.height <= room:
                used += row.height
                continue
            if i == 0:
                # Not even the first row fits. Near the top of a page it never will:
                # break it there. Lower down, let it start on the next page instead.
                if available_height < MIN_SPLIT:
                    return []
                parts = row.split(room)
                if parts is None or not any(parts[1].cells):
                    return []
                return [self._copy([parts[0]]), self._copy([parts[1], *self.rows[1:]])]
            return [self._copy(self.rows[:i]), self._copy(self.rows[i:])]
        return []

    def _copy(self, rows: list[_Row]) -> Grid:
        grid = Grid([], [], self.widths)
        grid.header = self.header
        grid.rows = rows
        grid._laid_out = True
        return grid

    def draw(self) -> None:
        canvas = self.canv
        total = self.head_height + sum(r.height for r in self.rows)
        top = total
        rows = ([self.header] if self.header is not None else []) + self.rows
        canvas.saveState()
        if self.header is not None:
            canvas.setFillColor(HEAD)
            canvas.rect(0, total - self.head_height, self.width, self.head_height, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.4)
        placed: list[tuple[Flowable, float, float]] = []
        for row in rows:
            x = 0.0
            for parts, heights, width in zip(row.cells, row.sizes, self.widths, strict=True):
                y = top - PAD_Y
                for part, h in zip(parts, heights, strict=True):
                    y -= h
                    placed.append((part, x + PAD_X, y))
                x += width
            top -= row.height
        draw_all(canvas, placed)
        # Grid lines: a path of horizontal and vertical strokes, drawn once.
        path = canvas.beginPath()
        y = total
        for row in rows:
            path.moveTo(0, y)
            path.lineTo(self.width, y)
            y -= row.height
        path.moveTo(0, 0)
        path.lineTo(self.width, 0)
        x = 0.0
        for width in [0.0, *self.widths]:
            x += width
            path.moveTo(x, 0)
            path.lineTo(x, total)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()


class Boxed(Flowable):  # type: ignore[misc]
    """Flowables stacked top to bottom inside a framed box (a packing slip); never split.

    `below` is blank room kept under the box, on the same page: the box and its
    room move to the next page together.
    """

    def __init__(
        self,
        parts: Sequence[Flowable],
        width: float,
        pad: float = 6.0,
        gap: float = 2.0,
        below: float = 0.0,
    ) -> None:
        super().__init__()
        self.parts = list(parts)
        self.box_width = width
        self.pad = pad
        self.gap = gap
        self.below = below
        self.heights: list[float] = []
        self.box_height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self.heights:  # the parts' sizes do not change from one ask to the next
            inner = self.box_width - 2 * self.pad
            self.heights = [p.wrap(inner, 1e6)[1] for p in self.parts]
        self.width = self.box_width
        self.box_height = sum(self.heights) + self.gap * (len(self.parts) - 1) + 2 * self.pad
        self.height = self.box_height + self.below
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = self.height - self.pad
        placed: list[tuple[Flowable, float, float]] = []
        for part, h in zip(self.parts, self.heights, strict=True):
            y -= h
            placed.append((part, self.pad, y))
            y -= self.gap
        draw_all(canvas, placed)
        canvas.saveState()
        canvas.setLineWidth(0.8)
        canvas.rect(0, self.below, self.width, self.box_height, stroke=1, fill=0)
        canvas.restoreState()


class Side(Flowable):  # type: ignore[misc]
    """Flowables side by side, each in a column of `width` (two QR codes, say)."""

    def __init__(self, parts: Sequence[Sequence[Flowable]], width: float) -> None:
        super().__init__()
        self.columns = [list(p) for p in parts]
        self.column_width = width
        self.sizes: list[list[float]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.sizes = [[p.wrap(self.column_width, 1e6)[1] for p in col] for col in self.columns]
        self.width = self.column_width * len(self.columns)
        self.height = max((sum(s) for s in self.sizes), default=0.0)
        return self.width, self.height

    def draw(self) -> None:
        placed: list[tuple[Flowable, float, float]] = []
        for i, (col, sizes) in enumerate(zip(self.columns, self.sizes, strict=True)):
            y = self.height
            for part, h in zip(col, sizes, strict=True):
                y -= h
                placed.append((part, i * self.column_width, y))
        draw_all(self.canv, placed)
