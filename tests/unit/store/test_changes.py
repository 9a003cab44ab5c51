"""Undo and redo in the core: every change puts back exactly what it replaced, and never
overwrites what someone else changed since."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mutualaid_desktop.deliveries import planning
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact, DeliveryRun, Need, NeedStatus, Outcome, Stop
from mutualaid_desktop.errors import DatabaseBusy
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.changes import ChangeSet, capture
from mutualaid_desktop.store.check import check_database
from mutualaid_desktop.store.connection import connect
from tests.conftest import TODAY


@pytest.fixture
def demo(db_path: Path) -> Store:
    store = Store.create(db_path, organizer="Rosa")
    build_demo(store, households=40, seed=3, today=TODAY)
    return store


def table_rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    """Every record's data and liveness, without stamps: what the organizer sees."""
    columns = ", ".join(c for c in _columns(store, table) if not c.startswith("_"))
    return store.conn.execute(f"SELECT {columns}, _cl % 2 FROM {table} ORDER BY id").fetchall()


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]


def everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: table_rows(store, t) for t in ("contacts", "needs", "stops", "rides")}


def test_an_edit_is_undone_and_redone(demo: Store) -> None:
    contact = demo.select(Contact, limit=1)[0]
    with demo.recording("Edit contact") as change:
        demo.update(Contact, contact.id, notes="Apt 5B, ring twice", adults=4)
    assert demo.require(Contact, contact.id).notes == "Apt 5B, ring twice"
    undone = change.undo(demo)
    assert undone.kept == []
    back = demo.require(Contact, contact.id)
    assert (back.notes, back.adults) == (contact.notes, contact.adults)
    redone = undone.inverse.undo(demo)
    again = demo.require(Contact, contact.id)
    assert (again.notes, again.adults) == ("Apt 5B, ring twice", 4)
    redone.inverse.undo(demo)  # and undo once more
    assert demo.require(Contact, contact.id).notes == contact.notes
    assert check_database(demo) == []


