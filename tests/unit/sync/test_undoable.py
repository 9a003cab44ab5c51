"""Undoing an import: the records go back to what they were before it; values changed
since are kept; the undo is an edit like any other, so it travels in the next bundle."""

from __future__ import annotations

from pathlib import Path

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.envelope import OpenedBundle
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.importer import Decisions, Incoming
from mutualaid_desktop.sync.shared import sync_state
from mutualaid_desktop.sync.undoable import UNDO_LIMIT, import_undoably, named_records
from tests.conftest import TODAY
from tests.unit.sync.exchange import body_of, sync

NEW_ID = "5f1c2b7e-0d44-4c3e-9a61-2f6c1d0e8b93"


def incoming_from(sender: Store) -> tuple[Incoming, Decisions]:
    body = body_of(sender)
    me = identity(sender)
    return Incoming(OpenedBundle(body, me), body["bundle_id"], "test"), Decisions(me.fingerprint)


def contacts(store: Store) -> list[tuple[str, str, str]]:
    return sorted((c.id, c.name, c.notes) for c in store.select(Contact))


def test_an_import_is_undone_and_redone(tmp_path: Path) -> None:
    rosa = Store.create(tmp_path / "rosa.sqlite", organizer="Rosa")
    build_demo(rosa, households=25, seed=4, today=TODAY)
    sam = Store.create(tmp_path / "sam.sqlite", organizer="Sam")
    sam.insert(Contact(name="Only on Sam's laptop"))
    sync(sam, rosa)
    sync(rosa, sam)  # both hold the same now
    contact = sam.select(Contact, "name != 'Only on Sam''s laptop'", limit=1)[0]
    rosa.update(Contact, contact.id, notes="Rosa's newer note")
    added = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.insert(added.model_copy(update={"id": NEW_ID, "name": "New on Rosa's laptop"}))
    before = contacts(sam)

    incoming, decisions = incoming_from(rosa)
    result, change = import_undoably(sam, incoming, decisions, "Import the bundle from Rosa")
    assert change is not None and result.changes.total() == 2
    assert len(change.rows) == 2  # one edited, one new
    assert sam.require(Contact, contact.id).notes == "Rosa's newer note"
    undone = change.undo(sam)
    assert contacts(sam) == before
    redone = undone.inverse.undo(sam)
    assert sam.require(Contact, contact.id).notes == "Rosa's newer note"
    assert sam.require(Contact, NEW_ID).name == "New on Rosa's laptop"
    redone.inverse.undo(sam)  # and undone again
    assert contacts(sam) == before
    # The undo is an edit: Rosa gets it with Sam's next bundle, and both agree.
    sync(sam, rosa)
    assert sync_state(sam) == sync_state(rosa)
    rosa.close()
    sam.close()


def test_a_huge_first_import_is_not_kept_for_undo(memory_store: Store) -> None:
    body = {"tables": {"contacts": {"rows": [[f"id-{i}"] for i in range(UNDO_LIMIT + 1)]}}}
    assert sum(len(v) for v in named_records(body).values()) > UNDO_LIMIT
