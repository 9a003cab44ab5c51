"""What one change did to the records, so that Edit › Undo can put them back.

`Store.recording(label)` remembers every record a block of writes touches,
as it was before and as it is after. Undoing writes the earlier values back
as new, stamped edits (sync carries an undo like any other edit), field group
by field group, and only where the record still holds what the change left:
a value someone changed since (another window, an imported bundle) is kept
and reported, never overwritten. Undo returns the inverse change, whose undo
is the redo.

Records a change *creates* (most of a large import: a 20,000-row sign-up
sheet, a group's first full bundle) are kept compactly, as `Flipped`: their
ids and a mark of the stamps each held after the change, not their values.
Undoing deletes each one still exactly as the change left it (any later edit,
here or merged from a bundle, moves its stamps and so its mark: it is kept and
reported); the deleted rows keep their values, so the redo brings them back
the same way. Only records that existed before are held with their values.

Changes that bypass the store's write methods can also be taken as snapshots
of the records they may touch: `capture` before and after, then
`ChangeSet.between`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mutualaid_desktop.errors import Cancelled
from mutualaid_desktop.i18n import _

if TYPE_CHECKING:
    from mutualaid_desktop.store.store import Store
    from mutualaid_desktop.store.tables import TableSpec

Key = tuple[str, str]  # (table, record id)
Progress = Callable[[str, float], bool]  # (message, fraction) -> False once cancelled

_CHUNK = 500  # ids per query (SQLite's parameter limit is far above)
# Above this many records flipped at once, the search index is rebuilt after the
# transaction (search says "still indexing" meanwhile), as after a large import.
_INDEX_LATER_AT = 2000
_SCAN_AT = 5000  # records of one table above which their marks are read in one pass


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


@dataclass(frozen=True)
class Flipped:
    """Records a change brought to life (created them, or brought them back) or deleted,
    and changed nothing else of: their ids, and a mark of each one's stamps just after
    the change. A few bytes a record instead of its values twice."""

    table: str
    live: bool  # what the change left them: live (created, brought back) or deleted
    ids: list[str]
    marks: array[int]  # stamp_mark() of each, in the order of ids


def stamp_mark(row: Mapping[str, Any] | Sequence[Any]) -> int:
    """A number that changes whenever a record is edited, deleted or brought back.

    Every such write, here or merged from a bundle, stamps the record anew (its
    causal length, base stamp, origin or another group's stamp), so comparing
    marks tells whether it still holds what a change left. `row` is either a
    mapping with the stamp columns or the tuple (_cl, _hlc, _origin, _stamps).
    Marks are compared within one run of the program (a change is not kept past it).
    """
    if isinstance(row, Mapping):
        row = (row["_cl"], row["_hlc"], row["_origin"], row["_stamps"])
    return hash(tuple(row))


@dataclass
class ChangeSet:
    """One undoable change: its label ("Plan routes for Fri 4 Dec") and what it did."""

    label: str
    rows: list[RowChange] = field(default_factory=list)
    local: list[LocalChange] = field(default_factory=list)
    flipped: list[Flipped] = field(default_factory=list)
    # A bundle's import: undoing it is an edit the next bundle carries to the others
    # (its records deleted there too), so the window asks first.
    from_peer: bool = False
    _tracked: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list, repr=False)

    @property
    def empty(self) -> bool:
        return not self.rows and not self.local and not any(f.ids for f in self.flipped)

    @property
    def tables(self) -> set[str]:
        return (
            {r.table for r in self.rows}
            | {c.table for c in self.local}
            | {f.table for f in self.flipped if f.ids}
        )

    @property
    def size(self) -> int:
        """How many records undoing it may write (a large one runs as a background job)."""
        return len(self.rows) + len(self.local) + sum(len(f.ids) for f in self.flipped)

    def ids(self, table: str) -> list[str]:
        return [r.id for r in self.rows if r.table == table] + [
            i for f in self.flipped if f.table == table for i in f.ids
        ]

    def track(self, store: Store, table: str, key_column: str, key: str) -> None:
        """Remember a device-local row (a conflict) as it is now, to put it back on undo."""
        row = _local_row(store, table, key_column, key)
        self._tracked.append((table, key_column, key, row))

    def undo(self, store: Store, progress: Progress | None = None) -> Undone:
        """Put back what this change replaced, where nothing changed it since.

        Raises (and writes nothing) when the database cannot be written, or
        Cancelled when `progress` returns False (a large import's undo).
        """
        kept: list[str] = []
        with store.recording(self.label) as inverse:
            for change in reversed(self.rows):
                _put_back(store, change, kept)
            for local in reversed(self.local):
                inverse.track(store, local.table, local.key_column, local.key)
                _put_back_local(store, local)
            # Written directly, not through the recorder: their inverse is as compact.
            inverse.flipped.extend(_flip_back(store, self.flipped, kept, progress))
        inverse.from_peer = self.from_peer  # its redo's undo asks again
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
    """Collects the records a `Store.recording` block touches, as they were first seen.

    A record the block creates is remembered by its id alone (`Flipped`), a
    record that existed with its values.
    """

    def __init__(self, changes: ChangeSet) -> None:
        self.changes = changes
        self._before: dict[Key, RowState] = {}
        self._born: dict[str, dict[str, None]] = {}  # table -> ids created, in order

    def before(self, table: str, record_id: str, row: dict[str, Any] | None) -> None:
        born = self._born.get(table)
        if born is not None and record_id in born:
            return
        key = (table, record_id)
        if row is None:
            self._born.setdefault(table, {})[record_id] = None
        elif key not in self._before:
            self._before[key] = state_of(_spec(table), row)

    def created(self, table: str, ids: Iterable[str]) -> None:
        """`before` for many records about to be created (a bundle's new rows)."""
        self._born.setdefault(table, {}).update(dict.fromkeys(ids))

    def finish(self, store: Store) -> None:
        wanted: dict[str, list[str]] = {}
        for table, record_id in self._before:
            wanted.setdefault(table, []).append(record_id)
        after = capture(store, wanted)
        before: dict[Key, RowState | None] = dict(self._before)
        self.changes.rows.extend(ChangeSet.between("", before, after).rows)
        for table, ids in self._born.items():
            flipped = _marked(store, table, ids, live=True)
            if flipped.ids:  # created and deleted again within the change: nothing to undo
                self.changes.flipped.append(flipped)
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
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            rows = store.iter_rows(select + f"({marks})", chunk)
            found = {row["id"]: state_of(spec, row) for row in rows}
            for record_id in chunk:
                out[(table, record_id)] = found.get(record_id)
    return out


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stamp_rows(store: Store, table: str, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """{id: (_cl, _hlc, _origin, _stamps)} of the records of `ids` that exist."""
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, _cl, _hlc, _origin, _stamps FROM {table} WHERE id IN ({marks})"
    return {row[0]: row[1:] for row in store.conn.execute(sql, ids)}


def _marked(store: Store, table: str, ids: Collection[str], live: bool) -> Flipped:
    """Those of `ids` that are now `live` (or deleted), with their marks."""
    kept: list[str] = []
    marks: array[int] = array("q")
    if len(ids) >= _SCAN_AT and len(ids) * 4 >= _last_rowid(store, table):
        # Much of a table (a first import): one pass over it, in the file's order, is
        # several times quicker than looking each one up (and so is the undo after).
        wanted = ids if isinstance(ids, set | dict) else set(ids)
        select = f"SELECT id, _cl, _hlc, _origin, _stamps FROM {table}"
        for row in store.conn.execute(select):
            if row[0] in wanted and (row[1] % 2 == 1) == live:
                kept.append(row[0])
                marks.append(stamp_mark(row[1:]))
        return Flipped(table, live, kept, marks)
    for chunk in _chunks(ids):
        found = _stamp_rows(store, table, chunk)
        for record_id in chunk:
            stamps = found.get(record_id)
            if stamps is not None and (stamps[0] % 2 == 1) == live:
                kept.append(record_id)
                marks.append(stamp_mark(stamps))
    return Flipped(table, live, kept, marks)


def _last_rowid(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0)


def _flip_back(
    store: Store, flips: list[Flipped], kept: list[str], progress: Progress | None
) -> list[Flipped]:
    """Delete what `flips` brought to life, bring back what they deleted: each record
    only while it holds exactly what the change left. Returns the inverse flips."""
    from mutualaid_desktop.store.store import CASCADES

    total = sum(len(f.ids) for f in flips)
    if not total:
        return []
    done = 0
    next_hlc = store.reserve_stamps(total)
    inverse: list[Flipped] = []
    # What hangs off a record (a household's needs) goes first: a record the change
    # created is then kept if anything still hangs off it (a need added since, or one
    # edited since and so kept), as deleting it would take that along.
    for flip in sorted(reversed(flips), key=lambda f: f.table in CASCADES):
        spec = _spec(flip.table)
        flipped: list[str] = []
        for chunk in (c for part in _children_first(store, flip) for c in _chunks(part)):
            ids = [record_id for record_id, _mark in chunk]
            found = _stamp_rows(store, flip.table, ids)
            attached = _attached(store, flip.table, ids) if flip.live else set()
            ready: list[tuple[str, tuple[Any, ...]]] = []
            for record_id, mark in chunk:
                stamps = found.get(record_id)
                if stamps is None or (stamps[0] % 2 == 1) != flip.live:
                    continue  # gone, or already deleted (brought back) since: as wanted
                if stamp_mark(stamps) != mark:
                    kept.append(_changed_since(store, spec, record_id, _("edited since")))
                elif record_id in attached:
                    added = _("records added to it or edited since")
                    kept.append(_changed_since(store, spec, record_id, added))
                else:
                    ready.append((record_id, stamps))
            store.flip_many(flip.table, ready, live=not flip.live, first_hlc=next_hlc)
            next_hlc += len(ready)
            flipped.extend(record_id for record_id, _stamps in ready)
            done += len(chunk)
            said = _("{done} of {total} records").format(done=f"{done:,}", total=f"{total:,}")
            if progress is not None and not progress(said, done / total):
                raise Cancelled()
        later = total >= _INDEX_LATER_AT
        store.reindex_flipped(flip.table, flipped, live=not flip.live, later=later)
        inverse.append(_marked(store, flip.table, flipped, live=not flip.live))
    return inverse


def _children_first(store: Store, flip: Flipped) -> list[list[tuple[str, int]]]:
    """The flip's (id, mark) pairs, in two parts when its records hang off each other
    (a ride's way back off the ride): those hanging off another first, each part in
    chunks of its own, so a ride and its way back made by the change go together."""
    from mutualaid_desktop.store.store import CASCADES

    pairs = list(zip(flip.ids, flip.marks, strict=True))
    columns = [c for child, c, _which in CASCADES.get(flip.table, ()) if child == flip.table]
    if not flip.live or not columns:
        return [pairs]
    hanging: set[str] = set()
    for chunk in _chunks(flip.ids):
        marks = ",".join("?" * len(chunk))
        for column in columns:
            rows = store.conn.execute(
                f"SELECT id FROM {flip.table} WHERE id IN ({marks}) "
                f"AND COALESCE({column}, '') != ''",
                chunk,
            )
            hanging.update(r[0] for r in rows)
    return [[p for p in pairs if p[0] in hanging], [p for p in pairs if p[0] not in hanging]]


def _attached(store: Store, table: str, ids: list[str]) -> set[str]:
    """Those of `ids` with a live record hanging off them (that deleting would take along)."""
    from mutualaid_desktop.store.store import CASCADES

    marks = ",".join("?" * len(ids))
    out: set[str] = set()
    for child, column, which in CASCADES.get(table, ()):
        rows = store.conn.execute(
            f"SELECT DISTINCT {column} FROM {child} "
            f"WHERE {column} IN ({marks}) AND _cl % 2 = 1 AND ({which})",
            ids,
        )
        out.update(parent for (parent,) in rows)
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
