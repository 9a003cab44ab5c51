"""The open database as the window sees it: every change goes through here.

`Session.change(label, action)` runs a core operation as one recorded,
undoable change (store/changes.py) and puts it in the window's history with
its label and the page it belongs to; `changed` then tells the views which
tables to reload. A write that fails raises, and nothing is recorded: the
caller shows the sentence and never reports the change as done.

The session also notices other writers (a command-line import, a second
window) through SQLite's `PRAGMA data_version` and refreshes what the views
show, and backs the database up at most daily while it is open and on
closing after changes (store/backup.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.changes import ChangeSet, Undone
from mutualaid_desktop.ui.history import VIEWS, Entry, History, view_of

if TYPE_CHECKING:
    from mutualaid_desktop.domain import Need, NeedStatus
    from mutualaid_desktop.domain.base import Record
    from mutualaid_desktop.store.changes import Progress

log = logging.getLogger(__name__)
R = TypeVar("R", bound="Record")
T = TypeVar("T")

WATCH_MS = 1500  # how often to look for other writers
DAILY_CHECK_MS = 60 * 60 * 1000  # the daily backup is considered hourly
BACKUP_EVERY = timedelta(days=1)
# Records an undo or redo may write above which it runs as a background job: a
# large import's undo takes seconds, and shows progress and Cancel meanwhile.
BACKGROUND_STEP = 2000


class Session(QObject):
    """One open database, its undo history, and change notifications."""

    changed = Signal(str)  # table name; "" means everything
    message = Signal(str)  # for the status bar
    indexing = Signal(bool)  # True while the search index is rebuilt in the background

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.history = History(self)
        self._index_job: Any = None
        self._opened_hlc = store.persisted_hlc()
        self._data_version = self._version()
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self.check_other_writers)
        self._watch.start()
        self._daily = QTimer(self)
        self._daily.setInterval(DAILY_CHECK_MS)
        self._daily.timeout.connect(self.daily_backup)
        if not store.read_only and store.path is not None:
            self._daily.start()

    @property
    def path(self) -> Path | None:
        return self.store.path

    @property
    def read_only_reason(self) -> str:
        return self.store.read_only_reason

    def close(self, backup: bool = True) -> None:
        """Close the database, backing it up first when it changed while open."""
        self._watch.stop()
        self._daily.stop()
        if self.store.closed:
            return
        if (
            backup
            and not self.store.read_only
            and self.store.path is not None
            and self.store.persisted_hlc() != self._opened_hlc
        ):
            from mutualaid_desktop.store.backup import backup_if_changed

            try:
                backup_if_changed(self.store, "on-close")
            except Exception:  # a backup that fails must not keep the window from closing
                log.exception("backup on close failed")
        self.history.clear()
        self.store.close()

    # -- changes ------------------------------------------------------------

    def change(self, label: str, action: Callable[[], T], view: str = "") -> T:
        """Run `action` as one undoable change named `label` (shown as "Undo <label>").

        Raises whatever the action raises (a locked or full disk says so in one
        sentence); then nothing was saved and nothing is recorded.
        """
        if self.store._recorder is not None:  # part of a larger change already recording
            return action()
        with self.store.recording(label) as changes:
            result = action()
        self.record(changes, view)
        return result

    def record(self, changes: ChangeSet, view: str = "") -> None:
        """Put an already recorded change in the history (one made in a background job)."""
        if changes.empty:
            return
        self.history.push(Entry(changes.label, view or view_of(changes), changes))
        self.notify(changes.tables)

    def record_import(self, changes: ChangeSet) -> None:
        """A spreadsheet import a background job wrote through its own connection, recorded
        there as one change."""
        self.written_elsewhere()
        self.record(changes, "contacts")

    def create(self, record: R, text: str) -> R:
        return self.change(text, lambda: self.store.insert(record), _view_of_table(record))

    def save(self, record: R, text: str) -> R:
        """Write an edited record (or insert a new one); Undo puts the previous values back."""
        return self.change(text, lambda: self.store.save(record), _view_of_table(record))

    def update(self, model: type[R], record_id: str, text: str, **changes: Any) -> R:
        return self.change(
            text,
            lambda: self.store.update(model, record_id, **changes),
            _view_of_table(model),
        )

    def delete(self, model: type[Record], record_id: str, text: str) -> list[tuple[str, str]]:
        """Delete (with what hangs off it); Undo brings back exactly what went."""
        return self.change(text, lambda: self.store.delete(model, record_id), _view_of_table(model))

    def move_need(self, need: Need, target: NeedStatus) -> Need:
        """Move a need along its workflow (the domain refuses forbidden steps)."""
        moved = need.moved_to(target)
        return self.save(moved, _("Mark need {status}").format(status=target.label.lower()))

    def settle_conflict(self, conflict_id: str, table: str, keep: str, label: str = "") -> None:
        """Keep the current or the other value of a sync conflict (undoable: it reopens)."""
        from mutualaid_desktop.sync.conflicts import resolve

        def settle() -> None:
            assert self.store._recorder is not None
            self.store._recorder.changes.track(self.store, "conflicts", "id", conflict_id)
            resolve(self.store, conflict_id, "other" if keep == "other" else "current")

        self.change(label or _("Settle a conflict"), settle, "sync")
        self.changed.emit(table)

    # -- undo and redo --------------------------------------------------------

    def undo(self) -> Undone | None:
        """Undo the newest change; raises (the history unchanged) when it cannot be written."""
        return self._step(self.history.next_undo(), self.history.undone)

    def redo(self) -> Undone | None:
        return self._step(self.history.next_redo(), self.history.redone)

    def _step(self, entry: Entry | None, moved: Callable[[ChangeSet], None]) -> Undone | None:
        if entry is None:
            return None
        done = entry.changes.undo(self.store)  # its inverse is the next step back
        moved(done.inverse)
        self.notify(entry.changes.tables | done.inverse.tables)
        return done

    @staticmethod
    def large(entry: Entry) -> bool:
        """Whether undoing or redoing `entry` is long enough to run as a background job
        (a large import), with progress and Cancel, instead of at once."""
        return entry.changes.size >= BACKGROUND_STEP

    def step_in_job(self, entry: Entry, progress: Progress) -> Undone:
        """Undo (or redo) `entry` in a background job, on a connection of its own thread.

        Cancel rolls it back whole; the history is moved by `stepped` once it is done.
        """
        if self.path is None:  # in memory: only its own connection sees it
            return entry.changes.undo(self.store, progress)
        with self.store.reopen() as store:  # the same key, no second key stretching
            return entry.changes.undo(store, progress)

    def stepped(self, entry: Entry, done: Undone) -> None:
        """After `step_in_job`: the history moves past `entry`, every view reloads, and
        the search index catches up in the background."""
        if entry is self.history.next_undo():
            self.history.undone(done.inverse)
        elif entry is self.history.next_redo():
            self.history.redone(done.inverse)
        self.written_elsewhere()
        self.finish_indexing()

    # -- other writers ----------------------------------------------------------

    def _version(self) -> int:
        if self.store.closed:
            return 0
        return int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])

    def check_other_writers(self) -> bool:
        """Reload every view when another connection wrote to the file; True if one did."""
        if self.store.closed:
            return False
        try:
            version = self._version()
        except Exception:  # the file went away (a stick pulled): the next write will say so
            log.exception("could not read data_version")
            return False
        if version == self._data_version:
            return False
        self._data_version = version
        self.written_elsewhere()
        return True

    def written_elsewhere(self) -> None:
        """After another connection wrote to the file (a background job, another program).

        The clock catches up with what was written and every view reloads. The
        history stays: undo puts back only values nobody changed since.
        """
        self._data_version = self._version()
        self.store.reload_replica_state()
        self.notify_all()

    def finish_indexing(self) -> None:
        """Rebuild, in the background, a search index a large import left out of date.

        Searching says "still indexing" until it is done; then every view reloads.
        """
        from mutualaid_desktop.store import search

        if self._index_job is not None or not search.stale_tables(self.store.conn):
            return
        path = self.path
        if path is None:  # in memory: one connection, this thread only
            search.rebuild_stale(self.store.conn)
            self.notify_all()
            return

        main = self.store

        def job() -> None:
            with main.reopen() as store:  # a connection of the job's own thread, same key
                search.rebuild_stale(store.conn)

        from mutualaid_desktop.ui.ops import run_quietly

        self.indexing.emit(True)
        self._index_job = run_quietly(job, self._indexed, self._index_failed)

    def _index_failed(self, exc: BaseException) -> None:
        # The mark stays: searching keeps saying "still indexing", and the next
        # opening (or `mutualaid check --repair`) tries again.
        log.error("rebuilding the search index failed", exc_info=exc)
        self._indexed()

    def _indexed(self, _result: object = None) -> None:
        self._index_job = None
        self.indexing.emit(False)
        self.notify_all()

    def notify(self, tables: Iterable[str]) -> None:
        names = sorted(set(tables) - {"conflicts"})
        if len(names) > 2:
            self.changed.emit("")
            return
        for table in names:
            self.changed.emit(table)

    def notify_all(self) -> None:
        """Tell every view to reload (after a bulk change such as demo data)."""
        self.changed.emit("")

    # -- backups ------------------------------------------------------------------

    def daily_backup(self) -> None:
        """At most daily while open, after changes: in the background, on its own connection."""
        main = self.store
        if main.path is None or main.read_only or main.persisted_hlc() == self._opened_hlc:
            return
        from mutualaid_desktop.store.backup import backup_if_changed
        from mutualaid_desktop.ui.ops import run_quietly

        def job() -> Path | None:
            with main.reopen() as store:  # the job's own connection, the same key
                return backup_if_changed(store, "daily", older_than=BACKUP_EVERY)

        def done(made: object) -> None:
            if made is not None:
                self.message.emit(_("Backed up to {path}").format(path=made))

        def failed(error: BaseException) -> None:
            self.message.emit(_("The daily backup failed: {error}").format(error=error))

        run_quietly(job, done, failed)


def _view_of_table(record: Any) -> str:
    """The page of a record or model ("" when no page shows it)."""
    return dict(VIEWS).get(str(getattr(record, "__table__", "")), "")
