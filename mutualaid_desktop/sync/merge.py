"""Merging a bundle's rows into this database (SYNC.md, "Merge").

Per field group, the larger stamp (hlc, then replica id) wins, so the result
is the same whatever order bundles arrive in and however often. Causal length
decides deleted or live: the larger wins. Nothing is dropped silently: when a
value loses to one written without knowledge of it (concurrently), the loser
goes to the `conflicts` table for the organizer to review.

`merge(..., write=False)` only counts what would change: the preview the
organizer sees before saying yes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store import Store, purge, search
from mutualaid_desktop.store.constants import CL_GROUP, SHARED_TABLES
from mutualaid_desktop.store.store import pack_stamps
from mutualaid_desktop.store.tables import SPECS
from mutualaid_desktop.sync.envelope import DAMAGED, BundleError
from mutualaid_desktop.sync.shared import POINTERS, StayingHome, blank_values

Stamp = tuple[int, str]  # (hlc, replica id): comparable the same way on every laptop
_STAMP_COLUMNS = ("_cl", "_hlc", "_origin", "_stamps", "_updated")
_CHUNK = 500
# Above this many changed rows the search index is rebuilt whole: faster than row by row.
_REINDEX_ALL_AT = 5000


@dataclass
class TableChanges:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    restored: int = 0

    def total(self) -> int:
        return self.new + self.updated + self.deleted + self.restored


@dataclass
class Changes:
    """What a bundle changes (or would change), per table, and the conflicts it records."""

    tables: dict[str, TableChanges] = field(default_factory=dict)
    conflicts: int = 0
    max_hlc: int = 0
    purged: int = 0  # rows the sender purged, erased here too

    def of(self, table: str) -> TableChanges:
        return self.tables.setdefault(table, TableChanges())

    def total(self) -> int:
        return sum(t.total() for t in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "tables": {t: vars(c) for t, c in self.tables.items() if c.total()},
            "conflicts": self.conflicts,
        }

    def lines(self) -> list[str]:
        """One line per kind of record, in words."""
        out = []
        for table in SHARED_TABLES:
            c = self.tables.get(table)
            if c is None or not c.total():
                continue
            parts = [
                ngettext(singular, plural, n).format(count=f"{n:,}")
                for n, singular, plural in (
                    (c.new, N_("{count} new"), N_("{count} new")),
                    (c.updated, N_("{count} updated"), N_("{count} updated")),
                    (c.deleted, N_("{count} deleted"), N_("{count} deleted")),
                    (c.restored, N_("{count} restored"), N_("{count} restored")),
                )
                if n
            ]
            label = _(_LABELS[table]) if table in _LABELS else table
            out.append(f"{label}: {', '.join(parts)}")
        if self.conflicts:
            out.append(_("Conflicts to review: {count}").format(count=f"{self.conflicts:,}"))
        return out or [_("Nothing new: this laptop already has everything in the bundle.")]


_LABELS = {
    "organization": N_("Group settings"),
    "contacts": N_("Contacts"),
    "needs": N_("Needs"),
    "items": N_("Items"),
    "box_types": N_("Box types"),
    "box_items": N_("Box contents"),
    "delivery_runs": N_("Delivery runs"),
    "stops": N_("Stops"),
    "driver_profiles": N_("Driver profiles"),
    "rides": N_("Rides"),
}


@dataclass
class _Context:
    store: Store
    write: bool
    theirs: dict[str, int]  # the sender's knowledge vector
    ours: dict[str, int]  # ours, before this bundle
    replica_of: dict[int, str]  # local origin index -> replica id
    index_of: dict[str, int]  # replica id -> local origin index
    changes: Changes
    conflicts: list[tuple[Any, ...]] = field(default_factory=list)
    home: dict[str, set[str]] = field(default_factory=dict)  # rows kept on this laptop only
    travelled: list[tuple[Any, ...]] = field(default_factory=list)  # conflicts from elsewhere
    rebuild_index: set[str] = field(default_factory=set)  # tables whose search index is redone
    # (table, id, deletion stamp) of rows the sender purged, to erase here too
    purged: list[tuple[str, str, Stamp]] = field(default_factory=list)


def merge(store: Store, body: dict[str, Any], ours: dict[str, int], *, write: bool) -> Changes:
    """Merge the rows of `body`; with write=False nothing is written, only counted.

    `ours` is this database's knowledge vector before the bundle. Writing
    must happen inside the caller's transaction.
    """
    try:
        return _merge(store, body, ours, write)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # The body is signed, so only a faulty sender gets here; refuse it whole.
        raise BundleError(DAMAGED) from exc


def _merge(store: Store, body: dict[str, Any], ours: dict[str, int], write: bool) -> Changes:
    home = StayingHome.of(store).ids  # before any write: as the preview found them
    replica_of = {
        int(i): str(r) for i, r in store.conn.execute("SELECT idx, replica_id FROM replicas")
    }
    index_of = {r: i for i, r in replica_of.items()}
    bundle_replicas = [(str(rid), str(org)) for rid, org in body["replicas"]]
    for rid, _org in bundle_replicas:
        uuid.UUID(rid)  # a malformed id is a damaged bundle
    if write:
        for rid, org in bundle_replicas:
            if rid not in index_of:
                index_of[rid] = store._origin_index(rid, org)
                replica_of[index_of[rid]] = rid
            elif org:
                store.conn.execute(
                    "UPDATE replicas SET organizer = ? WHERE replica_id = ? AND organizer = ''",
                    (org, rid),
                )
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
    ctx = _Context(
        store=store,
        write=write,
        theirs={str(k): int(v) for k, v in body["knowledge"].items()},
        ours=ours,
        replica_of=replica_of,
        index_of=index_of,
        changes=Changes(),
        home=home,
    )
    names = [rid for rid, _ in bundle_replicas]
    ctx.changes.max_hlc = int(body["created_hlc"])
    tables = body["tables"]
    for table in SHARED_TABLES:
        if table in tables:
            _merge_table(ctx, SPECS[table], tables[table], names)
    if unknown := set(tables) - set(SHARED_TABLES):
        raise ValueError(f"unknown tables {unknown}")
    _merge_withdrawn(ctx, body.get("withdrawn", []), names)
    for table, record_id, (hlc, replica) in ctx.purged if write else ():
        purge.wipe(store, table, record_id, (hlc, ctx.index_of[replica]))
    ctx.changes.purged = len(ctx.purged)
    _merge_conflicts(ctx, body.get("conflicts", []))
    if write:
        if ctx.rebuild_index:
            # Rebuilt after this transaction (search says "still indexing" meanwhile):
            # a full import's records are usable seconds sooner.
            search.mark_stale(store.conn, ctx.rebuild_index)
        _record_conflicts(ctx)
    return ctx.changes


def _merge_table(ctx: _Context, spec: Any, data: dict[str, Any], names: list[str]) -> None:
    table = spec.name
    columns: list[str] = list(data["columns"])
    if columns[0] != "id" or not set(columns) <= set(spec.columns):
        raise ValueError(f"unexpected columns in {table}")
    n = len(columns)
    at = {c: i for i, c in enumerate(columns)}
    groups = {
        g: [at[c] for f in members for c in spec.columns_of(f)]
        for g, members in spec.groups.items()
        if all(c in at for f in members for c in spec.columns_of(f))
    }
    changes = ctx.changes.of(table)
    conn = ctx.store.conn
    select = f"SELECT {', '.join(columns)}, _cl, _hlc, _origin, _stamps FROM {table} WHERE id IN "
    inserts: list[list[Any]] = []
    updates: list[list[Any]] = []
    live_changed: list[str] = []
    gone: list[str] = []
    open_conflicts = _open_conflicts(ctx, table)
    pointers = [
        (spec.group_of[col], at[col], target)
        for col, target in POINTERS.get(table, {}).items()
        if col in at
    ]
    rows: Sequence[list[Any]] = data["rows"]
    blanks = blank_values(ctx.store, table, columns)
    max_hlc = ctx.changes.max_hlc
    empty = conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None
    plain: list[list[Any]] = []
    if empty:
        # Nothing here to merge with (a laptop's first full bundle): a live row with
        # one stamp goes in as it came, its origin translated by SQLite; only the
        # rest (tombstones, rows with more stamps) need the loop below.
        plain = [r for r in rows if r[n + 3] is None and r[n] % 2]
        if plain:
            rows = [r for r in rows if r[n + 3] is not None or r[n] % 2 == 0]
            changes.new += len(plain)
            live_changed.extend(map(itemgetter(0), plain))
            max_hlc = max(max_hlc, max(map(itemgetter(n + 1), plain)))
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        local = (
            {}
            if empty
            else {r[0]: r for r in conn.execute(select + f"({marks})", [r[0] for r in chunk])}
        )
        for row in chunk:
            if len(row) != n + 4:
                raise ValueError("row length")
            cl_in = int(row[n])
            base_in: Stamp = (int(row[n + 1]), names[row[n + 2]])
            extra_in = {
                g: (int(h), names[o])
                for g, (h, o) in (row[n + 3] or {}).items()
                if g in groups or g == CL_GROUP
            }
            for h, _stamps in (base_in, *extra_in.values()):
                max_hlc = max(max_hlc, h)
            mine = local.get(row[0])
            if mine is not None and purge.is_purged(int(mine[n])):
                continue  # erased here for good: no bundle brings a value of it back
            if (
                purge.is_purged(cl_in)
                and mine is not None
                and row[0] not in ctx.home.get(table, ())
            ):
                # Purged there, so erased here too, whatever this laptop still holds.
                if int(mine[n]) % 2:
                    changes.deleted += 1
                ctx.purged.append((table, row[0], extra_in.get(CL_GROUP, base_in)))
                continue
            if cl_in % 2 == 0:
                # A tombstone carries no values: only deleted-or-live merges. Here
                # it stands for our own values and stamps; a record never seen
                # here is kept as a placeholder whose blanks any real value beats.
                if mine is None:
                    if ctx.write:
                        row = [blanks[i] if v is None else v for i, v in enumerate(row[:n])]
                        stamps = {g: (0, base_in[1]) for g in groups}
                        stamps[CL_GROUP] = base_in
                        inserts.append([*row, cl_in, *_packed(ctx, stamps).values()])
                    continue
                base_mine, extra_mine = _stamps_of(ctx, mine, n)
                row = [*mine[:n], cl_in, None, None, None]
                extra_in = {g: extra_mine.get(g, base_mine) for g in groups}
                extra_in[CL_GROUP] = base_in
            if mine is None:
                if cl_in % 2:
                    changes.new += 1
                    live_changed.append(row[0])
                if not ctx.write:
                    continue
                if extra_in:
                    stamps = {g: extra_in.get(g, base_in) for g in groups}
                    stamps[CL_GROUP] = extra_in.get(CL_GROUP, base_in)
                    inserts.append([*row[:n], cl_in, *_packed(ctx, stamps).values()])
                else:  # the common case: one stamp for the whole row
                    h, r = base_in
                    inserts.append([*row[:n], cl_in, h, ctx.index_of[r], None, h])
                continue
            if row[0] in ctx.home.get(table, ()):
                # Kept on this laptop only (restrictive-wins consent): no bundle
                # widens, overwrites or deletes it; what differs waits for review.
                _keep_home_row(ctx, table, row, mine, n, cl_in, base_in, extra_in, groups)
                continue
            # Values the sender cannot have seen: what the row points at is kept
            # on this laptop only.
            private = {g for g, at_, target in pointers if mine[at_] in ctx.home.get(target, ())}
            result = _merge_row(ctx, table, row, mine, n, cl_in, base_in, extra_in, groups, private)
            if result is None:
                continue
            merged, stamps, cl, values_changed = result
            was_live, is_live = mine[n] % 2 == 1, cl % 2 == 1
            if was_live and not is_live:
                changes.deleted += 1
                gone.append(row[0])
            elif is_live and not was_live:
                changes.restored += 1
                live_changed.append(row[0])
            elif values_changed and is_live:
                changes.updated += 1
                live_changed.append(row[0])
            for g, stamp in stamps.items():
                if cl_in % 2 == 0:
                    break  # a tombstone's stamps but its own are ours
                if (row[0], g) in open_conflicts and stamp in (base_in, extra_in.get(g)):
                    _resolved_elsewhere(ctx, table, row[0], g, stamp, open_conflicts)
            if ctx.write:
                updates.append([*merged[1:n], cl, *_packed(ctx, stamps).values(), row[0]])
    ctx.changes.max_hlc = max_hlc
    if not ctx.write:
        return
    all_columns = [*columns, *_STAMP_COLUMNS]
    if inserts or plain:
        # Into an empty table (a laptop's first full bundle), the secondary indexes
        # are built once after the rows, by sorting: a third faster than row by row.
        many = len(inserts) + len(plain) >= _REINDEX_ALL_AT
        rebuilt = _drop_indexes(conn, table) if many else []
        insert = f"INSERT INTO {table} ({', '.join(all_columns)}) VALUES "
        # Recorded for Edit › Undo as created: their ids only (store/changes.py).
        ctx.store.touch_many(table, [r[0] for r in plain], new=True)
        ctx.store.touch_many(table, [r[0] for r in inserts], new=True)
        if plain:
            _insert_as_sent(ctx, insert, n, plain, names)
        if inserts:
            conn.executemany(insert + f"({', '.join('?' * len(all_columns))})", inserts)
        for sql in rebuilt:
            conn.execute(sql)
    if updates:
        ctx.store.touch_many(table, [u[-1] for u in updates])  # as they were, for Undo
        assignments = ", ".join(f"{c} = ?" for c in all_columns[1:])
        conn.executemany(f"UPDATE {table} SET {assignments} WHERE id = ?", updates)
    if gone:
        search.unindex(conn, table, gone)
    if len(live_changed) >= _REINDEX_ALL_AT or (
        table == "needs" and "contacts" in ctx.rebuild_index
    ):
        ctx.rebuild_index.add(table)
        if table == "contacts":
            ctx.rebuild_index.add("needs")  # a need's entry carries its contact's name
    elif live_changed:
        search.reindex(conn, table, live_changed)


def _insert_as_sent(
    ctx: _Context, insert: str, n: int, rows: list[list[Any]], names: list[str]
) -> None:
    """Insert live rows with one stamp each, the bundle's own lists as parameters:
    values, causal length, stamp, origin (an index into the bundle's replicas,
    translated here) and no more stamps."""
    used = sorted({r[n + 2] for r in rows})
    if len(used) > 64:
        # More laptops than a group has (a hostile bundle?): a CASE that long would
        # be searched for every row, so the origins are translated here instead.
        local = [ctx.index_of[rid] for rid in names]
        rows = [[*r[: n + 2], local[r[n + 2]], None] for r in rows]
        origin = f"?{n + 3}"
    else:
        whens = " ".join(f"WHEN {int(i)} THEN {int(ctx.index_of[names[i]])}" for i in used)
        origin = f"CASE ?{n + 3} {whens} END"
    values = [*(f"?{i}" for i in range(1, n + 3)), origin, f"?{n + 4}", f"?{n + 2}"]
    ctx.store.conn.executemany(insert + f"({', '.join(values)})", rows)


def _drop_indexes(conn: Any, table: str) -> list[str]:
    """Drop `table`'s own indexes if it is empty, returning the SQL that makes them again
    (the caller's transaction holds both, so a failure restores them)."""
    if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
        return []
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def _merge_row(
    ctx: _Context,
    table: str,
    row: list[Any],
    mine: tuple[Any, ...],
    n: int,
    cl_in: int,
    base_in: Stamp,
    extra_in: dict[str, Stamp],
    groups: dict[str, list[int]],
    private: set[str] | None = None,
) -> tuple[list[Any], dict[str, Stamp], int, bool] | None:
    """The merged row, its stamps, causal length and whether values changed (None: no change).

    `private`: groups whose values are kept on this laptop only, so the sender
    cannot have seen them, whatever its knowledge vector says.
    """
    cl_mine = int(mine[n])
    base_mine, extra_mine = _stamps_of(ctx, mine, n)
    if cl_in == cl_mine and base_in == base_mine and extra_in == extra_mine:
        return None  # the same version of the row: nothing to do
    hidden = private or set()
    merged = list(mine)
    stamps: dict[str, Stamp] = {}
    values_changed = False
    unseen_mine: list[str] = []  # groups edited here that the sender had not seen
    unseen_theirs: list[str] = []
    for g, positions in groups.items():
        theirs = extra_in.get(g, base_in)
        ours = extra_mine.get(g, base_mine)
        their_values = [row[p] for p in positions]
        our_values = [mine[p] for p in positions]
        if theirs > ours:
            stamps[g] = theirs
            if their_values != our_values:
                values_changed = True
                for p in positions:
                    merged[p] = row[p]
                if g in hidden or not _seen(ctx.theirs, ours):
                    _conflict(ctx, table, row[0], g, positions, theirs, row, ours, mine)
        else:
            stamps[g] = ours
            if theirs < ours and their_values != our_values and not _seen(ctx.ours, theirs):
                _conflict(ctx, table, row[0], g, positions, ours, mine, theirs, row)
        if g in hidden or not _seen(ctx.theirs, ours):
            unseen_mine.append(g)
        if not _seen(ctx.ours, theirs):
            unseen_theirs.append(g)
    for g, stamp in extra_mine.items():
        stamps.setdefault(g, stamp)  # groups the sender's schema does not have
    cl_theirs = extra_in.get(CL_GROUP, base_in)
    cl_ours = extra_mine.get(CL_GROUP, base_mine)
    if cl_in > cl_mine:
        cl, stamps[CL_GROUP] = cl_in, cl_theirs
        if cl % 2 == 0 and unseen_mine:
            # Deleted there while edited here: the delete stands, the edit is kept for review.
            edit = max(extra_mine.get(g, base_mine) for g in unseen_mine)
            _deletion_conflict(
                ctx, table, row[0], cl, cl_theirs, cl_mine, edit, unseen_mine, groups, mine
            )
    elif cl_in < cl_mine:
        cl, stamps[CL_GROUP] = cl_mine, cl_ours
        if cl % 2 == 0 and unseen_theirs and values_changed:
            edit = max(extra_in.get(g, base_in) for g in unseen_theirs)
            _deletion_conflict(
                ctx, table, row[0], cl, cl_ours, cl_in, edit, unseen_theirs, groups, row
            )
    else:
        cl, stamps[CL_GROUP] = cl_mine, max(cl_theirs, cl_ours)
    same_stamps = stamps == {g: extra_mine.get(g, base_mine) for g in stamps}
    if not values_changed and cl == cl_mine and same_stamps:
        return None
    return merged, stamps, cl, values_changed


def _keep_home_row(
    ctx: _Context,
    table: str,
    row: list[Any],
    mine: tuple[Any, ...],
    n: int,
    cl_in: int,
    base_in: Stamp,
    extra_in: dict[str, Stamp],
    groups: dict[str, list[int]],
) -> None:
    """A row this laptop keeps home stays exactly as it is; what the sender wrote
    differently, and this laptop had not seen, is listed as a conflict for review."""
    base_mine, extra_mine = _stamps_of(ctx, mine, n)
    if cl_in == int(mine[n]) and base_in == base_mine and extra_in == extra_mine:
        return
    for g, positions in groups.items():
        theirs = extra_in.get(g, base_in)
        ours = extra_mine.get(g, base_mine)
        differs = [row[p] for p in positions] != [mine[p] for p in positions]
        if differs and theirs != ours and not _seen(ctx.ours, theirs):
            _conflict(ctx, table, row[0], g, positions, ours, mine, theirs, row)
    cl_theirs = extra_in.get(CL_GROUP, base_in)
    if cl_in != int(mine[n]) and not _seen(ctx.ours, cl_theirs):
        ctx.changes.conflicts += 1
        if ctx.write:
            ctx.conflicts.append(
                (
                    table,
                    row[0],
                    CL_GROUP,
                    {"_cl": int(mine[n])},
                    extra_mine.get(CL_GROUP, base_mine),
                    {"_cl": cl_in},
                    cl_theirs,
                )
            )


def _stamps_of(ctx: _Context, mine: Sequence[Any], n: int) -> tuple[Stamp, dict[str, Stamp]]:
    """The base stamp and the other groups' stamps of a stored row, with replica ids."""
    base: Stamp = (int(mine[n + 1]), ctx.replica_of[int(mine[n + 2])])
    extra = {
        g: (int(h), ctx.replica_of[int(o)]) for g, (h, o) in json.loads(mine[n + 3] or "{}").items()
    }
    return base, extra


def _merge_withdrawn(ctx: _Context, withdrawn: list[list[Any]], names: list[str]) -> None:
    """Households the sender keeps home now: the narrower scope wins (restrictive-wins).

    A newer withdrawal is taken as it is. An older one this laptop had not seen
    was made while someone here shared the household again unaware of it: the
    narrower scope wins all the same, under a fresh stamp so that it also reaches
    the laptops that saw the wider one, and the clash is listed for review.
    """
    if not withdrawn:
        return
    conn = ctx.store.conn
    changes = ctx.changes.of("contacts")
    kept_home = ctx.home.setdefault("contacts", set())
    for cid, consent_at, scope, hlc, origin in withdrawn:
        theirs: Stamp = (int(hlc), names[origin])
        ctx.changes.max_hlc = max(ctx.changes.max_hlc, theirs[0])
        if scope != "local" or cid in kept_home:
            continue  # a withdrawal only ever narrows; kept home here already
        mine = conn.execute(
            "SELECT consent_at, share_scope, _cl, _hlc, _origin, _stamps FROM contacts "
            "WHERE id = ?",
            (cid,),
        ).fetchone()
        if mine is None:
            continue  # never had it here: nothing to withdraw
        base, stamps = _stamps_of(ctx, mine, 2)
        ours = stamps.get("consent", base)
        clash = theirs <= ours
        if clash and _seen(ctx.ours, theirs):
            continue  # considered before: our later decision stands
        changes.updated += 1
        if clash:
            ctx.changes.conflicts += 1
        if not ctx.write:
            continue
        stamp = (ctx.store._tick(), ctx.store.replica_id) if clash else theirs
        if clash:
            ctx.conflicts.append(
                (
                    "contacts",
                    cid,
                    "consent",
                    {"consent_at": consent_at, "share_scope": scope},
                    stamp,
                    {"consent_at": mine[0], "share_scope": mine[1]},
                    ours,
                )
            )
        every: dict[str, Stamp] = {g: stamps.get(g, base) for g in SPECS["contacts"].groups}
        every[CL_GROUP] = stamps.get(CL_GROUP, base)
        every["consent"] = stamp
        packed = _packed(ctx, every)
        ctx.store.touch_many("contacts", [cid])
        conn.execute(
            "UPDATE contacts SET consent_at = ?, share_scope = ?, _hlc = ?, _origin = ?, "
            "_stamps = ?, _updated = ? WHERE id = ?",
            (consent_at, scope, *packed.values(), cid),
        )
        kept_home.add(cid)


def _merge_conflicts(ctx: _Context, travelled: list[list[Any]]) -> None:
    """Conflicts another laptop recorded: listed here too, once, unless this laptop has
    it already (or its mirror), keeps the record home, or has seen a later edit of it."""
    if not travelled:
        return
    conn = ctx.store.conn
    known = {
        (tbl, row, grp, int(lh), lo)
        for tbl, row, grp, lh, lo in conn.execute(
            "SELECT tbl, row_id, grp, lost_hlc, lost_origin FROM conflicts"
        )
    }
    known |= {(t, r, g, lost[0], lost[1]) for t, r, g, _kv, _k, _lv, lost in ctx.conflicts}
    ids = {r[0] for r in conn.execute("SELECT id FROM conflicts")}
    for cid, tbl, row_id, grp, kept_v, kh, ko, lost_v, lh, lo in travelled:
        kept: Stamp = (int(kh), str(ko))
        lost: Stamp = (int(lh), str(lo))
        if cid in ids or (tbl, row_id, grp, lost[0], lost[1]) in known:
            continue
        if row_id in ctx.home.get(tbl, ()):
            continue
        current = _group_stamp(ctx, tbl, row_id, grp)
        if current is None or current > max(kept, lost):
            continue  # not here, or edited since: that later edit settled it
        ctx.changes.conflicts += 1
        if ctx.write:
            ctx.travelled.append((cid, tbl, row_id, grp, kept_v, kept, lost_v, lost))
        known.add((tbl, row_id, grp, lost[0], lost[1]))


def _group_stamp(ctx: _Context, table: str, row_id: str, group: str) -> Stamp | None:
    """The stamp this laptop holds for one field group of a record (None: no such record)."""
    row = ctx.store.conn.execute(
        f"SELECT _cl, _hlc, _origin, _stamps FROM {table} WHERE id = ?", (row_id,)
    ).fetchone()
    if row is None:
        return None
    base, extra = _stamps_of(ctx, row, 0)
    return extra.get(group, base)


def _seen(knowledge: dict[str, int], stamp: Stamp) -> bool:
    return knowledge.get(stamp[1], 0) >= stamp[0]


def _packed(ctx: _Context, stamps: dict[str, Stamp]) -> dict[str, Any]:
    return pack_stamps({g: (h, ctx.index_of[r]) for g, (h, r) in stamps.items()})


def _conflict(
    ctx: _Context,
    table: str,
    row_id: str,
    group: str,
    positions: list[int],
    kept: Stamp,
    kept_row: Sequence[Any],
    lost: Stamp,
    lost_row: Sequence[Any],
) -> None:
    ctx.changes.conflicts += 1
    if ctx.write:
        ctx.conflicts.append(
            (
                table,
                row_id,
                group,
                _values(ctx, table, positions, kept_row),
                kept,
                _values(ctx, table, positions, lost_row),
                lost,
            )
        )


def _deletion_conflict(
    ctx: _Context,
    table: str,
    row_id: str,
    cl: int,
    kept: Stamp,
    lost_cl: int,
    edit: Stamp,
    edited: list[str],
    groups: dict[str, list[int]],
    edited_row: Sequence[Any],
) -> None:
    ctx.changes.conflicts += 1
    if ctx.write:
        positions = [p for g in edited for p in groups[g]]
        lost = _values(ctx, table, positions, edited_row)
        lost["_cl"] = lost_cl
        ctx.conflicts.append((table, row_id, CL_GROUP, {"_cl": cl}, kept, lost, edit))


def _values(ctx: _Context, table: str, positions: list[int], row: Sequence[Any]) -> dict[str, Any]:
    columns = SPECS[table].columns
    return {columns[p]: row[p] for p in positions}


def _open_conflicts(ctx: _Context, table: str) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    out: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for cid, row_id, grp, kh, ko, lh, lo in ctx.store.conn.execute(
        "SELECT id, row_id, grp, kept_hlc, kept_origin, lost_hlc, lost_origin FROM conflicts "
        "WHERE resolved_at IS NULL AND tbl = ?",
        (table,),
    ):
        out.setdefault((row_id, grp), []).append((cid, (kh, ko), (lh, lo)))
    return out


def _resolved_elsewhere(
    ctx: _Context,
    table: str,
    row_id: str,
    group: str,
    stamp: Stamp,
    open_conflicts: dict[tuple[str, str], list[tuple[Any, ...]]],
) -> None:
    # A newer value, written by someone who had seen both sides of a conflict
    # recorded here, settles it: the organizer need not review it again.
    for cid, kept, lost in open_conflicts.get((row_id, group), []):
        settled = stamp > max(kept, lost) and _seen(ctx.theirs, kept) and _seen(ctx.theirs, lost)
        if settled and ctx.write:
            ctx.store.conn.execute(
                "UPDATE conflicts SET resolved_at = ? WHERE id = ?", (_now(), cid)
            )


def _record_conflicts(ctx: _Context) -> None:
    now = _now()
    ctx.store.conn.executemany(
        "INSERT INTO conflicts (id, tbl, row_id, grp, kept_value, kept_hlc, kept_origin, "
        "lost_value, lost_hlc, lost_origin, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                cid,
                tbl,
                row_id,
                grp,
                json.dumps(kept_v, ensure_ascii=False),
                kept[0],
                kept[1],
                json.dumps(lost_v, ensure_ascii=False),
                lost[0],
                lost[1],
                now,
            )
            for cid, tbl, row_id, grp, kept_v, kept, lost_v, lost in ctx.travelled
        ],
    )
    ctx.store.conn.executemany(
        "INSERT INTO conflicts (id, tbl, row_id, grp, kept_value, kept_hlc, kept_origin, "
        "lost_value, lost_hlc, lost_origin, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                str(uuid.uuid4()),
                table,
                row_id,
                group,
                json.dumps(kept_value, ensure_ascii=False),
                kept[0],
                kept[1],
                json.dumps(lost_value, ensure_ascii=False),
                lost[0],
                lost[1],
                now,
            )
            for table, row_id, group, kept_value, kept, lost_value, lost in ctx.conflicts
        ],
    )


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
