"""Assigning with warnings, the week by driver, drivers' messages, accepting a proposal."""

from __future__ import annotations

from datetime import timedelta

from mutualaid_desktop.domain import Ride, RideStatus
from mutualaid_desktop.rides import plan
from mutualaid_desktop.rides.matching import match_day
from mutualaid_desktop.store import Store

from .test_matching import DAY, add_driver, add_ride, at, store  # noqa: F401


def test_a_conflicting_assignment_is_refused_until_accepted(store: Store) -> None:  # noqa: F811
    driver = add_driver(store, "Only", 29.76)
    first = add_ride(store, at(9), destination="Clinic A")
    second = add_ride(store, at(9, 15), destination="Clinic B")
    assert plan.assign(store, first.id, driver.id) == []
    assert store.require(Ride, first.id).status is RideStatus.OFFERED
    warnings = plan.assign(store, second.id, driver.id)
    assert warnings and "Already driving" in warnings[0]
    assert store.require(Ride, second.id).driver_id is None  # nothing saved silently
    assert plan.assign(store, second.id, driver.id, accept_warnings=True) == []
    assert store.require(Ride, second.id).driver_id == driver.id
    plan.assign(store, second.id, None)
    assert store.require(Ride, second.id).status is RideStatus.REQUESTED


def test_week_grid_and_messages(store: Store) -> None:  # noqa: F811
    driver = add_driver(store, "Rosa Martínez", 29.76)
    store.update(type(driver), driver.id, languages=["Spanish"])
    ride = add_ride(store, at(9))
    plan.assign(store, ride.id, driver.id)
    grid = plan.week_by_driver(store, DAY - timedelta(days=1))
    assert grid[(driver.id, "Rosa Martínez")][DAY].rides == 1
    text = plan.driver_message(store, driver.id, DAY)
    # In the driver's language, the date and the plurals too.
    assert text.startswith("Hola Rosa, ¡gracias por manejar! Tus viajes del mar 1 dic:")
    assert "09:00 recoger a" in text and "cita a las 09:45" in text
    assert "Tue" not in text and "Dec" not in text
    store.update(type(driver), driver.id, languages=["Amharic"])  # not spoken: the program's
    assert plan.driver_message(store, driver.id, DAY).startswith(
        "Hi Rosa, thank you for driving! Your rides for Tue 1 Dec:"
    )


def test_accepting_the_days_proposal_saves_it(store: Store) -> None:  # noqa: F811
    add_driver(store, "Near", 29.751)
    ride = add_ride(store, at(10))
    chosen = [(p.ride.id, p.driver_id) for p in match_day(store, DAY) if p.driver_id]
    assert plan.accept_proposals(store, chosen) == 1
    assert store.require(Ride, ride.id).driver_id == chosen[0][1]


def test_ride_workflow(store: Store) -> None:  # noqa: F811
    import pytest

    from mutualaid_desktop.errors import TransitionError, UserError

    driver = add_driver(store, "Near", 29.751)
    ride = add_ride(store, at(10))
    plan.set_status(store, ride.id, RideStatus.CANCELLED)  # no driver needed to cancel
    plan.set_status(store, ride.id, RideStatus.REQUESTED)  # and it can be asked for again
    store.update(Ride, ride.id, status=RideStatus.OFFERED)
    with pytest.raises(UserError, match="driver first"):
        plan.set_status(store, ride.id, RideStatus.CONFIRMED)
    store.update(Ride, ride.id, status=RideStatus.REQUESTED)
    with pytest.raises(TransitionError):
        plan.set_status(store, ride.id, RideStatus.COMPLETED)
    plan.assign(store, ride.id, driver.id)
    plan.set_status(store, ride.id, RideStatus.CONFIRMED)
    plan.set_status(store, ride.id, RideStatus.COMPLETED)
    assert store.require(Ride, ride.id).status is RideStatus.COMPLETED
    with pytest.raises(TransitionError):
        plan.set_status(store, ride.id, RideStatus.CANCELLED)
