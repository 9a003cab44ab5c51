"""`check_database`: silent on a healthy database, one sentence per problem on a damaged one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact, Stop
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database, repair_search_index
from mutualaid_desktop.store.connection import sqlite


@pytest.fixture
def demo(db_path: Path) -> Iterator[Store]:
    store = Store.create(db_path, organizer="Test Organizer")
    build_demo(store, households=30, seed=3, today=date(2026, 11, 27))
    yield store
    store.close()


def _raw(store: Store, sql: str, params: tuple = ()) -> None:
    """Damage the file behind the store's back, as a crash or another program might."""
    store.conn.execute(sql, params)
    store.conn.commit()


def _some_contact(store: Store) -> str:
    return str(store.conn.execute("SELECT id FROM contacts ORDER BY id LIMIT 1").fetchone()[0])


def test_fresh_demo_database_has_no_problems(demo: Store) -> None:
    assert check_database(demo) == []


def test_a_database_after_everyday_edits_has_no_problems(demo: Store) -> None:
    cid = _some_contact(demo)
    demo.update(Contact, cid, name="Renamed Household", adults=3)
    demo.delete(Contact, cid)
    demo.restore(Contact, cid)
    stop = demo.select(Stop, limit=1)[0]
    demo.delete(Stop, stop.id)
    assert check_database(demo) == []


def test_empty_new_database_has_no_problems(store: Store) -> None:
    assert check_database(store) == []


def test_a_lost_search_entry_is_reported_and_repair_fixes_it(demo: Store) -> None:
    cid = _some_contact(demo)
    name = demo.get(Contact, cid).name  # type: ignore[union-attr]
    _raw(
        demo,
        "DELETE FROM contacts_fts WHERE rowid = (SELECT rowid FROM contacts WHERE id = ?)",
        (cid,),
    )
    problems = check_database(demo)
    assert any("search index of contacts" in p for p in problems), problems
    assert any("--repair" in p for p in problems)
    repair_search_index(demo)
    assert check_database(demo) == []
    assert cid in {h.id for h in demo.search(name, limit=500)}


def test_a_search_entry_for_a_deleted_record_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    _raw(demo, "UPDATE contacts SET _cl = 2 WHERE id = ?", (cid,))  # deleted, but still indexed
    problems = check_database(demo)
    assert any("entries for missing records" in p for p in problems), problems


def test_an_invalid_causal_length_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    with pytest.raises(sqlite.IntegrityError, match="CHECK"):
        _raw(demo, "UPDATE contacts SET _cl = 0 WHERE id = ?", (cid,))
    demo.conn.rollback()
    # A file written by a buggy program version can hold one anyway.
    _raw(demo, "PRAGMA ignore_check_constraints = ON")
    _raw(demo, "UPDATE contacts SET _cl = 0 WHERE id = ?", (cid,))
    _raw(demo, "PRAGMA ignore_check_constraints = OFF")
    problems = check_database(demo)
    assert any("contacts: 1 rows with an invalid causal length" in p for p in problems), problems


def test_a_broken_updated_column_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    _raw(demo, "UPDATE contacts SET _updated = _updated - 1 WHERE id = ?", (cid,))
    problems = check_database(demo)
    assert any(cid in p and "_updated does not match" in p for p in problems), problems


def test_a_stamp_newer_than_the_clock_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    future = demo.persisted_hlc() + 10_000_000
    _raw(demo, "UPDATE contacts SET _hlc = ?, _updated = ? WHERE id = ?", (future, future, cid))
    problems = check_database(demo)
    assert any("newer than the database clock" in p for p in problems), problems


