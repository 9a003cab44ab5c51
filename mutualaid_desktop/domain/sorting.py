"""Sort keys people expect (a light module: the Today view loads it at start-up)."""

from __future__ import annotations

import re


def natural_key(name: str) -> tuple[str | int, ...]:
    """Sort key putting "Route 2" before "Route 10" (numbers compared as numbers)."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
