"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import statistics
import tempfile
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
