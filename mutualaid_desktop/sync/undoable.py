"""A bundle import as one undoable change (Edit › Undo "Import the bundle from Sam").

The merge writes rows directly, so its change is taken as two snapshots of
every record the bundle names: before the import and after it
(store/changes.py). Undoing writes the earlier values back as new edits,
which the next bundle carries to the others like any edit.

A bundle naming more records than `UNDO_LIMIT` (a first full import of a
large group) is not kept for undo: holding every row twice would cost more
memory than the import itself; the backup taken before it restores it.
"""

from __future__ import annotations

from typing import Any

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.changes import UNDO_LIMIT, ChangeSet, capture
from mutualaid_desktop.store.constants import SHARED_TABLES
from mutualaid_desktop.sync.importer import Decisions, ImportResult, Incoming, import_bundle


def named_records(body: dict[str, Any]) -> dict[str, list[str]]:
    """Every record a bundle body may touch, by table."""
    ids: dict[str, list[str]] = {
        table: [str(row[0]) for row in data["rows"]]
        for table, data in body["tables"].items()
        if table in SHARED_TABLES
    }
    withdrawn = [str(w[0]) for w in body.get("withdrawn", [])]
    if withdrawn:
        ids["contacts"] = [*ids.get("contacts", []), *withdrawn]
    return ids


def import_undoably(
    store: Store, incoming: Incoming, decisions: Decisions, label: str, index_later: bool = False
) -> tuple[ImportResult, ChangeSet | None]:
    """Import, and the change it made (None when it is too large to keep for undo)."""
    ids = named_records(incoming.body)
    if sum(len(v) for v in ids.values()) > UNDO_LIMIT:
        return import_bundle(store, incoming, decisions, index_later=index_later), None
    before = capture(store, ids)
    result = import_bundle(store, incoming, decisions, index_later=index_later)
    return result, ChangeSet.between(label, before, capture(store, ids))
