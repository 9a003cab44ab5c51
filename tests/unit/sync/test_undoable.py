"""Undoing an import: the records go back to what they were before it; values changed
since are kept; the undo is an edit like any other, so it travels in the next bundle."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Category, Contact, Need
from mutualaid_desktop.errors import Cancelled
from mutualaid_desktop.store import Store, changes, search
from mutualaid_desktop.store.check import check_database
from mutualaid_desktop.store.deleted import recently_deleted
from mutualaid_desktop.store.store import describe
from mutualaid_desktop.sync.envelope import OpenedBundle
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.importer import Decisions, Incoming
from mutualaid_desktop.sync.shared import sync_state
from mutualaid_desktop.sync.undoable import import_undoably
from tests.conftest import TODAY
from tests.unit.sync.exchange import body_of, live_records, sync

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
    assert result.changes.total() == 2
    assert len(change.rows) == 1  # one edited: its values before and after
    assert [f.ids for f in change.flipped] == [[NEW_ID]]  # one new: its id
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


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A group's laptop with a few thousand records, saved once for the tests to copy."""
    path = tmp_path_factory.mktemp("group") / "rosa.sqlite"
    rosa = Store.create(path, organizer="Rosa")
    build_demo(rosa, households=300, seed=8, today=TODAY)
    rosa.close()
    return path


@pytest.mark.parametrize("scan_at", [100, 10**9], ids=["read-in-one-pass", "looked-up"])
def test_a_first_full_import_is_one_undoable_step_kept_by_ids(
    group: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scan_at: int
) -> None:
    """A group's first full bundle: thousands of records created, each kept by its id only
    (before, more than 20,000 were not undoable at all), and undone, redone, undone."""
    monkeypatch.setattr(changes, "_SCAN_AT", scan_at)
    rosa = Store.open(shutil.copy(group, tmp_path / "rosa.sqlite"))
    sam = Store.create(tmp_path / "sam.sqlite", organizer="Sam")
    own = sam.insert(Contact(name="Only on Sam's laptop"))
    before = live_records(sam)
    incoming, decisions = incoming_from(rosa)
    result, change = import_undoably(sam, incoming, decisions, "Import the bundle from Rosa")
    created = sum(len(f.ids) for f in change.flipped)
    assert created == result.changes.total() > 2000
    assert change.rows == []  # no values held: the records are in the file
    assert all(f.live and len(f.marks) == len(f.ids) for f in change.flipped)
    imported = live_records(sam)

    theirs = sam.select(Contact, "id != ?", [own.id], limit=1)[0]

    undone = change.undo(sam)
    assert undone.kept == []
    assert live_records(sam) == before
    assert sam.require(Contact, own.id).name == "Only on Sam's laptop"
    search.rebuild_stale(sam.conn)  # what the window does in the background
    assert theirs.id not in {h.id for h in sam.search(theirs.name)}
    redone = undone.inverse.undo(sam)
    assert redone.kept == []
    assert live_records(sam) == imported
    search.rebuild_stale(sam.conn)
    assert theirs.id in {h.id for h in sam.search(theirs.name)}
    redone.inverse.undo(sam)
    assert live_records(sam) == before
    search.rebuild_stale(sam.conn)
    assert check_database(sam) == []
    rosa.close()
    sam.close()


