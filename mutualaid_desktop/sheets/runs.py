"""A light paragraph: text in font runs, wrapped at spaces, drawn line by line.

reportlab's Paragraph parses markup and builds fragment objects for every
cell; a day of route sheets and packing slips has thousands of small cells.
This draws the same text (already split into font runs by sheets.text) with
plain canvas calls, wraps it at spaces, and splits between lines when a
table row breaks across pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth as _string_width
from reportlab.platypus import Flowable

from mutualaid_desktop.sheets.pdftext import Run, TextWriter


@lru_cache(maxsize=65536)
def stringWidth(text: str, font: str, size: float) -> float:
    """Width of `text`; sheets repeat the same words thousands of times."""
    return float(_string_width(text, font, size))


def _merged(line: list[Run]) -> list[Run]:
    """Neighbouring runs in the same font as one: one string shown each, not one a word."""
    out: list[Run] = []
    for font, text in line:
        if not text:
            continue
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + text)
        else:
            out.append((font, text))
    return out


def _words(runs: list[Run]) -> list[list[Run]]:
    """Split runs into words (lists of runs), keeping the spaces at word ends."""
    words: list[list[Run]] = [[]]
    for font, text in runs:
        for i, part in enumerate(text.split("\n")):
            if i:
                words.append([("\n", "")])
                words.append([])
            pieces = part.split(" ")
            for j, piece in enumerate(pieces):
                if j:
                    words[-1].append((font, " "))
                    words.append([])
                if piece:
                    words[-1].append((font, piece))
    return [w for w in words if w]


class RunsText(Flowable):  # type: ignore[misc]
    """Wrapped multi-font text; `size` and `leading` in points."""

    def __init__(self, runs: list[Run], size: float, leading: float) -> None:
        super().__init__()
        self.runs = runs
        self.size = size
        self.leading = leading
        self.lines: list[list[Run]] = []
        self._laid_out: tuple[float, list[list[Run]]] | None = None

    def _layout(self, width: float) -> list[list[Run]]:
        # Tables ask a cell's size several times at the same width.
        if self._laid_out is not None and self._laid_out[0] == width:
            return self._laid_out[1]
        lines = self._break(width)
        self._laid_out = (width, lines)
        return lines

    def _break(self, width: float) -> list[list[Run]]:
        # Most cells (an item, a quantity, a phone) are one run that fits on one line.
        runs = self.runs
        if len(runs) == 1:
            font, text = runs[0]
            if "\n" not in text and stringWidth(text, font, self.size) <= width:
                return [list(runs)]
        elif (
            all("\n" not in t for _f, t in runs)
            and sum(stringWidth(t, f, self.size) for f, t in runs) <= width
        ):
            return [list(runs)]
        lines: list[list[Run]] = [[]]
        used = 0.0
        for word in _words(self.runs):
            if word[0][0] == "\n":
                lines.append([])
                used = 0.0
                continue
            trimmed = [(f, t) for f, t in word if t.strip()]
            w = sum(stringWidth(t, f, self.size) for f, t in word)
            w_trim = sum(stringWidth(t, f, self.size) for f, t in trimmed)
            if lines[-1] and used + w_trim > width:
                lines.append([])
                used = 0.0
            if w_trim > width:
                # A word wider than the column: break it between letters rather than
                # let it run into the next cell.
                for font, text in word:
                    for ch in text:
                        cw = stringWidth(ch, font, self.size)
                        if lines[-1] and used + cw > width:
                            lines.append([])
                            used = 0.0
                        lines[-1].append((font, ch))
                        used += cw
                continue
            lines[-1].extend(word)
            used += w
        return [_merged(line) for line in lines]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = self._layout(max(available_width, 1.0))
        self.width = available_width
        return available_width, len(self.lines) * self.leading

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self._layout(max(available_width, 1.0))
        fit = int(available_height // self.leading)
        if fit <= 0 or fit >= len(lines):
            return []
        return [
            _Lines(lines[:fit], self.size, self.leading),
            _Lines(lines[fit:], self.size, self.leading),
        ]

    def draw(self) -> None:
        _draw(self.canv, self.lines, self.size, self.leading)

    def write(self, writer: TextWriter, x: float, y: float) -> None:
        """Add to `writer`'s text object, the bottom left corner at (x, y), as drawOn
        would place it, without saving and moving the graphics state or starting a
        text object of its own (a grid draws thousands of cells)."""
        writer.lines(self.lines, self.size, self.leading, x, y)


class _Lines(RunsText):
    """A piece of a split RunsText: its lines are already decided."""

    def __init__(self, lines: list[list[Run]], size: float, leading: float) -> None:
        super().__init__([], size, leading)
        self.lines = lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, len(self.lines) * self.leading

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fit = int(available_height // self.leading)
        if fit <= 0 or fit >= len(self.lines):
            return []
        return [
            _Lines(self.lines[:fit], self.size, self.leading),
            _Lines(self.lines[fit:], self.size, self.leading),
        ]


class LogicalText(RunsText):
    """Right-to-left text wrapped in reading order, then each line laid out to draw.

    Reordering a whole name for display before wrapping would put its last
    words on the first line; here the words are wrapped as they are read,
    and each line is reordered on its own.
    """

    def __init__(
        self, text: str, shape: Callable[[str], list[Run]], size: float, leading: float
    ) -> None:
        super().__init__(shape(text), size, leading)
        self.text = text
        self.shape = shape

    def _width(self, runs: list[Run]) -> float:
        return sum(stringWidth(t, f, self.size) for f, t in runs)

    def _break(self, width: float) -> list[list[Run]]:
        lines: list[list[Run]] = []
        for paragraph in self.text.split("\n"):
            words: list[str] = []
            for word in paragraph.split(" "):
                if words and self._width(self.shape(" ".join([*words, word]))) > width:
                    lines.append(self.shape(" ".join(words)))
                    words = []
                words.append(word)
            lines.append(self.shape(" ".join(words)))
        out: list[list[Run]] = []
        for line in lines:
            if self._width(line) > width:  # one word wider than the column: break its letters
                out.extend(RunsText(line, self.size, self.leading)._break(width))
            else:
                out.append(line)
        return out


def _draw(
    canvas: Any, lines: list[list[Run]], size: float, leading: float, x: float = 0, y: float = 0
) -> None:
    """The lines as one PDF text object."""
    writer = TextWriter(canvas)
    writer.lines(lines, size, leading, x, y)
    writer.close()
