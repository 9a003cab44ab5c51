"""The Print view: make a sheet, preview it, save it, print it; always the choice of now."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pdfplumber
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from mutualaid_desktop.domain import Contact, PrivacyLevel
from mutualaid_desktop.ui.main_window import MainWindow


def _wait(qtbot, job) -> None:
    with qtbot.waitSignal(job.done, timeout=120000):
        pass


def _text(path: Path) -> str:
    with pdfplumber.open(path) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_preview_save_and_print_route_sheets(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    window.show_page("print")
    view = window.views["print"]
    assert view.run.count() > 1  # the demo's next distribution day has runs
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    _wait(qtbot, view.generate())
    assert view.document.pageCount() >= 1

    target = tmp_path / "routes.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _wait(qtbot, view.save_pdf())
    assert target.read_bytes().startswith(b"%PDF")

    # Printing to a file writes the PDF itself: nothing rasterized.
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(view.sent, timeout=120000) as sent:
        view.print_to(printer)
    assert sent.args == [view.document.pageCount()]
    assert (tmp_path / "printed.pdf").read_bytes() == target.read_bytes()


def test_rendering_for_a_printer_runs_in_a_child_process(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from mutualaid_desktop.ui import printing

    children: list[printing.ChildPrinter] = []
    started = printing.ChildPrinter.__init__

    def remember(self, settings):
        started(self, settings)
        children.append(self)

    monkeypatch.setattr(printing.ChildPrinter, "__init__", remember)
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    view.run.setCurrentIndex(1)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "rendered.pdf"))
    printer.setResolution(150)
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(view.sent, timeout=120000) as sent:
        view.print_to(printer, render=True)
    timer.stop()
    assert sent.args[0] >= 1
    assert ticks  # the window kept handling events while pages were rendered
    # ... because another process rendered them, and it has ended.
    assert len(children) == 1
    assert children[0].process.pid != os.getpid()
    assert children[0].process.exitcode == 0
    with pdfplumber.open(tmp_path / "rendered.pdf") as doc:
        assert len(doc.pages) == sent.args[0]
        assert doc.pages[0].images  # pages as pictures, as a printer without PDF gets them
        assert round(doc.pages[0].width) == 612  # Letter, as in Settings


def test_a_printer_said_to_print_1200_dpi_gets_pages_rendered_at_600(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    # Qt's high-resolution mode says 1200 dpi for PDF and CUPS printers; rendered
    # at that, a page is four times the pixels of 600 dpi for nothing sharper.
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("picklist"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "rendered.pdf"))
    assert printer.resolution() == 1200
    with qtbot.waitSignal(view.sent, timeout=120000):
        view.print_to(printer, render=True)
    with pdfplumber.open(tmp_path / "rendered.pdf") as doc:
        page = doc.pages[0]
        bands = page.images
        assert bands  # the page as pictures, in bands
        assert {band["srcsize"][0] for band in bands} == {round(page.width / 72 * 600)}
        assert sum(band["srcsize"][1] for band in bands) == round(page.height / 72 * 600)


def test_save_acts_on_the_choice_and_the_data_of_now(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    view.run.setCurrentIndex(1)
    first_run = view.run.currentText().split(" · ")[0]
    _wait(qtbot, view.generate())
    # Another run, and a household renamed, after the preview.
    view.run.setCurrentIndex(2)
    second_run = view.run.currentText().split(" · ")[0]
    assert view.made_for is None and view.document.pageCount() == 0  # the preview is gone
    store = window.session.store
    stop_contact = store.conn.execute(
        """SELECT s.contact_id FROM stops s JOIN delivery_runs r ON r.id = s.run_id
           WHERE r.id = ? ORDER BY s.seq LIMIT 1""",
        (view.run.currentData(),),
    ).fetchone()[0]
    window.session.update(Contact, stop_contact, "Rename", name="Renamed Householder")
    target = tmp_path / "chosen.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _wait(qtbot, view.save_pdf())
    text = _text(target)
    assert f"{second_run} · Driver" in text and f"{first_run} · Driver" not in text
    assert "Renamed H." in text  # the data of now, at the names level chosen
    view.privacy.setCurrentIndex(view.privacy.findData(PrivacyLevel.FULL))
    _wait(qtbot, view.save_pdf())
    text = _text(target)
    assert "Renamed" in text and "Householder" in text  # full names, as chosen


def test_a_day_with_nothing_to_print_says_so(window: MainWindow, qtbot, monkeypatch) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr("mutualaid_desktop.ui.ops.show_error", lambda p, e: shown.append(e))
    window.show_page("print")
    view = window.views["print"]
    view.day.setDate(QDate(2031, 1, 1))
    assert view.run.count() == 1  # only "All runs of the day"
    job = view.generate()
    with qtbot.waitSignal(job.error, timeout=30000):
        pass
    assert "no" in str(shown[0]).lower() and str(date(2031, 1, 1)) in str(shown[0])
    assert not view.open_button.isEnabled()


def test_with_cups_the_pdf_itself_goes_to_the_printer(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from tests.unit.sheets.test_send import fake_lp

    lp = fake_lp(tmp_path)
    monkeypatch.setattr("mutualaid_desktop.sheets.send.direct_print_command", lambda: str(lp))
    rendered: list[int] = []
    monkeypatch.setattr(
        "mutualaid_desktop.ui.views.print_view.ChildPrinter",
        lambda *a: rendered.append(1),
    )
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("packing"))
    with qtbot.waitSignal(view.sent, timeout=120000) as sent:
        view.print_to(QPrinter())
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert printed.startswith(b"%PDF") and not rendered
    assert "media=Letter" in (tmp_path / "argv").read_text().split("\n")  # as in Settings
    assert "Packing slips" in _text(tmp_path / "printed.pdf")
    assert sent.args[0] >= 1


def test_a_cups_printer_that_refuses_the_sheet_is_said_and_nothing_counts_as_sent(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from tests.unit.sheets.test_send import fake_lp

    lp = fake_lp(tmp_path, exit_code=1, say="The printer or class does not exist.")
    monkeypatch.setattr("mutualaid_desktop.sheets.send.direct_print_command", lambda: str(lp))
    shown: list[BaseException] = []
    monkeypatch.setattr("mutualaid_desktop.ui.ops.show_error", lambda p, e: shown.append(e))
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    sent: list[int] = []
    view.sent.connect(sent.append)
    job = view.print_to(QPrinter())
    with qtbot.waitSignal(job.error, timeout=120000):
        pass
    assert "did not take the sheet" in str(shown[0])
    assert "does not exist" in str(shown[0])  # the system's own words
    assert view.status.text() == "Nothing was printed."
    assert sent == []


def test_cancelling_a_rendered_print_stops_the_child_and_prints_nothing_more(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from mutualaid_desktop.ui import printing

    children: list[printing.ChildPrinter] = []
    started = printing.ChildPrinter.__init__

    def remember(self, settings):
        started(self, settings)
        children.append(self)

    monkeypatch.setattr(printing.ChildPrinter, "__init__", remember)
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))  # every run: several pages
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "rendered.pdf"))
    printer.setResolution(600)
    sent: list[int] = []
    view.sent.connect(sent.append)
    first = view.print_to(printer, render=True)
    qtbot.waitUntil(lambda: view.job is not first and view.job is not None, timeout=120000)
    printing_job = view.job
    qtbot.waitUntil(
        lambda: printing_job.dialog.labelText().startswith("Printing page 2"), timeout=120000
    )
    with qtbot.waitSignal(printing_job.error, timeout=30000) as failed:
        printing_job.cancel()
    from mutualaid_desktop.errors import Cancelled

    assert isinstance(failed.args[0], Cancelled)
    assert view.status.text() == "Nothing was printed."
    assert sent == []
    children[0].process.join(5)
    assert not children[0].process.is_alive()


def test_a_drivers_own_route_sheets_from_the_window(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    assert view.driver.isEnabled()
    drivers = [view.driver.itemText(i) for i in range(1, view.driver.count())]
    assert len(drivers) >= 2  # the demo's day has runs with their drivers
    view.driver.setCurrentIndex(2)
    chosen = view.driver.currentText()
    _wait(qtbot, view.generate())
    with pdfplumber.open(io.BytesIO(view.pdf)) as doc:
        pages = [p.extract_text() or "" for p in doc.pages]
    assert pages and all(f"Driver: {chosen}" in page for page in pages)
    assert not any(f"Driver: {other}" in "".join(pages) for other in drivers if other != chosen)
    target = tmp_path / "mine.pdf"
    asked: list[str] = []

    def answer(parent, title, suggested, *a, **k):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    _wait(qtbot, view.save_pdf())
    assert Path(asked[0]).name.startswith("routes-") and Path(asked[0]).name.endswith(".pdf")
    slug = chosen.split()[0].lower()
    assert slug in Path(asked[0]).name.lower() or not slug.isascii()
    # The roster lists the drivers of rides instead.
    view.sheet.setCurrentIndex(view.sheet.findData("roster"))
    assert view.driver.isEnabled() and view.driver.itemText(0) == "All drivers"
    view.sheet.setCurrentIndex(view.sheet.findData("packing"))
    assert not view.driver.isEnabled()


def test_a_rendered_print_of_nothing_ends_its_child_and_says_why(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from mutualaid_desktop.ui import printing

    children: list[printing.ChildPrinter] = []
    started = printing.ChildPrinter.__init__

    def remember(self, settings):
        started(self, settings)
        children.append(self)

    monkeypatch.setattr(printing.ChildPrinter, "__init__", remember)
    shown: list[BaseException] = []
    monkeypatch.setattr("mutualaid_desktop.ui.ops.show_error", lambda p, e: shown.append(e))
    window.show_page("print")
    view = window.views["print"]
    view.day.setDate(QDate(2031, 1, 1))
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "nothing.pdf"))
    job = view.print_to(printer, render=True)
    with qtbot.waitSignal(job.error, timeout=30000):
        pass
    assert str(date(2031, 1, 1)) in str(shown[0])
    assert children  # the child was started with the click...
    children[0].process.join(15)
    assert not children[0].process.is_alive()  # ...and ended when there was nothing
    assert not (tmp_path / "nothing.pdf").exists()
