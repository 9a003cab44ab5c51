"""Read-only queries behind the big tables: filtered, sorted id lists and pages of rows.

A table view asks once for the ordered rowids that match (cheap: integers
only), then for the rows of whichever page scrolls into sight. That keeps
20,000 rows as quick to open, sort and scroll as 20. The UI never writes SQL;
it calls these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mutualaid_desktop.domain.enums import Category, NeedStatus, Outcome, RideStatus, Urgency
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store.search import (
    StillIndexing,
    match_expression,
    need_conditions,
    stale_tables,
)
from mutualaid_desktop.store.store import Store


@dataclass(frozen=True)
class ContactFilter:
    """What the contacts table shows. Empty values mean "any"."""

    text: str = ""
    status: str = "active"  # "active", "archived" or "" for both
    role: str = ""
    tag: str = ""
    language: str = ""
    zip: str = ""
    sharing: str = ""  # "local" (kept on this laptop only), "group" or "" for both


CONTACT_SORTS: dict[str, str] = {
    "name": "name_key",  # as a person sorts names (domain/collation.py)
    "phone": "phones",
    "address": "address_street COLLATE NOCASE",
    "zip": "address_postal_code",
    "size": "adults + children + seniors",
    "roles": "roles",
    "languages": "languages",
    "created": "created_at",
    "status": "status",
}


def _fts_clause(table: str, text: str, params: list[Any]) -> str | None:
    expr = match_expression(text)
    if expr is None:
        return None
    params.append(expr)
    return f"rowid IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)"


def _contact_where(flt: ContactFilter) -> tuple[str, list[Any]]:
    where = ["_cl % 2 = 1"]
    params: list[Any] = []
    if flt.text.strip():
        clause = _fts_clause("contacts", flt.text, params)
        if clause:
            where.append(clause)
    if flt.status:
        where.append("status = ?")
        params.append(flt.status)
    for column, value in (("roles", flt.role), ("tags", flt.tag), ("languages", flt.language)):
        if value:
            where.append(f"EXISTS (SELECT 1 FROM json_each({column}) WHERE value = ?)")
            params.append(value)
    if flt.zip.strip():
        where.append("address_postal_code LIKE ?")
        params.append(flt.zip.strip() + "%")
    if flt.sharing:
        where.append("share_scope = ?")
        params.append(flt.sharing)
    return " AND ".join(where), params


def contact_ids(
    store: Store, flt: ContactFilter, sort: str = "name", descending: bool = False
) -> list[int]:
    """Rowids of the live contacts matching `flt`, in display order."""
    where, params = _contact_where(flt)
    order = CONTACT_SORTS.get(sort, CONTACT_SORTS["name"])
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT rowid FROM contacts WHERE {where} ORDER BY {order} {direction}, rowid {direction}"
    )
    return [r[0] for r in store.conn.execute(sql, params)]


def contact_count(store: Store, flt: ContactFilter) -> int:
    """How many contacts `flt` matches, without listing them."""
    if flt.text.strip() and stale_tables(store.conn):
        raise StillIndexing
    where, params = _contact_where(flt)
    return int(
        store.conn.execute(f"SELECT count(*) FROM contacts WHERE {where}", params).fetchone()[0]
    )


@dataclass(frozen=True)
class ContactRow:
    """What one line of the contacts table shows."""

    rowid: int
    id: str
    name: str
    phone: str
    address: str
    zip: str
    size: int
    roles: str
    languages: str
    tags: str
    status: str


def contact_rows(store: Store, rowids: Sequence[int]) -> dict[int, ContactRow]:
    """The rows for a page of rowids."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    out: dict[int, ContactRow] = {}
    # JSON is unpacked by SQLite (in C): a page of 500 rows costs a few milliseconds.
    for r in store.conn.execute(
        f"""SELECT rowid, id, name, json_extract(phones, '$[0].e164'), address_street,
                   address_unit, address_city, address_postal_code,
                   adults + children + seniors,
                   (SELECT group_concat(value, ', ') FROM json_each(roles)),
                   (SELECT group_concat(value, ', ') FROM json_each(languages)),
                   (SELECT group_concat(value, ', ') FROM json_each(tags)), status
            FROM contacts WHERE rowid IN ({marks})""",
        list(rowids),
    ):
        street = f"{r[4]} {r[5]}" if r[5] else r[4]
        out[r[0]] = ContactRow(
            rowid=r[0],
            id=r[1],
            name=r[2],
            phone=display_phone(r[3]) if r[3] else "",
            address=f"{street}, {r[6]}" if street and r[6] else street or r[6],
            zip=r[7],
            size=r[8],
            roles=r[9] or "",
            languages=r[10] or "",
            tags=r[11] or "",
            status=r[12],
        )
    return out


