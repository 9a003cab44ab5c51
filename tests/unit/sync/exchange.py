"""Exchanging bundles between in-memory databases without the envelope.

Each real bundle pays for the passphrase's key stretching (seconds), so tests
of the merge rules hand the body over directly; the envelope has its own tests
and the command-line tests cover whole files.
"""

from __future__ import annotations

from typing import Any

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.constants import SHARED_TABLES
from mutualaid_desktop.sync.bundle import Peer, build_body, find_peer
from mutualaid_desktop.sync.envelope import OpenedBundle
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.importer import Decisions, ImportResult, Incoming, import_bundle


def body_of(sender: Store, for_peer: str | None = None) -> dict[str, Any]:
    peer: Peer | None = find_peer(sender, for_peer) if for_peer else None
    return build_body(sender, peer)


def deliver(body: dict[str, Any], sender: Store, receiver: Store, **decisions: Any) -> ImportResult:
    """Import `body` (written by `sender`) into `receiver`, trusting the sender."""
    me = identity(sender)
    incoming = Incoming(OpenedBundle(body, me), file_sha256=body["bundle_id"], name="test")
    decided = Decisions(trust=me.fingerprint, **decisions)
    return import_bundle(receiver, incoming, decided)


def sync(sender: Store, receiver: Store) -> ImportResult:
    """A full bundle from `sender`, imported by `receiver`."""
    return deliver(body_of(sender), sender, receiver)


def live_records(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every live record's data, without stamps: what the organizer sees."""
    out = {}
    for table in SHARED_TABLES:
        columns = [
            r[1]
            for r in store.conn.execute(f"PRAGMA table_info({table})")
            if not r[1].startswith("_")
        ]
        out[table] = store.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE _cl % 2 = 1 ORDER BY id"
        ).fetchall()
    return out
