"""The Print view: choose a day (or a run) and a sheet, preview it, print or save it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QPointF, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop import files
from mutualaid_desktop.domain.enums import PrivacyLevel
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.ops import Job, Progress, run_job
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.optional_date import date_edit

SHEETS = [
    ("routes", "Driver route sheets"),
    ("packing", "Packing slips"),
    ("picklist", "Pick list"),
    ("labels", "Box labels"),
    ("roster", "Ride-share roster"),
    ("signin", "Sign-in sheet"),
]


class PrintView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pdf: bytes = b""
        self.job: Job | None = None
        self._buffer: QBuffer | None = None

        controls = QWidget()
        form = QFormLayout(controls)
        self.sheet = QComboBox()
        for key, label in SHEETS:
            self.sheet.addItem(label, key)
        self.sheet.setAccessibleName("Sheet")
        self.day = date_edit("Date")
        self.run = QComboBox()
        self.run.setAccessibleName("Delivery run")
        self.driver = QComboBox()
        self.driver.setAccessibleName("Driver")
        self.privacy = QComboBox()
        self.privacy.setAccessibleName("Names on the sheet")
        for level in PrivacyLevel:
            self.privacy.addItem(level.label, level)
        self.labels = QComboBox()
        self.labels.setAccessibleName("Label sheet")
        self.labels.addItem("Avery 5160 (Letter, 30 a sheet)", "avery5160")
        self.labels.addItem("Avery L7160 (A4, 21 a sheet)", "l7160")
        offset = QWidget()
        row = QHBoxLayout(offset)
        row.setContentsMargins(0, 0, 0, 0)
        self.offset_x, self.offset_y = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, name in ((self.offset_x, "right"), (self.offset_y, "down")):
            spin.setRange(-10, 10)
            spin.setSingleStep(0.5)
            spin.setSuffix(" mm")
            spin.setAccessibleName(f"Printer offset {name}")
            row.addWidget(QLabel(name.capitalize()))
            row.addWidget(spin)
        form.addRow("&Sheet:", self.sheet)
        form.addRow("&Date:", self.day)
        form.addRow("&Run:", self.run)
        form.addRow("Dri&ver:", self.driver)
        form.addRow("&Names:", self.privacy)
        form.addRow("&Labels:", self.labels)
        form.addRow("Printer offset:", offset)
        self._label_rows = (self.labels, offset)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("&Preview")
        self.print_button = QPushButton("P&rint…")
        self.save_button = QPushButton("Sa&ve PDF…")
        self.open_button = QPushButton("&Open in viewer")
        for b in (self.preview_button, self.print_button, self.save_button, self.open_button):
            buttons.addWidget(b)
        self.status = QLabel("Choose a sheet and a day, then Preview.")
        self.status.setWordWrap(True)
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(controls)
        column.addLayout(buttons)
        column.addWidget(self.status)
        column.addStretch(1)

        self.document = QPdfDocument(self)
        self.viewer = QPdfView()
        self.viewer.setDocument(self.document)
        self.viewer.setPageMode(QPdfView.PageMode.MultiPage)
        self.viewer.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.viewer.setAccessibleName("Preview")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.sheet.currentIndexChanged.connect(self._sheet_changed)
        self.day.dateChanged.connect(self._day_changed)
        self.preview_button.clicked.connect(self.generate)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        self.open_button.clicked.connect(self.open_pdf)
        self._set_ready(False)
        self._loaded = False

    # -- choices --------------------------------------------------------------------

    def reload(self) -> None:
        store = self.session.store
        org = store.organization()
        self.privacy.setCurrentIndex(self.privacy.findData(org.privacy_default))
        self.labels.setCurrentIndex(1 if org.page_size.value == "a4" else 0)
        if not self._loaded:
            tomorrow = date.today() + timedelta(days=1)
            day = listing.next_distribution_day(store, date.today()) or tomorrow
            self.day.setDate(QDate(day.year, day.month, day.day))
            self._loaded = True
        self._day_changed()
        self._sheet_changed()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _day_changed(self) -> None:
        store = self.session.store
        day = self.chosen_day()
        self.run.clear()
        self.run.addItem("All runs of the day", None)
        for rid, name, driver in listing.runs_on(store, day):
            self.run.addItem(f"{name} · {driver}" if driver else name, rid)
        self.driver.clear()
        self.driver.addItem("All drivers", None)
        for did, name in listing.ride_drivers_on(store, day):
            self.driver.addItem(name, did)

    def _sheet_changed(self) -> None:
        kind = self.sheet.currentData()
        for w in self._label_rows:
            w.setEnabled(kind == "labels")
        self.run.setEnabled(kind != "roster")
        self.driver.setEnabled(kind == "roster")

    def _set_ready(self, ready: bool) -> None:
        for b in (self.print_button, self.save_button, self.open_button):
            b.setEnabled(ready)

    # -- making -----------------------------------------------------------------------

    def generate(self) -> Job | None:
        """Make the chosen sheet in the background, then show it."""
        from mutualaid_desktop.sheets.make import make_sheet

        kind = self.sheet.currentData()
        args: dict[str, Any] = dict(
            kind=kind,
            day=self.chosen_day(),
            run_id=self.run.currentData(),
            privacy=self.privacy.currentData(),
            labels=self.labels.currentData(),
            offset_mm=(self.offset_x.value(), self.offset_y.value()),
            driver_id=self.driver.currentData(),
        )
        path = self.session.path
        main = self.session.store

        def job(progress: Progress) -> Any:
            progress("Making the sheet", 0.1)
            if path is None:
                return make_sheet(self.session.store, **args)
            with main.reopen() as store:  # this thread's own connection, the same key
                return make_sheet(store, **args)

        self.status.setText("Making the sheet…")
        self.job = run_job(self, "Making the sheet", job, self._show)
        self.job.error.connect(lambda _e: self.status.setText("Nothing was made."))
        return self.job

    def _show(self, made: Any) -> None:
        self.pdf = made.pdf
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        pages = self.document.pageCount()
        note = f"{pages} page{'s' * (pages != 1)} ready."
        if made.warnings:
            note += " " + " ".join(made.warnings)
        self.status.setText(note)
        self._set_ready(pages > 0)

    def _default_name(self) -> str:
        return f"{self.sheet.currentData()}-{self.chosen_day().isoformat()}.pdf"

    def save_pdf(self) -> Path | None:
        from mutualaid_desktop.sheets.make import write_pdf

        name, _ = QFileDialog.getSaveFileName(
            self, "Save the PDF", str(Path.home() / self._default_name()), "PDF files (*.pdf)"
        )
        if not name:
            return None
        try:
            write_pdf(self.pdf, Path(name))
        except Exception as exc:
            show_error(self, exc)
            return None
        self.status.setText(f"Saved {name}")
        return Path(name)

    def open_pdf(self) -> None:
        # Readable by this account only, and removed when the program exits.
        target = files.run_temp_folder() / self._default_name()
        files.write_private(target, self.pdf)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def print_pdf(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Send every page to `printer` at its resolution; the number of pages sent."""
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, RuntimeError("The printer could not be started."))
            return 0
        dpi = printer.resolution()
        count = self.document.pageCount()
        for i in range(count):
            if i:
                printer.newPage()
            points = self.document.pagePointSize(i)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            image = self.document.render(i, size)
            page = printer.pageRect(QPrinter.Unit.DevicePixel)
            scale = min(page.width() / size.width(), page.height() / size.height())
            target = QRectF(
                QPointF(0, 0),
                QSize(int(size.width() * scale), int(size.height() * scale)).toSizeF(),
            )
            painter.drawImage(target, image)
        painter.end()
        self.status.setText(f"Sent {count} page{'s' * (count != 1)} to the printer.")
        return count
