"""Hybrid logical clock: wall-clock milliseconds and a counter in one 64-bit integer.

The value never goes backwards, even when the wall clock does, and after an
import it is at least the largest stamp received (`observe`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

COUNTER_BITS = 16
# SQLite stores a stamp in a signed 64-bit integer. A stamp within a century
# of that end would leave this laptop's clock nowhere to go (every later write
# would fail), so no stamp beyond this is accepted from another laptop.
MAX_HLC = 2**63 - 1
_CENTURY_MS = 100 * 366 * 24 * 3600 * 1000
MAX_SANE_HLC = MAX_HLC - (_CENTURY_MS << COUNTER_BITS)


def wall_ms_of(hlc: int) -> int:
    """The wall-clock milliseconds part of a stamp."""
    return hlc >> COUNTER_BITS


def hlc_from_ms(ms: int) -> int:
    return ms << COUNTER_BITS


class HybridClock:
    """Hands out strictly increasing stamps."""

    def __init__(self, last: int = 0, wall_ms: Callable[[], int] | None = None) -> None:
        self.last = last
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)

    def now(self) -> int:
        candidate = hlc_from_ms(self._wall_ms())
        self.last = candidate if candidate > self.last else self.last + 1
        return self.last

    def observe(self, remote: int) -> None:
        """Move past a stamp seen in another replica's data."""
        if remote > self.last:
            self.last = remote

    def ahead_ms(self, remote: int) -> int:
        """How far `remote` is ahead of this machine's wall clock, in milliseconds."""
        return wall_ms_of(remote) - self._wall_ms()
