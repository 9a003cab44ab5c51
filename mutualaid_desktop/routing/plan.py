"""Split a day's stops across drivers by capacity and order each route.

Routes are open paths from the depot (drivers go home after their last stop).
The plan starts from sweeps around the depot (several starting angles), orders
each route by nearest neighbour, then improves everything with local search:
2-opt and or-opt inside a route, and relocate, swap and tail exchange (2-opt*)
between routes, never breaking a driver's capacity. It stops at a time budget.
Stops without a location keep their place and are flagged.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from mutualaid_desktop.routing.geo import Point, distance_km

EPS = 1e-9


@dataclass(frozen=True)
class StopIn:
    """A stop to place: its key, location (None when unknown) and boxes."""

    key: str
    point: Point | None
    demand: int = 1


@dataclass
class Route:
    keys: list[str] = field(default_factory=list)
    load: int = 0
    km: float = 0.0
    unlocated: list[str] = field(default_factory=list)  # kept where the organizer put them
    over_capacity: bool = False


@dataclass
class Plan:
    routes: list[Route]

    @property
    def km(self) -> float:
        return sum(r.km for r in self.routes)


class _Solver:
    def __init__(
        self,
        depot: Point,
        points: Sequence[Point],
        demand: Sequence[int],
        capacities: Sequence[int],
    ) -> None:
        nodes = [depot, *points]
        n = len(nodes)
        self.d = [[distance_km(nodes[i], nodes[j]) for j in range(n)] for i in range(n)]
        self.dem = [0, *demand]
        self.cap = list(capacities)
        self.n = n - 1
        self.angle = [0.0] + [
            math.atan2(p.lat - depot.lat, (p.lon - depot.lon) * math.cos(math.radians(depot.lat)))
            for p in points
        ]

    # -- costs ----------------------------------------------------------------------

    def route_km(self, r: list[int]) -> float:
        if not r:
            return 0.0
        d = self.d
        total = d[0][r[0]]
        for a, b in itertools.pairwise(r):
            total += d[a][b]
        return total

    def total(self, routes: list[list[int]]) -> float:
        return sum(self.route_km(r) for r in routes)

    # -- construction ---------------------------------------------------------------

    def sweep(self, offset: int) -> list[list[int]]:
        order = sorted(range(1, self.n + 1), key=lambda i: self.angle[i])
        order = order[offset:] + order[:offset]
        routes: list[list[int]] = [[] for _ in self.cap]
        loads = [0] * len(self.cap)
        v = 0
        for node in order:
            while v < len(self.cap) - 1 and loads[v] + self.dem[node] > self.cap[v]:
                v += 1
            if loads[v] + self.dem[node] > self.cap[v]:
                # Every driver is full: the least loaded takes it (flagged over capacity).
                v_over = min(range(len(self.cap)), key=lambda k: loads[k] - self.cap[k])
                routes[v_over].append(node)
                loads[v_over] += self.dem[node]
                continue
            routes[v].append(node)
            loads[v] += self.dem[node]
        return [self.nearest_neighbour(r) for r in routes]

    def nearest_neighbour(self, nodes: list[int]) -> list[int]:
        rest = set(nodes)
        here = 0
        out = []
        d = self.d
        while rest:
            nxt = min(rest, key=lambda j: d[here][j])
            rest.remove(nxt)
            out.append(nxt)
            here = nxt
        return out

    # -- intra-route --------------------------------------------------------------

    def two_opt(self, r: list[int]) -> bool:
        """Reverse segments while that shortens the open path; True if anything changed."""
        d = self.d
        improved_any = False
        improved = True
        while improved:
            improved = False
            m = len(r)
            for i in range(m - 1):
                a = r[i - 1] if i > 0 else 0
                b = r[i]
                for j in range(i + 1, m):
                    c = r[j]
                    e = r[j + 1] if j + 1 < m else -1
                    old = d[a][b] + (d[c][e] if e >= 0 else 0.0)
                    new = d[a][c] + (d[b][e] if e >= 0 else 0.0)
                    if new < old - EPS:
                        r[i : j + 1] = reversed(r[i : j + 1])
                        improved = improved_any = True
                        b = r[i]
        return improved_any

    def or_opt(self, r: list[int]) -> bool:
        """Move runs of 1 to 3 stops elsewhere in the same route."""
        d = self.d
        improved_any = False
        improved = True
        while improved:
            improved = False
            for length in (1, 2, 3):
                m = len(r)
                for i in range(m - length + 1):
                    seg = r[i : i + length]
                    prev = r[i - 1] if i > 0 else 0
                    nxt = r[i + length] if i + length < m else -1
                    gain = d[prev][seg[0]] + (d[seg[-1]][nxt] if nxt >= 0 else 0.0)
                    gain -= d[prev][nxt] if nxt >= 0 else 0.0
                    rest = r[:i] + r[i + length :]
                    best = (EPS, -1, False)
                    for k in range(len(rest) + 1):
                        p = rest[k - 1] if k > 0 else 0
                        q = rest[k] if k < len(rest) else -1
                        base = d[p][q] if q >= 0 else 0.0
                        for rev in (False, True):
                            first, last = (seg[-1], seg[0]) if rev else (seg[0], seg[-1])
                            cost = d[p][first] + (d[last][q] if q >= 0 else 0.0) - base
                            if gain - cost > best[0]:
                                best = (gain - cost, k, rev)
                    if best[1] >= 0:
                        k, rev = best[1], best[2]
                        piece = list(reversed(seg)) if rev else seg
                        r[:] = rest[:k] + piece + rest[k:]
                        improved = improved_any = True
                        break
                if improved:
                    break
        return improved_any

    def polish(self, r: list[int]) -> None:
        while self.two_opt(r) | self.or_opt(r):
            pass

    # -- inter-route ------------------------------------------------------------------

    def relocate(self, routes: list[list[int]], loads: list[int]) -> bool:
        d = self.d
        for a, ra in enumerate(routes):
            for i, u in enumerate(ra):
                prev = ra[i - 1] if i > 0 else 0
                nxt = ra[i + 1] if i + 1 < len(ra) else -1
                gain = d[prev][u] + (d[u][nxt] - d[prev][nxt] if nxt >= 0 else 0.0)
                best = (EPS, -1, -1)
                for b, rb in enumerate(routes):
                    if b == a or loads[b] + self.dem[u] > self.cap[b]:
                        continue
                    for k in range(len(rb) + 1):
                        p = rb[k - 1] if k > 0 else 0
                        q = rb[k] if k < len(rb) else -1
                        cost = d[p][u] + (d[u][q] - d[p][q] if q >= 0 else 0.0)
                        if gain - cost > best[0]:
                            best = (gain - cost, b, k)
                if best[1] >= 0:
                    b, k = best[1], best[2]
                    del ra[i]
                    routes[b].insert(k, u)
                    loads[a] -= self.dem[u]
                    loads[b] += self.dem[u]
                    return True
        return False

    def swap(self, routes: list[list[int]], loads: list[int]) -> bool:
        d = self.d

        def around(r: list[int], i: int) -> tuple[int, int]:
            return (r[i - 1] if i > 0 else 0), (r[i + 1] if i + 1 < len(r) else -1)

        def link(x: int, y: int) -> float:
            return d[x][y] if y >= 0 else 0.0

        for a in range(len(routes)):
            ra = routes[a]
            for b in range(a + 1, len(routes)):
                rb = routes[b]
                for i, u in enumerate(ra):
                    pu, nu = around(ra, i)
                    for j, v in enumerate(rb):
                        du = self.dem[v] - self.dem[u]
                        if loads[a] + du > self.cap[a] or loads[b] - du > self.cap[b]:
                            continue
                        pv, nv = around(rb, j)
                        old = d[pu][u] + link(u, nu) + d[pv][v] + link(v, nv)
                        new = d[pu][v] + link(v, nu) + d[pv][u] + link(u, nv)
                        if new < old - EPS:
                            ra[i], rb[j] = v, u
                            loads[a] += du
                            loads[b] -= du
                            return True
        return False

    def tails(self, routes: list[list[int]], loads: list[int]) -> bool:
        """2-opt*: exchange the ends of two routes."""
        d = self.d
        for a in range(len(routes)):
            ra = routes[a]
            pre_a = [0]
            for u in ra:
                pre_a.append(pre_a[-1] + self.dem[u])
            for b in range(a + 1, len(routes)):
                rb = routes[b]
                pre_b = [0]
                for v in rb:
                    pre_b.append(pre_b[-1] + self.dem[v])
                for i in range(len(ra) + 1):  # ra keeps ra[:i]
                    x = ra[i - 1] if i > 0 else 0
                    x2 = ra[i] if i < len(ra) else -1
                    for j in range(len(rb) + 1):
                        y = rb[j - 1] if j > 0 else 0
                        y2 = rb[j] if j < len(rb) else -1
                        load_a = pre_a[i] + loads[b] - pre_b[j]
                        load_b = pre_b[j] + loads[a] - pre_a[i]
                        if load_a > self.cap[a] or load_b > self.cap[b]:
                            continue
                        old = (d[x][x2] if x2 >= 0 else 0.0) + (d[y][y2] if y2 >= 0 else 0.0)
                        new = (d[x][y2] if y2 >= 0 else 0.0) + (d[y][x2] if x2 >= 0 else 0.0)
                        if new < old - EPS:
                            routes[a] = ra[:i] + rb[j:]
                            routes[b] = rb[:j] + ra[i:]
                            loads[a], loads[b] = load_a, load_b
                            return True
        return False

    def improve(self, routes: list[list[int]], deadline: float) -> list[list[int]]:
        loads = [sum(self.dem[u] for u in r) for r in routes]
        for r in routes:
            self.polish(r)
        while time.perf_counter() < deadline:
            moved = False
            for move in (self.relocate, self.swap, self.tails):
                while time.perf_counter() < deadline and move(routes, loads):
                    moved = True
            if not moved:
                break
            for r in routes:
                self.polish(r)
        return routes


def plan_routes(
    depot: Point,
    stops: Sequence[StopIn],
    capacities: Sequence[int],
    seconds: float = 0.8,
) -> Plan:
    """Assign `stops` to one route per capacity and order each; best found in `seconds`."""
    if not capacities:
        raise ValueError("at least one driver is needed")
    located = [s for s in stops if s.point is not None]
    unlocated = [s for s in stops if s.point is None]
    solver = _Solver(
        depot, [s.point for s in located if s.point], [s.demand for s in located], capacities
    )
    deadline = time.perf_counter() + seconds
    best: list[list[int]] | None = None
    best_km = math.inf
    starts = max(1, min(len(located), 12))
    for k in range(starts):
        if best is not None and time.perf_counter() >= deadline:
            break
        offset = (k * len(located)) // starts
        routes = solver.improve(solver.sweep(offset), deadline)
        km = solver.total(routes)
        if km < best_km - EPS:
            best, best_km = [list(r) for r in routes], km
    assert best is not None
    plan = Plan([Route() for _ in capacities])
    for route, nodes, cap in zip(plan.routes, best, capacities, strict=True):
        route.keys = [located[u - 1].key for u in nodes]
        route.load = sum(located[u - 1].demand for u in nodes)
        route.km = solver.route_km(nodes)
        route.over_capacity = route.load > cap
    # Stops we cannot place on a map go to the routes with room, at the end, flagged.
    for stop in unlocated:
        target = min(plan.routes, key=lambda r: (r.load, len(r.keys)))
        target.keys.append(stop.key)
        target.unlocated.append(stop.key)
        target.load += stop.demand
    return plan


def order_stops(depot: Point, stops: Sequence[StopIn], seconds: float = 0.3) -> list[str]:
    """One driver's stops in route order; a stop without a location keeps its position."""
    located = [(i, s) for i, s in enumerate(stops) if s.point is not None]
    if not located:
        return [s.key for s in stops]
    plan = plan_routes(depot, [s for _, s in located], [sum(s.demand for s in stops)], seconds)
    ordered = iter(plan.routes[0].keys)
    return [next(ordered) if s.point is not None else s.key for s in stops]
