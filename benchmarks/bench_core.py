"""Core figures at scale: demo build, check, search latency against bare FTS5, file size.

Usage: python benchmarks/bench_core.py [--households 20000] [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, isolate_home, pct, row

isolate_home()

from mutualaid_desktop.demo import build_demo  # noqa: E402
from mutualaid_desktop.store import Store  # noqa: E402
from mutualaid_desktop.store.check import check_database  # noqa: E402
from mutualaid_desktop.store.connection import connect, sqlite  # noqa: E402
from mutualaid_desktop.store.search import fold, match_expression, parse_query  # noqa: E402


def realistic_queries(conn: sqlite.Connection, count: int, seed: int) -> list[str]:
    """What organizers type: name starts (often without accents), phone pieces, streets."""
    rng = random.Random(seed)
    rows = conn.execute(
        "SELECT name, json_extract(phones, '$[0].e164'), address_street FROM contacts "
        "WHERE _cl % 2 = 1 ORDER BY random() LIMIT 2000"
    ).fetchall()
    queries: list[str] = []
    while len(queries) < count:
        name, e164, street = rng.choice(rows)
        kind = rng.randrange(6)
        words = name.split()
        if kind == 0:  # first letters of a name, no accents
            word = fold(rng.choice(words)).lower()
            queries.append(word[: rng.randint(3, max(3, len(word)))])
        elif kind == 1:  # full name as written
            queries.append(name)
        elif kind == 2 and e164:  # last four digits
            queries.append(e164[-4:])
        elif kind == 3 and e164:  # area code and exchange, with punctuation
            queries.append(f"({e164[2:5]}) {e164[5:8]}-{e164[8:9]}")
        elif kind == 4:  # a street name
            parts = street.split()
            queries.append(parts[1].lower() if len(parts) > 1 else street)
        else:  # two name starts, as in "jose gar"
            if len(words) >= 2:
                queries.append(" ".join(fold(w).lower()[:4] for w in words[:2]))
            else:
                queries.append(words[0][:2])
    return queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    path = OUT / f"demo-{args.households}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)

    print(f"Mutual Aid Desktop core benchmark, N = {args.households} households\n")
    row("figure", "measured", "floor / limit", "")
    row("-" * 44, "-" * 14, "-" * 22)

    started = time.perf_counter()
    store = Store.create(path, organizer="Benchmark", org_name="Benchmark group")
    summary = build_demo(store, args.households, args.seed)
    store.close()
    build_s = time.perf_counter() - started
    row("demo build (s)", f"{build_s:.1f}", "limit 60 s", "ok" if build_s < 60 else "OVER")
    print(
        f"  {summary.contacts} contacts, {summary.needs} needs, {summary.runs} runs, "
        f"{summary.stops} stops, {summary.rides} rides"
    )

    # Floor for the build: the same number of rows inserted bare with executemany.
    floor_db = connect(None)  # the program's own SQLite build (SQLCipher's), bare
    floor_db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER)")
    total = summary.contacts + summary.needs + summary.stops + summary.rides
    t0 = time.perf_counter()
    floor_db.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?)",
        ((f"{i:036d}", "name", "street", i) for i in range(total)),
    )
    floor_db.commit()
    row("  floor: bare insert of as many rows (s)", f"{time.perf_counter() - t0:.2f}")

    store = Store.open(path)
    t0 = time.perf_counter()
    problems = check_database(store)
    check_s = time.perf_counter() - t0
    row(
        "mutualaid check (s)",
        f"{check_s:.1f}",
        "",
        "ok" if not problems else f"{len(problems)} problems",
    )

    queries = realistic_queries(store.conn, args.queries, args.seed)
    for q in queries[:10]:  # warm the page cache as a running program would have it
        store.search(q)
    ours: list[float] = []
    hits = 0
    for q in queries:
        t0 = time.perf_counter()
        result = store.search(q)
        ours.append((time.perf_counter() - t0) * 1000)
        hits += bool(result)

    bare = connect(path)
    floor: list[float] = []
    for q in queries:
        expr = match_expression(q)
        t0 = time.perf_counter()
        if expr:
            bare.execute(
                "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rank LIMIT 50",
                (expr,),
            ).fetchall()
            words = " AND ".join(f'"{w}"*' for w in parse_query(q).words)
            if words:
                bare.execute(
                    "SELECT rowid FROM needs_fts WHERE needs_fts MATCH ? ORDER BY rank LIMIT 50",
                    (words,),
                ).fetchall()
        floor.append((time.perf_counter() - t0) * 1000)

    p50, p95 = pct(ours, 50), pct(ours, 95)
    row("search p50 (ms)", f"{p50:.2f}", f"bare FTS5 {pct(floor, 50):.2f}")
    row(
        "search p95 (ms)",
        f"{p95:.2f}",
        f"bare FTS5 {pct(floor, 95):.2f}; limit 20",
        "ok" if p95 < 20 else "OVER",
    )
    row("queries with at least one hit", f"{hits}/{len(queries)}")
    slowest = sorted(zip(ours, queries, strict=True), reverse=True)[:3]
    print("  slowest: " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, q in slowest))
    store.close()
    bare.close()

    size = path.stat().st_size / 1e6
    row("file size (MB)", f"{size:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
