"""Purge: a deleted household is erased for good once its recently-deleted period is over,
the retention rule erases households long inactive, and neither the file, its WAL, its
backups, its bundles nor a stale laptop's bundle holds them afterwards.

The files here are unencrypted on purpose: an encrypted file hides everything anyway,
so only a plain one shows whether the erased values are really gone from its pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from mutualaid_desktop import cli
from mutualaid_desktop.domain import Contact, DeliveryRun, Need, Ride, ShareScope, Stop
from mutualaid_desktop.domain.enums import Category, Role
from mutualaid_desktop.errors import Cancelled, NotFound
from mutualaid_desktop.store import Store, deleted, purge
from mutualaid_desktop.store.backup import (
    BackupPolicy,
    make_backup,
    restore_backup,
)
from mutualaid_desktop.store.connection import DatabaseKey
from mutualaid_desktop.store.constants import PURGED_CL
from mutualaid_desktop.store.tables import SPECS
from tests.recognisable import NOTE, PASSPHRASE, household, passphrase_file, traces_in
from tests.unit.sync.exchange import body_of, deliver, sync


@contextmanager
def later(days: int) -> Iterator[None]:
    """The clock `days` ahead (the recently-deleted period is 30 days unless changed)."""
    with time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True):
        yield


def on_disk(path: Path) -> bytes:
    """The database file and its WAL, as someone who copies them would read them."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def with_history(store: Store) -> Contact:
    """The recognisable household, shared with the group, with a need, a stop and a ride."""
    shared = {"share_scope": ShareScope.GROUP, "consent_at": datetime.now(UTC)}
    home = store.insert(household().model_copy(update=shared))
    need = store.insert(
        Need(contact_id=home.id, category=Category.GROCERIES, description="Quixwell pantry box")
    )
    run = store.insert(DeliveryRun(date=date.today(), name="Friday run"))
    store.insert(Stop(run_id=run.id, contact_id=home.id, need_id=need.id, seq=1))
    store.insert(
        Ride(
            rider_id=home.id,
            pickup_address="4417 Quillfeather Lane",
            pickup_at=datetime.now(UTC) + timedelta(days=1),
            destination="Clinic",
            notes="Zephyrine uses a cane",
        )
    )
    return home


@pytest.fixture
def aid(tmp_path: Path) -> Path:
    return tmp_path / "aid.sqlite"


def test_a_deleted_household_is_restorable_for_the_period_then_erased_from_the_file(
    aid: Path,
) -> None:
    store = Store.create(aid, organizer="Rosa")
    home = with_history(store)
    for i in range(200):  # neighbours on the same pages, so the pages stay in use
        store.insert(Contact(name=f"Neighbour {i}"))
    store.delete(Contact, home.id)
    store.close()
    with later(days=29), Store.open(aid) as store:
        assert [d.id for d in deleted.recently_deleted(store)] == [home.id]
    assert traces_in(on_disk(aid)), "still restorable, so still there"
    with later(days=31), Store.open(aid) as store:
        assert deleted.recently_deleted(store) == []
        # Gone from the file's pages and from its WAL (checkpointed), while it is open.
        assert traces_in(on_disk(aid)) == []
        with pytest.raises(NotFound, match="purged"):
            deleted.restore_deleted(store, "contacts", home.id)
        assert store.count(Contact) == 200
    assert traces_in(on_disk(aid)) == []


def test_a_purged_row_keeps_only_its_id_references_and_stamp(aid: Path) -> None:
    store = Store.create(aid, organizer="Rosa")
    home = with_history(store)
    store.delete(Contact, home.id)
    assert purge.purge_expired(store, days=0) == 4  # the household, its need, stop and ride
    row = store._raw(SPECS["contacts"], home.id)
    assert row is not None and row["_cl"] == PURGED_CL
    personal = {k: v for k, v in row.items() if not k.startswith("_") and k != "id"}
    assert all(v in ("", 0, None) for v in personal.values()), personal
    need = store.conn.execute("SELECT contact_id, description FROM needs").fetchone()
    assert need == (home.id, "")  # the reference a need cannot do without, nothing else
    assert store.conn.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    assert store.search("Quixwell") == []
    # A bundle carries the tombstone: the id and when it was deleted, never a value.
    body = body_of(store)
    assert traces_in(json.dumps(body)) == []
    contacts = body["tables"]["contacts"]
    sent = next(r for r in contacts["rows"] if r[0] == home.id)
    n = len(contacts["columns"])
    assert sent[n] == PURGED_CL and all(v is None for v in sent[1:n])
    store.close()


