"""Search: organizers find people however they type the name, the phone or the need."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from mutualaid_desktop.domain import Address, Category, Contact, Need, Phone
from mutualaid_desktop.store import Store


def found(store: Store, text: str, kind: str = "contact") -> set[str]:
    return {h.id for h in store.search(text, limit=1000) if h.kind == kind}


@pytest.fixture
def people(memory_store: Store) -> dict[str, Contact]:
    names = {
        "jose": "José Ødegaard",
        "zhanna": "Жанна Иванова",
        "arabic": "محمد العلي",
        "hebrew": "דוד כהן",
        "chinese": "王小明",
        "vietnamese": "Nguyễn Thị Mai",
        "german": "Jürgen Straße",
        "turkish": "İbrahim Yılmaz",
        "plain": "Mary Johnson",
    }
    contacts = {key: Contact(name=name) for key, name in names.items()}
    contacts["jose"] = contacts["jose"].model_copy(
        update={
            "phones": [Phone(original="(713) 555-0142")],
            "address": Address(street="4417 Wheeler Ave", city="Houston", postal_code="77004"),
            "notes": "Speaks Norwegian",
        }
    )
    memory_store.insert_many(list(contacts.values()))
    return contacts


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("jose", "jose"),
        ("JOSE", "jose"),
        ("José", "jose"),
        ("odegaard", "jose"),
        ("Ødegaard", "jose"),
        ("jose odeg", "jose"),  # every word as a prefix
        ("zhanna", "zhanna"),
        ("Жанна", "zhanna"),
        ("жанна", "zhanna"),
        ("ivanova", "zhanna"),
        ("محمد", "arabic"),
        ("العلي", "arabic"),
        ("דוד", "hebrew"),
        ("כהן", "hebrew"),
        ("王小明", "chinese"),
        ("王小", "chinese"),  # Chinese: by a prefix of the full name
        ("wang", "chinese"),
        ("nguyen", "vietnamese"),
        ("NGUYỄN", "vietnamese"),
        ("jurgen", "german"),
        ("strasse", "german"),
        ("ibrahim", "turkish"),
        ("yilmaz", "turkish"),
        ("wheeler", "jose"),
        ("houston", "jose"),
        ("norwegian", "jose"),
    ],
)
def test_names_and_addresses_are_found_however_they_are_typed(
    memory_store: Store, people: dict[str, Contact], query: str, who: str
) -> None:
    assert found(memory_store, query) == {people[who].id}


@pytest.mark.parametrize(
    "query",
    [
        "(713) 555-0142",
        "7135550142",
        "+1 713 555 0142",
        "7135550",
        "(713) 555-0",
        "713-555",
        "0142",
        "555.0142",
    ],
)
def test_a_phone_is_found_by_any_part_a_person_would_type(
    memory_store: Store, people: dict[str, Contact], query: str
) -> None:
    assert found(memory_store, query) == {people["jose"].id}


def test_a_phone_also_finds_the_households_needs(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    need = memory_store.insert(
        Need(contact_id=people["jose"].id, category=Category.HOT_MEALS, description="Soup")
    )
    other = memory_store.insert(Need(contact_id=people["plain"].id, category=Category.HOT_MEALS))
    assert found(memory_store, "(713) 555-0142", "need") == {need.id}
    assert other.id not in found(memory_store, "0142", "need")


def test_a_phone_that_is_not_there_finds_nobody(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    assert found(memory_store, "(713) 555-0143") == set()
    assert found(memory_store, "832") == set()


@pytest.mark.parametrize("query", ["77004", "4417 Wheeler", "Houston 77004"])
def test_an_address_is_found_by_its_numbers(
    memory_store: Store, people: dict[str, Contact], query: str
) -> None:
    assert found(memory_store, query) == {people["jose"].id}


def test_empty_or_punctuation_only_query_finds_nothing(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    for query in ["", "   ", "-", '"', "*", "()"]:
        assert memory_store.search(query) == []


def test_search_syntax_in_a_query_never_breaks_the_search(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    for query in ['jose"', "jose*", "(jose", "jose)", "^jose", "jose:", "jose -", "{jose}"]:
        assert found(memory_store, query) == {people["jose"].id}, query
    for query in ["AND", "OR jose", "NOT", "NEAR(jose", "name:", 'phones : "1"', "jose AND OR"]:
        memory_store.search(query)  # no sqlite.OperationalError escapes


def test_a_need_is_found_by_its_description_and_by_its_contacts_name(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    need = memory_store.insert(
        Need(
            contact_id=people["zhanna"].id,
            category=Category.BABY_SUPPLIES,
            description="Diapers size 4",
        )
    )
    for query in ["diapers", "DIAPER", "baby", "zhanna", "Жанна diapers"]:
        assert found(memory_store, query, "need") == {need.id}, query
    hit = next(h for h in memory_store.search("diapers") if h.kind == "need")
    assert "Жанна Иванова" in hit.title
    assert "Diapers size 4" in hit.detail


def test_renaming_a_contact_updates_search_for_their_needs(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    home = people["plain"]
    need = memory_store.insert(
        Need(contact_id=home.id, category=Category.HYGIENE, description="Soap")
    )
    memory_store.update(Contact, home.id, name="Mary Okonkwo")
    assert found(memory_store, "okonkwo") == {home.id}
    assert found(memory_store, "okonkwo", "need") == {need.id}
    assert found(memory_store, "johnson") == set()
    assert found(memory_store, "johnson", "need") == set()


def test_editing_a_phone_updates_search(memory_store: Store, people: dict[str, Contact]) -> None:
    jose = people["jose"]
    memory_store.update(Contact, jose.id, phones=[Phone(original="832-555-0199")])
    assert found(memory_store, "(832) 555-01") == {jose.id}
    assert found(memory_store, "0142") == set()


def test_deleted_records_are_not_found_until_restored(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    jose = people["jose"]
    need = memory_store.insert(
        Need(contact_id=people["plain"].id, category=Category.OTHER, description="Stroller")
    )
    memory_store.delete(Contact, jose.id)
    memory_store.delete(Need, need.id)
    assert found(memory_store, "jose") == set()
    assert found(memory_store, "0142") == set()
    assert found(memory_store, "stroller", "need") == set()
    memory_store.restore(Contact, jose.id)
    memory_store.restore(Need, need.id)
    assert found(memory_store, "jose") == {jose.id}
    assert found(memory_store, "0142") == {jose.id}
    assert found(memory_store, "stroller", "need") == {need.id}


def test_a_deleted_contacts_name_finds_nothing_at_all(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    home = people["hebrew"]
    memory_store.insert(Need(contact_id=home.id, category=Category.GROCERIES))
    deleted = memory_store.delete(Contact, home.id)
    assert memory_store.search("דוד") == []  # neither the contact nor "Groceries for דוד כהן"
    memory_store.restore_many(deleted)
    assert {h.kind for h in memory_store.search("דוד")} == {"contact", "need"}


def test_search_lines_show_the_contact_and_its_phone(
    memory_store: Store, people: dict[str, Contact]
) -> None:
    (hit,) = memory_store.search("odegaard")
    assert hit.kind == "contact"
    assert hit.title == "José Ødegaard"
    assert "+17135550142" in hit.detail
    assert "4417 Wheeler Ave" in hit.detail


def test_limit_caps_the_results(memory_store: Store) -> None:
    memory_store.insert_many([Contact(name=f"Garcia Family {i}") for i in range(30)])
    assert len(memory_store.search("garcia", limit=7)) == 7
    assert len(memory_store.search("garcia", limit=100)) == 30


# -- property: accents, case and script never hide a name ----------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzáàâäãåçéèêëíìîïñóòôöõøúùûüýÿæœßабвгдежзиклмнопрстуфхцчшщыэюя"
_word = st.text(alphabet=_LETTERS, min_size=3, max_size=9)


def _upper(text: str) -> str:
    """Capitals letter for letter ("ß" has no one-letter capital in Python, so it stays)."""
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in text)


def _title(text: str) -> str:
    return _upper(text[:1]) + text[1:]


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Store]:
    store = Store.create(None, organizer="Test Organizer")
    yield store
    store.close()


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(_word, min_size=1, max_size=3),
    pick=st.integers(min_value=0),
    style=st.sampled_from(["ascii-lower", "ascii-upper", "as-written-upper", "as-written-lower"]),
)
def test_any_name_is_found_by_any_of_its_words_without_accents_or_case(
    shared_store: Store, words: list[str], pick: int, style: str
) -> None:
    contact = shared_store.insert(Contact(name=" ".join(_title(w) for w in words)))
    word = words[pick % len(words)]
    query = {
        "ascii-lower": unidecode(word).lower(),
        "ascii-upper": unidecode(word).upper(),
        "as-written-upper": _upper(word),
        "as-written-lower": word,
    }[style]
    assert contact.id in found(shared_store, query), (contact.name, query)


def test_apostrophes_and_hyphens_need_not_be_typed(memory_store: Store) -> None:
    obrien = memory_store.insert(Contact(name="Mary O'Brien", adults=1))
    jb = memory_store.insert(Contact(name="Jean-Baptiste Pierre", adults=1))
    assert found(memory_store, "obrien") == {obrien.id}
    assert found(memory_store, "o'brien") == {obrien.id}
    assert found(memory_store, "jeanbaptiste") == {jb.id}
    assert found(memory_store, "jean baptiste") == {jb.id}


def test_one_letter_lists_names_starting_with_it(memory_store: Store) -> None:
    ana = memory_store.insert(Contact(name="Ángela Núñez", adults=1))
    memory_store.insert(Contact(name="Maria Alvarez", adults=1))  # "a" inside, not first
    assert found(memory_store, "a") == {ana.id}
    assert found(memory_store, "A") == {ana.id}
    need = memory_store.insert(Need(contact_id=ana.id, category=Category.HYGIENE))
    assert found(memory_store, "a", "need") == {need.id}


def test_one_digit_lists_house_numbers_starting_with_it(memory_store: Store) -> None:
    seven = memory_store.insert(
        Contact(
            name="Ana Ruiz", adults=1, address=Address(street="712 Elm St", postal_code="77004")
        )
    )
    memory_store.insert(
        Contact(name="Bo Li", adults=1, address=Address(street="15 Oak St", postal_code="77007"))
    )
    assert found(memory_store, "7") == {seven.id}


def test_what_a_driver_should_know_is_searched_too(memory_store: Store) -> None:
    gate = memory_store.insert(Contact(name="Ana Ruiz", driver_notes="Gate code 4512#, big dog"))
    memory_store.insert(Contact(name="Luis Ortega", notes="Gate is broken"))
    assert found(memory_store, "big dog") == {gate.id}
    assert found(memory_store, "gate code") == {gate.id}
    edited = memory_store.update(Contact, gate.id, driver_notes="Call, don't text")
    assert found(memory_store, "dog") == set()
    assert found(memory_store, "text") == {edited.id}


def test_an_upgraded_database_finds_driver_notes_once_its_index_is_rebuilt(
    tmp_path: Path,
) -> None:
    import sqlite3

    from sqlite_utils import Database

    from mutualaid_desktop.store import schema, search

    path = tmp_path / "old.sqlite"
    with Store.create(path, organizer="Rosa") as store:
        gate = store.insert(Contact(name="Ana Ruiz", driver_notes="Gate code 4512#"))
    # As schema 8 indexed it: without the driver's notes.
    conn = sqlite3.connect(path)
    search.register_functions(conn)
    conn.execute("UPDATE contacts_fts SET notes = '' ")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_driver_notes_searched'")
    conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Store.open(path) as upgraded:
        assert search.stale_tables(upgraded.conn) == {"contacts", "needs"}
        assert found(upgraded, "gate code") == {gate.id}  # the search rebuilds it first
        assert search.stale_tables(upgraded.conn) == set()
        assert schema.migrations.pending(Database(upgraded.conn)) == []
