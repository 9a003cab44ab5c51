"""The Print view: make a sheet, preview it, save it, print it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from mutualaid_desktop.ui.main_window import MainWindow


def test_preview_save_and_print_route_sheets(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    window.show_page("print")
    view = window.views["print"]
    assert view.run.count() > 1  # the demo's next distribution day has runs
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    job = view.generate()
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=60000):
        pass
    assert view.document.pageCount() >= 1
    assert view.save_button.isEnabled()

    target = tmp_path / "routes.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert view.save_pdf() == target
    assert target.read_bytes().startswith(b"%PDF")

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert view.print_to(printer) == view.document.pageCount()
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_a_day_with_nothing_to_print_says_so(window: MainWindow, qtbot, monkeypatch) -> None:
    from datetime import date

    from PySide6.QtCore import QDate

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
    assert not view.save_button.isEnabled()
