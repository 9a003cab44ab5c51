"""Purge: what a deleted record held, erased for good.

A deleted household stays restorable for the recently-deleted period
(store/deleted.py). Once that is over, `purge_expired` erases what it held:
the row keeps its id, the references it cannot exist without (a need's
household) and its deletion stamp; every other column is blanked and stamped
zero, as a tombstone from another laptop is. Its causal length becomes
`PURGED_CL`, an even count no laptop reaches by deleting and restoring, so a
purge wins every merge: a stale laptop's copy cannot bring the values back,
and a laptop that receives the tombstone erases its own copy (sync/merge.py).
Whatever points at a purged record through a reference it cannot do without
(a household's needs, stops, rides and driver profile) is purged with it.

The retention rule (Settings, `mutualaid purge --inactive-months N`) purges
live households too: those with no need, stop or ride for N months.

What a purge leaves in the file: nothing readable. SQLite's `secure_delete`
(store/connection.py) zeroes the space the old values took, the search index is
merged so the words of erased entries leave its pages (store/search.py), the planner's
statistics (which sample index keys) are gathered again, and the WAL, which
holds older copies of the pages, is checkpointed and truncated. Backups made
afterwards are copies of the purged file; older ones drop out as they rotate
(store/backup.py), and a restored one is purged again as it opens.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from mutualaid_desktop.errors import Cancelled
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import search
from mutualaid_desktop.store.constants import CL_GROUP, PURGED_CL, SHARED_TABLES
from mutualaid_desktop.store.store import Stamp, Store, pack_stamps

log = logging.getLogger(__name__)

Progress = Callable[[str, float], bool]

MAX_INACTIVE_MONTHS = 1200


@dataclass(frozen=True)
class Inactive:
    """A household the retention rule would purge, as the list shows it."""

    id: str
    name: str
    last_active: str  # the date of its last need, stop or ride (or when it was added)


def is_purged(cl: int) -> bool:
    return cl >= PURGED_CL


def purge_expired(store: Store, days: int | None = None) -> int:
    """Purge the deleted records whose recently-deleted period is over; how many rows."""
    from mutualaid_desktop.store.deleted import expired

    if store.read_only:
        return 0
    return purge(store, expired(store, days))


def purge(store: Store, targets: list[tuple[str, str]], progress: Progress | None = None) -> int:
    """Erase the records `targets` (table, id) and what cannot exist without them, deleted
    or not; returns how many rows were purged. It cannot be undone.

    `progress(message, fraction)` returning False cancels: nothing is erased then.
    """
    if not targets:
        return 0
    done = 0
    blanks: dict[str, dict[str, Any]] = {}
    rows = _with_dependents(store, targets)
    with store.transaction():
        for at, (table, record_id) in enumerate(rows):
            if at % 100 == 0 and progress and not progress(_("Erasing"), at / len(rows)):
                raise Cancelled
            stamp: Stamp = (store._tick(), store.origin)
            if wipe(store, table, record_id, stamp, blanks):
                store._audit("purge", table, record_id)
                done += 1
    if done:
        settle_file(store)
    log.info("purged %d rows", done)
    return done


def wipe(
    store: Store,
    table: str,
    record_id: str,
    stamp: Stamp,
    blanks: dict[str, dict[str, Any]] | None = None,
) -> bool:
    """Blank every value of one row but its id and needed references, mark it purged
    with the deletion stamp `stamp` (hlc, local replica index); False if it already was.

    The caller holds the transaction (a purge, or a bundle's merge); `blanks` keeps
    each table's blank values from one row to the next.
    """
    from mutualaid_desktop.store.tables import SPECS

    spec = SPECS[table]
    row = store.conn.execute(f"SELECT _cl FROM {table} WHERE id = ?", (record_id,)).fetchone()
    if row is None or is_purged(int(row[0])):
        return False
    cache = {} if blanks is None else blanks
    if table not in cache:
        cache[table] = _blank_row(store, table)
    stamps: dict[str, Stamp] = {group: (0, stamp[1]) for group in spec.groups}
    stamps[CL_GROUP] = stamp
    values = cache[table] | {"_cl": PURGED_CL} | pack_stamps(stamps)
    search.unindex(store.conn, table, [record_id])
    assignments = ", ".join(f'"{c}" = :{c}' for c in values)
    store.conn.execute(
        f"UPDATE {table} SET {assignments} WHERE id = :id", values | {"id": record_id}
    )
    # A conflict keeps both values of a field: they go with the record.
    store.conn.execute("DELETE FROM conflicts WHERE tbl = ? AND row_id = ?", (table, record_id))
    return True


def _blank_row(store: Store, table: str) -> dict[str, Any]:
    """Every column of `table` but the id and the references a row cannot do without,
    with the blank value a tombstone from another laptop holds."""
    from mutualaid_desktop.store.tables import SPECS
    from mutualaid_desktop.sync.shared import blank_values, tombstone_columns

    kept = tombstone_columns(store, table)
    columns = [c for c in SPECS[table].columns if c not in kept]
    return dict(zip(columns, blank_values(store, table, columns), strict=True))


def settle_file(store: Store) -> None:
    """After a purge: the search index merged (the erased entries' words, and those of
    the versions before them, leave its pages), statistics gathered again, the WAL's
    old pages written home and cut."""
    conn = store.conn
    with conn:
        for fts in search.FTS_TABLES:
            search.merge_index(conn, fts)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetchone():
        # stat4 samples index keys (a name among them): gather them from what is left.
        conn.execute("ANALYZE")
    if store.path is not None:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            log.warning("the WAL could not be truncated after a purge (a reader holds it)")


def _with_dependents(store: Store, targets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`targets` and, recursively, the rows that point at one of them through a reference
    they cannot do without (parents first)."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    needing: dict[str, list[tuple[str, str]]] = {}
    queue = deque(targets)
    while queue:
        item = queue.popleft()
        if item in seen:
            continue
        seen.add(item)
        out.append(item)
        table, record_id = item
        if table not in needing:
            needing[table] = _needing(store, table)
        for child, column in needing[table]:
            queue.extend(
                (child, str(r[0]))
                for r in store.conn.execute(
                    f"SELECT id FROM {child} WHERE {column} = ?", (record_id,)
                )
            )
    return out


def _needing(store: Store, table: str) -> list[tuple[str, str]]:
    """(table, column) of the shared tables' references to `table` that cannot be empty."""
    from mutualaid_desktop.sync.shared import tombstone_columns

    found = []
    for child in SHARED_TABLES:
        kept = tombstone_columns(store, child)
        for fk in store.conn.execute(f"PRAGMA foreign_key_list({child})"):
            if fk[2] == table and fk[3] in kept:
                found.append((child, str(fk[3])))
    return found


# -- the retention rule ------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def inactive_households(store: Store, months: int, today: date | None = None) -> list[Inactive]:
    """Households (who receive help, and are neither volunteers nor drivers) with no
    need, stop or ride, and not added, in the last `months` months; oldest first."""
    if not 1 <= months <= MAX_INACTIVE_MONTHS:
        raise ValueError(months)
    cutoff = months_before(today or datetime.now(UTC).date(), months).isoformat()
    # Each table read once, grouped by household: a query per household would take
    # seconds at 20,000 of them.
    rows = store.conn.execute(
        """
        WITH activity(contact_id, at) AS (
            SELECT contact_id, max(created_at, coalesce(status_changed_at, ''),
                                   coalesce(needed_by, ''))
            FROM needs
            UNION ALL
            SELECT s.contact_id, max(r.date, coalesce(s.outcome_at, ''))
            FROM stops s JOIN delivery_runs r ON r.id = s.run_id
            UNION ALL
            SELECT rider_id, pickup_at FROM rides
        ),
        latest(contact_id, at) AS (SELECT contact_id, max(at) FROM activity GROUP BY contact_id)
        SELECT c.id, c.name, max(c.created_at, coalesce(l.at, '')) AS last_active
        FROM contacts c LEFT JOIN latest l ON l.contact_id = c.id
        WHERE c._cl % 2 = 1
          AND c.roles LIKE '%"recipient"%'
          AND c.roles NOT LIKE '%"volunteer"%' AND c.roles NOT LIKE '%"driver"%'
          AND NOT EXISTS (SELECT 1 FROM rides WHERE driver_id = c.id AND _cl % 2 = 1)
          AND max(c.created_at, coalesce(l.at, '')) < ?
        ORDER BY last_active
        """,
        (cutoff,),
    ).fetchall()
    return [Inactive(str(i), str(name), str(last)[:10]) for i, name, last in rows]


def purge_households(store: Store, ids: list[str], progress: Progress | None = None) -> int:
    """Delete and purge these households at once (the retention rule, confirmed)."""
    return purge(store, [("contacts", i) for i in ids], progress)