def test_unreadable_or_unknown_field_stamps_are_reported(demo: Store) -> None:
    first, second = [r[0] for r in demo.conn.execute("SELECT id FROM contacts ORDER BY id LIMIT 2")]
    _raw(demo, "UPDATE contacts SET _stamps = '{not json' WHERE id = ?", (first,))
    hlc = demo.conn.execute("SELECT _hlc FROM contacts WHERE id = ?", (second,)).fetchone()[0]
    stamps = json.dumps({"shoe_size": [hlc, demo.origin]})
    _raw(demo, "UPDATE contacts SET _stamps = ? WHERE id = ?", (stamps, second))
    problems = check_database(demo)
    assert any(first in p and "unreadable" in p for p in problems), problems
    assert any(second in p and "shoe_size" in p for p in problems), problems


def test_a_stamp_from_an_unknown_replica_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    _raw(demo, "PRAGMA foreign_keys = OFF")
    _raw(demo, "UPDATE contacts SET _origin = 999 WHERE id = ?", (cid,))
    _raw(demo, "PRAGMA foreign_keys = ON")
    problems = check_database(demo)
    assert any(cid in p and "unknown replica" in p for p in problems), problems
    assert any("refers to a missing replicas record" in p for p in problems), problems


def test_a_need_pointing_at_a_missing_contact_is_reported(demo: Store) -> None:
    _raw(demo, "PRAGMA foreign_keys = OFF")
    _raw(demo, "UPDATE needs SET contact_id = 'gone' WHERE rowid = (SELECT min(rowid) FROM needs)")
    _raw(demo, "PRAGMA foreign_keys = ON")
    problems = check_database(demo)
    assert any("needs row" in p and "missing contacts record" in p for p in problems), problems


def test_a_phone_not_in_e164_form_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    phones = json.dumps(
        [{"original": "call the neighbour", "e164": "call the neighbour", "label": ""}]
    )
    _raw(demo, "UPDATE contacts SET phones = ? WHERE id = ?", (phones, cid))
    problems = check_database(demo)
    assert any(cid in p and "E.164" in p for p in problems), problems


def test_an_invalid_record_is_reported(demo: Store) -> None:
    cid = _some_contact(demo)
    _raw(
        demo,
        "UPDATE contacts SET kind = 'household', adults = 0, children = 0, seniors = 0 "
        "WHERE id = ?",
        (cid,),
    )
    problems = check_database(demo)
    assert any(cid in p and "invalid record" in p for p in problems), problems
    assert check_database(demo, deep=False) == []


def test_two_stops_with_the_same_number_on_a_run_are_reported(demo: Store) -> None:
    run_id = demo.conn.execute(
        "SELECT run_id FROM stops WHERE seq = 2 ORDER BY run_id LIMIT 1"
    ).fetchone()[0]
    _raw(demo, "UPDATE stops SET seq = 2 WHERE run_id = ? AND seq = 1", (run_id,))
    problems = check_database(demo)
    assert any(run_id in p and "share stop number 2" in p for p in problems), problems


def test_live_stops_of_a_deleted_run_are_reported(demo: Store) -> None:
    run_id = demo.conn.execute("SELECT run_id FROM stops ORDER BY run_id LIMIT 1").fetchone()[0]
    _raw(demo, "UPDATE delivery_runs SET _cl = 2 WHERE id = ?", (run_id,))
    problems = check_database(demo)
    assert any("live stops belong to deleted delivery runs" in p for p in problems), problems


def test_missing_settings_are_reported(demo: Store) -> None:
    _raw(demo, "DELETE FROM meta WHERE key = 'group_id'")
    assert "database settings lack group_id" in check_database(demo)


@pytest.mark.parametrize(
    ("clock", "words"),
    [
        (2**63 - 1, "end of its range"),  # what a bundle stamped at the 64-bit maximum left
        (((1_700_000_000_000 + 100 * 365 * 86_400_000) << 16), "days ahead"),  # 100 years on
    ],
)
def test_a_clock_beyond_sane_bounds_is_reported(store: Store, clock: int, words: str) -> None:
    store.conn.execute("UPDATE meta SET value = ? WHERE key = 'hlc'", (str(clock),))
    store.conn.commit()
    problems = check_database(store)
    assert any(words in p for p in problems), problems