def test_a_stale_laptop_cannot_bring_a_purged_household_back(tmp_path: Path) -> None:
    a = Store.create(tmp_path / "a.sqlite", organizer="Rosa")
    b = Store.create(tmp_path / "b.sqlite", organizer="Ana")
    home = with_history(a)
    sync(a, b)
    assert b.get(Contact, home.id) is not None
    stale = body_of(b)  # Ana's laptop, as it was before the household was deleted
    a.delete(Contact, home.id)
    a.close()
    with later(days=31):
        a = Store.open(tmp_path / "a.sqlite")
        assert traces_in(on_disk(tmp_path / "a.sqlite")) == []
        deliver(stale, b, a)
        assert a.get(Contact, home.id) is None
        assert a.conn.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
        assert traces_in(on_disk(tmp_path / "a.sqlite")) == []
        # And the purge reaches Ana's laptop: her copy is erased too, not just deleted.
        result = sync(a, b)
        assert b.get(Contact, home.id) is None
        with pytest.raises(NotFound):
            b.restore(Contact, home.id)
        assert traces_in(on_disk(tmp_path / "b.sqlite")) == [], result
    a.close()
    b.close()


def test_new_backups_hold_nothing_purged_and_old_ones_rotate_away(aid: Path) -> None:
    store = Store.create(aid, organizer="Rosa")
    home = with_history(store)
    before = make_backup(store, "manual")
    assert traces_in(before.read_bytes())
    store.delete(Contact, home.id)
    purge.purge_expired(store, days=0)
    after = make_backup(store, "manual")
    assert traces_in(after.read_bytes()) == []
    store.close()
    # A backup from before the purge stays as long as the rotation keeps it (7 daily,
    # 4 weekly, 6 monthly): a backup a month for seven months and it is gone.
    for month in range(1, 8):
        with later(days=31 * month), Store.open(aid) as store:
            make_backup(store, "daily")
    kept = sorted(before.parent.glob("*.sqlite"))
    assert before not in kept and after not in kept and len(kept) == 7
    assert all(traces_in(p.read_bytes()) == [] for p in kept)


def test_restoring_an_old_backup_erases_what_is_past_its_period(aid: Path) -> None:
    store = Store.create(aid, organizer="Rosa")
    home = with_history(store)
    store.delete(Contact, home.id)
    old = make_backup(store, "manual")  # deleted but restorable when it was made
    store.close()
    assert traces_in(old.read_bytes())
    with later(days=31):
        restore_backup(aid, old)
        with Store.open(aid) as store:
            assert deleted.recently_deleted(store) == []
        assert traces_in(on_disk(aid)) == []


