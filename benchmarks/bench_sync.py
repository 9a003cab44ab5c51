"""Bundle sync on the N=20000 demo: full export, import, re-import, deltas, and the naive way.

Issues 6 and 11's figures, one run each, passphrase key stretching included
(paid once per operation, as a real export or import pays it):
  - full bundle export (limit 5 s);
  - import into an empty database as the window does it (open, check every row,
    preview, back up, merge), until the records are usable (limit 10 s); the
    search index is then rebuilt in the background (figure beside it);
  - re-import of the same bundle (1 s, no change);
  - a delta of 100 edits each way (100 KB; within 0.5 s of its floor: key
    stretching, plus the backup for an import);
  - beside them, the naive alternative: copy the database file and encrypt it
    with age (cannot merge);
  - Edit › Undo of the full import (issue 12): the import recorded as one
    undoable change beside the same import unrecorded (the floor), each in a
    process of its own for its peak memory; what the change holds; the undo
    and redo of all of it.
Beside each, its CPU time and the machine's load: on a shared machine the wall time
is the CPU time stretched by whatever else runs. Floors measured in the same run:
the key stretching of a tiny payload, which every bundle pays once to write and
once to read (for the deltas, just before and just after each one, averaged), a
backup of the database, and the same rows inserted bare.
Usage: python benchmarks/bench_sync.py [--db benchmarks/out/demo-20000.sqlite]
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    best_of,
    deep_mb,
    demo_args,
    in_child,
    isolate_home,
    peak_mb,
    row,
    time_in,
)

isolate_home()

from mutualaid_desktop.domain import Contact  # noqa: E402
from mutualaid_desktop.store import Store, search  # noqa: E402
from mutualaid_desktop.store.changes import Recorder  # noqa: E402
from mutualaid_desktop.sync import age, importer  # noqa: E402
from mutualaid_desktop.sync.bundle import export_bundle  # noqa: E402
from mutualaid_desktop.sync.identity import identity  # noqa: E402
from mutualaid_desktop.sync.merge import _drop_indexes  # noqa: E402
from mutualaid_desktop.sync.shared import sync_state  # noqa: E402
from mutualaid_desktop.sync.undoable import import_undoably  # noqa: E402

T = TypeVar("T")
PASS = "quarry wobbly anthem stucco maverick"


def timed(action: Callable[[], T]) -> tuple[T, float]:
    t0 = time.perf_counter()
    result = action()
    return result, time.perf_counter() - t0


def import_file(
    store: Store, path: Path, trust: str | None = None, index_later: bool = False
) -> importer.ImportResult:
    """What the window does: open, check (every row), preview, then import."""
    incoming = importer.read_bundle(store, path, PASS)
    decisions = importer.Decisions(trust=trust)
    importer.check(store, incoming, decisions)
    importer.preview(store, incoming)
    return importer.import_bundle(store, incoming, decisions, index_later=index_later)


def work_factor(path: Path) -> str:
    """The scrypt work factor (log2 N) of the bundle at `path`."""
    return str(age.work_factor(path.read_bytes()[:4096]))


def bare_insert(path: Path, body: dict[str, object]) -> float:
    """Seconds to insert the bundle's rows into empty tables with one executemany each,
    indexes built after: no checks, no merge, no stamps translated, no search index
    (a floor for import)."""
    store = Store.create(path, organizer="Bare")
    tables = body["tables"]
    assert isinstance(tables, dict)
    started = time.perf_counter()
    with store.transaction():
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
        for table, data in tables.items():
            columns = [*data["columns"], "_cl", "_hlc", "_origin", "_stamps", "_updated"]
            n = len(data["columns"])
            rows = [[*r[:n], r[n], r[n + 1], store.origin, None, r[n + 1]] for r in data["rows"]]
            store.conn.execute(f"DELETE FROM {table}")  # the new database's default settings
            again = _drop_indexes(store.conn, table)
            store.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                rows,
            )
            for sql in again:
                store.conn.execute(sql)
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def stretching(encrypt: bool) -> float:
    """Seconds of key stretching alone: a tiny payload encrypted, or decrypted."""
    if encrypt:
        return timed(lambda: age.encrypt(b"x", PASS))[1]
    tiny = age.encrypt(b"x", PASS)
    return timed(lambda: b"".join(age.opened(tiny, PASS).chunks()))[1]


def verdict(seconds: float, limit: float) -> str:
    return "met" if seconds < limit else "MISSED"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def live(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM contacts WHERE _cl % 2 = 1").fetchone()[0])


def undo_child(full: Path, trust: str, db: Path, record: bool) -> dict[str, float]:
    """The full bundle into an empty database, in a process of its own: recorded for
    Edit › Undo as the window does it, then undone and redone; or (`record` False, the
    floor) imported alone."""
    sam = Store.create(db, organizer="Sam")
    incoming = importer.read_bundle(sam, full, PASS)
    decisions = importer.Decisions(trust=trust)
    out: dict[str, float] = {}
    if record:
        spent: dict[str, float] = {}
        with time_in(Store, "touch_many", spent), time_in(Recorder, "finish", spent):
            (_result, change), out["import"] = timed(
                lambda: import_undoably(sam, incoming, decisions, "Import", index_later=True)
            )
        out["recording"] = sum(spent.values())
    else:
        _result, out["import"] = timed(
            lambda: importer.import_bundle(sam, incoming, decisions, index_later=True)
        )
    out["peak"] = peak_mb()
    out["live"] = live(sam)
    search.rebuild_stale(sam.conn)  # as the window does in the background
    if record:
        out["held"] = deep_mb(change)
        out["records"] = change.size
        reports: list[float] = []

        def report(message: str, fraction: float) -> bool:
            reports.append(fraction)
            return True

        undone, out["undo"] = timed(lambda: change.undo(sam, report))
        out["reports"] = len(reports)
        out["kept"] = len(undone.kept)
        out["live_undone"] = live(sam)
        _, out["index"] = timed(lambda: search.rebuild_stale(sam.conn))
        _, out["redo"] = timed(lambda: undone.inverse.undo(sam))
        out["live_redone"] = live(sam)
        out["peak_end"] = peak_mb()
    sam.close()
    return out


def main() -> int:
    args = demo_args(__doc__)
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    rosa_db, sam_db = work / "rosa.sqlite", work / "sam.sqlite"
    shutil.copy(args.db, rosa_db)  # exporting writes a sequence number: leave the original be
    rosa = Store.open(rosa_db)
    sam = Store.create(sam_db, organizer="Sam")

    tiny, scrypt_enc = timed(lambda: age.encrypt(b"x", PASS))
    _, scrypt_dec = timed(lambda: b"".join(age.opened(tiny, PASS).chunks()))

    full = work / "rosa-full.bundle"
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def mark(message: str, fraction: float) -> bool:
        marks.setdefault(message.split()[0], time.perf_counter() - t0)
        return True

    load_start = os.getloadavg()[0]
    cpu0 = time.process_time()
    exported, t_export = timed(lambda: export_bundle(rosa, full, PASS, progress=mark))
    cpu_export = time.process_time() - cpu0
    reading = marks["Encrypting"]
    sealing = marks["Writing"] - marks["Encrypting"]
    trust = importer.Decisions(trust=identity(rosa).fingerprint)
    cpu0 = time.process_time()
    incoming, t_open = timed(lambda: importer.read_bundle(sam, full, PASS))
    _, t_check = timed(lambda: importer.check(sam, incoming, trust))
    _, t_preview = timed(lambda: importer.preview(sam, incoming))
    imported, t_merge = timed(
        lambda: importer.import_bundle(sam, incoming, trust, index_later=True)
    )
    t_import = t_open + t_check + t_preview + t_merge
    cpu_import = time.process_time() - cpu0
    _, t_index = timed(lambda: search.rebuild_stale(sam.conn))
    t_bare = bare_insert(work / "bare.sqlite", incoming.body)
    same = sync_state(rosa) == sync_state(sam)

    sam.close()
    before = file_hash(sam_db)
    sam = Store.open(sam_db)

    def again() -> str:
        try:
            import_file(sam, full)
        except importer.AlreadyImported as exc:
            return exc.message
        return "imported again"

    said, t_again = timed(again)
    sam.close()
    unchanged = file_hash(sam_db) == before
    sam = Store.open(sam_db)

    # 100 edits on Sam's laptop, sent back to Rosa as a delta.
    for contact in sam.select(Contact, "share_scope = 'group'", limit=100, order_by="id"):
        sam.update(Contact, contact.id, notes=f"{contact.notes} (called back)".strip())
    delta = work / "sam-delta.bundle"
    # Each delta's floor is measured just before and just after it, and averaged: on a
    # shared machine the key stretching alone can take twice as long a minute later.
    enc_before = stretching(encrypt=True)
    delta_out, t_delta_out = timed(lambda: export_bundle(sam, delta, PASS, for_peer=rosa.organizer))
    out_floor = (enc_before + stretching(encrypt=True)) / 2
    in_before = stretching(encrypt=False) + timed(lambda: importer.backup_database(rosa))[1]
    delta_in, t_delta_in = timed(lambda: import_file(rosa, delta, identity(sam).fingerprint))
    _, t_backup = timed(lambda: importer.backup_database(rosa))
    in_floor = (in_before + stretching(encrypt=False) + t_backup) / 2
    backup = delta_in.backup
    backup_mb = backup.stat().st_size / 1e6 if backup else 0.0
    same_after = sync_state(rosa) == sync_state(sam)

    # The naive alternative: the whole database file, encrypted.
    def naive() -> bytes:
        rosa.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = age.encrypt(rosa_db.read_bytes(), PASS)
        (work / "rosa.sqlite.age").write_bytes(data)
        return data

    naive_data, t_naive = timed(naive)
    peak = peak_mb()
    fingerprint = identity(rosa).fingerprint
    # Taking turns, twice each: the machine's load changes from one minute to the next.
    floors: list[dict[str, float]] = []
    undos: list[dict[str, float]] = []
    for turn in range(2):
        floors.append(in_child(undo_child, full, fingerprint, work / f"floor{turn}.sqlite", False))
        undos.append(in_child(undo_child, full, fingerprint, work / f"undo{turn}.sqlite", True))
    floor, undo = best_of(floors), best_of(undos)
    load_end = os.getloadavg()[0]

    print(f"Bundle sync of {args.db.name}: {exported.rows} shared rows\n")
    row("figure", "measured", "limit / floor", "")
    row("-" * 44, "-" * 14, "-" * 30)
    row("key stretching alone: encrypt, decrypt (s)", f"{scrypt_enc:.2f}, {scrypt_dec:.2f}")
    row(f"machine load, start / end ({os.cpu_count()} cores)", f"{load_start:.1f} / {load_end:.1f}")
    row("full export, write and read back (s)", f"{t_export:.2f}", "5", verdict(t_export, 5))
    row("  CPU time of it, all threads (s)", f"{cpu_export:.2f}")
    row(
        "  reading rows / JSON, gzip and age / write (s)",
        f"{reading:.2f} / {sealing:.2f} / {t_export - reading - sealing:.2f}",
    )
    row(
        "  key stretching: work factor of each bundle",
        f"2^{work_factor(full)}, 2^{work_factor(delta)}",
    )
    row("  bundle size (MB)", f"{exported.bytes / 1e6:.1f}")
    row("import into an empty database, usable (s)", f"{t_import:.2f}", "10", verdict(t_import, 10))
    row("  CPU time of it (s)", f"{cpu_import:.2f}")
    row(
        "  open+check rows / preview / back up+merge (s)",
        f"{t_open + t_check:.2f} / {t_preview:.2f} / {t_merge:.2f}",
    )
    row("  then the search index, in the background (s)", f"{t_index:.2f}")
    row(
        "  floor: key stretching + the same rows inserted bare (s)",
        f"{scrypt_dec + t_bare:.2f}",
        f"{scrypt_dec:.2f} + {t_bare:.2f}",
    )
    row("  changes", f"{imported.changes.total()}", f"same sync state: {same}")
    row("re-import of the same bundle (s)", f"{t_again:.3f}", f"1; file unchanged: {unchanged}")
    row("  says", said)
    row(
        "delta of 100 edits: size (KB)",
        f"{delta_out.bytes / 1e3:.1f}",
        f"100; {delta_out.rows} rows",
    )
    row(
        "delta export (s)",
        f"{t_delta_out:.2f}",
        f"floor {out_floor:.2f} + 0.5",
        verdict(t_delta_out, out_floor + 0.5),
    )
    row(
        "delta import (s)",
        f"{t_delta_in:.2f}",
        f"floor {in_floor:.2f} + 0.5",
        verdict(t_delta_in, in_floor + 0.5),
    )
    row(f"  backup of the {backup_mb:.0f} MB database (s)", f"{t_backup:.2f}")
    row("  changes", f"{delta_in.changes.total()}", f"same sync state: {same_after}")
    row("naive: copy + age the database (s)", f"{t_naive:.2f}", "cannot merge")
    row("  naive size (MB)", f"{len(naive_data) / 1e6:.1f}")
    row("peak resident memory (MB)", f"{peak:.0f}")
    row("Edit › Undo of the full import (issue 12)", "")
    row(
        "  import recorded as one change (s)",
        f"{undo['import']:.2f}",
        f"unrecorded {floor['import']:.2f}",
        f"+{(undo['import'] / floor['import'] - 1) * 100:.0f}%",
    )
    row(
        "  of it, the recording itself (s)",
        f"{undo['recording']:.2f}",
        f"{undo['recording'] / floor['import'] * 100:.0f}% of the unrecorded",
    )
    row(
        "  peak memory of its process (MB)",
        f"{undo['peak']:.0f}",
        f"unrecorded {floor['peak']:.0f}",
        f"+{undo['peak'] - floor['peak']:.0f} MB",
    )
    row(
        "  the change: records, memory held (MB)",
        f"{undo['records']:,.0f}",
        f"{undo['held']:.1f} MB",
    )
    row(
        "  undo of it all (s)",
        f"{undo['undo']:.2f}",
        f"{undo['reports']:.0f} reports; kept {undo['kept']:.0f}",
    )
    row(
        "  live households: imported / undone / redone",
        f"{undo['live']:.0f} / {undo['live_undone']:.0f} / {undo['live_redone']:.0f}",
    )
    row("  then the search index, in the background (s)", f"{undo['index']:.2f}")
    row("  redo of it all (s)", f"{undo['redo']:.2f}", f"peak at the end {undo['peak_end']:.0f} MB")
    row("  (best of two runs each, taking turns)", "")
    rosa.close()
    sam.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