def test_deleting_a_household_is_undone_with_everything_it_took_along(demo: Store) -> None:
    contact_id = demo.conn.execute(
        "SELECT contact_id FROM needs WHERE _cl % 2 = 1 GROUP BY contact_id "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    before = everything(demo)
    with demo.recording("Delete contact") as change:
        demo.delete(Contact, contact_id)
    assert len(change.rows) > 1  # the household and its needs
    assert everything(demo) != before
    undone = change.undo(demo)
    assert everything(demo) == before
    undone.inverse.undo(demo)
    assert demo.get(Contact, contact_id) is None
    assert demo.count(Need, "contact_id = ?", [contact_id]) == 0


def test_adding_a_record_is_undone_by_deleting_it(demo: Store) -> None:
    with demo.recording("Add contact") as change:
        added = demo.insert(Contact(name="Dana Whitfield"))
    undone = change.undo(demo)
    assert demo.get(Contact, added.id) is None
    assert not demo.search("Whitfield")
    undone.inverse.undo(demo)
    assert demo.require(Contact, added.id).name == "Dana Whitfield"
    assert demo.search("Whitfield")


def test_planning_the_day_is_undone_stop_by_stop(demo: Store) -> None:
    day = next(
        d
        for d in (TODAY + timedelta(days=k) for k in range(1, 10))
        if len(planning.runs_of_day(demo, d)) > 1
    )
    before = table_rows(demo, "stops")
    with demo.recording(f"Plan routes for {day:%a %-d %b}") as change:
        planning.plan_day(demo, day, seconds=0.2)
    assert table_rows(demo, "stops") != before
    change.undo(demo)
    assert table_rows(demo, "stops") == before


def test_outcomes_keyed_in_are_undone_with_the_need_they_closed(demo: Store) -> None:
    run = next(
        r
        for d in range(1, 10)
        for r in planning.runs_of_day(demo, TODAY + timedelta(days=d))
        if demo.count(Stop, "run_id = ? AND need_id IS NOT NULL", [r.id])
    )
    stop = demo.select(Stop, "run_id = ? AND need_id IS NOT NULL", [run.id], order_by="seq")[0]
    assert stop.need_id is not None
    need_before = demo.require(Need, stop.need_id)
    with demo.recording("Key in outcomes") as change:
        planning.key_in_outcomes(demo, run.id, [(stop.seq, "d")])
    assert demo.require(Stop, stop.id).outcome is Outcome.DELIVERED
    change.undo(demo)
    assert demo.require(Stop, stop.id).outcome is None
    assert demo.require(Need, stop.need_id).status is need_before.status


def test_undo_keeps_what_someone_else_changed_since_and_says_so(demo: Store) -> None:
    contact = demo.select(Contact, limit=1)[0]
    with demo.recording("Edit contact") as change:
        demo.update(Contact, contact.id, notes="mine", email="mine@example.org")
    # Another window (another connection) edits the notes afterwards.
    with Store.open(demo.path) as other:  # type: ignore[arg-type]
        other.update(Contact, contact.id, notes="theirs, newer")
    demo.reload_replica_state()
    undone = change.undo(demo)
    after = demo.require(Contact, contact.id)
    assert after.notes == "theirs, newer"  # kept
    assert after.email == contact.email  # put back
    assert len(undone.kept) == 1 and "notes" in undone.kept[0] and contact.name in undone.kept[0]


def test_an_undo_that_cannot_write_changes_nothing(demo: Store) -> None:
    contact = demo.select(Contact, limit=1)[0]
    with demo.recording("Edit contact") as change:
        demo.update(Contact, contact.id, notes="Apt 5B")
    blocker = connect(demo.path)  # the program's SQLite build: its locks are the ones seen
    blocker.execute("BEGIN IMMEDIATE")
    demo.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(DatabaseBusy, match="Another program is writing"):
            change.undo(demo)
    finally:
        blocker.rollback()
        blocker.close()
    assert demo.require(Contact, contact.id).notes == "Apt 5B"
    change.undo(demo)  # once the lock is gone it works
    assert demo.require(Contact, contact.id).notes == contact.notes


def test_a_snapshot_change_is_undone_like_any_other(demo: Store) -> None:
    """Writes that bypass the store's methods (a bundle's merge) are captured as snapshots."""
    needs = demo.select(Need, "status = 'new'", limit=3)
    ids = {"needs": [n.id for n in needs] + ["not-there-yet"]}
    before = capture(demo, ids)
    with demo.transaction():
        for need in needs:
            demo.save(need.moved_to(NeedStatus.CANCELLED))
    change = ChangeSet.between("Import", before, capture(demo, ids))
    assert len(change.rows) == 3
    change.undo(demo)
    assert all(demo.require(Need, n.id).status is NeedStatus.NEW for n in needs)


def test_settling_is_tracked_in_device_local_tables(demo: Store) -> None:
    demo.conn.execute(
        "INSERT INTO conflicts (id, tbl, row_id, grp, kept_hlc, kept_origin, lost_hlc, "
        "lost_origin, recorded_at) VALUES ('c1', 'contacts', 'x', 'notes', 1, 'a', 1, 'b', 'now')"
    )
    demo.conn.commit()
    with demo.recording("Settle") as change:
        change.track(demo, "conflicts", "id", "c1")
        demo.conn.execute("UPDATE conflicts SET resolved_at = 'today' WHERE id = 'c1'")
    assert len(change.local) == 1
    change.undo(demo)
    assert demo.conn.execute("SELECT resolved_at FROM conflicts").fetchone()[0] is None


def test_a_new_run_and_its_stops_come_and_go_together(demo: Store) -> None:
    need = demo.select(Need, "status = 'new'", limit=1)[0]
    with demo.recording("New run") as change:
        run = demo.insert(DeliveryRun(date=date(2026, 12, 1), name="Extra", capacity_boxes=5))
        planning.add_stops(demo, run.id, [need.id])
    change.undo(demo)
    assert demo.get(DeliveryRun, run.id) is None
    assert demo.count(Stop, "run_id = ?", [run.id]) == 0
    assert demo.require(Need, need.id).status is NeedStatus.NEW
    assert check_database(demo) == []
