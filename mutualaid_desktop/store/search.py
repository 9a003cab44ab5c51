"""Full-text search over contacts and needs (SQLite FTS5).

The index ignores case and accents (unicode61 with remove_diacritics) and
also holds an ASCII folding of names and addresses (Unidecode), so "odegaard"
finds "Ødegaard" and "zhanna" finds "Жанна". Phones are indexed as digit
strings (full, national, last 7, last 4), so "5551234" or "(555) 123-4"
finds "+1 555 123 4567". The store keeps the index in step with every write
through `reindex` and `unindex`; the Python helpers it needs are registered
on the connection as SQL functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from mutualaid_desktop.domain.collation import sort_key
from mutualaid_desktop.domain.enums import Category
from mutualaid_desktop.domain.phones import digit_keys
from mutualaid_desktop.store.connection import sqlite

FTS_TABLES = ("contacts_fts", "needs_fts")  # the search index, one FTS5 table per kind

_WORD = re.compile(r"\w+", re.UNICODE)
_JOINERS = re.compile(r"['’`\-]")
_CATEGORY_LABELS = {c.value: c.label for c in Category}


@lru_cache(maxsize=65536)
def _ascii_word(word: str) -> str:
    return str(unidecode(word))


def fold(*parts: str | None) -> str:
    """ASCII transliteration of the text, for accent- and script-blind matching.

    Names with an apostrophe or hyphen also appear joined, so "obrien" finds
    "O'Brien" and "jeanbaptiste" finds "Jean-Baptiste".
    """
    text = " ".join(p for p in parts if p)
    # unidecode walks the text character by character in Python: skip ASCII
    # text, and transliterate each other word once (names and streets repeat;
    # unidecode maps character by character, so word by word is the same).
    if text.isascii():
        folded = text
    else:
        folded = " ".join(w if w.isascii() else _ascii_word(w) for w in text.split(" "))
    joined = _JOINERS.sub("", folded)
    return folded if joined == folded else f"{folded} {joined}"


def _phone_keys(phones_json: str | None) -> str:
    if not phones_json:
        return ""
    keys: list[str] = []
    for phone in json.loads(phones_json):
        e164 = phone.get("e164") or ""
        if e164:
            keys.extend(digit_keys(e164))
    return " ".join(keys)


def _address(street: str, unit: str, city: str, postal: str, directions: str) -> str:
    return " ".join(p for p in (street, unit, city, postal, directions) if p)


def _category_label(value: str) -> str:
    return _CATEGORY_LABELS.get(value, value)


def register_functions(conn: sqlite.Connection) -> None:
    """Make the index helpers callable from SQL on this connection."""
    conn.create_function("mad_fold", -1, fold, deterministic=True)
    conn.create_function("mad_phone_keys", 1, _phone_keys, deterministic=True)
    conn.create_function("mad_address", 5, _address, deterministic=True)
    conn.create_function("mad_category", 1, _category_label, deterministic=True)
    # Contacts' name_key (migration m008): a sort key that puts Ángela with the A's.
    conn.create_function("mad_sort_key", 1, sort_key, deterministic=True)


_CONTACT_DOC = """
INSERT INTO contacts_fts (rowid, name, phones, address, notes, fold)
SELECT c.rowid, c.name, mad_phone_keys(c.phones),
       mad_address(c.address_street, c.address_unit, c.address_city,
                   c.address_postal_code, c.directions),
       c.notes || ' ' || c.driver_notes || ' ' || c.email || ' ' || c.tags,
       mad_fold(c.name, c.address_street, c.address_city)
FROM contacts c WHERE c._cl % 2 = 1 AND {where}
"""

_NEED_DOC = """
INSERT INTO needs_fts (rowid, text, contact, fold)
SELECT n.rowid, mad_category(n.category) || ' ' || n.description || ' ' || n.source,
       c.name, mad_fold(c.name, n.description)
