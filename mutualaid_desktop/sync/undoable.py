"""A bundle import as one undoable change (Edit › Undo "Import the bundle from Sam").

The merge writes rows directly; it tells the store which rows it creates and
which it is about to overwrite (`Store.touch_many`), so the import is recorded
like any other change (store/changes.py): records it created by their ids
alone, records it changed with their values before and after. A group's first
full bundle (20,000 households, some 160,000 records) stays undoable in a few
tens of MB. Undoing writes the earlier values back, and deletes what the
import created, as new edits, which the next bundle carries to the others like
any edit; what someone changed since is kept.

Records a peer purged (erased for good) stay erased: no undo brings back
values that privacy rules removed.
"""

from __future__ import annotations

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.changes import ChangeSet
from mutualaid_desktop.sync.importer import Decisions, ImportResult, Incoming, import_bundle


def import_undoably(
    store: Store, incoming: Incoming, decisions: Decisions, label: str, index_later: bool = False
) -> tuple[ImportResult, ChangeSet]:
    """Import, and the change it made (one step for Edit › Undo)."""
    with store.recording(label, transaction=False) as change:
        result = import_bundle(store, incoming, decisions, index_later=index_later)
    change.from_peer = True
    return result, change
