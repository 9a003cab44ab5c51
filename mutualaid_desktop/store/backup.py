"""Backups of a database, restoring one, and saving a copy: the one module for all three.

A backup is made with SQLite's backup API into a temporary name beside its
final one, checked (`PRAGMA quick_check`, our format, its counts), flushed to
disk and only then renamed: a backup killed halfway never counts as one.

Backups are kept per database, under `config.backups_dir() / <database id>`,
where the id lives in the database itself (meta `database_id`): two files
called mutualaid.sqlite in different folders, or a.sqlite and a-b.sqlite,
never share or rotate away each other's backups, and a copy made of a file
gets an id of its own. Rotation keeps recent backups dense and older ones
sparse (`Rotation`).

Each backup carries, in its own meta table, when and why it was made, from
which file, its counts and the clock it held; listing needs nothing else.

Made automatically: before every import, restore and schema upgrade, on
closing the window after changes, and at most daily while it is open.

An encrypted database's backups, saved copies and restored files are
encrypted with its own key (`BackupPolicy.key`; `policy_for(store)`): every
file here opens through the one connection factory (store/connection.py).
A backup made under another passphrase (before `mutualaid rekey`, or another
database's) opens with `BackupPolicy.passphrase`, and a restored file takes
the database's key all the same. `BackupPolicy.prepare` runs on each new
copy before it is checked.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from mutualaid_desktop import config, files
from mutualaid_desktop.errors import (
    Cancelled,
    DatabaseBusy,
    PassphraseRequired,
    UserError,
    WrongPassphrase,
)
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store import sqlite_errors
from mutualaid_desktop.store.connection import (
    DatabaseKey,
    connect,
    copy_plain_into,
    is_encrypted,
    read_salt,
    sqlite,
)
from mutualaid_desktop.store.constants import FORMAT_MARK, SCHEMA_VERSION

if TYPE_CHECKING:
    from mutualaid_desktop.store.store import Store

log = logging.getLogger(__name__)

REASONS = {  # translated where shown
    "manual": N_("made by hand"),
    "on-close": N_("on closing after changes"),
    "daily": N_("daily while open"),
    "before-import": N_("before an import"),
    "before-restore": N_("before a restore"),
    "before-upgrade": N_("before a program upgrade"),
}
COUNTED = (
    ("contacts", "contacts"),
    ("needs", "needs"),
    ("delivery_runs", "runs"),
    ("rides", "rides"),
)


def _counted(table: str, n: int) -> str:
    """ "1,204 contacts", "1 run": a count of one kind of record, in the program's language."""
    text = {
        "contacts": ngettext("{n} contact", "{n} contacts", n),
        "needs": ngettext("{n} need", "{n} needs", n),
        "delivery_runs": ngettext("{n} run", "{n} runs", n),
        "rides": ngettext("{n} ride", "{n} rides", n),
    }.get(table, "{n} " + table)
    return text.format(n=f"{n:,}")


_BACKUP_META = ("backup_made_at", "backup_reason", "backup_of", "backup_counts")
_REGISTRY = "databases.json"


Connect = Callable[[Path, bool], sqlite.Connection]  # (path, read_only) -> connection


def plain_connect(path: Path, read_only: bool) -> sqlite.Connection:
    """An unencrypted file, through the connection factory.

    Read-only, a file without a -wal beside it is read as it stands, which
    leaves no -wal or -shm behind (a damaged file is looked at, not touched).
    """
    return connect(path, None, read_only=read_only, leave_no_trace=read_only)


@dataclass(frozen=True)
class Rotation:
    """Which backups stay: all of the last day (up to `recent`), then the newest of each
    of the last `daily` days, `weekly` weeks and `monthly` months that have one."""

    recent: int = 10
    daily: int = 7
    weekly: int = 4
    monthly: int = 6

    def keep(self, made: list[datetime], now: datetime) -> set[datetime]:
        newest_first = sorted(made, reverse=True)
        kept = set(newest_first[:1])
        kept |= {t for t in newest_first if now - t <= timedelta(days=1)}
        kept = set(sorted(kept, reverse=True)[: max(self.recent, 1)])
        buckets: tuple[tuple[Callable[[datetime], object], int], ...] = (
            (lambda t: t.date(), self.daily),
            (lambda t: t.isocalendar()[:2], self.weekly),
            (lambda t: (t.year, t.month), self.monthly),
        )
        for bucket, count in buckets:
            seen: list[object] = []
            for t in newest_first:
                b = bucket(t.astimezone())  # days as the organizer lives them
                if b in seen:
                    continue
                if len(seen) == count:
                    break
                seen.append(b)
                kept.add(t)
        return kept


