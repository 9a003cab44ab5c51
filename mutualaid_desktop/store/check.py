"""`mutualaid check`: SQLite's own checks plus the program's invariants."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from mutualaid_desktop.errors import DatabaseDamaged
from mutualaid_desktop.store import search, sqlite_errors
from mutualaid_desktop.store.clock import MAX_SANE_HLC, wall_ms_of
from mutualaid_desktop.store.connection import sqlite
from mutualaid_desktop.store.store import Store, is_placeholder, row_stamps
from mutualaid_desktop.store.tables import CL_GROUP, SPECS, SYNC_ORDER

if TYPE_CHECKING:
    from mutualaid_desktop.store.backup import BackupPolicy

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def check_database(store: Store, deep: bool = True) -> list[str]:
    """Every problem found, one sentence each (empty when all is well).

    A file SQLite itself finds damaged raises DatabaseDamaged instead: the
    program's own rules mean nothing on pages that cannot be trusted.
    """
    try:
        lines = [line for (line,) in store.conn.execute("PRAGMA integrity_check(20)")]
    except sqlite.DatabaseError as error:
        raise DatabaseDamaged(sqlite_errors.damaged(store.path)) from error
    # A value that breaks a column's rule (a bug wrote it) is a problem to list; anything
    # else integrity_check finds is a damaged page, index or file.
    broken_rules = [line for line in lines if line.startswith(_RULE_LINES)]
    if any(line != "ok" and line not in broken_rules for line in lines):
        raise DatabaseDamaged(sqlite_errors.damaged(store.path))
    try:
        return [f"SQLite integrity: {line}" for line in broken_rules] + _check_rules(store, deep)
    except sqlite.DatabaseError as error:
        raise sqlite_errors.translate(error, store.path) or error from None


_RULE_LINES = ("CHECK constraint failed", "NULL value in", "NOT NULL constraint")


def damage_report(path: Path, policy: BackupPolicy | None = None) -> str:
    """The one sentence `check` says of a damaged file, with the backup to restore
    (`policy` opens the backups of an encrypted database)."""
    from mutualaid_desktop.store.backup import DEFAULT_POLICY, newest_good

    good = newest_good(path, policy or DEFAULT_POLICY)
    if good is None:
        return (
            f"The database file {path.name} is damaged and there is no backup of it to "
            "restore: keep the file as it is and ask whoever supports your group for help."
        )
    return (
        f"The database file {path.name} is damaged: restore the newest good backup, made "
        f"{good.when()} ({good.counts_text()}), with `mutualaid restore --db {path} "
        f"{good.path}`."
    )


def _check_rules(store: Store, deep: bool) -> list[str]:
    conn = store.conn
    problems: list[str] = []
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} refers to a missing {parent} record")

    known_origins = {r[0] for r in conn.execute("SELECT idx FROM replicas")}
    hlc = store.persisted_hlc()
    problems.extend(_clock_problems(hlc))
    for name in SYNC_ORDER:
        spec = SPECS[name]
        bad_cl = conn.execute(f"SELECT count(*) FROM {name} WHERE _cl < 1").fetchone()[0]
        if bad_cl:
            problems.append(f"{name}: {bad_cl} rows with an invalid causal length")
        newest = conn.execute(f"SELECT max(_updated) FROM {name}").fetchone()[0]
        if newest is not None and newest > hlc:
            problems.append(f"{name}: a stamp is newer than the database clock")
        for row in store.iter_rows(f"SELECT * FROM {name}"):
            stamps = {"": (row["_hlc"], row["_origin"])}
            if row["_stamps"]:
                try:
                    extra = json.loads(row["_stamps"])
                    stamps.update({g: tuple(s) for g, s in extra.items()})
                    unknown = set(extra) - set(spec.groups) - {CL_GROUP}
                    if unknown:
                        problems.append(
                            f"{name} {row['id']}: stamps for unknown fields {sorted(unknown)}"
                        )
                except (ValueError, TypeError):
                    problems.append(f"{name} {row['id']}: unreadable field stamps")
                    continue
            for _hlc, origin in stamps.values():
                if origin not in known_origins:
                    problems.append(f"{name} {row['id']}: stamp from an unknown replica")
                    break
            if max(s[0] for s in stamps.values()) != row["_updated"]:
                problems.append(f"{name} {row['id']}: _updated does not match its stamps")
            if deep and not (row["_cl"] % 2 == 0 and is_placeholder(row_stamps(spec, row))):
                try:
                    spec.from_row(row)
                except (ValidationError, ValueError) as error:
                    first = str(error).splitlines()[:3]
                    problems.append(f"{name} {row['id']}: invalid record ({' '.join(first)})")

    for rid, phones in conn.execute("SELECT id, phones FROM contacts WHERE _cl % 2 = 1"):
        for phone in json.loads(phones):
            if not _E164.match(phone.get("e164", "")):
                problems.append(f"contact {rid}: phone not in E.164 form")

    dup = conn.execute(
        """SELECT run_id, seq, count(*) FROM stops WHERE _cl % 2 = 1
           GROUP BY run_id, seq HAVING count(*) > 1 LIMIT 20"""
    ).fetchall()
    for run_id, seq, n in dup:
        problems.append(f"delivery run {run_id}: {n} stops share stop number {seq}")
    orphan_stops = conn.execute(
        """SELECT count(*) FROM stops s JOIN delivery_runs r ON r.id = s.run_id
           WHERE s._cl % 2 = 1 AND r._cl % 2 = 0"""
    ).fetchone()[0]
    if orphan_stops:
        problems.append(f"{orphan_stops} live stops belong to deleted delivery runs")
    bad_return = conn.execute(
        """SELECT count(*) FROM rides r JOIN rides o ON o.id = r.outbound_ride_id
           WHERE r.outbound_ride_id = r.id OR o.outbound_ride_id IS NOT NULL"""
    ).fetchone()[0]
    if bad_return:
        problems.append(f"{bad_return} return trips point at another return trip")

    stale = search.stale_tables(conn)
    if stale:
        problems.append(
            "The search index is still being rebuilt after an import (or the rebuild was "
            "interrupted): `mutualaid check --repair` finishes it."
        )
    for table in ("contacts", "needs"):
        if table in stale:
            continue
        live = conn.execute(f"SELECT count(*) FROM {table} WHERE _cl % 2 = 1").fetchone()[0]
        indexed = conn.execute(f"SELECT count(*) FROM {table}_fts").fetchone()[0]
        if live != indexed:
            problems.append(
                f"search index of {table} holds {indexed} entries for {live} records "
                "(run `mutualaid check --repair`)"
            )
        stray = conn.execute(
            f"""SELECT count(*) FROM {table}_fts f LEFT JOIN {table} t ON t.rowid = f.rowid
                WHERE t.rowid IS NULL OR t._cl % 2 = 0"""
        ).fetchone()[0]
        if stray:
            problems.append(f"search index of {table} has {stray} entries for missing records")

    meta = store.meta()
    for key in ("replica_id", "group_id", "schema_version", "hlc"):
        if key not in meta:
            problems.append(f"database settings lack {key}")
    return problems


def _clock_problems(hlc: int) -> list[str]:
    """The sync clock must be able to move on: not at the end of its range, nor years
    ahead of this laptop's time (a bundle from a laptop with a wrong date)."""
    if hlc > MAX_SANE_HLC:
        return [
            "The sync clock is at the end of its range, so new changes cannot be stamped: "
            "restore a backup from before the import that moved it."
        ]
    ahead_days = (wall_ms_of(hlc) - time.time_ns() // 1_000_000) // 86_400_000
    if ahead_days > 366:
        year = datetime.fromtimestamp(wall_ms_of(hlc) / 1000, UTC).year
        return [
            f"The sync clock is {ahead_days:,} days ahead of this laptop's (in {year}): an "
            "imported bundle from a laptop with a wrong date moved it. Changes still merge, "
            "but check the date on every laptop of the group."
        ]
    return []


def repair_search_index(store: Store) -> None:
    """Rebuild the search index from the records (safe at any time)."""
    with store.transaction():
        search.reindex(store.conn, "contacts")
        search.reindex(store.conn, "needs")
        store.conn.execute("DELETE FROM meta WHERE key = ?", (search.STALE_KEY,))
