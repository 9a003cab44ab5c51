"""Distances and locations without a network."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine): streets are longer, but the order is what matters."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp = p2 - p1
    dl = math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=4096)
def zip_centroid(postal_code: str) -> Point | None:
    """The centre of a US ZIP code, from the data the `zipcodes` package ships."""
    code = postal_code.strip()[:5]
    if len(code) != 5 or not code.isdigit():
        return None
    import zipcodes  # a 30 MB table, read on first use only

    try:
        found = zipcodes.matching(code)  # type: ignore[no-untyped-call]
    except (TypeError, ValueError):
        return None
    if not found:
        return None
    return Point(float(found[0]["lat"]), float(found[0]["long"]))


@dataclass(frozen=True)
class Located:
    """Where a stop is, and how we know: its own coordinates, its ZIP, or not at all."""

    point: Point | None
    source: Literal["coordinates", "zip", "unknown"]


def locate(lat: float | None, lon: float | None, postal_code: str = "") -> Located:
    if lat is not None and lon is not None:
        return Located(Point(lat, lon), "coordinates")
    centre = zip_centroid(postal_code) if postal_code else None
    if centre is not None:
        return Located(centre, "zip")
    return Located(None, "unknown")
