"""The store: the one way into the database.

Every write goes through `Store`, which stamps each changed field group with
the hybrid logical clock and this replica's id, keeps the causal length of
deletes, updates the search index and appends to the audit log, all in the
same transaction as the value (SYNC.md). Reads return pydantic records.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mutualaid_desktop import files
from mutualaid_desktop.domain.enums import Category
from mutualaid_desktop.domain.organization_id import ORGANIZATION_ID
from mutualaid_desktop.domain.phones import set_default_region
from mutualaid_desktop.errors import (
    NotFound,
    ReadOnlyDatabase,
    UserError,
    ValidationFailed,
)
from mutualaid_desktop.i18n import N_, _
from mutualaid_desktop.store import replica, search, sqlite_errors
from mutualaid_desktop.store.clock import HybridClock
from mutualaid_desktop.store.connection import (
    DatabaseKey,
    check_passphrase,
    connect,
    is_encrypted,
    sqlite,
)
from mutualaid_desktop.store.constants import (
    CL_GROUP,
    FORMAT_MARK,
    PURGED_CL,
    SCHEMA_VERSION,
    SHARED_TABLES,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from mutualaid_desktop.domain.base import Record
    from mutualaid_desktop.domain.organization import Organization
    from mutualaid_desktop.store.changes import ChangeSet, Recorder
    from mutualaid_desktop.store.tables import TableSpec

# The pydantic models (and the table specs built from them) are imported where
# first needed: opening a database and showing the Today view need neither.

log = logging.getLogger(__name__)
R = TypeVar("R", bound="Record")

_LIVE_TABLES = frozenset(SHARED_TABLES)

# Deleting a parent deletes the live children that mean nothing without it:
# (child table, column pointing at the parent, which children). A household's
# past stops and rides are history and stay.
CASCADES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "contacts": (
        ("needs", "contact_id", "1"),
        ("driver_profiles", "contact_id", "1"),
        ("stops", "contact_id", "outcome IS NULL"),
        ("rides", "rider_id", "status IN ('requested', 'offered', 'confirmed')"),
    ),
    "delivery_runs": (("stops", "run_id", "1"),),
    # A ride's way back, unless it already took place or was called off.
    "rides": (("rides", "outbound_ride_id", "status IN ('requested', 'offered', 'confirmed')"),),
    "box_types": (("box_items", "box_type_id", "1"),),
}
Stamp = tuple[int, int]  # (hlc, local replica index)


def _now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _tables() -> Any:
    from mutualaid_desktop.store import tables

    return tables


def spec_for(model: type[Record]) -> TableSpec:
    return _tables().spec_for(model)  # type: ignore[no-any-return]


def _validation_error() -> type[Exception]:
    from pydantic import ValidationError

    return ValidationError


def _problems(error: Exception) -> dict[str, str]:
    from mutualaid_desktop.domain.validation import problems_of

    return problems_of(error)  # type: ignore[arg-type]


def row_stamps(spec: TableSpec, row: dict[str, Any]) -> dict[str, Stamp]:
    """Every field group's stamp (and the causal-length stamp) of a stored row."""
    base: Stamp = (row["_hlc"], row["_origin"])
    stamps = {group: base for group in spec.groups}
    stamps[CL_GROUP] = base
    if row.get("_stamps"):
        for group, (hlc, origin) in json.loads(row["_stamps"]).items():
            stamps[group] = (hlc, origin)
    return stamps


def is_placeholder(stamps: dict[str, Stamp]) -> bool:
    """Whether a row holds only a tombstone received from another laptop: every field
    stamped zero (blank values), only its deletion stamped."""
    return all(hlc == 0 for group, (hlc, _o) in stamps.items() if group != CL_GROUP)


def pack_stamps(stamps: dict[str, Stamp]) -> dict[str, Any]:
    """The sync columns for a set of stamps: the most common one as base, the rest listed."""
    counts: dict[Stamp, int] = {}
    for stamp in stamps.values():
        counts[stamp] = counts.get(stamp, 0) + 1
    base = max(counts, key=lambda s: (counts[s], s))
    extra = {g: list(s) for g, s in sorted(stamps.items()) if s != base}
    return {
        "_hlc": base[0],
        "_origin": base[1],
        "_stamps": json.dumps(extra, separators=(",", ":")) if extra else None,
        "_updated": max(s[0] for s in stamps.values()),
    }