def test_the_retention_rule_lists_and_purges_households_inactive_for_n_months(aid: Path) -> None:
    store = Store.create(aid, organizer="Rosa")
    two_years_ago = datetime.now(UTC) - timedelta(days=730)
    quiet = store.insert(household().model_copy(update={"created_at": two_years_ago}))
    store.insert(Need(contact_id=quiet.id, category=Category.GROCERIES, created_at=two_years_ago))
    recent = store.insert(Contact(name="Ana Recent", created_at=two_years_ago))
    store.insert(Need(contact_id=recent.id, category=Category.GROCERIES))  # this month
    ridden = store.insert(Contact(name="Ride Taker", created_at=two_years_ago))
    store.insert(
        Ride(
            rider_id=ridden.id,
            pickup_address="1 Main St",
            pickup_at=datetime.now(UTC) - timedelta(days=60),
            destination="Clinic",
        )
    )
    store.insert(Contact(name="Vera Volunteer", roles=[Role.VOLUNTEER], created_at=two_years_ago))
    store.insert(Contact(name="New Family"))  # added today, nothing yet

    found = purge.inactive_households(store, 18)
    assert [h.name for h in found] == ["Zephyrine Quixwell"]
    assert found[0].last_active == two_years_ago.date().isoformat()
    assert [h.name for h in purge.inactive_households(store, 1)] == [
        "Zephyrine Quixwell",
        "Ride Taker",
    ]
    purge.purge_households(store, [h.id for h in found])
    assert store.get(Contact, quiet.id) is None
    assert deleted.recently_deleted(store) == []  # nothing to bring back: it said so first
    assert {c.name for c in store.select(Contact)} == {
        "Ana Recent",
        "Ride Taker",
        "Vera Volunteer",
        "New Family",
    }
    assert traces_in(on_disk(aid)) == []
    store.close()


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert purge.months_before(date(2026, 11, 27), 18) == date(2025, 5, 27)
    assert purge.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert purge.months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_the_purge_command_lists_with_dry_run_then_purges_an_encrypted_database(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    secret = passphrase_file(tmp_path)
    aid = tmp_path / "aid.sqlite"
    assert (
        cli.main(["init", "--db", str(aid), "--name", "Rosa", "--passphrase-file", str(secret)])
        == 0
    )
    key = DatabaseKey.for_file(aid, PASSPHRASE)
    with Store.open(aid, key) as store:
        old = datetime.now(UTC) - timedelta(days=800)
        quiet = store.insert(household().model_copy(update={"created_at": old}))
        store.insert(Contact(name="Ana Recent"))
    capfd.readouterr()
    before = hashlib.sha256(aid.read_bytes()).hexdigest()

    argv = ["purge", "--db", str(aid), "--passphrase-file", str(secret), "--inactive-months", "18"]
    assert cli.main([*argv, "--dry-run"]) == 0
    out, err = capfd.readouterr()
    assert "Zephyrine Quixwell" in out and "Ana Recent" not in out
    assert "1 household has had no need, stop or ride since 2025-05-27" in err
    assert hashlib.sha256(aid.read_bytes()).hexdigest() == before

    assert cli.main(argv) == 0
    out, _err = capfd.readouterr()
    assert "Purged 1 household" in out
    with Store.open(aid, key) as store:
        assert store.get(Contact, quiet.id) is None
        assert [c.name for c in store.select(Contact)] == ["Ana Recent"]
    assert cli.main(["purge", "--db", str(aid), "--inactive-months", "18"]) == 1
    assert "give its passphrase" in capfd.readouterr().err


def test_an_encrypted_databases_backup_is_encrypted_and_restores(
    tmp_path: Path,
) -> None:
    aid = tmp_path / "aid.sqlite"
    key = DatabaseKey.new(PASSPHRASE)
    store = Store.create(aid, organizer="Rosa", key=key)
    home = store.insert(household())
    made = make_backup(store, "manual")
    store.update(Contact, home.id, notes="changed after the backup")
    store.close()
    data = made.read_bytes()
    assert not data.startswith(b"SQLite format 3") and traces_in(data) == []
    done = restore_backup(aid, made, BackupPolicy(key=key))
    assert done.key == key and traces_in(aid.read_bytes()) == []
    with Store.open(aid, key) as store:
        assert store.require(Contact, home.id).notes == household().notes


def test_a_cancelled_purge_erases_nothing(aid: Path) -> None:
    store = Store.create(aid, organizer="Rosa")
    homes = [store.insert(Contact(name=f"Family {i}")) for i in range(250)]  # a bulk purge
    with pytest.raises(Cancelled):
        purge.purge_households(store, [h.id for h in homes], lambda _m, f: f < 0.5)
    assert store.count(Contact) == 250
    assert len(store.search("Family", limit=300)) == 250  # the index as it was, too
    store.close()


def test_the_search_index_keeps_no_word_of_a_purged_household_nor_of_its_edits(
    aid: Path,
) -> None:
    # Entries replaced by an edit or dropped by a delete are only marked deleted in the
    # index (fast); the purge merges the index, so their words leave the file then.
    store = Store.create(aid, organizer="Rosa")
    for i in range(200):
        store.insert(Contact(name=f"Neighbour {i}"))
    home = store.insert(household().model_copy(update={"notes": "Yarborough vexillology"}))
    store.update(Contact, home.id, notes=NOTE)  # the first note's entry is replaced
    store.delete(Contact, home.id)
    assert b"yarborough" in on_disk(aid) and b"zanzibar" in on_disk(aid)
    assert purge.purge(store, [("contacts", home.id)]) == 1
    for word in (b"yarborough", b"vexillology", b"zanzibar", b"quillfeather", b"zephyrine"):
        assert word not in on_disk(aid), word
    assert store.search("Neighbour")  # the index still answers
    store.close()
