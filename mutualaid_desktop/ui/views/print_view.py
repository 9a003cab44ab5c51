"""The Print view: choose a day (or a run) and a sheet, preview it, print or save it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPageSize
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
from mutualaid_desktop.domain.enums import LengthUnit, PageSize, PrivacyLevel
from mutualaid_desktop.domain.units import MAX_OFFSET_MM, mm_to, to_mm
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.ops import Job, Progress, run_job
from mutualaid_desktop.ui.printing import ChildPrinter, PrinterSettings
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.optional_date import date_edit

SHEETS = [
    ("routes", N_("Driver route sheets")),
    ("packing", N_("Packing slips")),
    ("picklist", N_("Pick list")),
    ("labels", N_("Box labels")),
    ("roster", N_("Ride-share roster")),
    ("signin", N_("Sign-in sheet")),
]


PAGE_SIZES = {PageSize.LETTER: QPageSize.PageSizeId.Letter, PageSize.A4: QPageSize.PageSizeId.A4}


class PrintView(QWidget):
    """Preview, Print and Save PDF each make the sheet chosen at the click, from the data
    as it is then: never a stale document under a new name."""

    sent = Signal(int)  # pages handed to the printer (or written to the printer's file)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pdf: bytes = b""
        self.made_for: dict[str, Any] | None = None  # the choice the preview shows
        self.printer: QPrinter | None = None
        self.job: Job | None = None
        self._buffer: QBuffer | None = None

        controls = QWidget()
        form = QFormLayout(controls)
        self.sheet = QComboBox()
        for key, label in SHEETS:
            self.sheet.addItem(_(label), key)
        self.sheet.setAccessibleName(_("Sheet"))
        self.day = date_edit(_("Date"))
        self.run = QComboBox()
        self.run.setAccessibleName(_("Delivery run"))
        self.driver = QComboBox()
        self.driver.setAccessibleName(_("Driver"))
        self.privacy = QComboBox()
        self.privacy.setAccessibleName(_("Names on the sheet"))
        for level in PrivacyLevel:
            self.privacy.addItem(level.label, level)
        self.labels = QComboBox()
        self.labels.setAccessibleName(_("Label sheet"))
        self.labels.addItem(_("Avery 5160 (Letter, 30 a sheet)"), "avery5160")
        self.labels.addItem(_("Avery L7160 (A4, 21 a sheet)"), "l7160")
        offset = QWidget()
        row = QHBoxLayout(offset)
        row.setContentsMargins(0, 0, 0, 0)
        self.offset_x, self.offset_y = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, name, accessible in (
            (self.offset_x, _("Right"), _("Printer offset right")),
            (self.offset_y, _("Down"), _("Printer offset down")),
        ):
            spin.setAccessibleName(accessible)
            row.addWidget(QLabel(name))
            row.addWidget(spin)
        self._lengths = LengthUnit.INCHES  # set to the group's unit by reload()
        self._show_offsets_in(LengthUnit.MILLIMETRES)
        form.addRow(_("&Sheet:"), self.sheet)
        form.addRow(_("&Date:"), self.day)
        form.addRow(_("&Run:"), self.run)
        form.addRow(_("Dri&ver:"), self.driver)
        form.addRow(_("&Names:"), self.privacy)
        form.addRow(_("&Labels:"), self.labels)
        form.addRow(_("Printer offset:"), offset)
        self._label_rows = (self.labels, offset)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(_("&Preview"))
        self.print_button = QPushButton(_("P&rint…"))
        self.save_button = QPushButton(_("Sa&ve PDF…"))
        self.open_button = QPushButton(_("&Open in viewer"))
        for b in (self.preview_button, self.print_button, self.save_button, self.open_button):
            buttons.addWidget(b)
        self.status = QLabel(_("Choose a sheet and a day, then Preview."))
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
        self.viewer.setAccessibleName(_("Preview"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.sheet.currentIndexChanged.connect(self._sheet_changed)
        self.day.dateChanged.connect(self._day_changed)
        for combo in (self.sheet, self.run, self.driver, self.privacy, self.labels):
            combo.currentIndexChanged.connect(lambda _i: self._stale())
        for spin in (self.offset_x, self.offset_y):
            spin.valueChanged.connect(lambda _v: self._stale())
        self.day.dateChanged.connect(lambda _d: self._stale())
        session.changed.connect(lambda _table: self._stale())
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
        self._show_offsets_in(org.lengths())
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
        self.run.addItem(_("All runs of the day"), None)
        for rid, name, driver in listing.runs_on(store, day):
            self.run.addItem(f"{name} · {driver}" if driver else name, rid)
        self._fill_drivers()

    def _fill_drivers(self) -> None:
        """The day's drivers of the chosen sheet: of delivery runs for route sheets (a
        driver's own sheets), of rides for the roster."""
        store = self.session.store
        kind = self.sheet.currentData()
        keep = self.driver.currentData()
        found = (
            listing.ride_drivers_on(store, self.chosen_day())
            if kind == "roster"
            else listing.run_drivers_on(store, self.chosen_day())
        )
        self.driver.blockSignals(True)
        self.driver.clear()
        self.driver.addItem(_("All drivers"), None)
        for did, name in found:
            self.driver.addItem(name, did)
        self.driver.setCurrentIndex(max(self.driver.findData(keep), 0))
        self.driver.blockSignals(False)

    def _sheet_changed(self) -> None:
        kind = self.sheet.currentData()
        for w in self._label_rows:
            w.setEnabled(kind == "labels")
        self.run.setEnabled(kind != "roster")
        self._fill_drivers()
        self.driver.setEnabled(kind in ("roster", "routes"))

    def _set_ready(self, ready: bool) -> None:
        self.open_button.setEnabled(ready)

    def _stale(self) -> None:
        """The choice or the data changed: the preview no longer shows what would print."""
        if self.made_for is not None:
            self.made_for = None
            self.document.close()
            self.pdf = b""
            self._set_ready(False)
            self.status.setText(_("The choice or the data changed: Preview shows the sheet now."))

    # -- making -----------------------------------------------------------------------

    def _show_offsets_in(self, unit: LengthUnit) -> None:
        """The printer offset in the group's unit, keeping the offset already set."""
        if unit is self._lengths:
            return
        inches = unit is LengthUnit.INCHES
        for spin in (self.offset_x, self.offset_y):
            offset = to_mm(spin.value(), self._lengths)
            spin.setDecimals(2 if inches else 1)
            spin.setRange(-mm_to(MAX_OFFSET_MM, unit), mm_to(MAX_OFFSET_MM, unit))
            spin.setSingleStep(0.02 if inches else 0.5)
            spin.setSuffix(" " + (_("in") if inches else _("mm")))
            spin.setValue(mm_to(offset, unit))
        self._lengths = unit

    def choice(self) -> dict[str, Any]:
        """What the controls say now: the sheet, day, run, names, labels and offset."""
        kind = self.sheet.currentData()
        return dict(
            kind=kind,
            day=self.chosen_day(),
            run_id=self.run.currentData() if kind != "roster" else None,
            privacy=self.privacy.currentData(),
            labels=self.labels.currentData(),
            offset_mm=(
                to_mm(self.offset_x.value(), self._lengths),
                to_mm(self.offset_y.value(), self._lengths),
            ),
            driver_id=self.driver.currentData() if kind in ("roster", "routes") else None,
        )

    def _make(
        self,
        title: str,
        then: Callable[[Any], None],
        finish: Callable[[Any], None] | None = None,
        finishing: str = "",
    ) -> Job:
        """Make the sheet chosen now, from the data as it is now, in the background
        (and `finish(made)` there too, saying `finishing`: writing a file waits on the
        disk)."""
        from mutualaid_desktop.sheets.make import make_sheet

        args = self.choice()
        path = self.session.path
        main = self.session.store

        def job(progress: Progress) -> Any:
            progress(_("Making the sheet"), 0.1)
            if path is None:
                made = make_sheet(self.session.store, **args)
            else:
                with main.reopen() as store:  # this thread's own connection, the same key
                    made = make_sheet(store, **args)
            if finish is not None:
                progress(finishing or _("Saving"), 0.9)
                finish(made)
            return made

        self.status.setText(_("Making the sheet…"))
        self.job = run_job(self, title, job, lambda made: then((args, made)))
        self.job.error.connect(lambda _e: self.status.setText(_("Nothing was made.")))
        return self.job

    def generate(self) -> Job:
        """Make the chosen sheet in the background, then show it."""
        return self._make(_("Making the sheet"), self._show)

    def _show(self, result: tuple[dict[str, Any], Any]) -> None:
        args, made = result
        self.pdf = made.pdf
        self.made_for = args
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        pages = self.document.pageCount()
        ready = ngettext("{n} page ready.", "{n} pages ready.", pages).format(n=pages)
        self.status.setText(ready + _notes(made))
        self._set_ready(pages > 0)

    def _default_name(self, args: dict[str, Any] | None = None) -> str:
        args = args or self.choice()
        run = self.run.currentText() if args.get("run_id") else ""
        who = self.driver.currentText() if args.get("driver_id") else ""
        slug = re.sub(r"[^\w]+", "-", f"{run.split(' · ')[0]} {who}").strip("-").lower()
        return f"{args['kind']}-{args['day'].isoformat()}{'-' + slug if slug else ''}.pdf"

    def save_pdf(self) -> Job | None:
        """Ask where, then save the sheet chosen now, made from the data as it is now."""
        from mutualaid_desktop.sheets.make import write_pdf

        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the PDF"),
            str(Path.home() / self._default_name()),
            _("PDF files (*.pdf)"),
        )
        if not name:
            return None

        def saved(result: tuple[dict[str, Any], Any]) -> None:
            self.status.setText(_("Saved {file}.").format(file=name) + _notes(result[1]))

        return self._make(
            _("Saving the sheet"), saved, lambda made: write_pdf(made.pdf, Path(name))
        )

    def open_pdf(self) -> None:
        if not self.pdf:
            return
        # Readable by this account only, and removed when the program exits.
        target = files.run_temp_folder() / self._default_name(self.made_for)
        files.write_private(target, self.pdf)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def print_pdf(self) -> Job | None:
        """The print dialog (paper size as in Settings), then the sheet chosen now."""
        printer = new_printer(self.session.store.organization().page_size)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return self.print_to(printer)

    def print_to(self, printer: QPrinter, render: bool = False) -> Job:
        """Make the sheet chosen now and send it to `printer`, all in the background.

        To a file, the PDF itself is written; with CUPS, `lp` takes the PDF as it
        is; otherwise (or with `render`) a child process renders the pages at the
        printer's resolution and draws them on it, with progress and cancel. The
        child starts now, so it is ready by the time the sheet is made.
        """
        from mutualaid_desktop.sheets.send import direct_print_command

        self.printer = printer  # kept alive until the job ends
        # The sheets are made for the paper in Settings; so is the printer.
        page = self.session.store.organization().page_size
        printer.setPageSize(QPageSize(PAGE_SIZES[page]))
        child: ChildPrinter | None = None
        if render or not (_to_file(printer) or direct_print_command()):
            child = ChildPrinter(PrinterSettings.of(printer))
        elif not _to_file(printer):
            return self._queue(printer)
        job = self._make(_("Printing"), lambda result: self._send(printer, result, child))
        if child is not None:
            job.error.connect(lambda _e: child.close())
        return job

    def _send(
        self, printer: QPrinter, result: tuple[dict[str, Any], Any], child: ChildPrinter | None
    ) -> None:
        _args, made = result
        pages = _page_count(made.pdf)
        if child is None:  # the print dialog chose a file: the PDF itself, written there
            from mutualaid_desktop.sheets.make import write_pdf

            try:
                write_pdf(made.pdf, Path(printer.outputFileName()))
            except Exception as exc:
                show_error(self, exc)
                return
            saved = _("Saved the sheet to {file}.").format(file=printer.outputFileName())
            self.status.setText(saved + _notes(made))
            self.sent.emit(pages)
            return
        job = run_job(self, _("Printing"), lambda progress: child.print(made.pdf, progress))
        self.job = job
        job.done.connect(lambda _r: self._printed(pages, made))
        job.error.connect(lambda _e: self.status.setText(_("Nothing was printed.")))

    def _queue(self, printer: QPrinter) -> Job:
        """Make the sheet and hand it to CUPS in the same background job: `lp` takes
        the file in a few hundredths of a second, less than a second trip through
        the window would cost."""
        from mutualaid_desktop.sheets.send import direct_print_command, print_directly

        lp = direct_print_command()
        page = self.session.store.organization().page_size
        title = self._default_name()  # the sheet chosen now, as _make makes it
        name, copies = printer.printerName(), printer.copyCount()

        def queue(made: Any) -> None:
            print_directly(made.pdf, name, page, title, copies, lp)

        job = self._make(
            _("Printing"),
            lambda result: self._printed(_page_count(result[1].pdf), result[1]),
            queue,
            _("Sending the sheet to the printer"),
        )
        job.error.connect(lambda _e: self.status.setText(_("Nothing was printed.")))
        return job

    def _printed(self, pages: int, made: Any) -> None:
        sent = ngettext(
            "Sent {n} page to the printer.", "Sent {n} pages to the printer.", pages
        ).format(n=pages)
        self.status.setText(sent + _notes(made))
        self.sent.emit(pages)


def new_printer(page: PageSize) -> QPrinter:
    """The printer the print dialog opens on: the paper in Settings, in black and white
    (the sheets have no colour; a page printed by pictures goes half as fast in colour)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(PAGE_SIZES[page]))
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    return printer


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))  # page objects, not /Pages


def _to_file(printer: QPrinter) -> bool:
    """Whether the print dialog chose "print to file" (a PDF written as it is)."""
    pdf = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    return pdf and bool(printer.outputFileName())


def _notes(made: Any) -> str:
    """What to say beside a made sheet: stops to check, letters that cannot print."""
    out = ""
    if made.to_check:
        n = len(made.to_check)
        out += " " + ngettext(
            "⚠ {n} stop to check: {first}",
            "⚠ {n} stops to check: {first} (and more: see Deliveries)",
            n,
        ).format(n=n, first=made.to_check[0])
    if made.warnings:
        out += " " + " ".join(made.warnings)
    return out
