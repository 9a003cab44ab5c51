"""Demo data: a believable week for a mutual-aid group, the same every time for a seed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import (
    Contact,
    DeliveryRun,
    DriverProfile,
    Need,
    NeedStatus,
    Ride,
    Role,
    Stop,
)
from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database

TODAY = date(2026, 11, 27)
TOMORROW = date(2026, 11, 28)


@pytest.fixture(scope="module")
def demo() -> Iterator[Store]:
    store = Store.create(None, organizer="Test Organizer")
    build_demo(store, households=60, seed=7, today=TODAY)
    yield store
    store.close()


def test_tomorrow_has_delivery_runs_for_at_most_eight_drivers(demo: Store) -> None:
    runs = demo.select(DeliveryRun, "date = ?", [TOMORROW.isoformat()])
    assert 1 <= len(runs) <= 8
    drivers = {r.driver_id for r in runs}
    assert None not in drivers
    assert len(drivers) <= 8
    for driver_id in drivers:
        driver = demo.get(Contact, str(driver_id))
        assert driver is not None and driver.is_(Role.DRIVER)
    for run in runs:
        stops = demo.select(Stop, "run_id = ?", [run.id], order_by="seq")
        assert stops, run.name
        assert [s.seq for s in stops] == list(range(1, len(stops) + 1))
        assert all(s.outcome is None for s in stops)  # not delivered yet
        assert len(stops) <= run.capacity_boxes


def test_every_household_appears_at_most_once_tomorrow(demo: Store) -> None:
    rows = demo.conn.execute(
        """SELECT s.contact_id, count(*) FROM stops s JOIN delivery_runs r ON r.id = s.run_id
           WHERE r.date = ? GROUP BY s.contact_id HAVING count(*) > 1""",
        (TOMORROW.isoformat(),),
    ).fetchall()
    assert rows == []


def test_there_are_needs_in_every_status(demo: Store) -> None:
    statuses = {n.status for n in demo.select(Need)}
    assert statuses == set(NeedStatus)


def test_past_runs_have_outcomes_and_future_ones_do_not(demo: Store) -> None:
    past = demo.select(DeliveryRun, "date < ?", [TODAY.isoformat()])
    assert len(past) >= 20  # a year of weekly distribution days
    assert min(r.date for r in past) < TODAY - timedelta(days=300)
    missing = demo.count(
        Stop,
        "outcome IS NULL AND run_id IN (SELECT id FROM delivery_runs WHERE date < ?)",
        [TODAY.isoformat()],
    )
    assert missing == 0
    past_stops = demo.select(
        Stop, "run_id IN (SELECT id FROM delivery_runs WHERE date < ?)", [TODAY.isoformat()]
    )
    assert past_stops
    assert all(s.outcome_at is not None for s in past_stops)
    assert len({s.outcome for s in past_stops}) >= 2  # not everyone was home


def test_rides_exist_in_the_coming_week(demo: Store) -> None:
    start = datetime.combine(TODAY, datetime.min.time())
    rides = [
        r
        for r in demo.select(Ride)
        if start <= r.pickup_at.replace(tzinfo=None) < start + timedelta(days=8)
    ]
    assert rides
    history = [r for r in demo.select(Ride) if r.pickup_at.replace(tzinfo=None) < start]
    assert history


def test_names_come_in_many_scripts(demo: Store) -> None:
    names = " ".join(c.name for c in demo.select(Contact))
    scripts = {
        "Latin with accents": r"[À-ɏ]",
        "Arabic": r"[\u0600-\u06ff]",
        "Hebrew": r"[\u0590-\u05ff]",
        "Cyrillic": r"[\u0400-\u04ff]",
        "CJK": r"[\u4e00-\u9fff]",
    }
    present = {name for name, pattern in scripts.items() if re.search(pattern, names)}
    assert "Latin with accents" in present
    assert len(present - {"Latin with accents"}) >= 2, present


def test_demo_database_passes_its_own_check(demo: Store) -> None:
    assert check_database(demo) == []


def test_demo_contacts_are_searchable(demo: Store) -> None:
    contact = demo.select(Contact, "name GLOB '[A-Z]*'", order_by="name", limit=1)[0]
    assert contact.id in {h.id for h in demo.search(contact.name, limit=500)}


def _build(seed: int, households: int = 20) -> list[tuple[str, str]]:
    with Store.create(None, organizer="Test Organizer") as store:
        build_demo(store, households=households, seed=seed, today=TODAY)
        return [(c.id, c.name) for c in store.select(Contact, order_by="id")]


def test_same_seed_gives_the_same_people() -> None:
    first = _build(seed=11)
    assert first == _build(seed=11)
    assert first != _build(seed=12)


def test_building_into_a_database_with_contacts_is_refused(memory_store: Store) -> None:
    memory_store.insert(Contact(name="Real Person"))
    with pytest.raises(UserError, match="already holds contacts"):
        build_demo(memory_store, households=20, seed=1, today=TODAY)
    assert memory_store.count(Contact) == 1


def test_at_least_one_household_is_needed(memory_store: Store) -> None:
    with pytest.raises(UserError):
        build_demo(memory_store, households=0, today=TODAY)


@pytest.mark.parametrize("stop_at", ["Creating households", "Saving", "Done"])
def test_cancelling_leaves_the_database_empty(memory_store: Store, stop_at: str) -> None:
    seen: list[tuple[str, float]] = []

    def progress(message: str, fraction: float) -> bool:
        seen.append((message, fraction))
        # "Saving" is reported before each kind of record: stop after some were written.
        return not (message == stop_at and (stop_at != "Saving" or fraction > 0.9))

    with pytest.raises(Cancelled):
        build_demo(memory_store, households=20, seed=1, today=TODAY, progress=progress)
    assert memory_store.count(Contact) == 0
    assert memory_store.count(Need) == 0
    assert memory_store.count(DeliveryRun) == 0
    assert memory_store.search("a") == []
    assert check_database(memory_store) == []
    # Nothing half-done is left behind: the demo can be built afterwards.
    build_demo(memory_store, households=20, seed=1, today=TODAY)
    assert memory_store.count(Contact) > 20


def test_progress_goes_from_zero_to_one(memory_store: Store) -> None:
    fractions: list[float] = []
    build_demo(
        memory_store,
        households=20,
        seed=1,
        today=TODAY,
        progress=lambda _m, f: fractions.append(f) is None,
    )
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)


def test_no_driver_is_given_a_route_on_a_day_they_marked_unavailable() -> None:
    conflicts = []
    for seed in range(1, 7):
        with Store.create(None, organizer="Test Organizer") as store:
            build_demo(store, households=60, seed=seed, today=TODAY)
            profiles = {p.contact_id: p for p in store.select(DriverProfile)}
            for run in store.select(DeliveryRun, "date >= ?", [TODAY.isoformat()]):
                profile = profiles[str(run.driver_id)]
                if any(e.date == run.date and not e.available for e in profile.exceptions):
                    conflicts.append((seed, run.name, run.date))
    assert conflicts == []