def test_undoing_a_large_import_keeps_and_names_what_was_edited_since(
    group: Path, tmp_path: Path
) -> None:
    rosa = Store.open(shutil.copy(group, tmp_path / "rosa.sqlite"))
    sam = Store.create(tmp_path / "sam.sqlite", organizer="Sam")
    before = live_records(sam)
    incoming, decisions = incoming_from(rosa)
    _result, change = import_undoably(sam, incoming, decisions, "Import the bundle from Rosa")
    edited = sam.select(Contact, "name != ''", limit=1)[0]
    sam.update(Contact, edited.id, notes="Sam's note, after the import")
    # A need added since to another imported household keeps that household too.
    other = sam.select(Contact, "id != ?", [edited.id], limit=1)[0]
    added = sam.insert(Need(contact_id=other.id, category=Category.GROCERIES))
    # An imported need edited since is kept, and so is its household.
    need = sam.select(Need, "contact_id NOT IN (?, ?)", [edited.id, other.id], limit=1)[0]
    sam.update(Need, need.id, description="Two bags, not one")
    third = sam.require(Contact, need.contact_id)

    undone = change.undo(sam)
    assert sorted(undone.kept) == sorted(
        [
            f"contact {edited.name}: edited since",
            f"contact {other.name}: records added to it or edited since",
            f"contact {third.name}: records added to it or edited since",
            f"{describe(sam, Need, need.id)}: edited since",  # "need (groceries) of …"
        ]
    )
    assert sam.require(Contact, edited.id).notes == "Sam's note, after the import"
    assert sam.require(Need, added.id).contact_id == other.id
    assert sam.require(Need, need.id).description == "Two bags, not one"
    assert sam.require(Contact, other.id).name == other.name
    left = live_records(sam)
    assert {r[0] for r in left["contacts"]} == {r[0] for r in before["contacts"]} | {
        edited.id,
        other.id,
        third.id,
    }
    assert {r[0] for r in left["needs"]} == {added.id, need.id}
    search.rebuild_stale(sam.conn)
    assert check_database(sam) == []
    rosa.close()
    sam.close()


def test_recently_deleted_lists_an_undone_import_by_household_with_its_needs(
    group: Path, tmp_path: Path
) -> None:
    """However long the undo takes (the wall clock runs fast here), each household's needs
    are deleted within a second of it, so Recently deleted folds them under it."""
    rosa = Store.open(shutil.copy(group, tmp_path / "rosa.sqlite"))
    sam = Store.create(tmp_path / "sam.sqlite", organizer="Sam")
    incoming, decisions = incoming_from(rosa)
    _result, change = import_undoably(sam, incoming, decisions, "Import the bundle from Rosa")
    households = sam.count(Contact)
    with_needs = sam.conn.execute(
        "SELECT count(DISTINCT contact_id) FROM needs WHERE _cl % 2 = 1"
    ).fetchone()[0]
    wall = [sam.clock.last >> 16]

    def fast_wall() -> int:
        wall[0] += 50  # every reading of the clock 50 ms later
        return wall[0]

    sam.clock._wall_ms = fast_wall
    change.undo(sam)
    listed = recently_deleted(sam, days=3650)
    assert not [d for d in listed if d.table == "needs"]  # each under its household
    contacts = [d for d in listed if d.table == "contacts"]
    assert len(contacts) == households
    assert sum(1 for d in contacts if any(t == "needs" for t, _id in d.took_along)) == with_needs
    rosa.close()
    sam.close()


def test_undoing_a_large_import_can_be_cancelled_and_changes_nothing(
    group: Path, tmp_path: Path
) -> None:
    rosa = Store.open(shutil.copy(group, tmp_path / "rosa.sqlite"))
    sam = Store.create(tmp_path / "sam.sqlite", organizer="Sam")
    incoming, decisions = incoming_from(rosa)
    _result, change = import_undoably(sam, incoming, decisions, "Import the bundle from Rosa")
    imported = live_records(sam)
    reports: list[str] = []

    def cancel_half_way(message: str, fraction: float) -> bool:
        reports.append(message)
        return fraction < 0.5

    with pytest.raises(Cancelled):
        change.undo(sam, cancel_half_way)
    assert live_records(sam) == imported
    assert len(reports) > 2 and re.fullmatch(r"[\d,]+ of [\d,]+ records", reports[-1])
    change.undo(sam)  # the change is intact: undone after all
    assert live_records(sam)["contacts"] == []
    rosa.close()
    sam.close()
