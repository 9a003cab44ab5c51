"""Sealing and opening a full-state bundle of the N=20000 demo, against bare floors.

The payload is everything sync shares (sync/shared.py). Floors, measured in the
same run: one age passphrase round trip of a tiny payload (scrypt, the cost any
passphrase bundle pays), and gzip + age of the same bytes without JSON or
signature.
Usage: python benchmarks/bench_sync.py [--db benchmarks/out/demo-20000.sqlite]
"""

from __future__ import annotations

import argparse
import gzip
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, isolate_home, row

isolate_home()

import pyrage  # noqa: E402

from mutualaid_desktop.store import Store  # noqa: E402
from mutualaid_desktop.sync.envelope import open_sealed, seal  # noqa: E402
from mutualaid_desktop.sync.shared import canonical, shared_rows  # noqa: E402

PASS = "benchmark passphrase"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=OUT / "demo-20000.sqlite")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"{args.db} does not exist: run benchmarks/bench_core.py first", file=sys.stderr)
        return 1
    store = Store.open(args.db)

    t0 = time.perf_counter()
    tables: dict[str, list[dict[str, object]]] = {}
    for table, r in shared_rows(store):
        tables.setdefault(table, []).append(r)
    read = time.perf_counter() - t0
    nrows = sum(len(v) for v in tables.values())

    t0 = time.perf_counter()
    data = seal(store, {"kind": "full", "tables": tables}, PASS)
    sealed = time.perf_counter() - t0
    t0 = time.perf_counter()
    opened = open_sealed(data, PASS)
    opening = time.perf_counter() - t0
    # Peak resident memory of the whole run (tracemalloc would slow JSON ×8).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert sum(len(v) for v in opened.body["tables"].values()) == nrows

    t0 = time.perf_counter()
    pyrage.passphrase.decrypt(pyrage.passphrase.encrypt(b"x", PASS), PASS)
    scrypt = time.perf_counter() - t0
    raw = canonical(tables)
    t0 = time.perf_counter()
    pyrage.passphrase.decrypt(pyrage.passphrase.encrypt(gzip.compress(raw, 6, mtime=0), PASS), PASS)
    bare = time.perf_counter() - t0

    print(f"Full-state bundle of {args.db.name}: {nrows} shared rows\n")
    row("figure", "measured", "floor / limit", "")
    row("-" * 44, "-" * 14, "-" * 22)
    row("read shared rows (s)", f"{read:.2f}")
    row("seal + open (s)", f"{sealed + opening:.2f}", f"bare {bare:.2f}; scrypt {scrypt:.2f}")
    row("bundle size (MB)", f"{len(data) / 1e6:.1f}", f"JSON {len(raw) / 1e6:.1f}")
    row("peak resident memory (MB)", f"{peak_mb:.0f}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
