"""Planning a distribution day: runs, stops from needs, route order, outcomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mutualaid_desktop.deliveries import planning
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import (
    Address,
    Category,
    Contact,
    DeliveryRun,
    DietaryFlag,
    Need,
    NeedStatus,
    Outcome,
    Stop,
)
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database

TODAY = date(2026, 11, 27)
DAY = TODAY + timedelta(days=3)
DEPOT = Address(
    street="6500 Bellaire Blvd", city="Houston", postal_code="77074", lat=29.7058, lon=-95.4994
)


@pytest.fixture
def store() -> Store:
    s = Store.create(None, organizer="Test")
    build_demo(s, households=40, seed=2, today=TODAY)
    return s


def new_run(store: Store, name: str = "Route A", capacity: int = 30) -> DeliveryRun:
    return store.insert(DeliveryRun(date=DAY, name=name, depot=DEPOT, capacity_boxes=capacity))


def test_stops_from_needs_get_a_suggested_box_and_schedule_the_need(store: Store) -> None:
    home = store.insert(
        Contact(
            name="Amina Farah", adults=2, children=5, dietary=[DietaryFlag.HALAL], address=DEPOT
        )
    )
    need = store.insert(Need(contact_id=home.id, category=Category.GROCERIES))
    run = new_run(store)
    [stop] = planning.add_stops(store, run.id, [need.id])
    assert stop.seq == 1 and stop.boxes == 2  # seven people: two boxes
    assert store.require(Need, need.id).status is NeedStatus.SCHEDULED
    box = store.conn.execute("SELECT name FROM box_types WHERE id = ?", (stop.box_type_id,))
    assert box.fetchone()[0] == "Halal"
    # Already on a run that day: no longer a candidate.
    assert need.id not in {c.need_id for c in planning.candidate_needs(store, DAY)}


def test_add_by_rule_takes_every_matching_open_need(store: Store) -> None:
    run = new_run(store)
    wanted = planning.candidate_needs(store, DAY, "groceries", "770")
    added = planning.add_by_rule(store, run.id, "groceries", "770")
    assert {s.need_id for s in added} == {c.need_id for c in wanted}
    assert [s.seq for s in planning._stops_of(store, run.id)] == list(range(1, len(added) + 1))
    with pytest.raises(UserError, match="No open need"):
        planning.add_by_rule(store, run.id, "groceries", "99999")


def test_drag_to_reorder_keeps_numbers_unique(store: Store) -> None:
    run = new_run(store)
    stops = planning.add_stops(
        store, run.id, [c.need_id for c in planning.candidate_needs(store, DAY)[:5]]
    )
    planning.move_stop(store, stops[4].id, 1)
    order = [s.id for s in planning._stops_of(store, run.id)]
    assert order == [stops[4].id, *[s.id for s in stops[:4]]]
    assert [s.seq for s in planning._stops_of(store, run.id)] == [1, 2, 3, 4, 5]
    assert check_database(store) == []


def test_plan_day_splits_by_capacity_and_orders(store: Store) -> None:
    runs = [new_run(store, f"Route {i}", capacity=12) for i in range(1, 4)]
    needs = [c.need_id for c in planning.candidate_needs(store, DAY, "groceries")][:24]
    planning.add_stops(store, runs[0].id, needs)
    planning.plan_day(store, DAY, seconds=0.2)
    loads = []
    for run in runs:
        stops = planning._stops_of(store, run.id)
        assert [s.seq for s in stops] == list(range(1, len(stops) + 1))
        loads.append(sum(s.boxes for s in stops))
    assert sum(len(planning._stops_of(store, r.id)) for r in runs) == len(needs)
    assert all(load <= 12 for load in loads)
    assert check_database(store) == []


def test_outcomes_keyed_from_paper(store: Store) -> None:
    run = new_run(store)
    one_off = store.insert(
        Need(contact_id=store.select(Contact, limit=1)[0].id, category=Category.HYGIENE)
    )
    stops = planning.add_stops(store, run.id, [one_off.id])
    assert planning.key_in_outcomes(store, run.id, [(1, "d")]) == 1
    assert store.require(Stop, stops[0].id).outcome is Outcome.DELIVERED
    assert store.require(Need, one_off.id).status is NeedStatus.FULFILLED
    with pytest.raises(UserError, match="no stop 9"):
        planning.key_in_outcomes(store, run.id, [(9, "d")])
    with pytest.raises(UserError, match="not an outcome key"):
        planning.key_in_outcomes(store, run.id, [(1, "x")])


def test_ordering_needs_a_depot(store: Store) -> None:
    run = store.insert(DeliveryRun(date=DAY, name="No depot"))
    with pytest.raises(UserError, match="depot"):
        planning.order_run(store, run.id)
