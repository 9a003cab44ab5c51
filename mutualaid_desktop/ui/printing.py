"""Printing a PDF from the window where the system cannot take the PDF as it is.

Where CUPS can print the PDF itself (sheets/send.py), the window uses that: no
rendering at all. Elsewhere (Windows, or no `lp`) the pages are rendered at the
printer's resolution and drawn on the printer, page by page, in a child process
of their own: rendering and drawing a page hold Python's lock for a long time,
and in a thread of the window's process they froze it. The child is started
(spawn) as soon as Print… is chosen, so its imports overlap the making of the
sheet; the window's job only waits on its messages, with progress and Cancel.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.ui.ops import Progress

BAND_BYTES = 16 * 1024 * 1024  # pixels rendered at a go: a 600 dpi page is 135 MB whole
# Pages are rendered at the printer's resolution up to this: 7 pt letters and QR
# modules are sharp at 600 dpi, and in its high-resolution mode Qt says 1200 for
# PDF and CUPS printers alike (four times the pixels, the time and the spooled
# bytes, for nothing more on paper).
MAX_RENDER_DPI = 600
STOP_WAIT_S = 10  # how long a cancelled child may take to abort its print job


@dataclass(frozen=True)
class PrinterSettings:
    """What the print dialog chose, in plain values a child process can receive."""

    name: str
    to_file: str  # a PDF file the printer writes instead, or ""
    resolution: int
    page_size: int  # QPageSize.PageSizeId value
    landscape: bool
    copies: int
    collate: bool
    duplex: int  # QPrinter.DuplexMode value
    color: bool

    @classmethod
    def of(cls, printer: QPrinter) -> PrinterSettings:
        pdf = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
        return cls(
            name=printer.printerName(),
            to_file=printer.outputFileName() if pdf else "",
            resolution=printer.resolution(),
            page_size=printer.pageLayout().pageSize().id().value,
            landscape=printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape,
            copies=printer.copyCount(),
            collate=printer.collateCopies(),
            duplex=printer.duplex().value,
            color=printer.colorMode() == QPrinter.ColorMode.Color,
        )

    def printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.to_file:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.to_file)
        else:
            printer.setPrinterName(self.name)
        printer.setResolution(self.resolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId(self.page_size)))
        if self.landscape:
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setCopyCount(self.copies)
        printer.setCollateCopies(self.collate)
        printer.setDuplex(QPrinter.DuplexMode(self.duplex))
        printer.setColorMode(
            QPrinter.ColorMode.Color if self.color else QPrinter.ColorMode.GrayScale
        )
        printer.setFullPage(True)  # the PDF carries its own margins: paper corner = page corner
        return printer


class ChildPrinter:
    """A child process that prints one PDF: started early, then handed the PDF."""

    def __init__(self, settings: PrinterSettings) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe()
        self._cancel = context.Event()
        self.process = context.Process(
            target=_child_main,
            args=(settings, child_end, self._cancel),
            name="mutualaid-print",
            daemon=True,
        )
        self.process.start()
        child_end.close()

    def print(self, pdf: bytes, progress: Progress) -> int:
        """Hand over `pdf` and wait for the pages to go (in a worker thread); pages sent.

        Cancel (progress answers False) aborts the print job in the child; a child
        that does not stop in time is ended.
        """
        try:
            self._conn.send_bytes(pdf)
            said = (_("Preparing the pages"), 0.0)
            while True:
                if not self._conn.poll(0.1):
                    if not self.process.is_alive():
                        raise UserError(
                            _("Printing stopped unexpectedly; nothing more was sent. Try again.")
                        )
                    if not progress(*said):
                        self._stop()
                    continue
                message = self._conn.recv()
                kind = message[0]
                if kind == "page":
                    done, count = message[1], message[2]
                    said = (
                        _("Printing page {n} of {count}").format(n=done + 1, count=count),
                        done / count,
                    )
                    if not progress(*said):
                        self._stop()
                elif kind == "done":
                    sent = int(message[1])
                    progress(ngettext("Sent {n} page", "Sent {n} pages", sent).format(n=sent), 1.0)
                    return int(message[1])
                elif kind == "cancelled":
                    raise Cancelled()
                else:
                    raise UserError(str(message[1]))
        finally:
            self.close()

    def _stop(self) -> None:
        if not self._cancel.is_set():
            self._cancel.set()
            self.process.join(STOP_WAIT_S)
            if self.process.is_alive():
                self.process.terminate()
            raise Cancelled()

    def close(self) -> None:
        """End the child (the PDF never came: the sheet could not be made)."""
        if self.process.is_alive():
            self._cancel.set()
            self._conn.close()
            self.process.join(STOP_WAIT_S)
            if self.process.is_alive():
                self.process.terminate()
        else:
            self._conn.close()


def _child_main(settings: PrinterSettings, conn: Connection, cancel: Any) -> None:
    """The child: load Qt once, wait for the PDF, render and draw it page by page."""
    try:
        if hasattr(os, "nice"):  # background work: on a busy laptop the window comes first
            os.nice(5)
        from PySide6.QtGui import QGuiApplication

        app = QGuiApplication.instance() or QGuiApplication(["mutualaid-print"])
        printer = settings.printer()
        try:
            pdf = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the window gave up (the sheet could not be made)
        count = render_pages(pdf, printer, cancel, lambda done, n: conn.send(("page", done, n)))
        conn.send(("done", count))
        del app
    except Cancelled:
        conn.send(("cancelled",))
    except UserError as error:
        conn.send(("error", str(error)))
    except Exception as error:  # said in the window, as one sentence
        conn.send(
            ("error", _("The sheet could not be printed ({error}); try again.").format(error=error))
        )


def render_pages(pdf: bytes, printer: QPrinter, cancel: Any, report: Any) -> int:
    """Draw every page of `pdf` on `printer`, rendered at its resolution; pages sent."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    count = document.pageCount()
    if count == 0:
        raise UserError(_("The sheet has no pages to print."))
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(_("The printer could not be started; check that it is on and try again."))
    dpi = render_dpi(printer)
    try:
        for index in range(count):
            if cancel.is_set():
                printer.abort()
                raise Cancelled()
            report(index, count)
            if index:
                printer.newPage()
            full = page_pixels(document, index, dpi)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            scale = min(paper.width() / full.width(), paper.height() / full.height())
            band = max(64, BAND_BYTES // (4 * full.width()))
            for top in range(0, full.height(), band):
                height = min(band, full.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(full)
                options.setScaledClipRect(QRect(0, top, full.width(), height))
                image = document.render(index, QSize(full.width(), height), options)
                # Pages render on a transparent ground; on white and opaque, a printer
                # (or its driver) gets plain pixels without an alpha mask to blend.
                opaque = QImage(image.size(), QImage.Format.Format_RGB32)
                opaque.fill(Qt.GlobalColor.white)
                ground = QPainter(opaque)
                ground.drawImage(0, 0, image)
                ground.end()
                target = QRectF(0, top * scale, full.width() * scale, height * scale)
                painter.drawImage(target, opaque)
    finally:
        painter.end()
        document.close()
    return count


def render_dpi(printer: QPrinter) -> int:
    """The resolution pages are rendered at for `printer`: its own, up to MAX_RENDER_DPI."""
    return min(printer.resolution(), MAX_RENDER_DPI)


def page_pixels(document: Any, index: int, dpi: int) -> Any:
    """The size in pixels (a QSize) of page `index` of a QPdfDocument rendered at `dpi`."""
    from PySide6.QtCore import QSize

    points = document.pagePointSize(index)
    return QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
