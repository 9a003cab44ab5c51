"""QR codes as light-weight flowables.

reportlab's QR widget takes some 70 ms a code, too slow for a day of route
sheets (two codes a stop, 200 stops). segno encodes in under a millisecond
with a fixed mask (every reader handles any of the eight masks), and the
dark modules are drawn as one filled path, a rectangle per horizontal run.
"""

from __future__ import annotations

from typing import Any

import segno
from reportlab.platypus import Flowable

QUIET = 3  # modules of white border


class QrCode(Flowable):  # type: ignore[misc]
    """A square QR code of `size` points encoding `data`."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.matrix = segno.make(data, error="m", micro=False, mask=0).matrix

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        rows = len(self.matrix)
        modules = rows + 2 * QUIET
        ops = []
        for y, row in enumerate(self.matrix):
            top = modules - QUIET - y - 1  # in modules, from the bottom
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    ops.append(f"{QUIET + start} {top} {x - start} 1 re")
                else:
                    x += 1
        canvas: Any = self.canv
        canvas.saveState()
        scale = self.size / modules
        canvas.transform(scale, 0, 0, scale, 0, 0)  # one unit = one module
        canvas.setFillColorRGB(0, 0, 0)
        # Raw PDF rectangle operators in whole modules, filled once: reportlab's path
        # API costs more per rectangle than the rest of the sheet together.
        canvas._code.append("\n".join(ops) + "\nf")
        canvas.restoreState()
