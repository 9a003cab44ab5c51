"""Printing a PDF from the window where the system cannot take the PDF as it is.

Pages are rendered at the printer's resolution in a background thread, a band
at a time (a whole Letter page at 1200 dpi is half a gigabyte of pixels), with
progress and cancel. Where CUPS can print the PDF itself (sheets/send.py), the
window uses that instead: no rendering at all.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.ui.ops import Progress

BAND_BYTES = 4 * 1024 * 1024  # pixels rendered at a go: small, so the window stays live


def render_to_printer(pdf: bytes, printer: QPrinter, progress: Progress) -> int:
    """Draw every page of `pdf` on `printer` (in the calling thread); pages sent.

    Runs in a worker thread: it makes its own QPdfDocument there, and the
    window leaves `printer` alone until the job ends.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    count = document.pageCount()
    if count == 0:
        raise UserError("The sheet has no pages to print.")
    printer.setFullPage(True)  # the PDF carries its own margins: paper corner = page corner
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("The printer could not be started; check that it is on and try again.")
    dpi = printer.resolution()
    try:
        for index in range(count):
            if not progress(f"Printing page {index + 1} of {count}", index / count):
                printer.abort()
                raise Cancelled()
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            full = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            scale = min(paper.width() / full.width(), paper.height() / full.height())
            band = max(64, BAND_BYTES // (4 * full.width()))
            for top in range(0, full.height(), band):
                height = min(band, full.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(full)
                options.setScaledClipRect(QRect(0, top, full.width(), height))
                image = document.render(index, QSize(full.width(), height), options)
                target = QRectF(0, top * scale, full.width() * scale, height * scale)
                painter.drawImage(target, image)
    finally:
        painter.end()
        document.close()
    progress(f"Sent {count} pages", 1.0)
    return count
