"""Backups and restore, from the core and the command line: verified, kept per database,
rotated, and a restore that never replays a stale WAL."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mutualaid_desktop import cli
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.errors import DatabaseBusy, DiskFull
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.backup import (
    BackupPolicy,
    Rotation,
    backup_if_changed,
    list_backups,
    make_backup,
    plain_connect,
    read_info,
    restore_backup,
    rotate,
    save_copy,
)
from mutualaid_desktop.store.check import check_database
from mutualaid_desktop.store.connection import sqlite
from tests.conftest import TODAY


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def names(store: Store) -> list[str]:
    return [c.name for c in store.select(Contact, order_by="id")]


@pytest.fixture
def demo(db_path: Path) -> Path:
    with Store.create(db_path, organizer="Rosa") as store:
        build_demo(store, households=40, seed=3, today=TODAY)
    return db_path


def test_backup_prints_its_path_last_and_backups_lists_it(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "backup", "--db", demo)
    assert code == 0, err
    made = Path(out.strip().splitlines()[-1])
    assert made.is_file()
    with Store.open(demo) as store:
        contacts = store.count(Contact)
    conn = sqlite.connect(made)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM contacts WHERE _cl % 2 = 1").fetchone()[0] == contacts
    conn.close()
    time.sleep(0.01)
    with Store.open(demo) as store:
        store.insert(Contact(name="Dana Whitfield"))
    run(capsys, "backup", "--db", demo)
    code, out, err = run(capsys, "backups", "--db", demo)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2
    newest, oldest = (line.split("\t") for line in lines)
    assert Path(oldest[0]) == made  # path first, newest first
    assert newest[1] >= oldest[1] and newest[1].startswith(str(datetime.now().year))
    assert f"{contacts + 1} contacts" in newest[2] and f"{contacts} contacts" in oldest[2]
    assert "made by hand" in newest[3]


def test_no_backups_yet_is_one_sentence(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "backups", "--db", demo)
    assert code == 1
    assert err.startswith("mutualaid: There are no backups") and err.count("\n") == 1


def test_databases_with_similar_names_or_the_same_name_keep_their_own_backups(
    tmp_path: Path,
) -> None:
    places = [
        tmp_path / "a.sqlite",
        tmp_path / "a-b.sqlite",
        tmp_path / "one" / "mutualaid.sqlite",
        tmp_path / "two" / "mutualaid.sqlite",
    ]
    for path in places:
        with Store.create(path, organizer="Rosa") as store:
            store.insert(Contact(name=f"Only in {path.parent.name}/{path.name}"))
            make_backup(store, "manual")
    rotation = Rotation(recent=1, daily=1, weekly=1, monthly=1)
    for path in places:
        with Store.open(path) as store:
            for _ in range(3):
                make_backup(store, "manual", BackupPolicy(rotation=rotation))
    for path in places:
        found = list_backups(path)
        assert len(found) == 1, path  # its own rotation kept one of its own
        assert found[0].source == str(path.resolve())
        conn = sqlite.connect(found[0].path)
        assert (
            conn.execute("SELECT name FROM contacts")
            .fetchone()[0]
            .endswith(f"{path.parent.name}/{path.name}")
        )
        conn.close()


def test_a_copy_made_outside_the_program_gets_backups_of_its_own(demo: Path) -> None:
    with Store.open(demo) as store:
        make_backup(store, "manual")
    copy = demo.with_name("copy.sqlite")
    shutil.copy(demo, copy)
    with Store.open(copy) as store:
        store.insert(Contact(name="Only in the copy"))
        make_backup(store, "manual")
    assert [b.source for b in list_backups(demo)] == [str(demo.resolve())]
    assert [b.source for b in list_backups(copy)] == [str(copy.resolve())]


def test_rotation_keeps_recent_backups_dense_and_older_ones_sparse() -> None:
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    # One backup every 6 hours for a year.
    made = [now - timedelta(hours=6 * k) for k in range(4 * 365)]
    kept = Rotation().keep(made, now)
    assert now in kept
    assert {t for t in made if now - t <= timedelta(days=1)} <= kept  # the last day, all of it
    days = {t.astimezone().date() for t in kept}
    assert len(kept) <= 10 + 7 + 4 + 6
    assert len({t.astimezone().date() for t in kept if now - t <= timedelta(days=8)}) >= 7
    assert min(kept) < now - timedelta(days=140)  # one from each of the last 6 months
    assert len(days) == len({(t.astimezone().date()) for t in kept})


def test_rotation_deletes_only_what_it_does_not_keep(demo: Path) -> None:
    with Store.open(demo) as store:
        first = make_backup(store, "manual")
    folder = first.parent
    # Backups from other days, named as the program names them.
    for days in range(1, 40):
        when = datetime.now(UTC) - timedelta(days=days)
        shutil.copy(first, folder / f"{when:%Y-%m-%d_%H-%M-%S-%f}Z_daily.sqlite")
    gone = rotate(folder)
    left = sorted(folder.glob("*.sqlite"))
    assert first in left
    assert len(left) + len(gone) == 40
    made = [datetime.strptime(p.name.split("Z_")[0], "%Y-%m-%d_%H-%M-%S-%f") for p in left]
    ages = sorted((datetime.now(UTC).replace(tzinfo=None) - t).days for t in made)
    assert ages[:7] == [0, 1, 2, 3, 4, 5, 6]  # a week of days, then weeks and months
    assert ages[-1] >= 21 and len(left) <= 12


def test_a_killed_backup_never_counts_as_one(tmp_path: Path, program_home: Path) -> None:
    path = tmp_path / "big.sqlite"
    with Store.create(path, organizer="Rosa") as store:
        build_demo(store, households=600, seed=1, today=TODAY)
    env = {**os.environ, "MUTUALAID_HOME": str(program_home)}
    for delay in (0.05, 0.15, 0.3, 0.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "mutualaid_desktop", "backup", "--db", str(path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for info in list_backups(path):
        conn = sqlite.connect(info.path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT value FROM meta WHERE key = 'backup_reason'").fetchone()
        conn.close()
    with Store.open(path) as store:
        assert check_database(store) == []


def test_a_backup_on_a_full_disk_says_so_and_leaves_nothing(demo: Path) -> None:
    def tiny_disk(path: Path, read_only: bool) -> sqlite.Connection:
        conn = plain_connect(path, read_only)
        if not read_only:
            conn.execute("PRAGMA max_page_count = 20")
        return conn

    with Store.open(demo) as store:
        with pytest.raises(DiskFull, match="The disk is full"):
            make_backup(store, "manual", BackupPolicy(connect=tiny_disk))
        folder = make_backup(store, "manual").parent
    assert [p.suffix for p in folder.iterdir()] == [".sqlite"]  # no partial file left


def test_a_backup_is_made_only_after_changes(demo: Path) -> None:
    with Store.open(demo) as store:
        assert backup_if_changed(store, "on-close") is not None  # never backed up
        assert backup_if_changed(store, "on-close") is None  # nothing changed since
        store.insert(Contact(name="Dana Whitfield"))
        assert backup_if_changed(store, "daily", older_than=timedelta(days=1)) is None
        assert backup_if_changed(store, "on-close") is not None


def test_an_upgrade_is_preceded_by_a_backup(demo: Path) -> None:
    with Store.open(demo) as store:
        store.set_meta("schema_version", "2")
    with Store.open(demo) as store:
        assert store.meta()["schema_version"] != "2"
    assert [b.reason for b in list_backups(demo)] == ["before-upgrade"]


def test_restore_after_a_crash_does_not_replay_the_old_wal(
    demo: Path, capsys: pytest.CaptureFixture[str], program_home: Path
) -> None:
    with Store.open(demo) as store:
        backup = make_backup(store, "manual")
        kept = names(store)
        old_replica = store.replica_id
    # A writer dies with its last transactions in the WAL, not yet in the file.
    script = (
        "import os, sys\n"
        "from mutualaid_desktop.store import Store\n"
        "from mutualaid_desktop.domain import Contact\n"
        "s = Store.open(sys.argv[1])\n"
        "s.conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "for i in range(50):\n"
        "    s.insert(Contact(name=f'After the backup {i}'))\n"
        "os.kill(os.getpid(), 9)\n"
    )
    env = {**os.environ, "MUTUALAID_HOME": str(program_home)}
    subprocess.run([sys.executable, "-c", script, str(demo)], env=env, check=False)
    assert Path(f"{demo}-wal").stat().st_size > 0
    code, out, err = run(capsys, "restore", "--db", demo, backup)
    assert code == 0, err
    assert "saved in" in out and "new replica id" in out
    assert not Path(f"{demo}-wal").exists() or Path(f"{demo}-wal").stat().st_size == 0
    with Store.open(demo) as store:
        assert names(store) == kept
        assert check_database(store) == []
        assert store.replica_id != old_replica
        assert "backup_reason" not in store.meta()
    # What the crash left was backed up first, with the 50 contacts in it.
    before = next(b for b in list_backups(demo) if b.reason == "before-restore")
    assert before.counts["contacts"] == len(kept) + 50


def test_restore_refuses_while_another_program_has_the_database_open(demo: Path) -> None:
    with Store.open(demo) as store:
        backup = make_backup(store, "manual")
        digest = hashlib.sha256(demo.read_bytes()).hexdigest()
        with pytest.raises(DatabaseBusy, match="open in another window"):
            restore_backup(demo, backup)
        assert store.count(Contact) > 0
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == digest


def test_restoring_over_a_damaged_file_keeps_its_bytes(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo) as store:
        backup = make_backup(store, "manual")
        kept = names(store)
    data = bytearray(demo.read_bytes())
    data[4096 * 5 : 4096 * 7] = os.urandom(8192)
    demo.write_bytes(bytes(data))
    code, _, err = run(capsys, "check", "--db", demo)
    assert code == 1
    assert err.count("\n") == 1 and "damaged" in err and str(backup) in err
    assert demo.read_bytes() == bytes(data)  # check never writes to the file
    code, _, err = run(capsys, "restore", "--db", demo, backup)
    assert code == 0, err
    with Store.open(demo) as store:
        assert names(store) == kept
    damaged = list(backup.parent.glob("*.damaged"))
    assert len(damaged) == 1 and damaged[0].read_bytes() == bytes(data)


def test_restore_refuses_a_damaged_or_foreign_backup(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = hashlib.sha256(demo.read_bytes()).hexdigest()
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my shopping list", encoding="utf-8")
    code, _, err = run(capsys, "restore", "--db", demo, notes)
    assert code == 1 and "not a Mutual Aid Desktop backup" in err
    code, _, err = run(capsys, "restore", "--db", demo, tmp_path / "missing.sqlite")
    assert code == 1 and "no backup file" in err
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == digest


def test_a_saved_copy_is_a_database_of_its_own(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy for Sam.sqlite"
    with Store.open(demo) as store:
        save_copy(store, target)
        original = store.meta()["database_id"]
        kept = names(store)
    info = read_info(target)
    assert info is not None
    with Store.open(target) as copy:
        assert names(copy) == kept
        assert copy.meta()["database_id"] != original
        assert check_database(copy) == []


def test_check_on_ten_damaged_copies_says_one_sentence_each_and_writes_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Today 8 of 10 damaged copies crash `check` with a traceback."""
    with Store.open(demo) as store:
        backup = make_backup(store, "manual")
    pages = demo.stat().st_size // 4096
    for k in range(10):
        copy = tmp_path / f"damaged-{k}.sqlite"
        data = bytearray(demo.read_bytes())
        page = 1 + k * (pages - 1) // 9  # from the first page to the last
        start = (page - 1) * 4096 + (100 if page == 1 else 0)  # page 1: keep the header
        data[start : page * 4096] = os.urandom(page * 4096 - start)
        copy.write_bytes(bytes(data))
        # The damaged file is this database, found where it lives.
        code, out, err = run(capsys, "check", "--db", copy)
        assert code == 1, (k, out)
        assert err.count("\n") == 1 and err.startswith("mutualaid: The database file"), (k, err)
        assert "damaged" in err and "Traceback" not in err
        assert copy.read_bytes() == bytes(data), k  # never written to
        assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-shm").exists()
    assert backup.exists()


