"""Lists sorted by SQLite put names where a person looks for them (issue 15)."""

from __future__ import annotations

from pathlib import Path

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.domain.enums import Role
from mutualaid_desktop.store import Store, listing
from mutualaid_desktop.store.listing import ContactFilter


def names_in_table_order(store: Store) -> list[str]:
    ids = listing.contact_ids(store, ContactFilter(status=""))
    rows = {r: n for r, n in store.conn.execute("SELECT rowid, name FROM contacts")}
    return [rows[i] for i in ids]


def test_the_contacts_table_sorts_accented_names_with_their_letter(store: Store) -> None:
    for name in (
        "Zoe Park",
        "Ángela Ruiz",
        "andrés Gómez",
        "Ødegaard Lund",
        "Oscar Peña",
        "Ana Li",
    ):
        store.insert(Contact(name=name))
    assert names_in_table_order(store) == [
        "Ana Li", "andrés Gómez", "Ángela Ruiz", "Ødegaard Lund", "Oscar Peña", "Zoe Park",
    ]  # fmt: skip
    # A rename moves the record; so does a name written straight into the table
    # (as a bundle's merge writes it).
    zoe = store.select(Contact, "name = 'Zoe Park'")[0]
    store.update(Contact, zoe.id, name="Élodie Park")
    store.conn.execute("UPDATE contacts SET name = 'Úrsula Bo' WHERE name = 'Oscar Peña'")
    assert names_in_table_order(store) == [
        "Ana Li", "andrés Gómez", "Ángela Ruiz", "Élodie Park", "Ødegaard Lund", "Úrsula Bo",
    ]  # fmt: skip
    descending = listing.contact_ids(store, ContactFilter(status=""), descending=True)
    assert descending == list(reversed(listing.contact_ids(store, ContactFilter(status=""))))


def test_volunteer_pickers_sort_the_same_way(store: Store) -> None:
    for name in ("Zoe Park", "Ángela Ruiz", "Bea Cruz"):
        store.insert(Contact(name=name, roles=[Role.VOLUNTEER]))
    assert [n for _id, n in listing.volunteers(store)] == [
        "Ángela Ruiz", "Bea Cruz", "Zoe Park",
    ]  # fmt: skip


def test_an_older_database_gets_the_sort_key_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Store.create(path, organizer="Rosa") as store:
        store.insert(Contact(name="Zoe Park"))
        store.insert(Contact(name="Ángela Ruiz"))
        # As before migration 8: no key, no triggers.
        for trigger in ("contacts_name_key_insert", "contacts_name_key_rename"):
            store.conn.execute(f"DROP TRIGGER {trigger}")
        store.conn.execute("DROP INDEX idx_contacts_live_name")
        store.conn.execute("ALTER TABLE contacts DROP COLUMN name_key")
        store.conn.execute(
            "CREATE INDEX idx_contacts_live_name ON contacts(status, name COLLATE NOCASE) "
            "WHERE _cl % 2 = 1"
        )
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_name_sort_key'")
        store.conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
        store.conn.commit()
    with Store.open(path) as store:
        assert names_in_table_order(store) == ["Ángela Ruiz", "Zoe Park"]
