"""Locks, full disks, read-only places: one sentence each, and nothing saved is lost."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutualaid_desktop import cli
from mutualaid_desktop.domain import Contact, Need
from mutualaid_desktop.errors import DatabaseBusy, DiskFull, ReadOnlyDatabase
from mutualaid_desktop.store import Store
from mutualaid_desktop.store import store as store_module
from mutualaid_desktop.store.connection import DatabaseKey, connect, sqlite
from mutualaid_desktop.store.store import BUSY_TIMEOUT_MS


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another program writes to the file for `seconds`, then commits."""
    started = threading.Event()

    def writer() -> None:
        conn = connect(path)  # the program's SQLite build: its locks are the ones seen
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE meta SET value = value WHERE key = 'format'")
        started.set()
        time.sleep(seconds)
        conn.commit()
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait()
    return thread


@pytest.fixture
def household(store: Store) -> Contact:
    contact = store.insert(Contact(name="Amina Farah", adults=2))
    store.insert(Need(contact_id=contact.id, category="groceries"))
    return contact


def test_every_write_waits_for_another_writer(store: Store, household: Contact) -> None:
    assert BUSY_TIMEOUT_MS >= 5000
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    # Reading first, as an update does, must not fail at once when the other
    # writer commits meanwhile (a stale snapshot): it waits, then writes.
    assert store.path is not None
    other = hold_write_lock(store.path, 0.5)
    store.update(Contact, household.id, notes="Apt 5B")
    other.join()
    other = hold_write_lock(store.path, 0.5)
    store.delete(Contact, household.id)
    other.join()
    assert store.get(Contact, household.id) is None
    assert store.count(Need, "contact_id = ?", [household.id]) == 0


def test_a_lock_held_too_long_is_one_sentence_and_nothing_changes(
    store: Store, household: Contact
) -> None:
    store.conn.execute("PRAGMA busy_timeout = 100")  # the real wait is 5 s
    assert store.path is not None
    other = hold_write_lock(store.path, 1.0)
    try:
        with pytest.raises(DatabaseBusy) as caught:
            store.update(Contact, household.id, notes="Apt 5B")
        assert str(caught.value) == (
            "Another program is writing to this database; try again in a moment."
        )
        with pytest.raises(DatabaseBusy):
            store.delete(Contact, household.id)
    finally:
        other.join()
    assert store.require(Contact, household.id).notes == ""
    store.update(Contact, household.id, notes="Apt 5B")  # and then it works
    assert store.require(Contact, household.id).notes == "Apt 5B"


def test_a_full_disk_says_so_and_keeps_what_was_saved(store: Store, household: Contact) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow
    with pytest.raises(DiskFull, match="The disk is full"):
        store.insert_many([Contact(name=f"Household {i}", notes="x" * 2000) for i in range(200)])
    assert store.count(Contact) == 1
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.update(Contact, household.id, notes="still works")
    assert store.require(Contact, household.id).notes == "still works"


def test_creating_on_a_full_disk_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store_module._connect

    def tiny_disk(path: Path | None, key: DatabaseKey | None = None) -> sqlite.Connection:
        conn = real(path, key)
        conn.execute("PRAGMA max_page_count = 8")
        return conn

    monkeypatch.setattr(store_module, "_connect", tiny_disk)
    target = tmp_path / "new.sqlite"
    with pytest.raises(DiskFull, match="The disk is full"):
        Store.create(target, organizer="Rosa")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_file_opens_for_reading(
    store: Store, household: Contact, as_ordinary_user: None
) -> None:
    path = store.path
    assert path is not None
    store.close()
    path.chmod(0o444)
    before = digest(path)
    with Store.open(path) as again:
        assert again.read_only and "read-only" in again.read_only_reason
        assert again.require(Contact, household.id).name == "Amina Farah"
        assert again.search("Amina")
        with pytest.raises(ReadOnlyDatabase, match="read-only"):
            again.update(Contact, household.id, notes="Apt 5B")
    assert digest(path) == before


@pytest.fixture
def in_read_only_folder(tmp_path: Path, as_ordinary_user: None) -> Iterator[Path]:
    """A good database with one household, in a folder nobody may write to (a locked stick)."""
    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "aid.sqlite"
    with Store.create(path, organizer="Rosa") as store:
        store.insert(Contact(name="Amina Farah", adults=2))
    folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)


def test_a_good_database_in_a_read_only_folder_is_not_damaged(in_read_only_folder: Path) -> None:
    path = in_read_only_folder
    before = digest(path)
    with Store.open(path) as again:
        assert again.read_only_reason == "its folder is read-only"
        assert again.count(Contact) == 1
        with pytest.raises(ReadOnlyDatabase):
            again.insert(Contact(name="Dana"))
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["aid.sqlite"]


@pytest.mark.parametrize(
    ("command", "pages"),
    [
        ("init", 8),  # no room for a new database
        ("demo", 120),  # room for a new database, not for 300 households
    ],
)
def test_init_and_demo_on_a_full_disk_say_so_and_leave_no_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    pages: int,
) -> None:
    real = store_module._connect

    def small_disk(path: Path | None, key: DatabaseKey | None = None) -> sqlite.Connection:
        conn = real(path, key)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store_module, "_connect", small_disk)
    target = tmp_path / "aid.sqlite"
    extra = ["--name", "Rosa"] if command == "init" else ["--households", "300"]
    code = cli.main([command, "--db", str(target), "--no-encryption", *extra])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("mutualaid: The disk is full") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_reads_a_database_in_a_read_only_folder(
    in_read_only_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(in_read_only_folder)
    assert cli.main(["search", "--db", path, "Amina"]) == 0
    assert "Amina Farah" in capsys.readouterr().out
    assert cli.main(["check", "--db", path]) == 0
    assert "No problems found." in capsys.readouterr().out
    assert cli.main(["check", "--db", path, "--repair"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mutualaid: This database is read-only") and err.count("\n") == 1