@dataclass(frozen=True)
class BackupPolicy:
    """How backups of one database are written and read.

    `key` is the database's: new backups, saved copies and restored files are
    encrypted with it (None: an unencrypted database). `passphrase` opens a
    backup made under another salt (before a passphrase change); `connect`
    replaces the connection factory (tests of a full disk).
    """

    key: DatabaseKey | None = None
    passphrase: str | None = field(default=None, repr=False)
    connect: Connect | None = None
    prepare: Callable[[sqlite.Connection], None] | None = None
    rotation: Rotation = field(default_factory=Rotation)
    # Keys stretched from `passphrase`, by salt: each stretching costs a quarter second.
    _derived: dict[bytes, DatabaseKey] = field(default_factory=dict, repr=False, compare=False)

    def open(self, path: Path, read_only: bool) -> sqlite.Connection:
        """A connection to an existing file (`read_only`) or to a new one, written with `key`."""
        if self.connect is not None:
            return self.connect(path, read_only)
        key = self.key_for(path) if read_only else self.key
        return connect(path, key, read_only=read_only, leave_no_trace=read_only)

    def key_for(self, path: Path) -> DatabaseKey | None:
        """The key that opens the existing file at `path` (None: it is not encrypted)."""
        if not is_encrypted(path):
            return None
        salt = read_salt(path)
        if self.key is not None and salt == self.key.salt:
            return self.key
        if self.passphrase:
            if salt not in self._derived:
                self._derived[salt] = DatabaseKey.derive(self.passphrase, salt)
            return self._derived[salt]
        if self.key is not None:
            raise PassphraseRequired(
                _(
                    "{name} was encrypted with another passphrase (one used before it was "
                    "changed, or another database's): give that passphrase to open it."
                ).format(name=path.name)
            )
        raise PassphraseRequired(
            _("{name} is encrypted: give its passphrase to open it.").format(name=path.name)
        )


DEFAULT_POLICY = BackupPolicy()


