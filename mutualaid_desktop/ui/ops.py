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
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from mutualaid_desktop.i18n import _
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
        self.dialog = QProgressDialog(title, _("Cancel"), 0, 1000, parent)
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
        # QProgressDialog shows itself only from a setValue() made after its minimum
        # duration: a job silent that long (a passphrase's key stretching) showed none,
        # and the window looked idle while it worked.
        QTimer.singleShot(self.dialog.minimumDuration(), self._show_if_running)
        return self

    def _show_if_running(self) -> None:
        if self._thread.isRunning() and not self.dialog.isVisible():
            self.dialog.show()

    def cancel(self) -> None:
        self.dialog.setLabelText(_("Cancelling…"))
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
    show_at_once: bool = False,
) -> Job:
    """Start `job(progress)` in the background; `on_done(result)` runs on success.

    `show_at_once` shows the dialog before the job starts, for jobs known to take
    seconds from their first step (a passphrase's key stretching), which would
    otherwise leave the window looking idle until the dialog's minimum duration.
    """
    runner = Job(parent, title, job)
    if on_done is not None:
        runner.done.connect(on_done)
    if show_at_once:
        runner.dialog.show()
        QTimer.singleShot(100, runner.start)
        return runner
    return runner.start()


class QuietJob(QObject):
    """A background job without a progress dialog, for a value a view shows when ready.

    It has no parent: closing the view (or the window) meanwhile must not destroy a
    running QThread, which aborts the program. The class keeps each job alive until
    its thread ends; slots on a view that is gone by then are simply not called.
    """

    done = Signal(object)
    error = Signal(object)
    _running: ClassVar[set[QuietJob]] = set()
    _hooked: ClassVar[bool] = False

    def __init__(self, job: Callable[[], Any]) -> None:
        super().__init__()
        self._thread = QThread()
        self.worker = _Worker(lambda _progress: job())
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)

    def start(self) -> QuietJob:
        cls = type(self)
        app = QCoreApplication.instance()
        if not cls._hooked and app is not None:
            app.aboutToQuit.connect(cls.wait_all)
            cls._hooked = True
        cls._running.add(self)
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return bool(self._thread.isRunning())

    @classmethod
    def wait_all(cls) -> None:
        """Let running jobs end before the program does."""
        for job in list(cls._running):
            job._thread.quit()
            job._thread.wait()

    def _end(self) -> None:
        self._thread.quit()
        self._thread.wait()
        type(self)._running.discard(self)

    def _on_finished(self, result: Any) -> None:
        self._end()
        self.done.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._end()
        self.error.emit(exc)


def run_quietly(
    job: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> QuietJob:
    """Start `job()` in the background with no dialog; `on_done(result)` runs on success.

    Connect bound methods of a QObject (a view): they stop being called once it is gone.
    """
    runner = QuietJob(job)
    runner.done.connect(on_done)
    if on_error is not None:
        runner.error.connect(on_error)
    return runner.start()


def guarded(parent: QWidget | None, action: Callable[[], Any]) -> Any:
    """Run a quick core call in the GUI thread, showing any error; None on failure."""
    try:
        return action()
    except Exception as exc:
        show_error(parent, exc)
        return None