@dataclass(frozen=True)
class NeedFilter:
    """What the needs table shows. Empty values mean "any"."""

    text: str = ""
    statuses: tuple[str, ...] = ("new", "scheduled")
    category: str = ""
    urgency: str = ""
    zip: str = ""
    contact_id: str = ""
    overdue_on: date | None = None  # only open needs due before this day


_URGENCY_RANK = (
    "CASE urgency " + " ".join(f"WHEN '{u.value}' THEN {i}" for i, u in enumerate(Urgency)) + " END"
)

NEED_SORTS: dict[str, str] = {
    "urgency": _URGENCY_RANK,
    "category": "category",
    "contact": "(SELECT name_key FROM contacts c WHERE c.id = needs.contact_id)",
    "description": "description COLLATE NOCASE",
    "status": "status",
    "needed_by": "coalesce(needed_by, '9999')",
    "created": "created_at",
}


def _need_where(flt: NeedFilter) -> tuple[str, list[Any]]:
    # (Deleting a contact deletes its needs too: see Store.delete.)
    where = ["_cl % 2 = 1"]
    params: list[Any] = []
    if flt.text.strip():
        conditions, terms = need_conditions(flt.text)
        where.extend(conditions)
        params.extend(terms)
    if flt.statuses:
        where.append(f"status IN ({','.join('?' * len(flt.statuses))})")
        params.extend(flt.statuses)
    if flt.category:
        where.append("category = ?")
        params.append(flt.category)
    if flt.urgency:
        where.append("urgency = ?")
        params.append(flt.urgency)
    if flt.contact_id:
        where.append("contact_id = ?")
        params.append(flt.contact_id)
    if flt.zip.strip():
        where.append("contact_id IN (SELECT id FROM contacts WHERE address_postal_code LIKE ?)")
        params.append(flt.zip.strip() + "%")
    if flt.overdue_on is not None:
        where.append("status IN ('new', 'scheduled') AND needed_by < ?")
        params.append(flt.overdue_on.isoformat())
    return " AND ".join(where), params


def need_ids(
    store: Store, flt: NeedFilter, sort: str = "urgency", descending: bool = False
) -> list[int]:
    """Rowids of the live needs matching `flt`, in display order."""
    where, params = _need_where(flt)
    order = NEED_SORTS.get(sort, NEED_SORTS["urgency"])
    direction = "DESC" if descending else "ASC"
    secondary = "coalesce(needed_by, '9999') ASC" if sort == "urgency" else "created_at DESC"
    sql = f"SELECT rowid FROM needs WHERE {where} ORDER BY {order} {direction}, {secondary}, rowid"
    return [r[0] for r in store.conn.execute(sql, params)]


def need_count(store: Store, flt: NeedFilter) -> int:
    """How many needs `flt` matches, without listing them."""
    if flt.text.strip() and stale_tables(store.conn):
        raise StillIndexing
    where, params = _need_where(flt)
    return int(
        store.conn.execute(f"SELECT count(*) FROM needs WHERE {where}", params).fetchone()[0]
    )


@dataclass(frozen=True)
class NeedRow:
    """What one line of the needs table shows."""

    rowid: int
    id: str
    contact_id: str
    contact: str
    category: str
    description: str
    quantity: int
    urgency: str
    status: str
    needed_by: str
    assigned: str
    zip: str