def policy_for(store: Store, policy: BackupPolicy | None = None) -> BackupPolicy:
    """`policy` (or the default) for this store's backups: encrypted with its key, always."""
    policy = policy or DEFAULT_POLICY
    return policy if policy.key == store.key else replace(policy, key=store.key)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the listing shows it."""

    path: Path
    made_at: datetime  # UTC
    reason: str
    source: str  # the database file it was made from
    counts: dict[str, int]
    hlc: int = 0
    # Why it cannot be read with the passphrase at hand ("" when it can): made under
    # another passphrase. Its time and reason come from its name.
    locked: str = ""

    def when(self) -> str:
        return self.made_at.astimezone().strftime("%Y-%m-%d %H:%M")

    def counts_text(self) -> str:
        if self.locked:
            return _("encrypted with another passphrase")
        return ", ".join(_counted(t, self.counts.get(t, 0)) for t, _word in COUNTED)

    def reason_text(self) -> str:
        return _(REASONS[self.reason]) if self.reason in REASONS else self.reason.replace("-", " ")

    def line(self) -> str:
        """One line of `mutualaid backups`: path first, then date, counts and why."""
        return f"{self.path}\t{self.when()}\t{self.counts_text()}\t{self.reason_text()}"


@dataclass(frozen=True)
class Restored:
    path: Path
    backup: BackupInfo
    saved_before: Path | None  # the database as it was, backed up first
    key: DatabaseKey | None = None  # what opens the restored file (None: not encrypted)


# -- making backups ------------------------------------------------------------------


def make_backup(store: Store, reason: str, policy: BackupPolicy | None = None) -> Path:
    """A verified backup of `store` in its database's backup folder; returns its path.

    An encrypted database's backup is encrypted with the same key.
    """
    if store.path is None:
        raise UserError(_("A database kept in memory has no file to back up."))
    policy = policy_for(store, policy)
    folder = backup_folder(store)
    made = datetime.now(UTC)
    target = folder / f"{made:%Y-%m-%d_%H-%M-%S-%f}Z_{reason}.sqlite"
    try:
        files.program_folder(config.backups_dir())
        files.program_folder(folder)
    except OSError as error:
        raise _sentence(error, store.path) from None
    _write_copy(
        store.conn,
        target,
        policy,
        stamp={
            "backup_made_at": made.isoformat(),
            "backup_reason": reason,
            "backup_of": str(store.path.resolve()),
        },
    )
    rotate(folder, policy.rotation)
    log.info("backup of %s (%s): %s", store.path, reason, target)
    return target


def backup_if_changed(
    store: Store,
    reason: str,
    older_than: timedelta | None = None,
    policy: BackupPolicy | None = None,
) -> Path | None:
    """A backup when the database changed since its newest one (and that one is older
    than `older_than`, when given); None when none was needed."""
    if store.path is None or store.read_only:
        return None
    policy = policy_for(store, policy)
    backups = list_backups(store.path, policy)
    if backups:
        newest = backups[0]
        if newest.hlc == store.persisted_hlc():
            return None
        if older_than is not None and datetime.now(UTC) - newest.made_at < older_than:
            return None
    return make_backup(store, reason, policy)


def save_copy(store: Store, target: Path, policy: BackupPolicy | None = None) -> Path:
    """A verified copy of `store` at `target`: a database of its own (File › Save a copy…),
    encrypted with the same key as `store`."""
    policy = policy_for(store, policy)
    target = Path(target)
    if store.path is not None and target.resolve() == store.path.resolve():
        raise UserError(_("Choose another name: a copy cannot replace the database it copies."))
    if target.exists():
        raise UserError(_("{name} already exists; choose another name.").format(name=target.name))
    _write_copy(store.conn, target, policy, stamp={"database_id": str(uuid.uuid4())})
    return target


def rotate(folder: Path, rotation: Rotation = Rotation()) -> list[Path]:
    """Delete the backups in `folder` that `rotation` does not keep; returns them."""
    made = {}
    for path in folder.glob("*.sqlite"):
        when = _made_at_from_name(path)
        if when is not None:
            made[when] = path
    kept = rotation.keep(list(made), datetime.now(UTC))
    gone = [path for when, path in made.items() if when not in kept]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def _write_copy(
    source: sqlite.Connection, target: Path, policy: BackupPolicy, stamp: dict[str, str]
) -> None:
    """Copy `source` to a temporary file beside `target`, stamp, check, flush, rename."""
    tmp = target.with_name(f".{target.name}.partial")
    try:
        dest = policy.open(tmp, False)
        try:
            source.backup(dest)
            # One self-contained file: a copy in WAL mode would need its -wal beside it.
            dest.execute("PRAGMA journal_mode = DELETE")
            if policy.prepare is not None:
                policy.prepare(dest)
            if stamp.get("backup_made_at"):
                stamp = stamp | {"backup_counts": json.dumps(_counts(dest))}
            with dest:
                dest.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    list(stamp.items()),
                )
            problem = _problem(dest)
            if problem:
                raise UserError(
                    _("The copy did not check out ({problem}); nothing was saved.").format(
                        problem=problem
                    )
                )
        finally:
            dest.close()
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
        files.fsync_folder(target.parent)
    except BaseException as error:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        if isinstance(error, (OSError, sqlite.Error)):
            raise _sentence(error, None) from None
        raise


def _problem(conn: sqlite.Connection) -> str:
    """What is wrong with a copy ("" when it is a good database of ours)."""
    try:
        lines = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if lines != ["ok"]:
            return str(lines[0])
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite.DatabaseError as error:
        return str(error)
    if meta.get("format") != FORMAT_MARK:
        return "not a Mutual Aid Desktop database"
    return ""


def _counts(conn: sqlite.Connection) -> dict[str, int]:
    return {
        table: int(conn.execute(f"SELECT count(*) FROM {table} WHERE _cl % 2 = 1").fetchone()[0])
        for table, _word in COUNTED
    }


# -- listing ---------------------------------------------------------------------------


def list_backups(db_path: Path, policy: BackupPolicy = DEFAULT_POLICY) -> list[BackupInfo]:
    """This database's backups, newest first (found by its id, or by its path when the
    file is too damaged to say)."""
    folder = backup_dir_of(db_path, policy)
    if folder is None:
        return []
    found = [info for path in folder.glob("*.sqlite") if (info := read_info(path, policy))]
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def backup_dir_of(db_path: Path, policy: BackupPolicy = DEFAULT_POLICY) -> Path | None:
    """Where the backups of the database at `db_path` are (None: it never had any)."""
    database_id = _id_of_file(Path(db_path), policy) or _registered_id(Path(db_path))
    return None if database_id is None else config.backups_dir() / database_id


def counts_of(store: Store) -> dict[str, int]:
    """What the restore preview compares: live contacts, needs, runs and rides."""
    return _counts(store.conn)


def read_info(path: Path, policy: BackupPolicy = DEFAULT_POLICY) -> BackupInfo | None:
    """What a backup file says about itself (None: not one of ours, or unreadable).

    A backup the policy's key or passphrase does not open is listed by its
    name alone, `locked`.
    """
    try:
        conn = policy.open(Path(path), True)
    except sqlite.Error:
        return None
    except (PassphraseRequired, WrongPassphrase) as error:
        return _locked_info(Path(path), str(error))
    except UserError:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT_MARK:
            return None
        counts = json.loads(meta["backup_counts"]) if "backup_counts" in meta else _counts(conn)
    except (sqlite.Error, ValueError):
        return None
    finally:
        conn.close()
    made = _made_at_from_name(Path(path))
    if "backup_made_at" in meta:
        made = datetime.fromisoformat(meta["backup_made_at"])
    if made is None:
        made = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    return BackupInfo(
        path=Path(path),
        made_at=made,
        reason=meta.get("backup_reason", "copy"),
        source=meta.get("backup_of", ""),
        counts={k: int(v) for k, v in counts.items()},
        hlc=int(meta.get("hlc", "0")),
    )


def _locked_info(path: Path, why: str) -> BackupInfo | None:
    made = _made_at_from_name(path)
    if made is None:
        return None
    reason = path.name.split("Z_", 1)[1].removesuffix(".sqlite")
    return BackupInfo(path, made, reason, "", {}, locked=why)


def newest_good(db_path: Path, policy: BackupPolicy = DEFAULT_POLICY) -> BackupInfo | None:
    """The newest backup of this database that passes SQLite's check."""
    for info in list_backups(db_path, policy):
        if info.locked:
            continue
        try:
            conn = policy.open(info.path, True)
        except (sqlite.Error, UserError):
            continue
        try:
            if not _problem(conn):
                return info
        except sqlite.Error:
            continue
        finally:
            conn.close()
    return None


