"""What sync shares, and the digest two organizers compare."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mutualaid_desktop import cli
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Category, Contact, Need, ShareScope
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.shared import StayingHome, shared_rows, sync_state

TODAY = date(2026, 11, 27)


def demo(seed: int = 4) -> Store:
    s = Store.create(None, organizer="Test")
    build_demo(s, households=25, seed=seed, today=TODAY)
    return s


def test_same_shared_data_same_digest_whatever_the_history() -> None:
    a, b = demo(), demo()
    assert a.replica_id != b.replica_id  # different laptops, different stamps
    assert sync_state(a) == sync_state(b)
    contact = a.select(Contact, "share_scope = 'group'", limit=1)[0]
    a.update(Contact, contact.id, notes="Moved in with her sister")
    assert sync_state(a) != sync_state(b)
    b.update(Contact, contact.id, notes="Moved in with her sister")
    assert sync_state(a) == sync_state(b)
    a.delete(Contact, contact.id)
    assert sync_state(a) != sync_state(b)  # a deletion is shared data too


def test_what_stays_on_this_laptop_never_counts() -> None:
    store = demo()
    before = sync_state(store)
    private = store.insert(Contact(name="Kept Here", adults=1, share_scope=ShareScope.LOCAL))
    need = store.insert(Need(contact_id=private.id, category=Category.CASH_RENT))
    shared = store.select(Need, limit=1)[0]
    store.update(Need, shared.id, assigned_volunteer_id=private.id)
    assert sync_state(store) == before
    ids = {row["id"] for _table, row in shared_rows(store)}
    assert private.id not in ids and need.id not in ids
    row = next(r for t, r in shared_rows(store) if r["id"] == shared.id)
    assert row["assigned_volunteer_id"] is None
    store.update(
        Contact,
        private.id,
        share_scope=ShareScope.GROUP,
        consent_at=datetime(2026, 11, 27, tzinfo=UTC),
    )
    assert sync_state(store) != before  # shared now that consent was given


def test_sync_state_command_prints_the_digest_last(
    db_path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.create(db_path, organizer="Rosa").close()
    assert cli.main(["sync-state", "--db", str(db_path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(last.split("-")) == 8


def test_the_households_kept_home_are_found_anew_after_any_write(tmp_path) -> None:
    # Found once for an import's preview and reused by the import itself, but never
    # after a write, from this connection or another one.
    path = tmp_path / "rosa.sqlite"
    with Store.create(path, organizer="Rosa") as store:
        build_demo(store, households=10, seed=3, today=TODAY)
    store = Store.open(path)
    shared = store.select(Contact, "share_scope = 'group'", limit=2)
    before = StayingHome.of(store)
    assert shared[0].id not in before.ids.get("contacts", set())
    before.ids.setdefault("contacts", set()).add("not kept home")  # a caller's own copy
    assert "not kept home" not in StayingHome.of(store).ids.get("contacts", set())
    store.update(Contact, shared[0].id, share_scope=ShareScope.LOCAL)
    assert shared[0].id in StayingHome.of(store).ids["contacts"]
    with Store.open(path) as other:  # the window's background jobs have connections of their own
        other.update(Contact, shared[1].id, share_scope=ShareScope.LOCAL)
    assert shared[1].id in StayingHome.of(store).ids["contacts"]
    store.close()
