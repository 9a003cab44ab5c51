"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"


def isolate_home() -> None:
    """Keep benchmark runs away from the user's own program files."""
    os.environ.setdefault("MUTUALAID_HOME", tempfile.mkdtemp(prefix="mutualaid-bench-"))


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def row(label: str, value: str, floor: str = "", verdict: str = "") -> None:
    print(f"{label:<44} {value:>14} {floor:>22} {verdict}")


def demo_args(
    description: str | None,
    options: Callable[[argparse.ArgumentParser], object] | None = None,
) -> argparse.Namespace:
    """Parse `--db` (the 20,000-household demo by default) and the script's own options.

    Exits with one sentence when the database is missing: bench_core.py makes it.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", type=Path, default=OUT / "demo-20000.sqlite")
    if options is not None:
        options(parser)
    args = parser.parse_args()
    if not args.db.exists():
        print(f"{args.db} does not exist: run benchmarks/bench_core.py first", file=sys.stderr)
        raise SystemExit(1)
    return args


def in_child(func: Callable[..., Any], *args: Any) -> Any:
    """`func(*args)` in a fresh process, so its peak memory is its own (`peak_mb`)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


def peak_mb() -> float:
    """This process's peak resident memory so far (MB).

    Linux's VmHWM: getrusage's maxrss survives exec, so a child spawned by a large
    parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's lowest over several runs: on a shared machine the others only add."""
    return {key: min(run[key] for run in runs) for key in runs[0]}


def deep_mb(value: object) -> float:
    """What `value` holds in memory, everything it refers to counted once (MB)."""
    seen: set[int] = set()
    stack = [value]
    total = 0
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif is_dataclass(item) and not isinstance(item, type | array):
            stack.extend(getattr(item, f.name) for f in fields(item))
    return total / 1e6


@contextmanager
def time_in(owner: Any, name: str, totals: dict[str, float]) -> Iterator[None]:
    """Add up in `totals[name]` the seconds spent in the method `owner.name` meanwhile
    (a figure the machine's load cannot hide the way it hides a difference of two runs)."""
    original = getattr(owner, name)
    totals.setdefault(name, 0.0)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - t0

    setattr(owner, name, timed)
    try:
        yield
    finally:
        setattr(owner, name, original)
