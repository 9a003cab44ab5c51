"""Importing a bundle (SYNC.md, "Import"): any failure leaves the database as it was.

1. size cap, 2. decrypt in memory, 3. signature (and trust), 4. group, format
and schema, 5. already imported, 6. clock check, 7. backup, 8. one
`BEGIN IMMEDIATE` transaction that merges the rows and records the bundle,
the sender's sequence and knowledge, and the clock.

`read_bundle` does 1-3 and 6b (and 5, before paying for decryption, when the
very same file was imported already); `check` does 3-6 and can be asked again
after the organizer has answered a question (trust this fingerprint? merge
the groups? accept a clock far ahead?); `preview` counts what would change;
`import_bundle` does it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.store import Store, purge, search
from mutualaid_desktop.store.clock import wall_ms_of
from mutualaid_desktop.store.connection import sqlite
from mutualaid_desktop.store.constants import SCHEMA_VERSION
from mutualaid_desktop.sync.bundle import knowledge
from mutualaid_desktop.sync.envelope import (
    DAMAGED,
    MAX_FILE_BYTES,
    NEWER,
    TOO_LARGE,
    BundleError,
    OpenedBundle,
    open_sealed,
)
from mutualaid_desktop.sync.identity import Identity, identity
from mutualaid_desktop.sync.merge import Changes, merge
from mutualaid_desktop.sync.validate import Checked, validate

WARN_AHEAD_MS = 5 * 60 * 1000
CONFIRM_AHEAD_MS = 24 * 60 * 60 * 1000


class NotTrusted(BundleError):
    """The sender's key is not trusted here yet; compare its fingerprint in person."""

    def __init__(self, sender: Identity) -> None:
        self.sender = sender
        super().__init__(
            _(
                "This bundle is from {name}, whose key this laptop does not know yet. "
                "Compare this fingerprint with theirs in person: {fingerprint}. If it "
                "matches, import again and trust it (--trust {fingerprint})."
            ).format(name=sender.organizer or _("an organizer"), fingerprint=sender.fingerprint)
        )


class OtherGroup(BundleError):
    """The bundle belongs to another group; merging the two must be chosen explicitly."""


class ClockFarAhead(BundleError):
    """The sender's clock is more than a day ahead of ours; importing needs a yes."""

    def __init__(self, ahead_ms: int) -> None:
        self.ahead_ms = ahead_ms
        super().__init__(
            _(
                "This bundle's clock is {ahead} ahead of this laptop's: check the date and "
                "time on both laptops. Importing it moves this laptop's sync clock forward "
                "too; confirm only if you are sure (--accept-clock)."
            ).format(ahead=how_long(ahead_ms))
        )


class AlreadyImported(BundleError):
    pass


@dataclass
class Decisions:
    """What the organizer has said yes to."""

    trust: str | None = None  # the fingerprint they compared in person, as typed
    merge_groups: bool = False
    accept_clock: bool = False


@dataclass
class Incoming:
    """A decrypted, signature-checked bundle, not yet applied."""

    opened: OpenedBundle
    file_sha256: str
    name: str
    checked: Checked | None = None  # every row validated (once: it does not change)

    @property
    def body(self) -> dict[str, Any]:
        return self.opened.body

    @property
    def sender(self) -> Identity:
        return self.opened.sender

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))


@dataclass
class ImportResult:
    changes: Changes
    warnings: list[str] = field(default_factory=list)
    backup: Path | None = None
    seconds: float = 0.0


