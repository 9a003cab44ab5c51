"""Bundles on the command line, and SYNC.md's failure table: a bad bundle changes nothing.

Every refusal is checked by hashing the database file before and after. Each
real bundle costs the passphrase's key stretching (about 2 s) to write and
again to open, so the databases and the good bundle are shared by the module.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mutualaid_desktop import cli
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.backup import list_backups
from mutualaid_desktop.store.connection import sqlite
from mutualaid_desktop.sync import age
from mutualaid_desktop.sync.bundle import build_body
from mutualaid_desktop.sync.envelope import seal
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.shared import sync_state
from tests.unit.sync.exchange import sync

PASS = "maple syrup at the food bank"
TODAY = date(2026, 11, 27)


@dataclass
class Laptops:
    root: Path
    rosa: Path  # a demo database
    sam: Path  # a fresh one
    pw: Path
    bundle: Path  # Rosa's full bundle
    rosa_fp: str


def run(*args: str | Path) -> tuple[int, str, str]:
    """Run the command line in-process; (exit code, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sync-home")


@pytest.fixture(autouse=True)
def shared_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One program home for the module: the replica records must persist between tests.
    monkeypatch.setenv("MUTUALAID_HOME", str(home))


@pytest.fixture(scope="module")
def laptops(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Laptops:
    os.environ["MUTUALAID_HOME"] = str(home)
    root = tmp_path_factory.mktemp("laptops")
    rosa, sam = root / "rosa.sqlite", root / "sam.sqlite"
    with Store.create(rosa, organizer="Rosa") as store:
        build_demo(store, households=25, seed=5, today=TODAY)
        fp = identity(store).fingerprint
    Store.create(sam, organizer="Sam").close()
    pw = root / "passphrase.txt"
    pw.write_text(PASS + "\n", encoding="utf-8")
    bundle = root / "rosa-1.bundle"
    code, out, err = run("bundle", "export", "--db", rosa, "--out", bundle, "--passphrase-file", pw)
    assert code == 0, err
    assert "safe to remove" in out
    return Laptops(root, rosa, sam, pw, bundle, fp)


def refused(laptops: Laptops, bundle: Path, *extra: str | Path, db: Path | None = None) -> str:
    """Import `bundle` into Sam's laptop expecting a refusal; the file must not change."""
    db = db or laptops.sam
    before = file_hash(db)
    code, _out, err = run(
        "bundle", "import", "--db", db, bundle, "--passphrase-file", laptops.pw, *extra
    )
    assert code == 1, err
    assert file_hash(db) == before, "a refused bundle changed the database"
    assert "Traceback" not in err
    return err


def forged(laptops: Laptops, name: str, change: Any, db: Path | None = None) -> Path:
    """A bundle from Rosa's laptop whose body `change(body)` altered before signing."""
    with Store.open(db or laptops.rosa) as store:
        body = build_body(store)
        change(body)
        data = seal(store, body, PASS)
    path = laptops.root / name
    path.write_bytes(data)
    return path


def test_an_unknown_sender_is_refused_with_the_fingerprint_to_compare(laptops: Laptops) -> None:
    err = refused(laptops, laptops.bundle)
    assert laptops.rosa_fp in err and "in person" in err
    err = refused(laptops, laptops.bundle, "--trust", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert "does not match" in err


def test_a_wrong_passphrase_or_a_damaged_copy_changes_nothing(laptops: Laptops) -> None:
    wrong = laptops.root / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    before = file_hash(laptops.sam)
    code, _, err = run(
        "bundle", "import", "--db", laptops.sam, laptops.bundle, "--passphrase-file", wrong
    )
    assert code == 1 and "Wrong passphrase" in err
    assert file_hash(laptops.sam) == before
    data = laptops.bundle.read_bytes()
    cut = laptops.root / "cut.bundle"
    cut.write_bytes(data[: len(data) // 2])
    assert "damaged" in refused(laptops, cut, "--trust", laptops.rosa_fp)
    flipped = bytearray(data)
    flipped[len(data) - 100] ^= 0x10
    bad = laptops.root / "flipped.bundle"
    bad.write_bytes(bytes(flipped))
    assert "damaged" in refused(laptops, bad, "--trust", laptops.rosa_fp)


def test_a_trusted_full_bundle_merges_and_a_second_import_changes_nothing(
    laptops: Laptops,
) -> None:
    code, out, err = run(
        "bundle", "import", "--db", laptops.sam, laptops.bundle,
        "--passphrase-file", laptops.pw, "--trust", laptops.rosa_fp,
    )  # fmt: skip
    assert code == 0, err
    assert "Contacts:" in out and "new" in out
    backups = [b for b in list_backups(laptops.sam) if b.reason == "before-import"]
    assert backups, "no backup was taken before the import"
    with Store.open(laptops.rosa) as a, Store.open(laptops.sam) as b:
        assert sync_state(a) == sync_state(b)
    err = refused(laptops, laptops.bundle)  # the very same file: no passphrase work at all
    assert "Already imported" in err
    # The same bundle encrypted again (other bytes, same bundle id) is caught by its id.
    data = b"".join(age.opened(laptops.bundle.read_bytes(), PASS).chunks())
    again = laptops.root / "again.bundle"
    again.write_bytes(age.encrypt(data, PASS))
    assert "Already imported" in refused(laptops, again)


def test_both_ways_from_the_command_line_end_with_the_same_sync_state(laptops: Laptops) -> None:
    with Store.open(laptops.sam) as b:
        contact = b.select(Contact, "share_scope = 'group'", limit=1)[0]
        b.update(Contact, contact.id, notes="Sam: moved to 2nd floor")
    back = laptops.root / "sam-1.bundle"
    code, _, err = run(
        "bundle", "export", "--db", laptops.sam, "--out", back,
        "--passphrase-file", laptops.pw, "--for", "Rosa",
    )  # fmt: skip
    assert code == 0, err
    with Store.open(laptops.sam) as b:
        sam_fp = identity(b).fingerprint
    code, out, err = run(
        "bundle", "import", "--db", laptops.rosa, back,
        "--passphrase-file", laptops.pw, "--trust", sam_fp,
    )  # fmt: skip
    assert code == 0, err
    assert "Contacts: 1 updated" in out
    digests = [
        run("sync-state", "--db", db)[1].splitlines()[-1] for db in (laptops.rosa, laptops.sam)
    ]
    assert digests[0] == digests[1]


def test_another_groups_bundle_is_refused_unless_merging_is_chosen(laptops: Laptops) -> None:
    other = laptops.root / "lee.sqlite"
    with Store.create(other, organizer="Lee") as lee:
        lee.insert(Contact(name="Lee's neighbour", adults=1))
        lee_fp = identity(lee).fingerprint
        body = build_body(lee)
        (laptops.root / "lee.bundle").write_bytes(seal(lee, body, PASS))
    lee_bundle = laptops.root / "lee.bundle"
    err = refused(laptops, lee_bundle, "--trust", lee_fp)
    assert "another group" in err
    with Store.open(laptops.sam) as b:  # trust comes only with a successful import
        assert b.conn.execute("SELECT count(*) FROM sync_peers").fetchone()[0] == 1
    code, _, err = run(
        "bundle", "import", "--db", laptops.sam, lee_bundle,
        "--passphrase-file", laptops.pw, "--trust", lee_fp, "--merge-groups",
    )  # fmt: skip
    assert code == 0, err
    with Store.open(laptops.sam) as b:
        assert b.meta()["group_id"] == body["group_id"]
        assert b.conn.execute("SELECT count(*) FROM sync_peers").fetchone()[0] == 2


def test_a_newer_schema_asks_for_an_update(laptops: Laptops) -> None:
    newer = forged(laptops, "newer.bundle", lambda body: body.update(schema_version=99))
    assert "update the program on this laptop, then import" in refused(laptops, newer)


def test_a_clock_a_year_ahead_needs_a_yes_and_later_edits_still_win(laptops: Laptops) -> None:
    year_ms = 365 * 24 * 3600 * 1000

    def ahead(body: dict[str, Any]) -> None:
        body["created_hlc"] += year_ms << 16
        for rows in body["tables"].values():
            rows["rows"] = [list(row) for row in rows["rows"]]
            for row in rows["rows"]:
                row[-3] += year_ms << 16  # every base stamp, a year ahead

    future = forged(laptops, "future.bundle", ahead)
    err = refused(laptops, future)
    assert "days ahead" in err and "--accept-clock" in err
    code, _, err = run(
        "bundle", "import", "--db", laptops.sam, future,
        "--passphrase-file", laptops.pw, "--accept-clock",
    )  # fmt: skip
    assert code == 0, err
    with Store.open(laptops.sam) as b:
        # This laptop's clock moved past the stamps it received, so its own
        # next edit still wins over them.
        contact = b.select(Contact, "share_scope = 'group'", limit=1)[0]
        b.update(Contact, contact.id, notes="edited after the future bundle")
        row = b.conn.execute("SELECT _updated FROM contacts WHERE id = ?", (contact.id,)).fetchone()
        assert row[0] > time.time_ns() // 1_000_000 << 16
    with Store.open(laptops.sam) as b:
        assert b.require(Contact, contact.id).notes == "edited after the future bundle"


def test_a_laptop_that_never_synced_joins_the_group_of_its_first_bundle(
    laptops: Laptops,
) -> None:
    lee = laptops.root / "lee-2.sqlite"
    with Store.create(lee, organizer="Lee") as store:
        before = sync_state(store)
    code, _, err = run(
        "bundle", "import", "--db", lee, laptops.bundle,
        "--passphrase-file", laptops.pw, "--trust", laptops.rosa_fp,
    )  # fmt: skip
    assert code == 0, err
    with Store.open(lee) as store, Store.open(laptops.rosa) as rosa:
        assert sync_state(store) != before
        assert store.meta()["group_id"] == rosa.meta()["group_id"]


def test_a_failure_inside_the_transaction_rolls_everything_back(
    laptops: Laptops, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutualaid_desktop.sync import importer

    fresh = laptops.root / "fresh.sqlite"
    Store.create(fresh, organizer="Ana").close()
    run("sync-state", "--db", fresh)

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise sqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(importer, "_record", full_disk)  # after every row was merged
    err = refused(laptops, laptops.bundle, "--trust", laptops.rosa_fp, db=fresh)
    assert "disk is full" in err and "Nothing was changed" in err


def test_kill_9_mid_import_leaves_the_database_as_before(tmp_path: Path, home: Path) -> None:
    sender, receiver = tmp_path / "big.sqlite", tmp_path / "receiver.sqlite"
    with Store.create(sender, organizer="Rosa") as store:
        build_demo(store, households=1500, seed=2, today=TODAY)
        fp = identity(store).fingerprint
        bundle = tmp_path / "big.bundle"
        bundle.write_bytes(seal(store, build_body(store), PASS))
    Store.create(receiver, organizer="Sam").close()
    pw = tmp_path / "pw"
    pw.write_text(PASS, encoding="utf-8")
    with Store.open(receiver) as store:
        state = sync_state(store)
    with Store.open(sender) as store:
        sender_state = sync_state(store)
    caught = 0
    for delay in (0.0, 0.1, 0.3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "mutualaid_desktop", "bundle", "import", "--db",
             str(receiver), str(bundle), "--passphrase-file", str(pw), "--trust", fp],
            env={**os.environ, "MUTUALAID_HOME": str(home)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        # Wait until the import holds the write lock: its transaction has begun.
        while time.monotonic() < deadline and proc.poll() is None:
            if _write_locked(receiver):
                break
            time.sleep(0.002)
        time.sleep(delay)
        in_transaction = _write_locked(receiver)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Store.open(receiver) as store:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            imported = store.conn.execute("SELECT count(*) FROM sync_imports").fetchone()[0]
            # All or nothing: the state before, or the sender's state with the import recorded.
            assert sync_state(store) == (sender_state if imported else state), delay
        if in_transaction and proc.returncode == -signal.SIGKILL:
            caught += 1
            assert not imported
        if imported:
            break
    assert caught >= 1, "no kill caught the import inside its transaction"
    if not imported:  # and after all that, the import still works
        code, _, err = run(
            "bundle", "import", "--db", receiver, bundle, "--passphrase-file", pw, "--trust", fp
        )
        assert code == 0, err


def _write_locked(db: Path) -> bool:
    """Whether another process holds the write lock: an import transaction is under way."""
    conn = sqlite.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite.OperationalError:
        return True
    finally:
        conn.close()  # rolls back our own empty transaction
    return False


def test_a_restored_backup_gets_a_new_replica_id_and_still_syncs(laptops: Laptops) -> None:
    backup = next(b.path for b in list_backups(laptops.sam) if b.reason == "before-import")
    with Store.open(laptops.sam) as b:
        old_id = b.replica_id
    restored = laptops.root / "sam.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(str(restored) + suffix).unlink(missing_ok=True)
    shutil.copy(backup, restored)
    with Store.open(restored) as b, Store.open(laptops.rosa) as a:
        assert b.replica_id != old_id
        contact = b.select(Contact, "share_scope = 'group'", limit=1)[0]
        b.update(Contact, contact.id, notes="typed on the restored laptop")
        sync(a, b)  # what the restore lost comes back from Rosa
        sync(b, a)
        assert sync_state(a) == sync_state(b)
        assert a.require(Contact, contact.id).notes == "typed on the restored laptop"


def test_export_refuses_a_delta_for_an_unknown_peer(laptops: Laptops) -> None:
    code, _, err = run(
        "bundle", "export", "--db", laptops.rosa, "--out", laptops.root / "x.bundle",
        "--passphrase-file", laptops.pw, "--for", "Nobody",
    )  # fmt: skip
    assert code == 1 and "full bundle" in err
    assert not (laptops.root / "x.bundle").exists()


def test_writing_a_bundle_says_how_many_households_stay_home_and_why(laptops: Laptops) -> None:
    with Store.open(laptops.rosa) as store:
        no_consent, chose = store.conn.execute(
            "SELECT count(*) FILTER (WHERE consent_at IS NULL), "
            "count(*) FILTER (WHERE consent_at IS NOT NULL) "
            "FROM contacts WHERE share_scope = 'local' AND _cl % 2 = 1"
        ).fetchone()
    assert no_consent + chose > 0
    code, out, err = run(
        "bundle", "export", "--db", laptops.rosa, "--out", laptops.root / "count.bundle",
        "--passphrase-file", laptops.pw,
    )  # fmt: skip
    assert code == 0, err
    line = out.strip().splitlines()[-1]
    assert f"{no_consent + chose} households stay on this laptop only" in line
    if no_consent:
        assert f"{no_consent} because no consent to share is recorded" in line
    assert "Contacts › Sharing" in line


def test_a_dry_run_reports_only_what_the_real_import_would_do(laptops: Laptops) -> None:
    def alien(body: dict[str, Any]) -> None:
        data = body["tables"]["contacts"]
        data["rows"] = [list(r) for r in data["rows"]]
        data["rows"][0][data["columns"].index("kind")] = "alien"

    bad = forged(laptops, "alien.bundle", alien)
    fresh = laptops.root / "dry.sqlite"
    Store.create(fresh, organizer="Dee").close()
    trust = ("--trust", laptops.rosa_fp)
    dry = refused(laptops, bad, "--dry-run", *trust, db=fresh)
    real = refused(laptops, bad, *trust, db=fresh)
    assert dry == real and "(contacts, field kind)" in dry
    # A sound bundle: the dry run's lines are the import's, and it writes nothing.
    good = forged(laptops, "good.bundle", lambda body: None)
    before = file_hash(fresh)
    code, dry_out, err = run(
        "bundle", "import", "--db", fresh, good, "--passphrase-file", laptops.pw, "--dry-run",
        *trust,
    )  # fmt: skip
    assert code == 0, err
    assert file_hash(fresh) == before
    code, real_out, err = run(
        "bundle", "import", "--db", fresh, good, "--passphrase-file", laptops.pw, *trust
    )
    assert code == 0, err
    lines = [line for line in dry_out.splitlines() if line.startswith("  ")]
    assert lines == [line for line in real_out.splitlines() if line.startswith("  ")]