def need_rows(store: Store, rowids: Sequence[int]) -> dict[int, NeedRow]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    categories = {c.value: c.label for c in Category}
    urgencies = {u.value: u.label for u in Urgency}
    statuses = {s.value: s.label for s in NeedStatus}
    out: dict[int, NeedRow] = {}
    for r in store.conn.execute(
        f"""SELECT n.rowid, n.id, n.contact_id, c.name, n.category, n.description, n.quantity,
                   n.urgency, n.status, n.needed_by, v.name, c.address_postal_code
            FROM needs n JOIN contacts c ON c.id = n.contact_id
            LEFT JOIN contacts v ON v.id = n.assigned_volunteer_id
            WHERE n.rowid IN ({marks})""",
        list(rowids),
    ):
        out[r[0]] = NeedRow(
            rowid=r[0],
            id=r[1],
            contact_id=r[2],
            contact=r[3],
            category=categories.get(r[4], r[4]),
            description=r[5],
            quantity=r[6],
            urgency=urgencies.get(r[7], r[7]),
            status=statuses.get(r[8], r[8]),
            needed_by=r[9] or "",
            assigned=r[10] or "",
            zip=r[11],
        )
    return out


def filter_choices(store: Store) -> dict[str, list[str]]:
    """The values the filter menus offer: tags, languages and ZIPs in use."""
    out: dict[str, list[str]] = {}
    for column in ("tags", "languages"):
        out[column] = [
            r[0]
            for r in store.conn.execute(
                f"""SELECT DISTINCT j.value FROM contacts, json_each(contacts.{column}) j
                    WHERE contacts._cl % 2 = 1 ORDER BY j.value"""
            )
        ]
    out["zips"] = [
        r[0]
        for r in store.conn.execute(
            """SELECT DISTINCT address_postal_code FROM contacts
               WHERE _cl % 2 = 1 AND address_postal_code != '' ORDER BY 1"""
        )
    ]
    return out


def rowid_of(store: Store, table: str, record_id: str) -> int | None:
    """The SQLite rowid of a record (tables keep their order as rowids)."""
    if table not in ("contacts", "needs"):
        raise ValueError(table)
    row = store.conn.execute(f"SELECT rowid FROM {table} WHERE id = ?", (record_id,)).fetchone()
    return int(row[0]) if row else None


@dataclass(frozen=True)
class ActivityLine:
    """One line of a contact's history: a need, a delivery stop or a ride."""

    id: str
    when: str
    what: str
    status: str


def contact_activity(
    store: Store, contact_id: str, limit: int = 200
) -> dict[str, list[ActivityLine]]:
    """A contact's needs, deliveries and rides, newest first; `when` is an ISO date
    (or date and time, for a ride), the rest are words in the program's language."""
    conn = store.conn
    categories = {c.value: c.label for c in Category}
    statuses = {s.value: s.label for s in NeedStatus}
    outcomes = {o.value: o.label for o in Outcome}
    ride_statuses = {s.value: s.label for s in RideStatus}
    needs = [
        ActivityLine(
            r[0],
            (r[1] or r[2][:10]),
            f"{categories.get(r[3], r[3])}: {r[4]}".rstrip(": "),
            statuses.get(r[5], r[5]),
        )
        for r in conn.execute(
            """SELECT id, needed_by, created_at, category, description, status FROM needs
               WHERE _cl % 2 = 1 AND contact_id = ? ORDER BY created_at DESC LIMIT ?""",
            (contact_id, limit),
        )
    ]
    deliveries = [
        ActivityLine(
            r[0],
            r[1],
            _("{run}, stop {n}").format(run=r[2], n=r[3]),
            outcomes.get(r[4], r[4]) if r[4] else _("Planned"),
        )
        for r in conn.execute(
            """SELECT s.id, r.date, r.name, s.seq, s.outcome FROM stops s
               JOIN delivery_runs r ON r.id = s.run_id
               WHERE s._cl % 2 = 1 AND r._cl % 2 = 1 AND s.contact_id = ?
               ORDER BY r.date DESC LIMIT ?""",
            (contact_id, limit),
        )
    ]
    rides = [
        ActivityLine(
            r[0],
            r[1].replace("T", " ")[:16],
            _("To {destination}").format(destination=r[2]),
            ride_statuses.get(r[3], r[3]),
        )
        for r in conn.execute(
            """SELECT id, pickup_at, destination, status FROM rides
               WHERE _cl % 2 = 1 AND (rider_id = ? OR driver_id = ?)
               ORDER BY pickup_at DESC LIMIT ?""",
            (contact_id, contact_id, limit),
        )
    ]
    return {"needs": needs, "deliveries": deliveries, "rides": rides}


