"""Offline route planning: capacity, completeness, order quality, unknown places."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid_desktop.routing import Point, StopIn, distance_km, locate, plan_routes
from mutualaid_desktop.routing.plan import order_stops

DEPOT = Point(29.7058, -95.4994)


def test_distance_is_great_circle_kilometres() -> None:
    houston, dallas = Point(29.7604, -95.3698), Point(32.7767, -96.7970)
    assert 355 < distance_km(houston, dallas) < 365
    assert distance_km(houston, houston) == 0


def test_locate_prefers_coordinates_then_zip_centroid_then_flags() -> None:
    assert locate(29.7, -95.4, "77036").source == "coordinates"
    by_zip = locate(None, None, "77036-1234")
    assert by_zip.source == "zip" and by_zip.point is not None
    assert distance_km(by_zip.point, Point(29.698, -95.540)) < 2
    assert locate(None, None, "").source == "unknown"
    assert locate(None, None, "ABCDE").point is None
    assert locate(None, None, "00000").source == "unknown"


def test_stops_on_a_street_are_visited_in_street_order() -> None:
    street = [Point(29.70, -95.50 + 0.01 * i) for i in range(1, 11)]
    shuffled = list(enumerate(street))
    random.Random(3).shuffle(shuffled)
    stops = [StopIn(str(i), p) for i, p in shuffled]
    assert order_stops(DEPOT, stops) == [str(i) for i in range(10)]


def test_a_stop_without_a_place_keeps_its_position() -> None:
    stops = [
        StopIn("far", Point(29.70, -95.40)),
        StopIn("unknown", None),
        StopIn("near", Point(29.70, -95.49)),
    ]
    assert order_stops(DEPOT, stops) == ["near", "unknown", "far"]


def scattered(n: int, seed: int) -> list[StopIn]:
    rng = random.Random(seed)
    return [
        StopIn(
            f"s{i}",
            Point(29.7 + rng.gauss(0, 0.06), -95.45 + rng.gauss(0, 0.08)),
            rng.choice([1, 1, 2]),
        )
        for i in range(n)
    ]


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 60), drivers=st.integers(1, 5), seed=st.integers(0, 10_000))
def test_every_stop_once_and_no_driver_over_capacity(n: int, drivers: int, seed: int) -> None:
    stops = scattered(n, seed)
    capacity = -(-sum(s.demand for s in stops) // drivers) + 2
    plan = plan_routes(DEPOT, stops, [capacity] * drivers, seconds=0.05)
    keys = [k for r in plan.routes for k in r.keys]
    assert sorted(keys) == sorted(s.key for s in stops)
    assert all(r.load <= capacity and not r.over_capacity for r in plan.routes)
    demand = {s.key: s.demand for s in stops}
    assert all(r.load == sum(demand[k] for k in r.keys) for r in plan.routes)


def test_more_boxes_than_room_is_flagged_not_dropped() -> None:
    stops = scattered(20, 1)
    plan = plan_routes(DEPOT, stops, [5, 5], seconds=0.05)
    assert sum(len(r.keys) for r in plan.routes) == 20
    assert any(r.over_capacity for r in plan.routes)


def test_unlocated_stops_go_to_a_route_and_are_flagged() -> None:
    stops = [*scattered(10, 2), StopIn("lost", None, 1)]
    plan = plan_routes(DEPOT, stops, [20, 20], seconds=0.05)
    holders = [r for r in plan.routes if "lost" in r.keys]
    assert len(holders) == 1 and holders[0].unlocated == ["lost"]
    assert holders[0].keys[-1] == "lost"


def test_planning_beats_the_order_stops_were_entered_in() -> None:
    stops = scattered(80, 5)
    plan = plan_routes(DEPOT, stops, [60, 60], seconds=0.3)
    naive = 0.0
    for half in (stops[:40], stops[40:]):
        here = DEPOT
        for s in half:
            assert s.point is not None
            naive += distance_km(here, s.point)
            here = s.point
    assert plan.km < naive * 0.5


def test_no_driver_is_an_error() -> None:
    with pytest.raises(ValueError):
        plan_routes(DEPOT, scattered(3, 1), [])