FROM needs n JOIN contacts c ON c.id = n.contact_id
WHERE n._cl % 2 = 1 AND {where}
"""


def reindex(conn: sqlite.Connection, table: str, ids: list[str] | None = None) -> None:
    """(Re)build the index entries of `ids` in `table` (all rows when ids is None)."""
    if table not in ("contacts", "needs"):
        return
    alias = "c" if table == "contacts" else "n"
    fts = f"{table}_fts"
    doc = _CONTACT_DOC if table == "contacts" else _NEED_DOC
    if ids is None:
        _delete_entries(conn, fts, "1")
        conn.execute(doc.format(where="1"))
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        _delete_entries(
            conn, fts, f"rowid IN (SELECT rowid FROM {table} WHERE id IN ({marks}))", chunk
        )
        conn.execute(doc.format(where=f"{alias}.id IN ({marks})"), chunk)
    if table == "contacts":
        # A need's entry carries its contact's name: renames must reach it.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            need_ids = [
                r[0]
                for r in conn.execute(f"SELECT id FROM needs WHERE contact_id IN ({marks})", chunk)
            ]
            if need_ids:
                reindex(conn, "needs", need_ids)


# -- an index rebuilt after the data (a large import) -----------------------------------
#
# A full import writes the records in one transaction and marks the index out of
# date in that same transaction; the index is then rebuilt in slices of its own.
# Until it is done, searching says "still indexing" instead of answering from a
# half-built index; a crash in between leaves the mark, and the next rebuild
# (the window on opening, `check --repair`, or a command-line search) finishes it.

STALE_KEY = "search_stale"
_SLICE = 4000  # rows per rebuild transaction: a window's own write waits a moment at most


class StillIndexing(Exception):
    """Search was asked while the index is being rebuilt after an import."""


def mark_stale(conn: sqlite.Connection, tables: set[str]) -> None:
    """Note (inside the caller's transaction) that these tables' index must be rebuilt."""
    tables = (tables | stale_tables(conn)) & {"contacts", "needs"}
    if "contacts" in tables:
        tables.add("needs")  # a need's entry carries its contact's name
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (STALE_KEY, ",".join(sorted(tables))),
    )


def stale_tables(conn: sqlite.Connection) -> set[str]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (STALE_KEY,)).fetchone()
    return {t for t in (row[0] if row else "").split(",") if t}


def rebuild_stale(
    conn: sqlite.Connection, progress: Callable[[float], object] | None = None
) -> bool:
    """Rebuild the index of every table marked stale, slice by slice; True if any was.

    Each slice replaces its rows' entries in a transaction of its own, so edits
    made meanwhile (which index themselves) are never doubled or lost.
    """
    tables = stale_tables(conn)
    if not tables:
        return False
    for table in sorted(tables):
        alias = "c" if table == "contacts" else "n"
        doc = _CONTACT_DOC if table == "contacts" else _NEED_DOC
        fts = f"{table}_fts"
        top = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        for low in range(0, top + 1, _SLICE):
            high = low + _SLICE - 1
            with conn:
                _delete_entries(conn, fts, "rowid BETWEEN ? AND ?", (low, high))
                conn.execute(doc.format(where=f"{alias}.rowid BETWEEN {low} AND {high}"))
            if progress is not None:
                progress(min(1.0, (low + _SLICE) / (top + 1)))
        with conn:
            # Entries of rows that no longer exist (a rebuild starts from what is there).
            _delete_entries(
                conn, fts, f"rowid NOT IN (SELECT rowid FROM {table} WHERE _cl % 2 = 1)"
            )
        with conn:
            merge_index(conn, fts)
    with conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (STALE_KEY,))
    return True


def _delete_entries(
    conn: sqlite.Connection, fts: str, where: str, params: Sequence[object] = ()
) -> None:
    """Delete index entries the ordinary way: FTS5 marks them deleted, and their words
    stay in the older segments until those are merged.

    FTS5's secure-delete (on since migration m012) rewrites the index's pages at once
    for every word of every entry, and the one-letter prefix lists are long: 40 ms a
    contact, 3 minutes to rebuild 20,000. The words an entry held are still in its
    record's row until the record is purged (a deleted record stays restorable), and a
    purge merges the index (`merge_index`, from purge.settle_file): the words leave the
    file then. Switched back on in the same transaction, so a crash cannot leave it off.
    """
    set_secure_delete(conn, fts, False)
    conn.execute(f"DELETE FROM {fts} WHERE {where}", params)
    set_secure_delete(conn, fts, True)


def merge_index(conn: sqlite.Connection, fts: str) -> None:
    """Merge the index into one segment: the words of deleted entries are dropped."""
    conn.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")


def set_secure_delete(conn: sqlite.Connection, fts: str, on: bool) -> None:
    conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('secure-delete', ?)", (int(on),))


def unindex(conn: sqlite.Connection, table: str, ids: list[str]) -> None:
    """Drop the index entries of `ids` (deleted rows are not found)."""
    if table not in ("contacts", "needs"):
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        _delete_entries(
            conn,
            f"{table}_fts",
            f"rowid IN (SELECT rowid FROM {table} WHERE id IN ({marks}))",
            chunk,
        )


@dataclass(frozen=True)
class ParsedQuery:
    """What a person typed: word prefixes, phone digit strings, and bare numbers."""

    words: tuple[str, ...]
    phones: tuple[str, ...]  # typed with phone punctuation: "(555) 123-4", "555.1234"
    numbers: tuple[str, ...]  # bare digits: a phone piece, a ZIP or a house number

    @property
    def is_initial(self) -> bool:
        """A single letter: list the names that start with it, as a phone book would.

        (Every word containing a token that starts with "a" is most of the
        database: slow to list and no help to anyone.)
        """
        return (
            len(self.words) == 1
            and len(self.words[0]) == 1
            and not self.phones
            and not self.numbers
        )

    @property
    def is_initial_digit(self) -> bool:
        """A single digit: the addresses whose house number starts with it."""
        return (
            len(self.numbers) == 1
            and len(self.numbers[0]) == 1
            and not self.words
            and not self.phones
        )

    @property
    def longest_word(self) -> int:
        return max((len(w) for w in (*self.words, *self.numbers)), default=0)


_DIGIT_RUN = re.compile(r"\+?\(?\d[\d\s().\-]*\d\)?|\d")


def parse_query(text: str) -> ParsedQuery:
    phones: list[str] = []
    numbers: list[str] = []

    def take(match: re.Match[str]) -> str:
        run = match.group().strip()
        digits = re.sub(r"\D", "", run)
        punctuated = any(ch in run for ch in "()+.-")
        spaced = any(ch.isspace() for ch in run)
        if len(digits) >= 3 and (punctuated or (spaced and len(digits) >= 7)):
            phones.append(digits)
        else:
            numbers.extend(re.findall(r"\d+", run))
        return " "

    rest = _DIGIT_RUN.sub(take, text)
    return ParsedQuery(tuple(_WORD.findall(rest)), tuple(phones), tuple(numbers))


def _prefix(term: str) -> str:
    return '"' + term.replace('"', "") + '"*'


def match_expression(text: str) -> str | None:
    """The FTS5 query over contacts: every term as a prefix, all required.

    Words match any column; phones match the phones column as one digit string;
    bare numbers match a phone or the address (a ZIP, a house number).
    Returns None when nothing is searchable.
    """
    q = parse_query(text)
    if q.is_initial:
        return f"name : ^{_prefix(q.words[0])}"
    if q.is_initial_digit:
        return f"address : ^{_prefix(q.numbers[0])}"
    terms = [_prefix(w) for w in q.words]
    terms += [f"phones : {_prefix(d)}" for d in q.phones]
    terms += [f"{{phones address}} : {_prefix(n)}" for n in q.numbers]
    return " AND ".join(terms) if terms else None


def need_conditions(text: str, table: str = "needs") -> tuple[list[str], list[str]]:
    """SQL conditions (and their parameters) on `table` for needs matching what was typed.

    Words match the need's own text (which includes its contact's name); a phone
    matches the household's phones; a bare number matches either.
    """
    q = parse_query(text)
    conditions: list[str] = []
    params: list[str] = []
    in_needs = f"{table}.rowid IN (SELECT rowid FROM needs_fts WHERE needs_fts MATCH ?)"
    in_contacts = (
        f"{table}.contact_id IN (SELECT id FROM contacts WHERE rowid IN "
        "(SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?))"
    )
    if q.is_initial:
        conditions.append(in_needs)
        params.append(f"contact : ^{_prefix(q.words[0])}")
        return conditions, params
    if q.is_initial_digit:
        conditions.append(in_contacts)
        params.append(f"address : ^{_prefix(q.numbers[0])}")
        return conditions, params
    if q.words:
        conditions.append(in_needs)
        params.append(" AND ".join(_prefix(w) for w in q.words))
    for digits in q.phones:
        conditions.append(in_contacts)
        params.append(f"phones : {_prefix(digits)}")
    for number in q.numbers:
        conditions.append(f"({in_needs} OR {in_contacts})")
        params.extend([_prefix(number), f"{{phones address}} : {_prefix(number)}"])
    return conditions, params


@dataclass(frozen=True)
class SearchHit:
    """One result: a contact or a need, with a line to show."""

    kind: str  # "contact" or "need"
    id: str
    title: str
    detail: str


def search(conn: sqlite.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Contacts then needs matching `text`, best matches first (StillIndexing meanwhile)."""
    expr = match_expression(text)
    if expr is None:
        return []
    if stale_tables(conn):
        raise StillIndexing
    # Ranking every hit of a one-letter prefix costs tens of milliseconds and says
    # little; the first letter typed lists in table order instead.
    order = "f.rank" if parse_query(text).longest_word >= 2 else "f.rowid"
    hits: list[SearchHit] = []
    contact_rows = conn.execute(
        f"""SELECT c.id, c.name, c.address_street, c.address_city, c.phones
           FROM contacts_fts f JOIN contacts c ON c.rowid = f.rowid
           WHERE contacts_fts MATCH ? ORDER BY {order} LIMIT ?""",
        (expr, limit),
    ).fetchall()
    for cid, name, street, city, phones in contact_rows:
        phone = json.loads(phones)[0]["e164"] if phones and phones != "[]" else ""
        detail = ", ".join(p for p in (phone, street, city) if p)
        hits.append(SearchHit("contact", cid, name, detail))
    conditions, params = need_conditions(text, "n")
    where = ["n._cl % 2 = 1", *conditions]
    need_rows = conn.execute(
        f"""SELECT n.id, n.category, n.status, n.description, c.name
           FROM needs n JOIN contacts c ON c.id = n.contact_id
           WHERE {" AND ".join(where)} ORDER BY n.created_at DESC LIMIT ?""",
        (*params, limit),
    ).fetchall()
    for nid, category, status, description, cname in need_rows:
        title = f"{_category_label(category)} for {cname}"
        detail = ", ".join(p for p in (status, description) if p)
        hits.append(SearchHit("need", nid, title, detail))
    return hits
