"""Matching a week of rides in the N=20000 demo, in-process, against a bare floor.

The floor is the same loop over every unassigned ride and every driver doing
only the distance from the driver's home to the pickup (no availability, no
bookings): what any matcher must at least compute.
Usage: python benchmarks/bench_rides.py [--db benchmarks/out/demo-20000.sqlite]
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_args, isolate_home, row

isolate_home()

from mutualaid_desktop.rides.matching import load_day, match_day  # noqa: E402
from mutualaid_desktop.routing.geo import distance_km  # noqa: E402
from mutualaid_desktop.store import Store  # noqa: E402


def main() -> int:
    args = demo_args(__doc__)
    store = Store.open(args.db)
    days = [date.today() + timedelta(days=k) for k in range(7)]
    t0 = time.perf_counter()
    proposals = [p for day in days for p in match_day(store, day)]
    ours = time.perf_counter() - t0
    placed = sum(1 for p in proposals if p.driver_id)

    t0 = time.perf_counter()
    for day in days:
        rides, drivers, _ = load_day(store, day)
        for ride in rides:
            if ride.driver_id is None and ride.pickup:
                min((distance_km(d.home, ride.pickup) for d in drivers if d.home), default=0)
    floor = time.perf_counter() - t0

    print(f"Ride matching for the 7 days from {days[0].isoformat()} in {args.db.name}\n")
    row("figure", "measured", "floor / limit", "")
    row("-" * 44, "-" * 14, "-" * 22)
    row(
        "match a week of rides (s)",
        f"{ours:.2f}",
        f"bare {floor:.2f}; limit 1 s",
        "ok" if ours < 1 else "OVER",
    )
    row("rides without a driver / placed", f"{len(proposals)} / {placed}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
