"""The open database as the window sees it: every change goes through here.

Session calls the core (the Store), pushes an undoable command for each
change, and emits `changed` with the table name so views reload what they
show. Views never touch SQL or the Store's write methods directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store
from mutualaid_desktop.ui.errors import show_user_error

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from mutualaid_desktop.domain import Need, NeedStatus
    from mutualaid_desktop.domain.base import Record
    from mutualaid_desktop.exchange.importing import ImportResult

R = TypeVar("R", bound="Record")


class _Command(QUndoCommand):
    """An already-applied change; undo/redo re-run core operations."""

    def __init__(
        self,
        text: str,
        undo: Callable[[], None],
        redo: Callable[[], None],
        session: Session,
        table: str,
    ) -> None:
        super().__init__(text)
        self._undo, self._redo = undo, redo
        self._session, self._table = session, table
        self._first = True

    def redo(self) -> None:
        if self._first:  # the change was made before the command was pushed
            self._first = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except UserError as error:
            # e.g. the record was changed by an import since; say so instead of crashing.
            show_user_error(None, error, "Cannot undo")
        self._session.changed.emit(self._table)


class Session(QObject):
    """One open database, its undo history, and change notifications."""

    changed = Signal(str)  # table name; "" means everything
    indexing = Signal(bool)  # True while the search index is rebuilt in the background

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self._index_job: Any = None

    @property
    def path(self) -> Path | None:
        return self.store.path

    def close(self) -> None:
        self.undo_stack.clear()
        self.store.close()

    # -- changes ------------------------------------------------------------

    def create(self, record: R, text: str) -> R:
        model = type(record)
        self.store.insert(record)
        self._push(
            text,
            undo=lambda: self.store.delete(model, record.id),
            redo=lambda: self.store.restore(model, record.id),
            table=model.__table__,
        )
        return record

    def save(self, record: R, text: str) -> R:
        """Write an edited record; Undo puts the previous values back (as a new edit)."""
        model = type(record)
        before = self.store.get(model, record.id)
        if before is None:
            return self.create(record, text)
        saved = self.store.save(record)
        if before == saved:
            return saved
        self._push(
            text,
            undo=lambda: self.store.save(before),
            redo=lambda: self.store.save(saved),
            table=model.__table__,
        )
        return saved

    def update(self, model: type[R], record_id: str, text: str, **changes: Any) -> R:
        current = self.store.require(model, record_id)
        return self.save(current.model_copy(update=changes), text)

    def delete(self, model: type[Record], record_id: str, text: str) -> None:
        """Delete (with what hangs off it); Undo brings back exactly what went."""
        deleted = self.store.delete(model, record_id)
        self._push(
            text,
            undo=lambda: self.store.restore_many(deleted),
            redo=lambda: self.store.delete(model, record_id),
            table="" if len({t for t, _ in deleted}) > 1 else model.__table__,
        )

    def record_import(self, result: ImportResult, text: str) -> None:
        """A spreadsheet import, written by a background job: one step to undo.

        Undo deletes what the import added and puts the households it merged into
        back as they were; Redo restores exactly those records.
        """
        from mutualaid_desktop.exchange import importing

        self.store.reload_replica_state()  # the job wrote through its own connection
        deleted: list[tuple[str, str]] = []

        def undo() -> None:
            deleted[:] = importing.undo(self.store, result)

        def redo() -> None:
            importing.redo(self.store, result, deleted)

        self._push(text, undo=undo, redo=redo, table="")

    def move_need(self, need: Need, target: NeedStatus) -> Need:
        """Move a need along its workflow (the domain refuses forbidden steps)."""
        moved = need.moved_to(target)
        return self.save(moved, f"Mark need {target.label.lower()}")

    def settle_conflict(self, conflict_id: str, table: str, keep: str) -> None:
        """Keep the current or the other value of a sync conflict (a synced edit, not undoable)."""
        from mutualaid_desktop.sync.conflicts import resolve

        resolve(self.store, conflict_id, "other" if keep == "other" else "current")
        self.changed.emit(table)

    def written_elsewhere(self) -> None:
        """After a background job wrote to the file through its own connection (an import).

        The clock catches up with what was written, and the undo history is dropped: undoing
        an older edit would write the whole record back over what just arrived.
        """
        self.store.reload_replica_state()
        self.undo_stack.clear()
        self.notify_all()

    def _push(
        self, text: str, undo: Callable[[], Any], redo: Callable[[], Any], table: str
    ) -> None:
        self.undo_stack.push(_Command(text, lambda: undo(), lambda: redo(), self, table))
        self.changed.emit(table)

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

    def notify_all(self) -> None:
        """Tell every view to reload (after a bulk change such as demo data)."""
        self.changed.emit("")