def read_bundle(store: Store, path: Path, passphrase: str) -> Incoming:
    """Read, decrypt and verify the bundle at `path` (nothing is written)."""
    path = Path(path)
    try:
        data = _read_regular_file(path)
    except FileNotFoundError:
        raise BundleError(
            _("There is no file {path}: check the name and the stick.").format(path=path)
        ) from None
    except IsADirectoryError:
        raise BundleError(
            _("{path} is a folder: choose the .bundle file in it.").format(path=path)
        ) from None
    except OSError as exc:
        raise BundleError(
            _("Could not read {name} ({problem}): check the stick and try again.").format(
                name=path.name, problem=exc.strerror or exc
            )
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    # The same bytes applied before: say so without paying for decryption.
    seen = store.conn.execute(
        "SELECT imported_at FROM sync_imports WHERE file_sha256 = ?", (digest,)
    ).fetchone()
    if seen:
        raise AlreadyImported(_already(seen[0]))
    opened = open_sealed(data, passphrase)
    _check_shape(opened.body)
    # Every row is checked here, where a window runs it in the background: a
    # hundred thousand rows take seconds, and `check` is asked on the window's thread.
    return Incoming(opened, digest, path.name, validate(store, opened.body))


def _read_regular_file(path: Path) -> bytes:
    """The bytes of `path`, refusing what is not an ordinary file of bundle size.

    Opened without blocking and checked on the open handle: a pipe would wait
    for a writer forever, and /dev/zero or /dev/urandom never end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise BundleError(
                _(
                    "{name} is not a file but a device or a pipe: choose the .bundle file "
                    "made by Export."
                ).format(name=path.name)
            )
        if info.st_size > MAX_FILE_BYTES:
            raise BundleError(TOO_LARGE)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise BundleError(TOO_LARGE)
    return data


def check(store: Store, incoming: Incoming, decisions: Decisions | None = None) -> list[str]:
    """Refuse what must not be imported (one sentence each); return warnings for the rest."""
    decisions = decisions or Decisions()
    body = incoming.body
    if not _trusted(store, incoming.sender):
        wanted = _normal(decisions.trust or "")
        if not wanted:
            raise NotTrusted(incoming.sender)
        if wanted != _normal(incoming.sender.fingerprint):
            raise BundleError(
                _(
                    "The fingerprint you gave does not match this bundle's sender "
                    "({fingerprint}): do not import it, and ask {name} in person which is "
                    "theirs."
                ).format(
                    fingerprint=incoming.sender.fingerprint,
                    name=incoming.sender.organizer or _("the sender"),
                )
            )
    if int(body["schema_version"]) > SCHEMA_VERSION:
        raise BundleError(_(NEWER))
    if _group_action(store, body, decisions) == "refuse":
        raise OtherGroup(
            _(
                "This bundle belongs to another group: it was not imported. If the two groups "
                "should become one, choose to merge them (--merge-groups)."
            )
        )
    seen = store.conn.execute(
        "SELECT imported_at FROM sync_imports WHERE bundle_id = ?", (body["bundle_id"],)
    ).fetchone()
    if seen:
        raise AlreadyImported(_already(seen[0]))
    if incoming.checked is None:
        _check_shape(body)
        incoming.checked = validate(store, body)
    notes = []
    if not delta_fits(store, body, knowledge(store)):
        who = incoming.sender.organizer or _("the sender")
        notes.append(
            _(
                "This delta was made for another laptop, or for this one before a backup was "
                "restored: its changes will be merged, but ask {who} for a full bundle so that "
                "nothing is missing."
            ).format(who=who)
        )
    ahead = clock_ahead_ms(store, body, incoming.checked.newest_stamp)
    if ahead > CONFIRM_AHEAD_MS and not decisions.accept_clock:
        raise ClockFarAhead(ahead)
    if ahead > WARN_AHEAD_MS:
        notes.append(
            _(
                "The sender's clock is {ahead} ahead of this laptop's: "
                "check the date and time on both laptops."
            ).format(ahead=how_long(ahead))
        )
    return notes


def preview(store: Store, incoming: Incoming) -> Changes:
    """What importing would change, per kind of record, and how many conflicts (no writes)."""
    if incoming.checked is None:
        _check_shape(incoming.body)
        incoming.checked = validate(store, incoming.body)
    return merge(store, incoming.body, knowledge(store), write=False)


def import_bundle(
    store: Store,
    incoming: Incoming,
    decisions: Decisions | None = None,
    index_later: bool = False,
) -> ImportResult:
    """Check, back up, and merge `incoming` in one transaction.

    A large import leaves the search index to be rebuilt after the transaction:
    here at once, or with `index_later` by the caller (a window does it in the
    background; search says "still indexing" meanwhile).
    """
    started = time.perf_counter()
    decisions = decisions or Decisions()
    warnings = check(store, incoming, decisions)
    backup = backup_database(store)
    body = incoming.body
    ours = knowledge(store)
    conn = store.conn
    # A full bundle rewrites most of the file in one transaction: a page cache
    # of up to 256 MB (only what is touched is used) keeps half-built index
    # pages from spilling to disk and coming back; a small delta uses little.
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("BEGIN IMMEDIATE")
    try:
        changes = merge(store, body, ours, write=True)
        _record(store, incoming, decisions, changes, ours)
        store.clock.observe(changes.max_hlc)
        store._tick()  # the clock moves past every stamp received, and is saved with them
        conn.commit()
        if changes.purged:
            # Erased here too: nothing of them left in the WAL or the statistics.
            purge.settle_file(store)
    except BaseException as exc:
        conn.rollback()
        store.rolled_back()
        if isinstance(exc, sqlite.IntegrityError):
            raise BundleError(
                _(
                    "This bundle refers to records it does not contain (a delta made for "
                    "another state of this laptop?): ask for a full bundle. Nothing was changed."
                )
            ) from exc
        if isinstance(exc, sqlite.OperationalError) and "full" in str(exc):
            raise BundleError(
                _("The disk is full: free some space and import again. Nothing was changed.")
            ) from exc
        raise
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    store._remember(force=True)
    if not index_later:
        search.rebuild_stale(store.conn)
    return ImportResult(changes, warnings, backup, time.perf_counter() - started)


def clock_ahead_ms(store: Store, body: dict[str, Any], newest_row: int = 0) -> int:
    """How far the bundle's newest stamp (its own, its knowledge, any row's) is ahead of
    this laptop's wall clock.

    Stamps this laptop already holds do not count: a clock far ahead that was
    accepted once is not asked about again with every later bundle.
    """
    newest = max(
        [int(body["created_hlc"]), newest_row, *(int(v) for v in body["knowledge"].values())]
    )
    known = wall_ms_of(max(knowledge(store).values()))
    return wall_ms_of(newest) - max(time.time_ns() // 1_000_000, known)


def backup_database(store: Store) -> Path | None:
    """Back the database up before importing (store/backup.py: verified, kept per database)."""
    if store.path is None:
        return None
    from mutualaid_desktop.errors import UserError
    from mutualaid_desktop.store.backup import make_backup

    try:
        return make_backup(store, "before-import")
    except UserError as exc:
        raise BundleError(
            _(
                "Could not back up the database before importing, so nothing was imported: {exc}"
            ).format(exc=exc)
        ) from exc


def delta_fits(store: Store, body: dict[str, Any], ours: dict[str, int]) -> bool:
    """Whether the bundle brings everything its sender knows (a full bundle, or a delta
    cut for this very laptop as it is).

    A delta made for another laptop, or for this one before a backup was
    restored, lacks what the sender thought we had: its rows merge, but its
    sender's knowledge must not become ours.
    """
    if body.get("kind") != "delta":
        return True
    base = body.get("base") or {}
    return body.get("for_replica") == store.replica_id and all(
        int(h) <= ours.get(r, 0) for r, h in base.items()
    )


def _record(
    store: Store, incoming: Incoming, decisions: Decisions, changes: Changes, ours: dict[str, int]
) -> None:
    conn = store.conn
    body = incoming.body
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    action = _group_action(store, body, decisions)
    if action in ("join", "merge"):
        meta = store.meta()
        former = set(json.loads(meta.get("former_groups", "[]")))
        former |= set(body.get("former_groups", []))
        # Our old group id stays ours too: laptops that joined it from our
        # earlier bundles follow us into the new group instead of refusing us.
        former.add(meta["group_id"])
        former.discard(body["group_id"])
        store.set_meta("group_id", body["group_id"])
        store.set_meta("former_groups", json.dumps(sorted(former)))
    conn.execute(
        "INSERT INTO sync_imports (bundle_id, file_sha256, sender_key, sender_replica, sequence, "
        "kind, imported_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            body["bundle_id"],
            incoming.file_sha256,
            incoming.sender.public_key,
            body["sender_replica"],
            int(body["sequence"]),
            incoming.kind,
            now,
            json.dumps(changes.as_dict()),
        ),
    )
    if incoming.sender.public_key != identity(store).public_key:
        # Trust is recorded only with a successful import (this transaction).
        conn.execute(
            "INSERT INTO sync_peers (public_key, organizer, trusted_at, replica_id, sequence, "
            "knowledge, last_import_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(public_key) DO UPDATE SET organizer = excluded.organizer, "
            "replica_id = excluded.replica_id, sequence = excluded.sequence, "
            "knowledge = excluded.knowledge, last_import_at = excluded.last_import_at "
            "WHERE sync_peers.replica_id IS NOT excluded.replica_id "
            "OR excluded.sequence > sync_peers.sequence",
            (
                incoming.sender.public_key,
                incoming.sender.organizer,
                now,
                body["sender_replica"],
                int(body["sequence"]),
                json.dumps(body["knowledge"]),
                now,
            ),
        )
    if delta_fits(store, body, ours):
        conn.executemany(
            "INSERT INTO sync_knowledge (replica_id, hlc) VALUES (?, ?) "
            "ON CONFLICT(replica_id) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
            [(r, int(h)) for r, h in body["knowledge"].items() if r != store.replica_id],
        )
    store._audit(
        "import", "bundle", body["bundle_id"], f"{incoming.kind} bundle, {changes.total()} changes"
    )


def _group_action(store: Store, body: dict[str, Any], decisions: Decisions) -> str:
    """same | join (a first import) | adopt (they merged us in) | merge (chosen) | refuse."""
    meta = store.meta()
    mine, theirs = meta["group_id"], str(body["group_id"])
    my_former = set(json.loads(meta.get("former_groups", "[]")))
    if theirs == mine or theirs in my_former:
        return "same"
    if mine in body.get("former_groups", []):
        return "join"
    # Only a laptop that has never exchanged a bundle joins silently. One that wrote
    # a bundle may have founded a group others joined: it switches only when asked.
    never_wrote = int(meta.get("bundle_sequence", "0")) == 0
    if never_wrote and store.conn.execute("SELECT 1 FROM sync_imports LIMIT 1").fetchone() is None:
        return "join"
    return "merge" if decisions.merge_groups else "refuse"


def _trusted(store: Store, sender: Identity) -> bool:
    if sender.public_key == identity(store).public_key:
        return True  # our own bundle (a copy of this database elsewhere)
    row = store.conn.execute(
        "SELECT 1 FROM sync_peers WHERE public_key = ?", (sender.public_key,)
    ).fetchone()
    return row is not None


def _check_shape(body: dict[str, Any]) -> None:
    try:
        ok = (
            body["kind"] in ("full", "delta")
            and isinstance(body["bundle_id"], str)
            and isinstance(body["group_id"], str)
            and isinstance(body["sender_replica"], str)
            and isinstance(body["sequence"], int)
            and isinstance(body["created_hlc"], int)
            and isinstance(body["schema_version"], int)
            and isinstance(body["knowledge"], dict)
            and isinstance(body["replicas"], list)
            and isinstance(body["tables"], dict)
        )
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise BundleError(DAMAGED)


def _normal(fp: str) -> str:
    return "".join(ch for ch in fp.upper() if ch.isalnum())


def _already(when: str) -> str:
    return _("Already imported (on {day}): nothing to do.").format(day=when[:10])


def how_long(ms: int) -> str:
    """A duration in the unit a person would say: minutes, hours or days."""
    minutes = ms // 60000
    if minutes < 120:
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return ngettext("{n} day", "{n} days", hours // 24).format(n=hours // 24)
