"""QR codes as light-weight flowables.

reportlab's QR widget takes some 70 ms a code, too slow for a day of route
sheets (two codes a stop, 200 stops). segno encodes in under a millisecond
with a fixed mask (every reader handles any of the eight masks), and the
modules are drawn as one small inline bitmap, a pixel a module.
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
        data = []
        for row in self.matrix:
            bits = "".join("0" if dark else "1" for dark in row)  # 0 is black in DeviceGray
            bits += "1" * (-len(bits) % 8)
            data.append(f"{int(bits, 2):0{len(bits) // 4}X}")
        canvas: Any = self.canv
        canvas.saveState()
        module = self.size / (rows + 2 * QUIET)
        canvas.transform(rows * module, 0, 0, rows * module, QUIET * module, QUIET * module)
        # One inline 1-bit image, a pixel a module, never smoothed: a code is a few
        # hundred bytes, draws as sharp squares at any printer resolution, and a PDF
        # reader handles one image where it would handle hundreds of rectangles.
        canvas._code.append(
            f"BI /W {rows} /H {rows} /BPC 1 /CS /G /F /AHx /I false ID\n{''.join(data)}>\nEI"
        )
        canvas.restoreState()