class Store:
    """An open database: records in, records out, every write stamped."""

    def __init__(
        self,
        conn: sqlite.Connection,
        path: Path | None,
        key: DatabaseKey | None = None,
        read_only_reason: str = "",
    ) -> None:
        self.conn = conn
        self._db: Database | None = None
        self.path = path
        self.key = key
        # Why this database can only be read ("" when it can be written).
        self.read_only_reason = read_only_reason
        self._recorder: Recorder | None = None
        meta = self.meta()
        if meta.get("format") != FORMAT_MARK:
            raise UserError(_("{path} is not a Mutual Aid Desktop database.").format(path=path))
        self.replica_id = meta["replica_id"]
        self.organizer = meta.get("organizer", "")
        self.clock = HybridClock(int(meta.get("hlc", "0")))
        self.origin = self._origin_index(self.replica_id)
        self._remembered_at = 0.0
        self._closed = False
        self._discarded_changes = 0
        self._apply_organization_defaults()

    # -- opening ----------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str | None,
        organizer: str,
        org_name: str | None = None,
        key: DatabaseKey | None = None,
    ) -> Store:
        """A new, empty database at `path` (None: in memory), encrypted with `key` if given.

        The command line and the window encrypt new databases unless told not to;
        here no key means a plain file. The file is built under a temporary name
        beside `path` and renamed when complete: a full disk or a crash never
        leaves an empty or half-made database behind.
        """
        if path is None:
            return cls._build(None, organizer, org_name, None)
        path = Path(path)
        if path.exists():
            raise UserError(_("{path} already exists; choose another file name.").format(path=path))
        try:
            files.private_folder(path.parent)
            # mkstemp makes the name 0600; the connection factory keeps that mode.
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
            os.close(fd)
        except OSError as error:
            raise sqlite_errors.translate(error) or UserError(
                _("Cannot create {path}: {strerror}.").format(path=path, strerror=error.strerror)
            ) from None
        tmp = Path(name)
        tmp.unlink()  # SQLite makes the file itself
        try:
            built = cls._build(tmp, organizer, org_name, key)
            replica_id, hlc = built.replica_id, built.persisted_hlc()
            built.close()
            if path.exists():
                raise UserError(
                    _("{path} already exists; choose another file name.").format(path=path)
                )
            os.replace(tmp, path)
        except BaseException as error:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            translated = sqlite_errors.translate(error, path)
            if translated is not None and translated is not error:
                raise translated from None
            raise
        files.fsync_folder(path.parent)
        replica.remember(path, replica_id, hlc)
        return cls.open(path, key)

    @classmethod
    def _build(
        cls, path: Path | None, organizer: str, org_name: str | None, key: DatabaseKey | None
    ) -> Store:
        from sqlite_utils import Database

        from mutualaid_desktop.store import schema

        conn = _connect(path, key if path is not None else None)
        db = Database(conn, execute_plugins=False)
        schema.upgrade(db)
        replica_id = str(uuid.uuid4())
        with db.atomic():
            conn.execute(
                "INSERT INTO replicas (replica_id, organizer) VALUES (?, ?)",
                (replica_id, organizer.strip()),
            )
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("format", FORMAT_MARK),
                    ("replica_id", replica_id),
                    ("group_id", str(uuid.uuid4())),
                    # Names this database's backups (store/backup.py); kept by a restore.
                    ("database_id", str(uuid.uuid4())),
                    ("organizer", organizer.strip()),
                    ("created_at", _now_text()),
                    ("hlc", "0"),
                ],
            )
        # Built under a temporary name: `create` records the replica for the final one.
        store = cls(conn, None, key)
        store._db = db
        from mutualaid_desktop.domain.organization import Organization

        # The group's settings start as defaults, stamped zero, so that joining
        # another organizer's group never overwrites their settings with ours.
        store.insert_many([Organization()], as_default=True)
        if org_name:
            store.update(Organization, ORGANIZATION_ID, name=org_name)
        return store

    @classmethod
    def open(
        cls,
        path: Path | str,
        key: DatabaseKey | None = None,
        read_only: bool = False,
        purge_expired: bool = True,
    ) -> Store:
        """Open an existing database, upgrading its schema and checking its replica id.

        An encrypted file needs its `key` (PassphraseRequired without one,
        WrongPassphrase with the wrong one); a plain file ignores it.
        A file or folder that cannot be written opens for reading only
        (`read_only_reason` says why), as does any file with `read_only`:
        then nothing at all is written to it (`mutualaid check`).
        """
        path = Path(path)
        if not path.exists():
            raise UserError(
                _(
                    "There is no database at {path}; create one with `mutualaid init --db {path}`."
                ).format(path=path)
            )
        if path.is_dir():
            raise UserError(
                _("{path} is a folder: choose the database file in it.").format(path=path)
            )
        check_passphrase(path, key)
        if not is_encrypted(path):
            key = None
        reason = N_("opened for reading only") if read_only else _why_read_only(path)
        version = _check_is_ours(path, key)
        try:
            conn = _connect_read_only(path, key, read_only) if reason else _connect(path, key)
            store = cls(conn, path, key, reason)
        except sqlite.Error as error:
            raise sqlite_errors.translate(error, path) or error from None
        if not reason:
            for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                files.tighten(part)  # made by an earlier version, before files were private
        try:
            if version < SCHEMA_VERSION:
                if reason:
                    raise ReadOnlyDatabase(
                        _(
                            "{name} was made by an earlier version of Mutual Aid Desktop and must "
                            "be upgraded, which needs to write to it: copy it to a folder you can "
                            "write to and open it there."
                        ).format(name=path.name)
                    )
                # A copy as it was, before the migrations change it.
                from mutualaid_desktop.store import backup, schema

                backup.make_backup(store, "before-upgrade")
                schema.upgrade(store.db)
            if not reason:
                why = replica.needs_new_id(path, store.replica_id, store.persisted_hlc())
                if why:
                    store.remint_replica(why)
        except BaseException:
            store.conn.close()
            raise
        if not reason and purge_expired:
            store._purge_expired()
        return store

    def _purge_expired(self) -> None:
        """Erase what deleted records held once their recently-deleted period is over
        (store/purge.py). On every writable open: a laptop closed for months, or a backup
        just restored, holds nothing past its time for longer than it takes to open."""
        from mutualaid_desktop.store.purge import purge_expired

        try:
            purge_expired(self)
        except UserError as error:
            # Another writer holds the lock, a full disk: the next open tries again.
            log.warning("deleted records past their period were not purged: %s", error)

    def reopen(self) -> Store:
        """Another connection to the same file, for a background thread (same key)."""
        if self.path is None:
            raise ValueError("an in-memory database cannot be opened twice")
        return Store.open(
            self.path, self.key, read_only=self.read_only_reason == "opened for reading only"
        )

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self.read_only:
            self._remember(force=True)
        if self.conn.total_changes > self._discarded_changes:
            with contextlib.suppress(sqlite.Error):
                # Keeps the query planner's statistics fresh. Only after writes:
                # a session that changed nothing (a refused import) must leave
                # the file byte for byte as it was.
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def rolled_back(self) -> None:
        """After a rollback: the clock returns to what is saved, and closing writes nothing."""
        self._discarded_changes = self.conn.total_changes
        self.clock.last = self.persisted_hlc()

    @property
    def closed(self) -> bool:
        return self._closed

    def analyze(self) -> None:
        """Refresh the query planner's statistics after a large change."""
        self.conn.execute("ANALYZE")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection (transactions), made on first use."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    # -- device-local state -----------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, key: str, value: str) -> None:
        # In a transaction of its own: a bare INSERT would open an implicit one
        # that nothing commits, and every later write would be lost with it.
        with self.transaction():
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def reload_replica_state(self) -> None:
        """Re-read the clock after another connection wrote to this file (a background job)."""
        self.clock.observe(self.persisted_hlc())

    def persisted_hlc(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()
        return int(row[0]) if row else 0

    def _origin_index(self, replica_id: str, organizer: str = "") -> int:
        row = self.conn.execute(
            "SELECT idx FROM replicas WHERE replica_id = ?", (replica_id,)
        ).fetchone()
        if row:
            return int(row[0])
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO replicas (replica_id, organizer) VALUES (?, ?)",
                (replica_id, organizer),
            )
        return int(cur.lastrowid or 0)

    def replica_uuid(self, index: int) -> str:
        row = self.conn.execute(
            "SELECT replica_id FROM replicas WHERE idx = ?", (index,)
        ).fetchone()
        if row is None:
            raise KeyError(index)
        return str(row[0])

    def remint_replica(self, reason: str) -> None:
        """Give this database a new replica id (it was copied or restored)."""
        new_id = str(uuid.uuid4())
        with self.transaction():
            # This file holds every edit of its old id up to its clock: sync's
            # knowledge vector says so, or deltas would resend all of them.
            self.conn.execute(
                "INSERT INTO sync_knowledge (replica_id, hlc) VALUES (?, ?) "
                "ON CONFLICT(replica_id) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
                (self.replica_id, self.persisted_hlc()),
            )
            self.replica_id = new_id
            self.origin = self._origin_index(new_id, self.organizer)
            self.set_meta("replica_id", new_id)
            self._audit("replica", "database", None, "new replica id")
        log.info("new replica id for %s: %s", self.path, reason)
        self._remember(force=True)

    def _remember(self, force: bool = False) -> None:
        if self.path is None or self.read_only:
            return
        # Throttled: a crash may leave the record a little behind, which only
        # ever causes a harmless extra re-mint, never a missed one.
        if force or time.monotonic() - self._remembered_at > 10:
            replica.remember(self.path, self.replica_id, self.persisted_hlc())
            self._remembered_at = time.monotonic()

    def _apply_organization_defaults(self) -> None:
        row = self.conn.execute(
            "SELECT phone_region FROM organization WHERE id = ?", (ORGANIZATION_ID,)
        ).fetchone()
        if row:
            set_default_region(row[0])

    # -- transactions -----------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group several writes into one all-or-nothing change.

        The outermost one starts with BEGIN IMMEDIATE: it waits (the busy
        timeout) for another writer to finish *before* reading anything, so
        an update or delete never fails at once on a snapshot gone stale.
        A lock held too long, a full disk or a read-only file raises one
        sentence (sqlite_errors), and nothing of the change is kept.
        """
        if self.read_only:
            raise ReadOnlyDatabase(sqlite_errors.READ_ONLY)
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sp_{uuid.uuid4().hex}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite.Error as error:
            raise sqlite_errors.translate(error, self.path) or error from None
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                conn.rollback()
            self.rolled_back()
            translated = sqlite_errors.translate(error, self.path)
            if translated is not None and translated is not error:
                raise translated from None
            raise
        self._remember()

    @contextmanager
    def recording(self, label: str, transaction: bool = True) -> Iterator[ChangeSet]:
        """One undoable change: every record written inside is remembered as it was before.

        The ChangeSet yielded is filled when the block ends (in the same
        transaction); `ChangeSet.undo` puts the records back. A recording
        inside another one adds to the outer one. With `transaction=False`
        the block commits its own, and the change is read just after it: an
        import, whose transaction must be the outermost (a bundle's backs up
        first; any other, as a savepoint, would have SQLite copy every page it
        changes aside).
        """
        from mutualaid_desktop.store.changes import ChangeSet, Recorder

        if self._recorder is not None:
            yield self._recorder.changes
            return
        recorder = Recorder(ChangeSet(label))
        self._recorder = recorder
        try:
            if transaction:
                with self.transaction():
                    yield recorder.changes
                    recorder.finish(self)
            else:
                yield recorder.changes
                self._recorder = None
                recorder.finish(self)
        finally:
            self._recorder = None

    def _touch(self, table: str, record_id: str, row: dict[str, Any] | None) -> None:
        """Note a record as it is before a write (None: it does not exist yet)."""
        if self._recorder is not None:
            self._recorder.before(table, record_id, row)

    def touch_many(self, table: str, ids: Sequence[str], new: bool = False) -> None:
        """`_touch` for writes that bypass the store's methods (a bundle's merge):
        `ids` are about to be written, or with `new` created. Nothing unless recording."""
        if self._recorder is None:
            return
        if new:
            self._recorder.created(table, ids)
            return
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            cur = self.conn.execute(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk)
            names = [d[0] for d in cur.description]
            for row in cur:
                self._recorder.before(table, row[0], dict(zip(names, row, strict=True)))

    def flip_many(
        self,
        table: str,
        rows: Sequence[tuple[str, tuple[Any, ...]]],
        live: bool,
        first_hlc: int,
    ) -> None:
        """Delete (or bring back) many records alone, each with a new deletion stamp: the
        undo of an import. `rows` are (id, (_cl, _hlc, _origin, _stamps)) as read just
        before, in this transaction; their stamps are `first_hlc` on, which the caller
        took from the clock (`reserve_stamps`). The search index is the caller's too
        (`reindex_flipped`)."""
        if not rows:
            return
        spec = _tables().SPECS[table]
        # Most imported records carry one stamp for every field group: the new deletion
        # stamp is then the only one listed apart, as pack_stamps would write it.
        one_stamp_packs = len(spec.groups) > 1
        updates = []
        for now, (record_id, (cl, hlc, origin, extra)) in enumerate(rows, start=first_hlc):
            if extra is None and one_stamp_packs:
                listed = f'{{"{CL_GROUP}":[{now},{self.origin}]}}'
                updates.append([cl + 1, hlc, origin, listed, now, record_id])
                continue
            stamps = row_stamps(spec, {"_hlc": hlc, "_origin": origin, "_stamps": extra})
            stamps[CL_GROUP] = (now, self.origin)
            updates.append([cl + 1, *pack_stamps(stamps).values(), record_id])
        with self.transaction():
            self.conn.executemany(
                f"UPDATE {table} SET _cl = ?, _hlc = ?, _origin = ?, _stamps = ?, _updated = ? "
                "WHERE id = ?",
                updates,
            )
            self.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'hlc'", (str(self.clock.last),)
            )
            action = "restore" if live else "delete"
            if len(rows) <= 50:
                for record_id, _stamps in rows:
                    self._audit(action, table, record_id)
            else:
                self._audit(action, table, None, f"{len(rows)} records")

    def reserve_stamps(self, n: int) -> int:
        """The first of `n` consecutive stamps, all within a few milliseconds of now.

        One undo of a large import stamps every record it deletes from such a block:
        Recently deleted then folds a household's needs under it (deleted within a
        second of it), however long the undo took.
        """
        first = self.clock.now()
        self.clock.observe(first + n)
        return first

    def reindex_flipped(self, table: str, ids: list[str], live: bool, later: bool) -> None:
        """The search index after `flip_many`: at once, or (`later`, many records) rebuilt
        after the transaction, as after a large import (Session.finish_indexing)."""
        if not ids:
            return
        if later:
            search.mark_stale(self.conn, {table})
        elif live:
            search.reindex(self.conn, table, ids)
        else:
            search.unindex(self.conn, table, ids)

    def _tick(self) -> int:
        hlc = self.clock.now()
        self.conn.execute("UPDATE meta SET value = ? WHERE key = 'hlc'", (str(hlc),))
        return hlc

    def _audit(self, action: str, entity: str, row_id: str | None, detail: str = "") -> None:
        # Field names and counts only: the audit text never holds personal data.
        self.conn.execute(
            "INSERT INTO audit (id, hlc, origin, organizer, action, entity, row_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(uuid.uuid4()),
                self.clock.last,
                self.replica_id,
                self.organizer,
                action,
                entity,
                row_id,
                detail,
            ),
        )

    # -- writes -----------------------------------------------------------

    def insert(self, record: R) -> R:
        """Add a new record."""
        self.insert_many([record])
        return record

    def insert_many(
        self, records: Sequence[Record], audit_each: bool = True, as_default: bool = False
    ) -> None:
        """Add many records of one kind in one transaction (bulk imports, demo data).

        `as_default` stamps them zero: values every new database starts with,
        which any real edit, here or in another organizer's bundle, beats.
        """
        if not records:
            return
        spec = spec_for(type(records[0]))
        columns = (*spec.columns, "_cl", "_hlc", "_origin", "_stamps", "_updated")
        sql = (
            f"INSERT INTO {spec.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        with self.transaction():
            rows = []
            for record in records:
                if type(record) is not spec.model:
                    raise TypeError("insert_many takes records of one kind")
                hlc = 0 if as_default else self.clock.now()
                row = spec.to_row(record)
                rows.append([*row.values(), 1, hlc, self.origin, None, hlc])
                self._touch(spec.name, record.id, None)
            try:
                self.conn.executemany(sql, rows)
            except sqlite.IntegrityError as error:
                raise _integrity_error(spec, error) from None
            self.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'hlc'", (str(self.clock.last),)
            )
            ids = [r.id for r in records]
            search.reindex(self.conn, spec.name, ids)
            if audit_each and len(records) <= 50:
                for record in records:
                    self._audit("create", spec.name, record.id)
            else:
                self._audit("create", spec.name, None, f"{len(records)} records")

    def update(self, model: type[R], record_id: str, **changes: Any) -> R:
        """Change some fields of a record; only the groups that changed get new stamps."""
        return self.update_stamping(model, record_id, changes, ())

    def update_stamping(
        self, model: type[R], record_id: str, changes: dict[str, Any], touch: Sequence[str]
    ) -> R:
        """`update`, stamping the groups named in `touch` even if their value stays.

        A conflict settled in favour of the current value is an edit too, so
        the other laptops learn of the decision.
        """
        current = self.get(model, record_id)
        if current is None:
            raise NotFound(
                _("That {noun} no longer exists; it may have been deleted.").format(
                    noun=_noun(model)
                )
            )
        data = current.model_dump()
        unknown = set(changes) - set(data)
        if unknown:
            raise TypeError(f"unknown fields for {model.__name__}: {sorted(unknown)}")
        data.update(changes)
        try:
            updated = model.model_validate(data)
        except _validation_error() as error:
            raise ValidationFailed(_problems(error)) from None
        return self._write_changes(current, updated, touch)

    def save(self, record: R) -> R:
        """Store `record`: insert it if new, otherwise write the fields that changed."""
        current = self.get(type(record), record.id, include_deleted=True)
        if current is None:
            return self.insert(record)
        # Re-validate: validate_assignment does not run model validators on nested edits.
        try:
            checked = type(record).model_validate(record.model_dump())
        except _validation_error() as error:
            raise ValidationFailed(_problems(error)) from None
        return self._write_changes(current, checked)

    def _write_changes(self, current: R, updated: R, touch: Sequence[str] = ()) -> R:
        spec = spec_for(type(current))
        old_row = spec.to_row(current)
        new_row = spec.to_row(updated)
        changed_groups = sorted(
            {
                spec.group_of[f]
                for f in spec.fields
                if any(old_row[c] != new_row[c] for c in spec.columns_of(f))
            }
            | set(touch)
        )
        if not changed_groups:
            return updated
        with self.transaction():
            stored = self._raw(spec, current.id)
            if stored is None:
                raise NotFound(_("That {noun} no longer exists.").format(noun=_noun(type(current))))
            self._touch(spec.name, current.id, stored)
            stamps = row_stamps(spec, stored)
            hlc = self._tick()
            for group in changed_groups:
                stamps[group] = (hlc, self.origin)
            columns = [
                c for g in changed_groups for f in spec.groups[g] for c in spec.columns_of(f)
            ]
            values = {c: new_row[c] for c in columns} | pack_stamps(stamps)
            assignments = ", ".join(f"{c} = :{c}" for c in values)
            try:
                self.conn.execute(
                    f"UPDATE {spec.name} SET {assignments} WHERE id = :id",
                    values | {"id": current.id},
                )
            except sqlite.IntegrityError as error:
                raise _integrity_error(spec, error) from None
            search.reindex(self.conn, spec.name, [current.id])
            self._audit("update", spec.name, current.id, ",".join(changed_groups))
        if spec.name == "organization":
            self._apply_organization_defaults()
        return updated

    def delete(self, model: type[Record], record_id: str) -> list[tuple[str, str]]:
        """Delete a record and what only makes sense with it (a contact's needs, a run's stops).

        Each deletion is a tombstone that sync carries. Returns every (table, id)
        deleted, which `restore_many` brings back (Undo).
        """
        deleted: list[tuple[str, str]] = []
        with self.transaction():
            if self._bump_causal_length(model, record_id, want_live=False):
                deleted.append((model.__table__, record_id))
            for child_table, column, which in CASCADES.get(model.__table__, ()):
                ids = [
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT id FROM {child_table} "
                        f"WHERE {column} = ? AND _cl % 2 = 1 AND ({which})",
                        (record_id,),
                    )
                ]
                for child_id in ids:
                    deleted.extend(self.delete(_tables().SPECS[child_table].model, child_id))
        return deleted

    def restore(self, model: type[Record], record_id: str) -> None:
        """Bring one deleted record back."""
        self._bump_causal_length(model, record_id, want_live=True)

    def tombstone(self, model: type[Record], record_id: str) -> None:
        """Delete one record alone, without what hangs off it (Undo of a restore)."""
        self._bump_causal_length(model, record_id, want_live=False)

    def write_columns(self, model: type[Record], record_id: str, columns: dict[str, Any]) -> None:
        """Put stored column values back into a record, live or deleted (Undo).

        Only the field groups whose values differ get new stamps.
        """
        spec = spec_for(model)
        raw = self._raw(spec, record_id)
        if raw is None:
            raise NotFound(_("That {noun} does not exist.").format(noun=_noun(model)))
        if raw["_cl"] >= PURGED_CL:
            raise NotFound(
                _("That {noun} was purged: what it held was erased for good.").format(
                    noun=_noun(model)
                )
            )
        current = model.model_validate(spec.to_data(raw))
        raw.update(columns)
        try:
            updated = model.model_validate(spec.to_data(raw))
        except _validation_error() as error:
            raise ValidationFailed(_problems(error)) from None
        self._write_changes(current, updated)

    def restore_many(self, deleted: Sequence[tuple[str, str]]) -> None:
        """Undo a `delete`: bring back everything it removed, parents first."""
        with self.transaction():
            for table, record_id in deleted:
                self._bump_causal_length(_tables().SPECS[table].model, record_id, want_live=True)

    def restamp_causal_length(self, model: type[Record], record_id: str) -> None:
        """Stamp a record's deleted-or-live state anew without changing it.

        Settling a deletion conflict in favour of what is there is a decision
        too; the new stamp carries it to the other laptops.
        """
        self._stamp_causal_length(model, record_id, want_live=None)

    def _bump_causal_length(self, model: type[Record], record_id: str, want_live: bool) -> bool:
        return self._stamp_causal_length(model, record_id, want_live)

    def _stamp_causal_length(
        self, model: type[Record], record_id: str, want_live: bool | None
    ) -> bool:
        """Make the record live or deleted (None: keep it as it is), with a new stamp."""
        spec = spec_for(model)
        with self.transaction():
            row = self._raw(spec, record_id)
            if row is None:
                raise NotFound(_("That {noun} does not exist.").format(noun=_noun(model)))
            live = row["_cl"] % 2 == 1
            if want_live is not None and live == want_live:
                return False
            self._touch(spec.name, record_id, row)
            stamps = row_stamps(spec, row)
            if want_live and row["_cl"] >= PURGED_CL:
                raise NotFound(
                    _(
                        "That {noun} was purged: what it held was erased for good, "
                        "so there is nothing to bring back."
                    ).format(noun=_noun(model))
                )
            if want_live and is_placeholder(stamps):
                raise NotFound(
                    _(
                        "That {noun} was deleted on another laptop before this one received "
                        "it: there is nothing here to bring back."
                    ).format(noun=_noun(model))
                )
            stamps[CL_GROUP] = (self._tick(), self.origin)
            bump = 0 if want_live is None else 1
            values = {"_cl": row["_cl"] + bump} | pack_stamps(stamps)
            assignments = ", ".join(f"{c} = :{c}" for c in values)
            self.conn.execute(
                f"UPDATE {spec.name} SET {assignments} WHERE id = :id", values | {"id": record_id}
            )
            if want_live is None:
                self._audit("settle", spec.name, record_id)
            elif want_live:
                search.reindex(self.conn, spec.name, [record_id])
                self._audit("restore", spec.name, record_id)
            else:
                search.unindex(self.conn, spec.name, [record_id])
                self._audit("delete", spec.name, record_id)
        return True

    # -- reads ------------------------------------------------------------

    def _raw(self, spec: TableSpec, record_id: str) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {spec.name} WHERE id = ?", (record_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def get(self, model: type[R], record_id: str, include_deleted: bool = False) -> R | None:
        """One record by id (None if missing or deleted)."""
        row = self._raw(spec_for(model), record_id)
        if row is None or (row["_cl"] % 2 == 0 and not include_deleted):
            return None
        return model.model_validate(spec_for(model).to_data(row))

    def require(self, model: type[R], record_id: str) -> R:
        record = self.get(model, record_id)
        if record is None:
            raise NotFound(
                _("That {noun} no longer exists; it may have been deleted.").format(
                    noun=_noun(model)
                )
            )
        return record

    def is_deleted(self, model: type[Record], record_id: str) -> bool:
        row = self.conn.execute(
            f"SELECT _cl FROM {model.__table__} WHERE id = ?", (record_id,)
        ).fetchone()
        return row is not None and row[0] % 2 == 0

    def select(
        self,
        model: type[R],
        where: str = "",
        params: Sequence[Any] | dict[str, Any] = (),
        order_by: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[R]:
        """Live records matching an SQL condition on the table's columns."""
        spec = spec_for(model)
        sql = f"SELECT * FROM {spec.name} WHERE _cl % 2 = 1"
        if where:
            sql += f" AND ({where})"
        if order_by:
            sql += f" ORDER BY {order_by}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [
            model.model_validate(spec.to_data(dict(zip(names, row, strict=True))))
            for row in cur.fetchall()
        ]

    def iter_rows(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> Iterable[dict[str, Any]]:
        """Plain dict rows of a read query (tables, reports)."""
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    def count(self, model: type[Record], where: str = "", params: Sequence[Any] = ()) -> int:
        return self.count_rows(model.__table__, where, params)

    def count_rows(self, table: str, where: str = "", params: Sequence[Any] = ()) -> int:
        """Live rows of `table` (by name: no model needed)."""
        if table not in _LIVE_TABLES:
            raise ValueError(table)
        sql = f"SELECT count(*) FROM {table} WHERE _cl % 2 = 1"
        if where:
            sql += f" AND ({where})"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def organization(self) -> Organization:
        from mutualaid_desktop.domain.organization import Organization

        org = self.get(Organization, ORGANIZATION_ID)
        return org if org is not None else Organization()

    def organization_name(self) -> str:
        """The group's name, without building the organization record (start-up path)."""
        row = self.conn.execute(
            "SELECT name FROM organization WHERE id = ? AND _cl % 2 = 1", (ORGANIZATION_ID,)
        ).fetchone()
        return str(row[0]) if row else ""

    def search(self, text: str, limit: int = 50) -> list[search.SearchHit]:
        """Contacts and needs matching what a person typed.

        An index left to rebuild after an import (or by one interrupted) is
        finished first: the command line can wait a few seconds for it.
        """
        search.rebuild_stale(self.conn)
        return search.search(self.conn, text, limit)


# How the organizer knows a record: a query for its parts, and the words around them.
_DESCRIPTIONS = {
    # The words are translated where used (`describe`).
    "contacts": ("SELECT name FROM contacts WHERE id = ?", N_("contact {0}")),
    "needs": (
        "SELECT n.category, c.name FROM needs n "
        "JOIN contacts c ON c.id = n.contact_id WHERE n.id = ?",
        N_("need ({0}) of {1}"),
    ),
    "stops": (
        "SELECT s.seq, c.name FROM stops s JOIN contacts c ON c.id = s.contact_id WHERE s.id = ?",
        N_("stop {0} ({1})"),
    ),
    "rides": (
        "SELECT c.name, replace(substr(r.pickup_at, 1, 16), 'T', ' ') FROM rides r "
        "JOIN contacts c ON c.id = r.rider_id WHERE r.id = ?",
        N_("ride of {0} at {1}"),
    ),
    "delivery_runs": (
        "SELECT name, date FROM delivery_runs WHERE id = ?",
        N_("delivery run {0} on {1}"),
    ),
}


def describe(store: Store, model: type[Record], record_id: str) -> str:
    """A record as the organizer knows it: "contact Rosa Díaz", "need (groceries) of Rosa Díaz"."""
    table = model.__table__
    if table == "organization":
        return _("group settings")
    if table in _DESCRIPTIONS:
        sql, words = _DESCRIPTIONS[table]
        row = store.conn.execute(sql, (record_id,)).fetchone()
        if row:
            parts = list(row)
            if table == "needs":  # the category's word, not its code ("hot_meals")
                code = str(parts[0])
                known = code in Category._value2member_map_
                parts[0] = Category(code).label.lower() if known else code.replace("_", " ")
            return _(words).format(*parts)
    return _noun(model)


def _noun(model: type[Record]) -> str:
    nouns = {
        "contacts": N_("contact"),
        "needs": N_("need"),
        "delivery_runs": N_("delivery run"),
        "stops": N_("stop"),
        "driver_profiles": N_("driver profile"),
        "rides": N_("ride"),
        "box_types": N_("box type"),
        "box_items": N_("box item"),
        "items": N_("item"),
    }
    table = model.__table__
    return _(nouns[table]) if table in nouns else table


def _integrity_error(spec: TableSpec, error: sqlite.IntegrityError) -> UserError:
    text = str(error)
    if "FOREIGN KEY" in text:
        return UserError(
            _(
                "This {noun} refers to a record that does not exist (it may have been "
                "deleted); choose another one."
            ).format(noun=_noun(spec.model))
        )
    if "UNIQUE" in text:
        return UserError(_("That {noun} already exists.").format(noun=_noun(spec.model)))
    return UserError(
        _("The {noun} could not be saved: {text}.").format(noun=_noun(spec.model), text=text)
    )


def _check_is_ours(path: Path, key: DatabaseKey | None = None) -> int:
    """The schema version of our database at `path`; refuse anything else without changing it."""
    # An encrypted file has no header by design; a plain one without it is not ours.
    if key is None and path.stat().st_size and not _has_sqlite_header(path):
        raise UserError(
            _("{path} is not a database file: choose a Mutual Aid Desktop database.").format(
                path=path
            )
        )
    try:
        conn = _connect_read_only(path, key, leave_no_trace=True)
    except sqlite.Error as error:
        raise sqlite_errors.translate(error, path) or UserError(
            _("{path} cannot be opened; check that the file is readable.").format(path=path)
        ) from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            raise UserError(_("{path} is not a Mutual Aid Desktop database.").format(path=path))
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite.DatabaseError as error:
        raise sqlite_errors.translate(error, path) or UserError(
            sqlite_errors.damaged(path)
        ) from None
    finally:
        conn.close()
    if meta.get("format") != FORMAT_MARK:
        raise UserError(_("{path} is not a Mutual Aid Desktop database.").format(path=path))
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise UserError(
            _(
                "{name} was written by a newer version of Mutual Aid Desktop; update "
                "the program first."
            ).format(name=path.name)
        )
    return version


BUSY_TIMEOUT_MS = 5000  # how long every write waits for another writer's lock


def _connect(path: Path | None, key: DatabaseKey | None) -> sqlite.Connection:
    conn = connect(path, key)
    _configure(conn)
    if path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
    return conn


def _connect_read_only(
    path: Path, key: DatabaseKey | None, leave_no_trace: bool = False
) -> sqlite.Connection:
    """A connection that never writes to the file (nor creates -wal or -shm beside it
    when the folder cannot take them, or with `leave_no_trace` when no -wal is there)."""
    conn = connect(path, key, read_only=True, leave_no_trace=leave_no_trace)
    _configure(conn)
    return conn


def _configure(conn: sqlite.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA recursive_triggers = ON")
    search.register_functions(conn)


def _why_read_only(path: Path) -> str:
    """Why the database at `path` cannot be written ("" when it can)."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return N_("the file is read-only")  # translated where shown
    # WAL keeps two files beside the database, so its folder must take new files.
    try:
        tempfile.TemporaryFile(dir=path.parent).close()
    except OSError:
        return N_("its folder is read-only")
    return ""


def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
