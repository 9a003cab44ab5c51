"""QR codes as light-weight flowables.

A day of route sheets carries two codes a stop (map and phone), some 400
codes. zxing-cpp encodes one in C++ in well under a millisecond (segno, in
pure Python, took 2-3 ms, the largest cost of the day's sheets), at error
correction level M: a crumpled sheet in a car still scans. The same link is
encoded once however often it is printed (Preview, then Print, then Save).
The modules are drawn as one small inline bitmap, a pixel a module.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import zxingcpp
from reportlab.platypus import Flowable

QUIET = 3  # modules of white border
# zxing-cpp's image holds 0 for a dark module, 255 for a light one; in a 1-bit
# DeviceGray image 0 is black too.
_BITS = bytes.maketrans(b"\x00\xff", b"01")


@lru_cache(maxsize=4096)
def encoded(data: str) -> tuple[int, str]:
    """(modules a side, the rows as hexadecimal 1-bit pixels) of `data`'s QR code."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image: Any = code.to_image(scale=1, add_quiet_zones=False)  # a buffer, side x side
    side = int(image.shape[0])
    raw = memoryview(image).tobytes().translate(_BITS).decode("ascii")
    rows = []
    pad = "1" * (-side % 8)
    for top in range(0, side * side, side):
        bits = raw[top : top + side] + pad
        rows.append(f"{int(bits, 2):0{len(bits) // 4}X}")
    return side, "".join(rows)


class QrCode(Flowable):  # type: ignore[misc]
    """A square QR code of `size` points encoding `data`."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.side, self.hex = encoded(data)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        rows = self.side
        canvas: Any = self.canv
        canvas.saveState()
        module = self.size / (rows + 2 * QUIET)
        canvas.transform(rows * module, 0, 0, rows * module, QUIET * module, QUIET * module)
        # One inline 1-bit image, a pixel a module, never smoothed: a code is a few
        # hundred bytes, draws as sharp squares at any printer resolution, and a PDF
        # reader handles one image where it would handle hundreds of rectangles.
        canvas._code.append(
            f"BI /W {rows} /H {rows} /BPC 1 /CS /G /F /AHx /I false ID\n{self.hex}>\nEI"
        )
        canvas.restoreState()
