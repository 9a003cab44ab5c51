"""Lines of text written straight into a page as PDF operators, many in one text object.

reportlab's text objects re-encode every string for its font subset, format
every number and font change through general code, and a sheet wrapped in
them costs several times what the same text drawn by a bare canvas does (a
day's sheets draw some 15,000 cells, most of them a word or two, the same
words again and again). Here a string is encoded once per document (the
font's own splitString, so the subsets and the embedded glyphs stay the
font's business), and a whole table's cells go out as one text object:
a text matrix per line, a font change only where the font changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont

from mutualaid_desktop.sheets.text import EMBOLDEN

Run = tuple[str, str]  # (font name, text)
Encoded = tuple[tuple[str, str], ...]  # (PDF subset font name, "(bytes) Tj") pieces

# Per PDF document (the subsets a font's letters were given are that document's): runs
# encoded, and numbers as written (columns, sizes and line positions repeat all day).
_CACHES: WeakKeyDictionary[Any, tuple[dict[Run, Encoded], dict[float, str]]] = WeakKeyDictionary()


def _caches(doc: Any) -> tuple[dict[Run, Encoded], dict[float, str]]:
    caches = _CACHES.get(doc)
    if caches is None:
        caches = _CACHES[doc] = ({}, {})
    return caches


def _encode(doc: Any, font: str, text: str) -> Encoded:
    face = getFont(font)
    return tuple(
        (face.getSubsetInternalName(subset, doc), f"({escapePDF(piece)}) Tj")
        for subset, piece in face.splitString(text, doc)
    )


class TextWriter:
    """Collects lines for one PDF text object on `canvas`; `close()` writes it.

    Nothing else may be drawn on the canvas between a line and `close()`
    that should appear above the text: the text goes in at `close()`.
    """

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.doc = canvas._doc
        self.cache, self.numbers = _caches(self.doc)
        self.code: list[str] = []
        self.font = ""  # the subset font and size last set, as written
        self.mode = 0  # text render mode: 2 draws emboldened letters filled and outlined
        self.heavy = 0.0  # the widest outline any emboldened letter needs, in points

    def line(self, x: float, y: float, runs: Iterable[Run], size: float) -> None:
        """One line of runs with its baseline starting at (x, y)."""
        code = self.code
        numbers = self.numbers
        xs = numbers.get(x) or numbers.setdefault(x, fp_str(x))
        ys = numbers.get(y) or numbers.setdefault(y, fp_str(y))
        code.append(f"1 0 0 1 {xs} {ys} Tm")
        points = numbers.get(size) or numbers.setdefault(size, fp_str(size))
        cache = self.cache
        for run in runs:
            pieces = cache.get(run)
            if pieces is None:
                if not run[1]:
                    continue
                pieces = cache[run] = _encode(self.doc, *run)
            font = run[0]
            if font in EMBOLDEN:
                if self.mode != 2:
                    code.append("2 Tr")
                    self.mode = 2
                self.heavy = max(self.heavy, size * EMBOLDEN[font])
            elif self.mode:
                code.append("0 Tr")
                self.mode = 0
            for subset, shown in pieces:
                selected = f"{subset} {points} Tf"
                if selected != self.font:
                    code.append(selected)
                    self.font = selected
                code.append(shown)

    def lines(
        self,
        lines: Sequence[Sequence[Run]],
        size: float,
        leading: float,
        x: float,
        y: float,
    ) -> None:
        """Lines a `leading` apart, the block's bottom left corner at (x, y)."""
        baseline = y + len(lines) * leading - size  # the first line a font size below the top
        for runs in lines:
            self.line(x, baseline, runs, size)
            baseline -= leading

    def close(self) -> None:
        """Write the text object onto the canvas (nothing, if no line was given)."""
        if not self.code:
            return
        if self.mode:
            self.code.append("0 Tr")
        body = " ".join(self.code)
        if self.heavy:  # the outline's width, for this text only
            self.canvas._code.append(f"q {fp_str(self.heavy)} w BT {body} ET Q")
        else:
            self.canvas._code.append(f"BT {body} ET")
        self.code = []
        self.font = ""
        self.mode = 0
        self.heavy = 0.0
