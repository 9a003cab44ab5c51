"""Matching rides to drivers: constraints with reasons, sharing, return trips, ranking."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from mutualaid_desktop.domain import (
    Address,
    Contact,
    DriverProfile,
    Mobility,
    Ride,
    Role,
    WeeklySlot,
)
from mutualaid_desktop.rides.matching import load_day, match_day, options
from mutualaid_desktop.store import Store

DAY = date(2026, 12, 1)  # a Tuesday
CLINIC = "Ben Taub Hospital, 1504 Taub Loop, Houston TX 77030"


def at(hh: int, mm: int = 0) -> datetime:
    return datetime.combine(DAY, time(hh, mm))


def add_driver(
    store: Store,
    name: str,
    lat: float,
    seats: int = 3,
    wheelchair: bool = False,
    start: int = 8,
    end: int = 16,
    max_rides: int = 4,
) -> Contact:
    c = store.insert(
        Contact(
            name=name,
            kind="person",
            roles=[Role.DRIVER],
            address=Address(lat=lat, lon=-95.40, postal_code="77004"),
        )
    )
    store.insert(
        DriverProfile(
            contact_id=c.id,
            seats=seats,
            wheelchair_accessible=wheelchair,
            max_rides_per_day=max_rides,
            availability=[WeeklySlot(weekday=DAY.weekday(), start=time(start), end=time(end))],
        )
    )
    return c


def add_ride(
    store: Store,
    pickup: datetime,
    party: int = 1,
    wheelchair: bool = False,
    destination: str = CLINIC,
    outbound: str | None = None,
    appointment: datetime | None = None,
) -> Ride:
    rider = store.insert(Contact(name=f"Rider {pickup:%H%M} {party}", adults=party))
    return store.insert(
        Ride(
            rider_id=rider.id,
            pickup_address="1 Main St",
            pickup_lat=29.75,
            pickup_lon=-95.40,
            pickup_at=pickup,
            destination=destination,
            party_size=party,
            appointment_at=appointment
            if appointment
            else None
            if outbound
            else pickup + timedelta(minutes=45),
            mobility=[Mobility.WHEELCHAIR] if wheelchair else [],
            outbound_ride_id=outbound,
        )
    )


@pytest.fixture
def store() -> Store:
    return Store.create(None, organizer="Test")


def reasons_for(store: Store, ride: Ride) -> dict[str, str]:
    rides, drivers, schedule = load_day(store, DAY)
    need = next(r for r in rides if r.id == ride.id)
    return {o.name: o.reason for o in options(need, drivers, schedule)}


def test_each_excluded_driver_says_why(store: Store) -> None:
    add_driver(store, "Early Bird", 29.76, seats=4, wheelchair=True, end=9)
    add_driver(store, "Small Car", 29.76, seats=1)
    add_driver(store, "No Ramp", 29.76, seats=4)
    add_driver(store, "Ramp Van", 29.80, seats=4, wheelchair=True)
    ride = add_ride(store, at(10), party=2, wheelchair=True)
    why = reasons_for(store, ride)
    assert "Not free" in why["Early Bird"]
    assert "wheelchair" in why["No Ramp"]
    assert why["Ramp Van"] == ""
    assert "wheelchair" in why["Small Car"]


def test_nearest_free_driver_ranks_first(store: Store) -> None:
    add_driver(store, "Far", 29.95)
    add_driver(store, "Near", 29.751)
    ride = add_ride(store, at(10))
    rides, drivers, schedule = load_day(store, DAY)
    ranked = options(rides[0], drivers, schedule)
    assert [o.name for o in ranked] == ["Near", "Far"] and ride.id == rides[0].id


def test_no_double_booking_and_no_more_than_the_days_most(store: Store) -> None:
    add_driver(store, "Only", 29.76, max_rides=2)
    a = add_ride(store, at(9), destination="Clinic A")
    b = add_ride(store, at(9, 15), destination="Clinic B")  # overlaps a, elsewhere
    c = add_ride(store, at(12))
    d = add_ride(store, at(14))
    plan = {p.ride.id: p for p in match_day(store, DAY)}
    assert plan[a.id].driver == "Only"
    assert plan[b.id].driver_id is None and "Already driving" in plan[b.id].reason
    assert plan[c.id].driver == "Only"
    assert plan[d.id].driver_id is None and "most they take" in plan[d.id].reason


def test_riders_to_the_same_place_at_the_same_time_share_a_car(store: Store) -> None:
    add_driver(store, "Van", 29.76, seats=4)
    first = add_ride(store, at(9), party=2)
    second = add_ride(store, at(9, 10), party=2)
    third = add_ride(store, at(9, 5), party=1)  # one seat too many
    plan = {p.ride.id: p for p in match_day(store, DAY)}
    assert plan[first.id].driver == "Van" and plan[third.id].driver == "Van"
    assert plan[second.id].driver_id is None and "left for a party of 2" in plan[second.id].reason


def test_a_return_trip_goes_back_with_the_same_driver(store: Store) -> None:
    add_driver(store, "Near", 29.751)
    add_driver(store, "Also", 29.752)
    out = add_ride(store, at(9))
    back = add_ride(store, at(11), destination="1 Main St", outbound=out.id)
    plan = {p.ride.id: p for p in match_day(store, DAY)}
    assert plan[back.id].driver_id == plan[out.id].driver_id is not None


def test_a_proposal_saves_nothing(store: Store) -> None:
    add_driver(store, "Near", 29.751)
    ride = add_ride(store, at(10))
    before = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert match_day(store, DAY)[0].driver == "Near"
    assert store.require(Ride, ride.id).driver_id is None
    assert store.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == before


def test_too_few_seats_is_said_plainly(store: Store) -> None:
    add_driver(store, "Coupe", 29.76, seats=1)
    ride = add_ride(store, at(10), party=3)
    assert reasons_for(store, ride)["Coupe"] == "1 seat; the party is 3."