def _made_at_from_name(path: Path) -> datetime | None:
    try:
        stamp = path.name.split("Z_", 1)[0]
        return datetime.strptime(stamp, "%Y-%m-%d_%H-%M-%S-%f").replace(tzinfo=UTC)
    except ValueError:
        return None


# -- restoring -------------------------------------------------------------------------


def restore_backup(db_path: Path, backup: Path, policy: BackupPolicy = DEFAULT_POLICY) -> Restored:
    """Put `backup` in place of the database at `db_path`.

    The current file is backed up first (copied as it is, when damaged). A
    WAL left behind by a crash (`-wal`, `-shm`) is removed so it is not
    replayed into the restored file, and the restored file gets a fresh
    replica id, so sync never mistakes it for the laptop it was.

    `policy.key` is the database's: the restored file is encrypted with it
    whatever the backup was encrypted with (without one, it keeps the
    backup's own key, or none). `Restored.key` opens it.
    """
    return finish_restore(prepare_restore(db_path, backup, policy))


@dataclass(frozen=True)
class PreparedRestore:
    """A restore whose long part is done: the backup checked and copied beside the
    database, the database as it is backed up. `finish_restore` swaps them."""

    db_path: Path
    backup: BackupInfo
    copy: Path  # the backup's copy, encrypted with `key`, beside the database
    replica_id: str  # the backup's replica id (the restored file gets a new one)
    key: DatabaseKey | None  # what opens the copy
    current_key: DatabaseKey | None  # what opens the database now (None: damaged or plain)
    saved_before: Path | None


