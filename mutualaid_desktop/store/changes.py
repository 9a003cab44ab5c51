"""What one change did to the records, so that Edit › Undo can put them back.

`Store.recording(label)` remembers every record a block of writes touches,
as it was before and as it is after. Undoing writes the earlier values back
as new, stamped edits (sync carries an undo like any other edit), field group
by field group, and only where the record still holds what the change left:
a value someone changed since (another window, an imported bundle) is kept
and reported, never overwritten. Undo returns the inverse change, whose undo
is the redo.

Changes that bypass the store's write methods (a bundle's merge) are taken
as snapshots of the records they may touch: `capture` before and after, then
`ChangeSet.between`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutualaid_desktop.store.store import Store
    from mutualaid_desktop.store.tables import TableSpec

Key = tuple[str, str]  # (table, record id)

# A change touching more records than this (a group's first full import) is not
# kept for undo: holding every row twice would cost more memory than the change
# itself, and the backup taken before it restores it.
UNDO_LIMIT = 20_000


@dataclass(frozen=True)
class RowState:
    """A record's data columns and whether it is live (not deleted)."""

    live: bool
    values: dict[str, Any]


@dataclass(frozen=True)
class RowChange:
    table: str
    id: str
    before: RowState | None  # None: the change created the record
    after: RowState


@dataclass(frozen=True)
class LocalChange:
    """A device-local bookkeeping value a change moved (a conflict marked settled)."""

    table: str
    key_column: str
    key: str
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class ChangeSet:
    """One undoable change: its label ("Plan routes for Fri 4 Dec") and what it did."""

    label: str
    rows: list[RowChange] = field(default_factory=list)
    local: list[LocalChange] = field(default_factory=list)
    _tracked: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list, repr=False)

    @property
    def empty(self) -> bool:
        return not self.rows and not self.local

    @property
    def tables(self) -> set[str]:
        return {r.table for r in self.rows} | {c.table for c in self.local}

    def ids(self, table: str) -> list[str]:
        return [r.id for r in self.rows if r.table == table]

    def track(self, store: Store, table: str, key_column: str, key: str) -> None:
        """Remember a device-local row (a conflict) as it is now, to put it back on undo."""
        row = _local_row(store, table, key_column, key)
        self._tracked.append((table, key_column, key, row))

    def undo(self, store: Store) -> Undone:
        """Put back what this change replaced, where nothing changed it since.

        Raises (and writes nothing) when the database cannot be written.
        """
        kept: list[str] = []
        with store.recording(self.label) as inverse:
            for change in reversed(self.rows):
                _put_back(store, change, kept)
            for local in reversed(self.local):
                inverse.track(store, local.table, local.key_column, local.key)
                _put_back_local(store, local)
        return Undone(inverse, kept)

    @classmethod
    def between(
        cls, label: str, before: dict[Key, RowState | None], after: dict[Key, RowState | None]
    ) -> ChangeSet:
        """The change from one `capture` of some records to another."""
        rows = []
        for key, now in after.items():
            was = before.get(key)
            if now is not None and was != now:
                rows.append(RowChange(key[0], key[1], was, now))
        return cls(label, rows)


@dataclass(frozen=True)
class Undone:
    inverse: ChangeSet  # its undo is the redo
    kept: list[str]  # sentences: what was left as it is because it changed since


class Recorder:
    """Collects the records a `Store.recording` block touches, as they were first seen."""

    def __init__(self, changes: ChangeSet) -> None:
        self.changes = changes
        self._before: dict[Key, RowState | None] = {}

    def before(self, table: str, record_id: str, row: dict[str, Any] | None) -> None:
        key = (table, record_id)
        if key not in self._before:
            self._before[key] = None if row is None else state_of(_spec(table), row)

    def finish(self, store: Store) -> None:
        after = {key: _read(store, key) for key in self._before}
        self.changes.rows.extend(ChangeSet.between("", self._before, after).rows)
        for table, key_column, key, was in self.changes._tracked:
            now = _local_row(store, table, key_column, key)
            if now != was:
                self.changes.local.append(LocalChange(table, key_column, key, was, now))
        self.changes._tracked.clear()


def state_of(spec: TableSpec, row: dict[str, Any]) -> RowState:
    return RowState(row["_cl"] % 2 == 1, {c: row[c] for c in spec.columns[1:]})


def capture(store: Store, ids: Mapping[str, Sequence[str]]) -> dict[Key, RowState | None]:
    """The records named in `ids` ({table: [id, ...]}) as they are now (None: not there)."""
    out: dict[Key, RowState | None] = {}
    for table, wanted in ids.items():
        spec = _spec(table)
        select = f"SELECT {', '.join(spec.columns)}, _cl FROM {table} WHERE id IN "
        for start in range(0, len(wanted), 500):
            chunk = list(wanted[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = store.iter_rows(select + f"({marks})", chunk)
            found = {row["id"]: state_of(spec, row) for row in rows}
            for record_id in chunk:
                out[(table, record_id)] = found.get(record_id)
    return out


def _spec(table: str) -> TableSpec:
    from mutualaid_desktop.store.tables import SPECS

    return SPECS[table]


def _read(store: Store, key: Key) -> RowState | None:
    raw = store._raw(_spec(key[0]), key[1])
    return None if raw is None else state_of(_spec(key[0]), raw)


def _columns(spec: TableSpec, fields: Iterable[str]) -> list[str]:
    return [c for f in fields for c in spec.columns_of(f)]


def _put_back(store: Store, change: RowChange, kept: list[str]) -> None:
    spec = _spec(change.table)
    current = _read(store, (change.table, change.id))
    if current is None:
        return
    target, left = change.before, change.after
    if target is None:
        # The change created the record: undoing it deletes it, with whatever
        # was added to it since (the redo brings those back too).
        if current.live:
            store.delete(spec.model, change.id)
        return
    values: dict[str, Any] = {}
    for group, fields in spec.groups.items():
        columns = _columns(spec, fields)
        now = [current.values[c] for c in columns]
        want = [target.values[c] for c in columns]
        if now == want:
            continue
        if now == [left.values[c] for c in columns]:
            values.update({c: target.values[c] for c in columns})
        else:
            kept.append(_changed_since(store, spec, change.id, group))
    flip = current.live != target.live
    if flip and current.live != left.live:
        # Deleted or brought back by someone else since: that decision stands.
        kept.append(_changed_since(store, spec, change.id, "deleted or kept"))
        flip = False
    if flip and target.live:
        store.restore(spec.model, change.id)
    if values:
        store.write_columns(spec.model, change.id, values)
    if flip and not target.live:
        store.tombstone(spec.model, change.id)


def _put_back_local(store: Store, local: LocalChange) -> None:
    current = _local_row(store, local.table, local.key_column, local.key)
    if current != local.after or not local.before:
        return
    assignments = ", ".join(f"{c} = ?" for c in local.before)
    store.conn.execute(
        f"UPDATE {local.table} SET {assignments} WHERE {local.key_column} = ?",
        [*local.before.values(), local.key],
    )


def _local_row(store: Store, table: str, key_column: str, key: str) -> dict[str, Any]:
    rows = list(store.iter_rows(f"SELECT * FROM {table} WHERE {key_column} = ?", (key,)))
    return rows[0] if rows else {}


def _changed_since(store: Store, spec: TableSpec, record_id: str, what: str) -> str:
    from mutualaid_desktop.store.store import describe

    return f"{describe(store, spec.model, record_id)}: {what.replace('_', ' ')}"
