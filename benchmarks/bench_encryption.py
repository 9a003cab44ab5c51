"""The encrypted database against the plain one, measured in the same run.

The plain 20,000-household demo is copied and encrypted with `mutualaid
encrypt`'s own code; then start-up to a populated window (passphrase key
stretching included), search over realistic queries, and tomorrow's sheets
run on both. Limit: the encrypted figure within 1.5x of the plain one.
Usage: python benchmarks/bench_encryption.py [--db benchmarks/out/demo-20000.sqlite]
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, demo_args, isolate_home, pct, row

isolate_home()

from bench_core import realistic_queries  # noqa: E402
from bench_gui import OURS, child  # noqa: E402
from bench_sheets import KINDS  # noqa: E402

from mutualaid_desktop.sheets.make import make_sheet  # noqa: E402
from mutualaid_desktop.store import Store  # noqa: E402
from mutualaid_desktop.store.connection import DatabaseKey  # noqa: E402
from mutualaid_desktop.store.encryption import encrypt_in_place  # noqa: E402

PASSPHRASE = "plum orbit lantern seventeen"
LIMIT = 1.5


def encrypted_copy(plain: Path) -> Path:
    target = OUT / f"{plain.stem}-encrypted.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(plain, target)
    t0 = time.perf_counter()
    encrypt_in_place(target, DatabaseKey.new(PASSPHRASE))
    seconds = time.perf_counter() - t0
    size = target.stat().st_size / 1e6
    row("mutualaid encrypt (s), checked copy included", f"{seconds:.1f}", f"{size:.0f} MB")
    return target


def open_store(path: Path, encrypted: bool) -> Store:
    return Store.open(path, DatabaseKey.for_file(path, PASSPHRASE) if encrypted else None)


def verdict(ours: float, plain: float) -> str:
    return "ok" if ours <= LIMIT * plain else "OVER"


def compare(label: str, plain: float, encrypted: float, unit: str = "s") -> None:
    row(
        f"{label} ({unit})",
        f"{encrypted:.3f}",
        f"plain {plain:.3f}; x{encrypted / plain:.2f} (<={LIMIT})",
        verdict(encrypted, plain),
    )


def main() -> int:
    args = demo_args(__doc__, lambda p: p.add_argument("--runs", type=int, default=7))
    plain_db = args.db
    print(f"Encrypted against plain, {plain_db.name}\n")
    row("figure", "encrypted", "plain, same run", "")
    row("-" * 44, "-" * 14, "-" * 22)
    Store.open(plain_db).close()  # brings its schema up to date first, so both start equal
    encrypted_db = encrypted_copy(plain_db)

    # Opening the store from the command line: key stretching + the first query.
    opening: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(args.runs):
        for encrypted, path in ((False, plain_db), (True, encrypted_db)):
            t0 = time.perf_counter()
            store = open_store(path, encrypted)
            store.organization_name()
            opening[encrypted].append(time.perf_counter() - t0)
            store.close()
    t0 = time.perf_counter()
    DatabaseKey.for_file(encrypted_db, PASSPHRASE)
    stretching = time.perf_counter() - t0
    row(
        "open the store, passphrase to first query (s)",
        f"{min(opening[True]):.3f}",
        f"plain {min(opening[False]):.3f}; key stretching alone {stretching:.3f}",
    )

    # Start-up to a populated window, in a fresh process each time. Plain and
    # encrypted take turns, so a neighbour's load on this shared machine falls on both.
    child(OURS, str(plain_db), "today")
    child(OURS, str(encrypted_db), "today", PASSPHRASE)
    for page in ("today", "contacts"):
        plain: list[float] = []
        ours: list[float] = []
        for _ in range(args.runs):
            plain.append(child(OURS, str(plain_db), page)[0])
            ours.append(child(OURS, str(encrypted_db), page, PASSPHRASE)[0])
        middle = len(plain) // 2
        plain.sort()
        ours.sort()
        compare(f"start-up to populated window, {page}", plain[middle], ours[middle])

    # Search, the same realistic queries on both.
    stores = {False: open_store(plain_db, False), True: open_store(encrypted_db, True)}
    queries = realistic_queries(stores[False].conn, 200, 1)
    times: dict[bool, list[float]] = {False: [], True: []}
    for store in stores.values():
        for q in queries[:10]:
            store.search(q)  # a running program's page cache
    for q in queries:  # each query on both, one after the other
        for encrypted, store in stores.items():
            t0 = time.perf_counter()
            store.search(q)
            times[encrypted].append((time.perf_counter() - t0) * 1000)
    for percent in (50, 95):
        plain_ms, ours_ms = pct(times[False], percent), pct(times[True], percent)
        compare(f"search p{percent}", plain_ms, ours_ms, "ms")

    # Tomorrow's sheets: route sheets, packing slips, pick list and labels.
    day = date.today() + timedelta(days=1)
    # Wall time swings with the neighbours' load on this shared machine; the
    # process's CPU time does not, so the verdict is on it (both are printed).
    sheets: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for store in stores.values():
        make_sheet(store, "picklist", day)  # fonts and modules loaded once, as in the program
    for _ in range(3):
        for encrypted, store in stores.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for kind in KINDS:
                make_sheet(store, kind, day)
            sheets[encrypted].append(time.perf_counter() - t0)
            cpu[encrypted].append(time.process_time() - c0)
    for store in stores.values():
        store.close()
    row(
        "the day's sheets, all four, wall (s)",
        f"{min(sheets[True]):.3f}",
        f"plain {min(sheets[False]):.3f} (best of 3)",
    )
    compare("the day's sheets, all four, CPU", min(cpu[False]), min(cpu[True]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
