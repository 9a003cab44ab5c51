"""Route planning against OR-Tools' guided local search, on the same instances.

Instances: tomorrow's stops in the N=20000 demo (about 200, real addresses around
Houston), and their first 50 and 100; boxes per stop as planned; 2, 4 and 8
drivers sharing the boxes with a tenth to spare. The floor is OR-Tools'
routing solver with guided local search given 10 s per instance; ours gets 0.8 s.
Usage: python benchmarks/bench_routing.py [--db benchmarks/out/demo-20000.sqlite]
(needs `pip install ortools`, the `bench` extra).
"""

from __future__ import annotations

import math
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_args, isolate_home, row

isolate_home()

from mutualaid_desktop.demo import pools  # noqa: E402
from mutualaid_desktop.routing import Point, StopIn, distance_km, plan_routes  # noqa: E402
from mutualaid_desktop.store.connection import connect  # noqa: E402

DRIVERS = {50: 2, 100: 4, 200: 8}  # tomorrow's day has 8 drivers; parts of it fewer


def tomorrow_stops(db: Path) -> list[StopIn]:
    conn = connect(db)  # a plain demo file; the program's one way to open one
    day = (date.today() + timedelta(days=1)).isoformat()
    rows = conn.execute(
        """SELECT s.id, c.address_lat, c.address_lon, s.boxes FROM stops s
           JOIN delivery_runs r ON r.id = s.run_id JOIN contacts c ON c.id = s.contact_id
           WHERE r.date = ? AND s._cl % 2 = 1 ORDER BY r.name, s.seq""",
        (day,),
    ).fetchall()
    return [StopIn(sid, Point(lat, lon), boxes) for sid, lat, lon, boxes in rows]


def capacity_for(stops: list[StopIn], vehicles: int) -> int:
    """Boxes per driver: the day's boxes shared out, with a tenth to spare."""
    return math.ceil(sum(s.demand for s in stops) / vehicles * 1.1)


def ortools_km(
    depot: Point, stops: list[StopIn], vehicles: int, capacity: int, seconds: float
) -> float:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    points = [depot, *[s.point for s in stops if s.point]]
    n = len(points)
    dummy = n  # open routes: every driver "ends" at a free node
    metres = [[int(distance_km(a, b) * 1000) for b in points] + [0] for a in points]
    metres.append([0] * (n + 1))
    manager = pywrapcp.RoutingIndexManager(n + 1, vehicles, [0] * vehicles, [dummy] * vehicles)
    routing = pywrapcp.RoutingModel(manager)

    def cost(i: int, j: int) -> int:
        return int(metres[manager.IndexToNode(i)][manager.IndexToNode(j)])

    transit = routing.RegisterTransitCallback(cost)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    demand = [0, *[s.demand for s in stops], 0]

    def load(i: int) -> int:
        return int(demand[manager.IndexToNode(i)])

    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(load), 0, [capacity] * vehicles, True, "boxes"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        raise RuntimeError("OR-Tools found no solution")
    return float(solution.ObjectiveValue()) / 1000


def main() -> int:
    args = demo_args(
        __doc__, lambda p: p.add_argument("--ortools-seconds", type=float, default=10.0)
    )
    stops = tomorrow_stops(args.db)
    depot = Point(pools.DEPOT["lat"], pools.DEPOT["lon"])
    print(f"Route planning on tomorrow's {len(stops)} stops of {args.db.name}\n")
    row("instance", "ours", "OR-Tools GLS", "")
    row("-" * 44, "-" * 14, "-" * 22)
    for size in (50, 100, 200):
        part = stops[:size]
        vehicles = DRIVERS[size]
        capacity = capacity_for(part, vehicles)
        t0 = time.perf_counter()
        plan = plan_routes(depot, part, [capacity] * vehicles, seconds=0.8)
        ours_s = time.perf_counter() - t0
        assert all(r.load <= capacity for r in plan.routes), "capacity respected"
        assert sorted(k for r in plan.routes for k in r.keys) == sorted(s.key for s in part)
        floor = ortools_km(depot, part, vehicles, capacity, args.ortools_seconds)
        gap = (plan.km - floor) / floor * 100
        ok = gap <= 5 and ours_s < 1
        row(
            f"{size} stops, {vehicles} drivers: km (s)",
            f"{plan.km:.1f} ({ours_s:.2f})",
            f"{floor:.1f} ({args.ortools_seconds:.0f})",
            f"{gap:+.1f}% {'ok' if ok else 'OVER'}",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
