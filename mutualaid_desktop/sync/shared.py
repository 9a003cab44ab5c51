"""What sync shares: every shared row but what consent keeps on this laptop.

Contacts whose share scope is "this laptop only", and everything that hangs off
them (their needs, stops, rides and driver profile), never leave; a shared row
that points at such a contact (a need's assigned volunteer) leaves without that
reference. Device-local tables (settings, replicas, identity, conflicts) are
never shared. The same projection feeds bundles and the sync-state digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.constants import SHARED_TABLES, SYNC_COLUMNS
from mutualaid_desktop.sync.identity import in_groups_of_four

# table -> columns that name the contact a row belongs to (the row stays home with it)
OWNED_BY_CONTACT = {
    "needs": ("contact_id",),
    "stops": ("contact_id",),
    "rides": ("rider_id",),
    "driver_profiles": ("contact_id",),
}
# table -> columns that merely point at a contact (dropped when it stays home)
POINTS_AT_CONTACT = {
    "needs": ("assigned_volunteer_id",),
    "delivery_runs": ("driver_id",),
    "rides": ("driver_id",),
}


def local_contacts(store: Store) -> set[str]:
    """Ids of contacts kept on this laptop only (live or deleted)."""
    return {r[0] for r in store.conn.execute("SELECT id FROM contacts WHERE share_scope = 'local'")}


def shared_rows(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row without its stamp columns) for everything sync may share, in order."""
    local = local_contacts(store)
    for table in SHARED_TABLES:
        for row in store.iter_rows(f"SELECT * FROM {table} ORDER BY id"):
            if table == "contacts" and row["id"] in local:
                continue
            if any(row.get(col) in local for col in OWNED_BY_CONTACT.get(table, ())):
                continue
            for col in POINTS_AT_CONTACT.get(table, ()):
                if row.get(col) in local:
                    row[col] = None
            yield table, {k: v for k, v in row.items() if k not in SYNC_COLUMNS or k == "_cl"}


def sync_state(store: Store) -> str:
    """A digest of all shared data (values and deletions, not edit history).

    Two databases that hold the same shared data print the same digest,
    whatever order their edits arrived in.
    """
    digest = hashlib.sha256()
    for table, row in shared_rows(store):
        digest.update(canonical([table, row]) + b"\n")
    return in_groups_of_four(digest.hexdigest().upper())


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value: what digests and signatures are made over."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
