"""Print… of tomorrow's route sheets from the window, against Save PDF of the same sheets.

Both go through the Print view as an organizer does: the sheet is made in the
background from the data as it is, then saved, or handed to the printer. With
CUPS (`lp` on the PATH, a queue to print to), Print… hands the PDF over as it
is; the figure is the time until the queue took it. Without it, or with
`--render DPI`, the pages are rendered at that resolution (600 dpi at most, as
the program does) in the background, a band at a time, in a child process, and
drawn on a printer writing to a file. The two take turns three times, best time
of each. Throughout, a timer ticks every 10 ms in the window's event loop: the
longest gap between ticks is how long the window could not answer a click.

Usage: python benchmarks/bench_print.py [--db benchmarks/out/demo-20000.sqlite]
       [--printer QUEUE] [--render DPI]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_args, isolate_home, row

isolate_home()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from mutualaid_desktop.store import Store  # noqa: E402

ROUNDS = 3


class Stalls:
    """The longest gap between 10 ms ticks of the event loop."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        return max(self.longest, self.clock.elapsed())


def saved(view: Any, path: Path) -> None:
    """Save PDF… to `path` (the file dialog answered), until the file is written."""
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(path), ""))  # type: ignore[method-assign]
    job = view.save_pdf()
    assert job is not None
    wait_for(job.done)


def wait_for(signal: Any, timeout_s: float = 600) -> None:
    loop = QEventLoop()
    signal.connect(lambda *_: loop.quit())
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()


def cups_running() -> bool:
    """Whether a CUPS scheduler takes jobs (with `lp` but none, Print… would only fail)."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return False
    said = subprocess.run([lpstat, "-r"], capture_output=True, text=True, check=False).stdout
    return "not running" not in said and "running" in said


def render_floor(pdf: bytes, dpi: int) -> float:
    """Seconds to render every page whole at `dpi` (at the size the program renders
    them), drawn nowhere: what printing by pictures cannot go below."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    from mutualaid_desktop.ui.printing import page_pixels

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    t0 = time.perf_counter()
    for index in range(document.pageCount()):
        document.render(index, page_pixels(document, index, dpi))
    return time.perf_counter() - t0


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--printer", default="", help="CUPS queue (default: the system's)")
    parser.add_argument("--render", type=int, default=0, metavar="DPI", help="render instead")


def main() -> int:
    args = demo_args(__doc__, options)
    app = QApplication(sys.argv[:1])
    from mutualaid_desktop.ui.session import Session
    from mutualaid_desktop.ui.views.print_view import PrintView

    store = Store.open(args.db)
    session = Session(store)
    view = PrintView(session)
    view.resize(1366, 768)
    view.show()
    view.reload()
    day = store.conn.execute(
        "SELECT min(date) FROM delivery_runs WHERE date > date('now')"
    ).fetchone()[0]
    y, m, d = (int(p) for p in day.split("-"))
    view.day.setDate(QDate(y, m, d))
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    app.processEvents()
    from mutualaid_desktop.ui.app import settle_heap

    settle_heap()  # as the program does once its window is up
    stalls = Stalls()
    out = Path(tempfile.mkdtemp(prefix="bench-print-"))
    print(f"Route sheets for {day} from {args.db.name}, from the Print view\n")
    row("", f"s (best of {ROUNDS})", "longest stall (ms)")
    row("-" * 44, "-" * 14, "-" * 22)

    # Warm up once: fonts and modules loaded, as in a running program.
    saved(view, out / "warm.pdf")

    from mutualaid_desktop.ui.views.print_view import new_printer

    printer = new_printer(store.organization().page_size)  # as the print dialog opens
    lp = shutil.which("lp") if cups_running() else None
    if args.render or lp is None:
        dpi = args.render or 300
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out / "printed.pdf"))
        printer.setResolution(dpi)
        how, render = f"Print… rendered at {dpi} dpi (no CUPS)", True
    else:
        printer.setPrinterName(args.printer)
        how, render = f"Print… through lp to {args.printer or 'the default queue'}", False
    # Save PDF and Print… take turns, best time of each (on a shared machine a burst
    # of someone else's work then lands on neither alone); the longest stall of all.
    saved_s = printed_s = float("inf")
    saved_stall = printed_stall = 0
    for _round in range(ROUNDS):
        stalls.start()
        t0 = time.perf_counter()
        saved(view, out / "saved.pdf")
        saved_s = min(saved_s, time.perf_counter() - t0)
        saved_stall = max(saved_stall, stalls.stop())
        stalls.start()
        t0 = time.perf_counter()
        view.print_to(printer, render=render)
        wait_for(view.sent)
        printed_s = min(printed_s, time.perf_counter() - t0)
        printed_stall = max(printed_stall, stalls.stop())
    pages = len((out / "saved.pdf").read_bytes().split(b"/Type /Page\n")) - 1
    row(f"Save PDF ({pages} pages)", f"{saved_s:.2f}", f"{saved_stall}")
    row(how, f"{printed_s:.2f}", f"{printed_stall}")
    ratio = printed_s / saved_s
    row(
        "Print… against Save PDF",
        f"x{ratio:.2f}",
        "limit x2",
        "ok" if ratio <= 2 else "OVER",
    )
    row("window's longest stall (ms)", f"{max(saved_stall, printed_stall)}", "a click waits <100")
    if render:
        # The floor of printing by pictures: every page rendered at the program's
        # resolution for that printer in one process, drawn nowhere (what the
        # printer's own drawing costs comes on top).
        from mutualaid_desktop.ui.printing import render_dpi

        shown = render_dpi(printer)
        floor_s = render_floor((out / "saved.pdf").read_bytes(), shown)
        row(f"floor: pages rendered at {shown} dpi, not drawn", f"{floor_s:.2f}")
        row("floor against Save PDF", f"x{floor_s / saved_s:.2f}")
    print(f"\n{view.status.text()}")
    session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