def test_restoring_a_backup_that_rotation_is_about_to_drop_still_restores_it(
    demo: Path,
) -> None:
    """Found in an afternoon of use: the backup taken before a restore rotated away the very
    backup being restored, which then read as an empty file."""
    one_each = BackupPolicy(rotation=Rotation(recent=1, daily=1, weekly=1, monthly=1))
    with Store.open(demo) as store:
        chosen = make_backup(store, "manual", one_each)
        kept = names(store)
        store.insert(Contact(name="After the backup"))
    done = restore_backup(demo, chosen, one_each)
    assert not chosen.exists()  # rotated away by the backup taken before the restore...
    with Store.open(demo) as store:
        assert names(store) == kept  # ...and restored all the same
    assert done.saved_before is not None and done.saved_before.exists()


def test_reading_a_missing_backup_never_creates_it(tmp_path: Path) -> None:
    missing = tmp_path / "gone.sqlite"
    assert read_info(missing) is None
    assert not missing.exists()


def test_the_long_part_of_a_restore_runs_with_the_database_open_and_can_be_cancelled(
    demo: Path,
) -> None:
    from mutualaid_desktop.errors import Cancelled
    from mutualaid_desktop.store.backup import finish_restore, prepare_restore

    with Store.open(demo) as store:
        backup = make_backup(store, "manual")
        kept = names(store)
        store.delete(Contact, store.select(Contact, limit=1)[0].id)
        steps: list[str] = []

        def cancel_when_copied(message: str, _fraction: float) -> bool:
            steps.append(message)
            return message != "Backing up the database as it is now"

        with pytest.raises(Cancelled):
            prepare_restore(demo, backup, progress=cancel_when_copied)
        assert steps == [
            "Checking the backup",
            "Copying the backup",
            "Backing up the database as it is now",
        ]
        assert not list(demo.parent.glob(".*restoring*"))  # the copy is gone
        assert names(store) != kept  # nothing changed
        prepared = prepare_restore(demo, backup)  # while the window still shows it
        assert names(store) != kept
    done = finish_restore(prepared)
    assert done.saved_before is not None and "before-restore" in done.saved_before.name
    with Store.open(demo) as store:
        assert names(store) == kept
