"""Replica ids: a copied or restored database file gets a new id before its next write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store


def _fresh(path: Path) -> tuple[str, str]:
    """A closed database at `path` with one contact; returns (replica id, contact id)."""
    with Store.create(path, organizer="Test Organizer") as store:
        home = store.insert(Contact(name="Ana"))
        return store.replica_id, home.id


def _row_origins(store: Store, contact_id: str) -> set[str]:
    """The replica ids that stamped any field group of a contact."""
    row = store.conn.execute(
        "SELECT _origin, _stamps FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    indexes = {row[0]} | {origin for _, origin in json.loads(row[1] or "{}").values()}
    return {store.replica_uuid(i) for i in indexes}


def _newest_origin(store: Store, contact_id: str) -> str:
    row = store.conn.execute(
        "SELECT _hlc, _origin, _stamps FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    stamps = [(row[0], row[1]), *(tuple(s) for s in json.loads(row[2] or "{}").values())]
    return store.replica_uuid(max(stamps)[1])


def test_reopening_the_same_file_keeps_its_replica_id(db_path: Path) -> None:
    replica_id, _ = _fresh(db_path)
    for _ in range(2):
        with Store.open(db_path) as store:
            assert store.replica_id == replica_id
            store.insert(Contact(name="Bea"))


def test_a_copy_opened_elsewhere_gets_a_new_replica_id(db_path: Path, tmp_path: Path) -> None:
    replica_id, home_id = _fresh(db_path)
    copy = tmp_path / "usb" / "copy.sqlite"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    with Store.open(copy) as store:
        copy_id = store.replica_id
        assert copy_id != replica_id
        assert store.meta()["replica_id"] == copy_id
        assert store.get(Contact, home_id) is not None  # same data, new identity
    # The copy keeps its new id from now on, and the original keeps its own.
    with Store.open(copy) as store:
        assert store.replica_id == copy_id
    with Store.open(db_path) as store:
        assert store.replica_id == replica_id


def test_restoring_an_older_copy_over_the_file_mints_a_new_id(
    db_path: Path, tmp_path: Path
) -> None:
    replica_id, home_id = _fresh(db_path)
    backup = tmp_path / "backup.sqlite"
    shutil.copy(db_path, backup)
    with Store.open(db_path) as store:
        assert store.replica_id == replica_id
        store.update(Contact, home_id, notes="written after the backup")
    shutil.copy(backup, db_path)  # the file goes back in time
    with Store.open(db_path) as store:
        assert store.replica_id != replica_id
        assert store.get(Contact, home_id).notes == ""  # type: ignore[union-attr]


def test_putting_another_database_at_the_same_place_mints_a_new_id(
    db_path: Path, tmp_path: Path
) -> None:
    replica_id, _ = _fresh(db_path)
    other_id, _ = _fresh(tmp_path / "other.sqlite")
    shutil.copy(tmp_path / "other.sqlite", db_path)
    with Store.open(db_path) as store:
        assert store.replica_id not in (replica_id, other_id)


def test_after_a_new_id_new_writes_carry_it(db_path: Path, tmp_path: Path) -> None:
    replica_id, home_id = _fresh(db_path)
    copy = tmp_path / "copy.sqlite"
    shutil.copy(db_path, copy)
    with Store.open(copy) as store:
        new_id = store.replica_id
        assert _row_origins(store, home_id) == {replica_id}  # old stamps keep their author
        store.update(Contact, home_id, notes="edited on the copy")
        assert _newest_origin(store, home_id) == new_id
        assert _row_origins(store, home_id) == {replica_id, new_id}
        added = store.insert(Contact(name="Bea"))
        assert _row_origins(store, added.id) == {new_id}
        store.delete(Contact, added.id)
        assert _newest_origin(store, added.id) == new_id
        last_audit = store.conn.execute("SELECT origin FROM audit ORDER BY rowid DESC LIMIT 1")
        assert last_audit.fetchone()[0] == new_id


def test_replica_state_is_kept_outside_the_database(db_path: Path, program_home: Path) -> None:
    _fresh(db_path)
    state = list((program_home / "state").glob("*.json"))
    assert state, "the replica record must live in the program's state folder"
    assert str(db_path.resolve()) in state[0].read_text(encoding="utf-8")
