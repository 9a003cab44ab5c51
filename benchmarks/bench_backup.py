"""Backups at 20,000 households: making one (verified), listing, restoring, and checking a
damaged file, each beside a floor measured in the same run.

    python benchmarks/bench_backup.py [--db benchmarks/out/demo-20000.sqlite]

Works on a copy of the database, in a program home of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_args, isolate_home, row

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> int:
    args = demo_args(__doc__.splitlines()[0] if __doc__ else None)
    isolate_home()
    from mutualaid_desktop.store import Store
    from mutualaid_desktop.store.backup import list_backups, make_backup, restore_backup
    from mutualaid_desktop.store.check import damage_report
    from mutualaid_desktop.store.connection import connect

    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    db = work / "demo.sqlite"
    shutil.copy(args.db, db)
    size_mb = db.stat().st_size / 1e6
    with Store.open(db) as store:
        bare = work / "bare.sqlite"

        def bare_copy() -> None:
            dest = connect(bare)  # the program's SQLite build, as the backup uses
            store.conn.backup(dest)
            dest.close()

        _, t_bare = timed(bare_copy)
        _, t_quick = timed(lambda: connect(bare).execute("PRAGMA quick_check").fetchall())
        made, t_backup = timed(lambda: make_backup(store, "manual"))
        for _ in range(4):
            make_backup(store, "manual")
    found, t_list = timed(lambda: list_backups(db))
    _, t_restore = timed(lambda: restore_backup(db, made))
    data = bytearray(db.read_bytes())
    data[4096 * 100 : 4096 * 102] = os.urandom(8192)
    db.write_bytes(bytes(data))
    sentence, t_check = timed(lambda: damage_report(db))

    print(f"database {size_mb:.0f} MB ({args.db.name})")
    row("figure", "measured", "floor, same run")
    row("backup: copy, check, flush, rename (s)", f"{t_backup:.2f}", f"bare copy {t_bare:.2f}")
    row("  of which the check (quick_check, s)", "", f"bare quick_check {t_quick:.2f}")
    row(f"list {len(found)} backups with counts (s)", f"{t_list:.3f}")
    row("restore (current backed up first, s)", f"{t_restore:.2f}", f"2 backups {2 * t_backup:.2f}")
    row("damaged file: the sentence with a backup (s)", f"{t_check:.2f}")
    print(f"  {sentence}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
