"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

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