def volunteers(store: Store) -> list[tuple[str, str]]:
    """(id, name) of active volunteers and drivers, for assigning needs."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            """SELECT id, name FROM contacts WHERE _cl % 2 = 1 AND status = 'active'
               AND EXISTS (SELECT 1 FROM json_each(roles) WHERE value IN ('volunteer', 'driver'))
               ORDER BY name_key"""
        )
    ]


def counts(store: Store) -> dict[str, int]:
    """Live record counts for the status bar."""
    out = {}
    for table in ("contacts", "needs", "delivery_runs", "rides"):
        out[table] = int(
            store.conn.execute(f"SELECT count(*) FROM {table} WHERE _cl % 2 = 1").fetchone()[0]
        )
    out["open_needs"] = int(
        store.conn.execute(
            "SELECT count(*) FROM needs WHERE _cl % 2 = 1 AND status IN ('new', 'scheduled')"
        ).fetchone()[0]
    )
    return out


def contact_matches(store: Store, text: str) -> set[int] | None:
    """Rowids of the live contacts whose text matches (None: nothing searchable typed).

    StillIndexing while the index is rebuilt after an import: a half-built index
    would silently leave people out.
    """
    expr = match_expression(text)
    if expr is None:
        return None
    if stale_tables(store.conn):
        raise StillIndexing
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?", (expr,)
        )
    }


def need_matches(store: Store, text: str) -> set[int] | None:
    """Rowids of the needs whose text (or contact's phone or address) matches."""
    conditions, params = need_conditions(text)
    if not conditions:
        return None
    if stale_tables(store.conn):
        raise StillIndexing
    sql = f"SELECT rowid FROM needs WHERE {' AND '.join(conditions)}"
    return {r[0] for r in store.conn.execute(sql, params)}


class OrderedIds:
    """A list's order without its search text, kept while the organizer types.

    Typing changes only the text: intersecting the cached order with the rows
    the search index matches costs a few milliseconds however many rows match,
    where asking SQLite to sort thousands of matches again would not. Drop the
    cache (`clear`) whenever the records change.
    """

    def __init__(self) -> None:
        self._key: object = None
        self._ids: list[int] = []

    def clear(self) -> None:
        self._key = None

    def get(self, key: object, compute: Callable[[], list[int]]) -> list[int]:
        if key != self._key:
            self._ids = compute()
            self._key = key
        return self._ids

    @staticmethod
    def narrow(ids: list[int], matches: set[int] | None) -> list[int]:
        return ids if matches is None else [r for r in ids if r in matches]


def runs_on(store: Store, day: date) -> list[tuple[str, str, str]]:
    """(id, name, driver name) of the delivery runs on `day`, Route 2 before Route 10."""
    from mutualaid_desktop.domain.sorting import natural_key

    rows = [
        (r[0], r[1], r[2])
        for r in store.conn.execute(
            """SELECT r.id, r.name, coalesce(d.name, '') FROM delivery_runs r
               LEFT JOIN contacts d ON d.id = r.driver_id
               WHERE r._cl % 2 = 1 AND r.date = ? ORDER BY r.name""",
            (day.isoformat(),),
        )
    ]
    return sorted(rows, key=lambda r: natural_key(r[1]))


def run_drivers_on(store: Store, day: date) -> list[tuple[str, str]]:
    """(id, name) of the drivers of delivery runs on `day`, by name as a person sorts them."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            """SELECT DISTINCT d.id, d.name FROM delivery_runs r
               JOIN contacts d ON d.id = r.driver_id
               WHERE r._cl % 2 = 1 AND r.date = ? ORDER BY d.name_key""",
            (day.isoformat(),),
        )
    ]


def ride_drivers_on(store: Store, day: date) -> list[tuple[str, str]]:
    """(id, name) of the drivers with rides on `day`."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            """SELECT DISTINCT d.id, d.name FROM rides r JOIN contacts d ON d.id = r.driver_id
               WHERE r._cl % 2 = 1 AND r.pickup_at >= ? AND r.pickup_at < date(?, '+1 day')
               ORDER BY d.name_key""",
            (day.isoformat(), day.isoformat()),
        )
    ]


def next_distribution_day(store: Store, after: date) -> date | None:
    """The first day on or after `after` with a delivery run."""
    row = store.conn.execute(
        "SELECT min(date) FROM delivery_runs WHERE _cl % 2 = 1 AND date >= ?",
        (after.isoformat(),),
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None