def prepare_restore(
    db_path: Path,
    backup: Path,
    policy: BackupPolicy = DEFAULT_POLICY,
    progress: Callable[[str, float], bool] | None = None,
) -> PreparedRestore:
    """The long part of a restore (seconds on a large database), which leaves the database
    as it is: it may stay open meanwhile (a window showing it). `progress(message,
    fraction)` returning False cancels (Cancelled), and nothing is left behind but the
    backup of the database as it was."""
    db_path, backup = Path(db_path), Path(backup)

    def step(message: str, fraction: float) -> None:
        if progress is not None and not progress(message, fraction):
            raise Cancelled

    step(_("Checking the backup"), 0.05)
    info = _check_backup(backup, policy)
    tmp = db_path.with_name(f".{db_path.name}.restoring")
    try:
        step(_("Copying the backup"), 0.35)
        # The backup is copied first: backing the current file up may rotate it away.
        restored_replica, key = _copy_for_restore(backup, tmp, policy)
        current_key = saved_before = None
        if db_path.exists():
            step(_("Backing up the database as it is now"), 0.65)
            current_key = _key_or_none(policy, db_path)
            # Saved before anything writes to it (a damaged file stays as found).
            saved_before = _save_current(db_path, current_key, policy)
        step(_("Putting the backup in place"), 0.95)
    except BaseException as error:
        _remove_copy(tmp)
        if isinstance(error, (OSError, sqlite.Error)):
            raise _sentence(error, db_path) from None
        raise
    return PreparedRestore(db_path, info, tmp, restored_replica, key, current_key, saved_before)


def finish_restore(prepared: PreparedRestore) -> Restored:
    """Swap the prepared copy in (quick): nothing may have the database open any more."""
    from mutualaid_desktop.store.store import Store

    db_path = prepared.db_path
    try:
        if db_path.exists():
            _take_over(db_path, prepared.current_key)
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(prepared.copy, db_path)
        files.fsync_folder(db_path.parent)
    except BaseException as error:
        _remove_copy(prepared.copy)
        if isinstance(error, (OSError, sqlite.Error)):
            raise _sentence(error, db_path) from None
        raise
    with Store.open(db_path, prepared.key) as store:
        if store.replica_id == prepared.replica_id:
            store.remint_replica("restored from a backup")
    log.info("restored %s from %s", db_path, prepared.backup.path)
    return Restored(db_path, prepared.backup, prepared.saved_before, prepared.key)


