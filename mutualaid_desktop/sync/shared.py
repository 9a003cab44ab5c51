"""What sync shares: every shared row but what consent keeps on this laptop.

Contacts whose share scope is "this laptop only", and everything that hangs off
them (their needs, stops, rides and driver profile), never leave; a shared row
that points at something staying home (a need's assigned volunteer, a stop's
need) leaves without that reference. Device-local tables (settings, replicas,
identity, conflicts, sync bookkeeping) are never shared. The same projection
feeds bundles and the sync-state digest, so what the digest compares is
exactly what bundles carry.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.constants import SHARED_TABLES
from mutualaid_desktop.sync.identity import in_groups_of_four

# table -> the column naming the contact a row belongs to: the row stays home with it
OWNED_BY_CONTACT = {
    "needs": "contact_id",
    "stops": "contact_id",
    "rides": "rider_id",
    "driver_profiles": "contact_id",
}
# table -> {column: table it points at}: the reference is dropped when its target stays home
POINTERS = {
    "needs": {"assigned_volunteer_id": "contacts"},
    "delivery_runs": {"driver_id": "contacts"},
    "stops": {"need_id": "needs"},
    "rides": {"driver_id": "contacts", "outbound_ride_id": "rides"},
}
STAMP_COLUMNS = ("_cl", "_hlc", "_origin", "_stamps")


def tombstone_columns(store: Store, table: str) -> frozenset[str]:
    """The columns a deleted row still carries in a bundle: its id and the references
    it cannot exist without (SYNC.md, purge). Names, phones, notes stay behind."""
    kept = {"id"}
    for row in store.conn.execute(f"PRAGMA foreign_key_list({table})"):
        column = row[3]
        notnull = store.conn.execute(
            f"SELECT \"notnull\" FROM pragma_table_info('{table}') WHERE name = ?", (column,)
        ).fetchone()
        if notnull and notnull[0]:
            kept.add(column)
    return frozenset(kept)


def blank_values(store: Store, table: str, columns: Sequence[str]) -> list[Any]:
    """Placeholder values for `columns` of a record this laptop only knows as deleted:
    empty text or zero where the column needs a value, NULL elsewhere."""
    info = {
        name: (str(kind).upper(), bool(notnull))
        for _cid, name, kind, notnull, _default, _pk in store.conn.execute(
            f"PRAGMA table_info({table})"
        )
    }
    out: list[Any] = []
    for column in columns:
        kind, notnull = info[column]
        if not notnull:
            out.append(None)
        elif "INT" in kind:
            out.append(0)
        elif "REAL" in kind:
            out.append(0.0)
        else:
            out.append("")
    return out


@dataclass
class StayingHome:
    """Ids, per table, of the rows consent keeps on this laptop."""

    ids: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store) -> StayingHome:
        """The rows `store` keeps home now (a copy: callers may add to it).

        An import finds them twice (its preview, then the import itself) on a
        database that did not change between the two: the second time comes
        from a cache that any write, here or from another connection, voids.
        """
        state = (store.conn.total_changes, store.conn.execute("PRAGMA data_version").fetchone())
        cached = _FOUND.get(store)
        if cached is None or cached[0] != state:
            cached = _FOUND[store] = (state, cls._find(store))
        return cls({table: set(ids) for table, ids in cached[1].ids.items()})

    @classmethod
    def _find(cls, store: Store) -> StayingHome:
        local = "SELECT id FROM contacts WHERE share_scope = 'local'"
        contacts = {r[0] for r in store.conn.execute(local)}
        if not contacts:
            return cls()
        ids = {"contacts": contacts}
        for table, column in OWNED_BY_CONTACT.items():
            # From the households to their rows through the owner's index: a few
            # lookups, where "owner IN (...)" would scan every stop.
            ids[table] = {
                r[0]
                for r in store.conn.execute(
                    f"SELECT t.id FROM contacts c JOIN {table} t ON t.{column} = c.id "
                    "WHERE c.share_scope = 'local'"
                )
            }
        return cls(ids)

    def __bool__(self) -> bool:
        return bool(self.ids)


# store -> (its state when they were found, the rows it kept home then)
_FOUND: weakref.WeakKeyDictionary[Store, tuple[tuple[int, Any], StayingHome]] = (
    weakref.WeakKeyDictionary()
)


# One shared row as stored: data columns (id first), then _cl, _hlc, _origin,
# _stamps; and the pointer columns blanked because their target stays home.
# A plain tuple: bundles read a hundred thousand of them.
Projected = tuple[Sequence[Any], tuple[str, ...]]


def projected_rows(
    store: Store,
    table: str,
    columns: tuple[str, ...],
    home: StayingHome,
    where: str = "",
    params: tuple[Any, ...] = (),
    ordered: bool = False,
) -> Iterator[Projected]:
    """The rows of `table` sync may share, `columns` then the stamp columns."""
    sql = f"SELECT {', '.join(columns + STAMP_COLUMNS)} FROM {table}"
    if where:
        sql += f" WHERE {where}"
    if ordered:
        sql += " ORDER BY id"
    rows = store.conn.execute(sql, params)
    if not home:
        for row in rows:
            yield row, ()
        return
    own_ids = home.ids.get(table, set())
    owner = OWNED_BY_CONTACT.get(table)
    owner_at = columns.index(owner) if owner else -1
    pointers = [
        (columns.index(col), col, home.ids.get(target, set()))
        for col, target in POINTERS.get(table, {}).items()
    ]
    contacts_home = home.ids["contacts"]
    for row in rows:
        if row[0] in own_ids or (owner_at >= 0 and row[owner_at] in contacts_home):
            continue
        values = list(row)
        dropped = []
        for at, col, targets in pointers:
            if values[at] is not None and values[at] in targets:
                values[at] = None
                dropped.append(col)
        yield values, tuple(dropped)


KEPT_HOME_REASONS = {
    "no_consent": "no consent to share is recorded",
    "chose_local": "the household chose this laptop only",
}


def kept_home_counts(store: Store) -> dict[str, int]:
    """How many households (live contacts) stay on this laptop, by reason."""
    no_consent, chose = store.conn.execute(
        "SELECT count(*) FILTER (WHERE consent_at IS NULL), "
        "count(*) FILTER (WHERE consent_at IS NOT NULL) "
        "FROM contacts WHERE share_scope = 'local' AND _cl % 2 = 1"
    ).fetchone()
    return {"no_consent": int(no_consent), "chose_local": int(chose)}


def kept_home_sentence(counts: dict[str, int]) -> str:
    """'3 households stay on this laptop: ...' or '' when every household is shared."""
    total = sum(counts.values())
    if not total:
        return ""
    reasons = "; ".join(f"{n:,} because {KEPT_HOME_REASONS[key]}" for key, n in counts.items() if n)
    noun = "household stays" if total == 1 else "households stay"
    return (
        f"{total:,} {noun} on this laptop only ({reasons}); "
        "Contacts › Sharing › This laptop only lists them."
    )


def shared_rows(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row with its causal length but no stamps) for everything sync may share."""
    from mutualaid_desktop.store.tables import SPECS

    home = StayingHome.of(store)
    for table in SHARED_TABLES:
        columns = SPECS[table].columns
        names = (*columns, "_cl")
        for values, _dropped in projected_rows(store, table, columns, home, ordered=True):
            if values[len(columns)] % 2 == 0:
                # Deleted: only that it was deleted is shared, never what it held.
                yield table, {"id": values[0], "_cl": values[len(columns)]}
            else:
                yield table, dict(zip(names, values, strict=False))


def sync_state(store: Store) -> str:
    """A digest of all shared data (values, and which records are deleted; not edit history).

    Two databases that hold the same shared data print the same digest,
    whatever order their edits arrived in.
    """
    digest = hashlib.sha256()
    for table, row in shared_rows(store):
        digest.update(canonical([table, row]) + b"\n")
    return in_groups_of_four(digest.hexdigest().upper())


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value: what digests and signatures are made over."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
