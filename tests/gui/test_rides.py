"""The Rides view: drivers for a ride, assigning with warnings, matching, messages."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop.domain import Ride
from mutualaid_desktop.rides.matching import match_day
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views import rides as rides_view


def open_view(window: MainWindow, placeable: bool = False):
    """The Rides view on the first day of the coming week with an unassigned ride
    (`placeable`: one the matcher can give a driver), whatever weekday today is."""
    window.show_page("rides")
    view = window.views["rides"]
    for k in range(8):
        day = date.today() + timedelta(days=k)
        if placeable and not any(p.driver_id for p in match_day(window.session.store, day)):
            continue
        view.day.setDate(QDate(day.year, day.month, day.day))
        if view.unassigned.topLevelItemCount():
            return view
    raise AssertionError("no unassigned ride in the coming week")


def test_ranked_drivers_and_assigning(window: MainWindow, monkeypatch) -> None:
    view = open_view(window)
    ride_id = view.current_ride()
    assert view.candidates.topLevelItemCount() > 0
    reasons = [
        view.candidates.topLevelItem(i).text(2) for i in range(view.candidates.topLevelItemCount())
    ]
    # The ones who can take it come first, then the others, each with a reason.
    first_no = next((i for i, r in enumerate(reasons) if r != "Yes"), len(reasons))
    assert all(r == "Yes" for r in reasons[:first_no])
    assert all(r.endswith(".") for r in reasons[first_no:])
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    if first_no < len(reasons):  # choosing a driver who does not fit asks first
        view.candidates.setCurrentItem(view.candidates.topLevelItem(first_no))
        assert not view.assign_selected()
        assert asked and window.session.store.require(Ride, ride_id).driver_id is None
    if first_no > 0:
        view.show_candidates()
        view.candidates.setCurrentItem(view.candidates.topLevelItem(0))
        driver_id = view.candidates.currentItem().data(0, rides_view.ID)
        assert view.assign_selected()
        assert window.session.store.require(Ride, ride_id).driver_id == driver_id


def test_match_the_day_and_copy_a_message(window: MainWindow, monkeypatch) -> None:
    view = open_view(window, placeable=True)
    before = view.unassigned.topLevelItemCount()
    monkeypatch.setattr(rides_view.MatchDialog, "exec", lambda self: 1)
    view.match()
    assert view.unassigned.topLevelItemCount() < before
    assert view.driver.count() > 0
    view.tabs.setCurrentIndex(2)
    view.copy_message()
    text = QGuiApplication.clipboard().text()
    assert text and ("rides for" in text or "viajes del" in text)


def test_new_ride_with_return_and_a_driver_profile(window: MainWindow, qtbot) -> None:
    from datetime import datetime, time

    from mutualaid_desktop.domain import Contact, DriverProfile
    from mutualaid_desktop.ui.dialogs.driver import DriverDialog
    from mutualaid_desktop.ui.dialogs.ride import RideDialog

    store = window.session.store
    rider = store.select(Contact, "status = 'active'", limit=1)[0]
    day = date.today() + timedelta(days=2)
    dialog = RideDialog(window.session, datetime.combine(day, time(9)), window)
    assert not dialog.save()  # no rider yet: said beside the field
    assert "rider" in dialog.form.message("rider_id").lower()
    dialog.rider.set_contact(rider.id)
    dialog._rider_chosen(rider.id)
    dialog.destination.setText("Ben Taub Hospital")
    dialog.with_return.setChecked(True)
    assert dialog.save()
    out, back = (store.require(Ride, i) for i in dialog.saved)
    assert back.outbound_ride_id == out.id and back.destination == out.pickup_address

    new = store.insert(Contact(name="Dana Driver", kind="person", adults=1))
    drivers = DriverDialog(window.session, None, window)
    drivers.driver.set_contact(new.id)
    drivers.seats.setValue(5)
    drivers._add_slot(1, time(22), time(2))
    assert drivers.save()
    [profile] = store.select(DriverProfile, "contact_id = ?", [new.id])
    assert profile.seats == 5 and profile.availability[0].end == time(2)
    assert "driver" in [r.value for r in store.require(Contact, new.id).roles]


def test_a_drivers_ride_moves_along_its_workflow(window: MainWindow) -> None:
    from mutualaid_desktop.rides import plan

    view = open_view(window)
    ride_id = view.current_ride()
    driver_id = view.candidates.topLevelItem(0).data(0, rides_view.ID)
    plan.assign(window.session.store, ride_id, driver_id, accept_warnings=True)
    view.reload_day()
    view.tabs.setCurrentIndex(2)
    view.driver.setCurrentIndex(view.driver.findData(driver_id))
    items = [
        view.driver_rides.topLevelItem(k) for k in range(view.driver_rides.topLevelItemCount())
    ]
    assert any(it.data(0, rides_view.ID)[0] == ride_id for it in items)
    assert view.set_status(ride_id, "confirmed")
    assert window.session.store.require(Ride, ride_id).status.value == "confirmed"
