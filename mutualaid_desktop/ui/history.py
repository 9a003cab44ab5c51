"""The window's undo history: one list of changes, each with its label and its view.

Each entry holds a recorded change (store/changes.py) and the page it was
made on. Undoing applies the change's undo in the core and swaps the entry's
change for the inverse the core returns, which is what Redo applies. A step
that fails (a locked or full disk) leaves the history exactly as it was, so
nothing is ever reported as undone that was not.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from mutualaid_desktop.store.changes import ChangeSet

LIMIT = 200  # entries kept; the oldest go first

# The page that shows each kind of record, in the order that decides when a
# change touched several (a deleted household takes its needs and stops along).
VIEWS = (
    ("contacts", "contacts"),
    ("needs", "needs"),
    ("delivery_runs", "deliveries"),
    ("stops", "deliveries"),
    ("rides", "rides"),
    ("driver_profiles", "rides"),
    ("conflicts", "sync"),
    ("organization", "settings"),
    ("box_types", "settings"),
    ("box_items", "settings"),
    ("items", "settings"),
)


def view_of(changes: ChangeSet) -> str:
    tables = changes.tables
    return next((view for table, view in VIEWS if table in tables), "today")


@dataclass
class Entry:
    label: str  # "Plan routes for Fri 4 Dec"
    view: str  # the page to show before undoing or redoing it
    changes: ChangeSet  # what undoing it puts back; swapped for its inverse each time


class History(QObject):
    """Undo and redo over the database's recorded changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._index = 0  # entries before it are done; from it on, undone (redo-able)

    def push(self, entry: Entry) -> None:
        del self._entries[self._index :]
        self._entries.append(entry)
        del self._entries[:-LIMIT]
        self._index = len(self._entries)
        self.changed.emit()

    def clear(self) -> None:
        self._entries.clear()
        self._index = 0
        self.changed.emit()

    def next_undo(self) -> Entry | None:
        return self._entries[self._index - 1] if self._index > 0 else None

    def next_redo(self) -> Entry | None:
        return self._entries[self._index] if self._index < len(self._entries) else None

    def undone(self, inverse: ChangeSet) -> None:
        """The entry before the index was undone: its redo is `inverse`."""
        self._index -= 1
        self._entries[self._index].changes = inverse
        self.changed.emit()

    def redone(self, inverse: ChangeSet) -> None:
        self._entries[self._index].changes = inverse
        self._index += 1
        self.changed.emit()

    def labels(self) -> list[str]:
        """Every entry's label, oldest first (for tests and the log)."""
        return [e.label for e in self._entries]
