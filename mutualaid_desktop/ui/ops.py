"""Long work off the GUI thread, with a progress dialog that can cancel it.

The job runs in a QThread and reports through a `progress(message, fraction)`
callback that returns False once the user pressed Cancel; core jobs then
raise Cancelled and roll back. SQLite connections belong to one thread, so a
job opens its own Store on the same file (WAL lets the window keep reading).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from mutualaid_desktop.ui.errors import show_error

log = logging.getLogger(__name__)

Progress = Callable[[str, float], bool]


class _Worker(QObject):
    progressed = Signal(str, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._job = job
        self.cancelled = threading.Event()

    def run(self) -> None:
        def progress(message: str, fraction: float) -> bool:
            self.progressed.emit(message, int(fraction * 1000))
            return not self.cancelled.is_set()

        try:
            result = self._job(progress)
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class Job(QObject):
    """One background job with its progress dialog. Keep a reference until it ends."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QWidget, title: str, job: Callable[[Progress], Any]) -> None:
        super().__init__(parent)
        self._parent = parent
        self.dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setObjectName("jobProgress")
        self._thread = QThread(self)
        self.worker = _Worker(job)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.dialog.canceled.connect(self.cancel)
        self.result: Any = None
        self.exception: BaseException | None = None

    def start(self) -> Job:
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.dialog.setLabelText("Cancelling…")
        self.worker.cancelled.set()

    @property
    def running(self) -> bool:
        return bool(self._thread.isRunning())

    def _on_progress(self, message: str, value: int) -> None:
        if not self.worker.cancelled.is_set():
            self.dialog.setLabelText(message)
        self.dialog.setValue(value)

    def _finish(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self.dialog.close()

    def _on_finished(self, result: Any) -> None:
        self.result = result
        self._finish()
        self.done.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self.exception = exc
        self._finish()
        show_error(self._parent, exc)
        self.error.emit(exc)


def run_job(
    parent: QWidget,
    title: str,
    job: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
) -> Job:
    """Start `job(progress)` in the background; `on_done(result)` runs on success."""
    runner = Job(parent, title, job)
    if on_done is not None:
        runner.done.connect(on_done)
    return runner.start()


def guarded(parent: QWidget | None, action: Callable[[], Any]) -> Any:
    """Run a quick core call in the GUI thread, showing any error; None on failure."""
    try:
        return action()
    except Exception as exc:
        show_error(parent, exc)
        return None