def _remove_copy(tmp: Path) -> None:
    for suffix in ("", "-journal"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _copy_for_restore(
    backup: Path, tmp: Path, policy: BackupPolicy
) -> tuple[str, DatabaseKey | None]:
    """The backup, without its backup notes, checked and flushed at `tmp`, encrypted with
    the database's key; its replica id and that key."""
    backup_key = policy.key_for(backup)
    key = policy.key if policy.key is not None else backup_key
    src = policy.open(backup, True)
    try:
        dest = connect(tmp, key)
        try:
            if (backup_key is None) == (key is None):
                src.backup(dest)
            else:
                # SQLite's backup cannot cross from a plain file to an encrypted one.
                assert key is not None
                copy_plain_into(dest, backup)
            with dest:
                dest.execute(
                    f"DELETE FROM meta WHERE key IN ({','.join('?' * len(_BACKUP_META))})",
                    _BACKUP_META,
                )
            problem = _problem(dest)
            if problem:
                raise UserError(
                    _("The backup did not check out ({problem}); nothing changed.").format(
                        problem=problem
                    )
                )
            row = dest.execute("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
        finally:
            dest.close()
    finally:
        src.close()
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    return ("" if row is None else str(row[0])), key


def _check_backup(backup: Path, policy: BackupPolicy) -> BackupInfo:
    if not backup.is_file():
        raise UserError(
            _("There is no backup file {backup}: check the name.").format(backup=backup)
        )
    info = read_info(backup, policy)
    if info is None:
        raise UserError(
            _("{name} is not a Mutual Aid Desktop backup (or it is damaged).").format(
                name=backup.name
            )
        )
    conn = policy.open(backup, True)  # a locked one raises its sentence here
    try:
        problem = _problem(conn)
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite.Error as error:
        problem, version = str(error), None
    finally:
        conn.close()
    if problem:
        raise UserError(
            _("{name} is damaged ({problem}): choose an older backup.").format(
                name=backup.name, problem=problem
            )
        )
    if version is not None and int(version[0]) > SCHEMA_VERSION:
        raise UserError(
            _("{name} was made by a newer Mutual Aid Desktop: update the program first.").format(
                name=backup.name
            )
        )
    return info


def _key_or_none(policy: BackupPolicy, path: Path) -> DatabaseKey | None:
    """The key of the file at `path`, or None when nothing at hand opens it (damaged)."""
    try:
        return policy.key_for(path)
    except UserError:
        return None


def _take_over(db_path: Path, key: DatabaseKey | None) -> None:
    """Make sure no other program has the database open: leaving WAL mode needs that."""
    try:
        conn = connect(db_path, key)
    except (sqlite.Error, UserError):
        return  # not even openable: nobody can be using it
    try:
        conn.execute("PRAGMA busy_timeout = 1000")
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseBusy(
                _(
                    "{name} is open in another window or program: close it there, then restore."
                ).format(name=db_path.name)
            ) from None
    except sqlite.DatabaseError:
        pass  # damaged: it is copied as it is before it is replaced
    finally:
        conn.close()


def _save_current(db_path: Path, key: DatabaseKey | None, policy: BackupPolicy) -> Path | None:
    """Back up the file about to be replaced; a damaged one is kept as its bytes."""
    from mutualaid_desktop.store.store import Store

    try:
        conn = connect(db_path, key, read_only=True, leave_no_trace=True)
        try:
            problem = _problem(conn)
        finally:
            conn.close()
    except (sqlite.Error, UserError) as error:
        problem = str(error)
    if not problem:
        with Store.open(db_path, key) as current:
            return make_backup(current, "before-restore", policy)
    log.warning("%s is damaged (%s): keeping its bytes before restoring", db_path, problem)
    database_id = _registered_id(db_path) or "unknown"
    folder = config.backups_dir() / database_id
    made = datetime.now(UTC)
    target = folder / f"{made:%Y-%m-%d_%H-%M-%S-%f}Z_damaged-before-restore.sqlite.damaged"
    try:
        files.program_folder(folder)
        files.write_private(target, db_path.read_bytes())
    except OSError as error:
        raise _sentence(error, db_path) from None
    return target


# -- which database is which ---------------------------------------------------------------


def backup_folder(store: Store) -> Path:
    """This database's backup folder, by its own id (minted here for older databases).

    A file whose id another file at another place already holds is a copy
    made outside the program: it gets an id of its own, so the two never
    rotate away each other's backups.
    """
    assert store.path is not None
    meta = store.meta()
    database_id = meta.get("database_id")
    here = str(store.path.resolve())
    registry = _registry()
    elsewhere = registry.get(database_id or "")
    if not store.read_only and (
        database_id is None
        or (elsewhere not in (None, here) and _id_of_file(Path(str(elsewhere))) == database_id)
    ):
        database_id = str(uuid.uuid4())
        store.set_meta("database_id", database_id)
    if database_id is None:  # a read-only database from before ids: named by its place
        database_id = "path-" + uuid.uuid5(uuid.NAMESPACE_URL, here).hex
    if registry.get(database_id) != here:
        registry[database_id] = here
        _save_registry(registry)
    return config.backups_dir() / database_id


def _id_of_file(path: Path, policy: BackupPolicy = DEFAULT_POLICY) -> str | None:
    try:
        conn = policy.open(path, True)
    except (sqlite.Error, UserError):
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
        return str(row[0]) if row else None
    except sqlite.Error:
        return None
    finally:
        conn.close()


def _registered_id(db_path: Path) -> str | None:
    here = str(Path(db_path).resolve())
    return next((i for i, p in _registry().items() if p == here), None)


def _registry() -> dict[str, str]:
    try:
        data = json.loads((config.state_dir() / _REGISTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save_registry(registry: dict[str, str]) -> None:
    target = config.state_dir() / _REGISTRY
    try:
        files.program_folder(target.parent)
        files.replace_atomically(
            target, json.dumps(registry, indent=1).encode("utf-8"), durable=False
        )
    except OSError as error:
        # Not fatal: the id inside the file still finds its backups.
        log.warning("could not record the database's place: %s", error)


def _sentence(error: BaseException, path: Path | None) -> UserError:
    translated = sqlite_errors.translate(error, path)
    if translated is not None:
        return translated
    with contextlib.suppress(Exception):
        log.error("backup failed: %r", error)
    return UserError(
        _("The backup could not be written ({error}); nothing was changed.").format(error=error)
    )
