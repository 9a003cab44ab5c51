"""Assigning with warnings, the week by driver, drivers' messages, accepting a proposal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mutualaid_desktop.domain import Ride, RideStatus
from mutualaid_desktop.errors import UserError
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


def _live(store: Store, ride_id: str) -> bool:  # noqa: F811
    return store.get(Ride, ride_id) is not None


def test_deleting_a_ride_takes_its_way_back_and_both_come_back_together(
    store: Store,  # noqa: F811
) -> None:
    from mutualaid_desktop.store import deleted

    there = add_ride(store, at(9), appointment=at(9, 45))
    back = add_ride(store, at(11), outbound=there.id)
    store.update(Ride, back.id, rider_id=there.rider_id)
    done = add_ride(store, at(12), outbound=there.id)  # an earlier way back, already driven
    store.update(Ride, done.id, status=RideStatus.CANCELLED)
    assert plan.way_back(store, there.id).id == back.id
    assert plan.way_back(store, back.id) is None

    gone = plan.delete_ride(store, there.id)
    assert gone == [("rides", there.id), ("rides", back.id)]
    assert not _live(store, there.id) and not _live(store, back.id)
    assert _live(store, done.id)  # a way back that was called off is history: it stays
    listed = deleted.recently_deleted(store)
    assert [(d.id, d.along_text()) for d in listed] == [(there.id, "with 1 ride")]
    deleted.restore_deleted(store, "rides", there.id)
    assert _live(store, there.id) and _live(store, back.id)


def test_a_kept_way_back_stays_a_return_trip_and_pairs_again_on_restore(
    store: Store,  # noqa: F811
) -> None:
    from mutualaid_desktop.store import deleted

    driver = add_driver(store, "Near", 29.751)
    there = add_ride(store, at(9), appointment=at(9, 45))
    back = add_ride(store, at(11), outbound=there.id)
    plan.assign(store, back.id, driver.id)

    assert plan.delete_ride(store, there.id, with_way_back=False) == [("rides", there.id)]
    kept = store.require(Ride, back.id)
    assert kept.outbound_ride_id == there.id  # still the way back from the clinic
    assert "return trip" in plan.driver_message(store, driver.id, DAY)
    assert [d.id for d in deleted.recently_deleted(store)] == [there.id]
    deleted.restore_deleted(store, "rides", there.id)
    assert plan.way_back(store, there.id).id == back.id

    # Deleting the way back alone leaves the ride there.
    plan.delete_ride(store, back.id)
    assert _live(store, there.id) and not _live(store, back.id)
    with pytest.raises(UserError, match="deleted already"):
        plan.delete_ride(store, back.id)


def test_deleting_a_household_counts_a_ride_and_its_way_back_once(
    store: Store,  # noqa: F811
) -> None:
    from mutualaid_desktop.domain import Contact
    from mutualaid_desktop.store import deleted

    there = add_ride(store, at(9))
    back = add_ride(store, at(11), outbound=there.id)
    store.update(Ride, back.id, rider_id=there.rider_id)
    store.delete(Contact, there.rider_id)
    listed = deleted.recently_deleted(store)
    assert [(d.table, d.along_text()) for d in listed] == [("contacts", "with 2 rides")]
    deleted.restore_deleted(store, "contacts", there.rider_id)
    assert _live(store, there.id) and _live(store, back.id)
