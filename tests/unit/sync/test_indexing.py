"""A large import's search index is rebuilt after its transaction: search is never wrong
meanwhile, only "still indexing", and an interrupted rebuild is finished later."""

from __future__ import annotations

from datetime import date

import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.store import Store, listing, search
from mutualaid_desktop.store.check import check_database, repair_search_index
from mutualaid_desktop.sync.envelope import OpenedBundle
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.importer import Decisions, Incoming, import_bundle
from tests.unit.sync.exchange import body_of

TODAY = date(2026, 11, 27)


def big_import(index_later: bool) -> tuple[Store, Store]:
    rosa = Store.create(None, organizer="Rosa")
    build_demo(rosa, households=300, seed=2, today=TODAY)
    sam = Store.create(None, organizer="Sam")
    body = body_of(rosa)
    incoming = Incoming(OpenedBundle(body, identity(rosa)), body["bundle_id"], "test")
    import_bundle(sam, incoming, Decisions(trust=identity(rosa).fingerprint), index_later)
    return rosa, sam


def a_name(store: Store) -> str:
    row = store.conn.execute("SELECT name FROM contacts WHERE share_scope = 'group'").fetchone()
    return str(row[0])


@pytest.fixture(autouse=True)
def large_means_small(monkeypatch: pytest.MonkeyPatch) -> None:
    # A few hundred households stand for the 20,000 of a real group: whole-table
    # rebuilds start at a smaller count.
    from mutualaid_desktop.sync import merge

    monkeypatch.setattr(merge, "_REINDEX_ALL_AT", 200)


def test_until_rebuilt_search_says_still_indexing_never_a_partial_answer() -> None:
    rosa, sam = big_import(index_later=True)
    name = a_name(sam)
    assert search.stale_tables(sam.conn) == {"contacts", "needs"}
    with pytest.raises(search.StillIndexing):
        listing.contact_matches(sam, name)
    with pytest.raises(search.StillIndexing):
        listing.need_count(sam, listing.NeedFilter(text=name))
    assert any("still being rebuilt" in p for p in check_database(sam))
    assert search.rebuild_stale(sam.conn)
    assert search.stale_tables(sam.conn) == set()
    assert listing.contact_matches(sam, name)
    assert check_database(sam) == []
    # Every live record indexed once, nothing else (check_database compares them).
    for table in ("contacts", "needs"):
        live = sam.conn.execute(f"SELECT count(*) FROM {table} WHERE _cl % 2 = 1").fetchone()
        assert sam.conn.execute(f"SELECT count(*) FROM {table}_fts").fetchone() == live
    rosa.close()


def test_the_command_line_import_rebuilds_at_once() -> None:
    _rosa, sam = big_import(index_later=False)
    assert search.stale_tables(sam.conn) == set()
    assert listing.contact_matches(sam, a_name(sam))


def test_an_interrupted_rebuild_is_finished_by_a_search_or_a_repair() -> None:
    _rosa, sam = big_import(index_later=True)
    name = a_name(sam)
    hits = sam.search(name)  # the command line's search finishes the rebuild first
    assert any(h.title == name for h in hits)
    _rosa, other = big_import(index_later=True)
    repair_search_index(other)
    assert search.stale_tables(other.conn) == set() and check_database(other) == []


def test_edits_made_while_rebuilding_are_neither_lost_nor_doubled() -> None:
    from mutualaid_desktop.domain import Contact

    _rosa, sam = big_import(index_later=True)
    contact = sam.select(Contact, "share_scope = 'group'", limit=1)[0]
    sam.update(Contact, contact.id, name="Renamed Ybarra-Quist")  # indexes itself
    search.rebuild_stale(sam.conn)
    assert len(listing.contact_matches(sam, "Ybarra-Quist") or ()) == 1
    assert check_database(sam) == []


def secure_delete_of(store: Store, fts: str) -> int:
    row = store.conn.execute(f"SELECT v FROM {fts}_config WHERE k = 'secure-delete'").fetchone()
    return int(row[0]) if row else 0


def test_rebuilding_a_full_index_keeps_deletes_secure_and_finds_the_words_of_now() -> None:
    # An upgrade marks a filled index out of date (migration m011): the rebuild
    # replaces every entry. A name changed behind the index's back is found by its new
    # words only, and a delete afterwards still takes its words out at once.
    store = Store.create(None, organizer="Rosa")
    build_demo(store, households=300, seed=2, today=TODAY)
    rowid, row_id, old = store.conn.execute(
        "SELECT rowid, id, name FROM contacts WHERE _cl % 2 = 1 ORDER BY rowid LIMIT 1"
    ).fetchone()
    with store.conn:
        store.conn.execute(
            "UPDATE contacts SET name = 'Quennell Abernathy' WHERE id = ?", (row_id,)
        )
        search.mark_stale(store.conn, {"contacts"})
    assert search.rebuild_stale(store.conn)
    assert check_database(store) == []
    assert listing.contact_matches(store, "Quennell Abernathy") == {rowid}
    assert rowid not in (listing.contact_matches(store, old) or set())
    assert secure_delete_of(store, "contacts_fts") == 1
    assert secure_delete_of(store, "needs_fts") == 1


def test_a_rebuild_that_fails_midway_leaves_secure_delete_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.create(None, organizer="Rosa")
    build_demo(store, households=50, seed=2, today=TODAY)
    with store.conn:
        search.mark_stale(store.conn, {"contacts"})
    monkeypatch.setattr(search, "_CONTACT_DOC", "INSERT INTO no_such_table SELECT {where}")
    with pytest.raises(Exception, match="no_such_table"):
        search.rebuild_stale(store.conn)
    assert secure_delete_of(store, "contacts_fts") == 1
    assert search.stale_tables(store.conn) == {"contacts", "needs"}
