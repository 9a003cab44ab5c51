"""The Rides view: drivers for a ride, assigning with warnings, matching, messages."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from mutualaid_desktop.domain import Ride
from mutualaid_desktop.i18n import format_date
from mutualaid_desktop.rides.matching import match_day
from mutualaid_desktop.ui.dialogs.deleted import DeletedDialog
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


def _on_its_drivers_day(window: MainWindow, view, ride_id: str) -> None:
    """Give the ride selected in Unassigned to the first driver proposed, and show their day."""
    from mutualaid_desktop.rides import plan

    driver_id = view.candidates.topLevelItem(0).data(0, rides_view.ID)
    plan.assign(window.session.store, ride_id, driver_id, accept_warnings=True)
    view.reload_day()
    view.tabs.setCurrentIndex(2)
    view.driver.setCurrentIndex(view.driver.findData(driver_id))


def test_a_drivers_ride_moves_along_its_workflow(window: MainWindow) -> None:
    view = open_view(window)
    ride_id = view.current_ride()
    _on_its_drivers_day(window, view, ride_id)
    items = [
        view.driver_rides.topLevelItem(k) for k in range(view.driver_rides.topLevelItemCount())
    ]
    assert any(it.data(0, rides_view.ID)[0] == ride_id for it in items)
    assert view.set_status(ride_id, "confirmed")
    assert window.session.store.require(Ride, ride_id).status.value == "confirmed"


# -- deleting a ride ----------------------------------------------------------------------


def _live(path, ride_id: str) -> bool | None:
    """Whether the ride is live in the file, read through a connection of its own (None:
    not in the file at all). The program's SQLite library: a second copy of SQLite in the
    same process (the standard library's) does not share its locks, and reads stale pages."""
    from mutualaid_desktop.store.connection import connect

    with contextlib.closing(connect(path, read_only=True)) as conn:
        row = conn.execute("SELECT _cl % 2 FROM rides WHERE id = ?", (ride_id,)).fetchone()
    return None if row is None else row[0] == 1


def _book(window: MainWindow, day: date, hour: int, with_way_back: bool = False):
    """A ride (and its way back) for a new rider on `day`, shown in the view."""
    from datetime import datetime, time

    from mutualaid_desktop.domain import Contact

    store = window.session.store
    rider = store.insert(Contact(name="Ines Okafor", kind="person", adults=1))
    there = store.insert(
        Ride(
            rider_id=rider.id,
            pickup_address="12 Elm St",
            pickup_at=datetime.combine(day, time(hour, 15)),
            destination="Ben Taub Hospital",
        )
    )
    back = None
    if with_way_back:
        back = store.insert(
            Ride(
                rider_id=rider.id,
                pickup_address="Ben Taub Hospital",
                pickup_at=datetime.combine(day, time(hour + 2, 30)),
                destination="12 Elm St",
                outbound_ride_id=there.id,
            )
        )
    window.session.notify(["rides"])
    return there, back


def _select(view, ride_id: str) -> None:
    for i in range(view.unassigned.topLevelItemCount()):
        item = view.unassigned.topLevelItem(i)
        if item.data(0, rides_view.ID) == ride_id:
            view.unassigned.setCurrentItem(item)
            return
    raise AssertionError("the ride is not listed")


def _answer(button: str, asked: list[str]) -> None:
    """Press `button` in the question the window is about to ask; note what it asked."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        asked.append(f"{box.text()} {box.informativeText()}")
        for choice in box.buttons():
            if choice.text().replace("&", "") == button:
                choice.click()
                return
        raise AssertionError(f"no {button} button in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, press)


def test_a_ride_is_deleted_with_the_delete_key_after_asking_and_can_be_undone(
    window: MainWindow, controller, qtbot, confirm
) -> None:
    view = open_view(window)
    path = window.session.path
    day = view.chosen_day()
    ride, _none = _book(window, day, 10)
    _select(view, ride.id)
    window.show()
    view.unassigned.setFocus()
    qtbot.keyClick(view.unassigned, Qt.Key.Key_Delete)
    when = f"{format_date(day)} at 10:15"
    assert confirm == [
        f"Delete the ride of Ines Okafor on {when} to Ben Taub Hospital? "
        "Edit › Undo, or Edit › Recently deleted, brings it back."
    ]
    assert _live(path, ride.id) is False
    assert ride.id not in [
        view.unassigned.topLevelItem(i).data(0, rides_view.ID)
        for i in range(view.unassigned.topLevelItemCount())
    ]
    label = f"Delete the ride of Ines Okafor on {when}"
    assert window.undo_action.text().replace("&", "") == f"Undo {label}"
    window.show_page("today")
    window.undo()  # shows the Rides view, on the ride's day, and brings it back
    assert window.current_page() == "rides" and view.chosen_day() == day
    assert _live(path, ride.id) is True
    assert window.statusBar().currentMessage() == f"Undone: {label}."
    window.redo()
    assert _live(path, ride.id) is False

    # After a restart it is in Edit › Recently deleted, and comes back from there.
    window.close()
    controller.session.close()
    assert controller.open_database(path)
    again = controller.window
    qtbot.addWidget(again)
    dialog = DeletedDialog(again.session, again)
    qtbot.addWidget(dialog)
    first = dialog.list.topLevelItem(0)
    assert first.text(1) == "Ride" and "Ines Okafor" in first.text(2)
    assert dialog.restore_selected()
    assert _live(path, ride.id) is True


def test_deleting_a_ride_with_a_way_back_asks_whether_it_goes_too(
    window: MainWindow, qtbot
) -> None:
    view = open_view(window)
    path = window.session.path
    there, back = _book(window, view.chosen_day(), 9, with_way_back=True)
    asked: list[str] = []

    _select(view, there.id)
    _answer("Cancel", asked)
    assert not view.delete_ride()
    assert "A way back is booked at 11:30" in asked[0]
    assert _live(path, there.id) and _live(path, back.id)

    # Kept: the way back stays a return trip from the hospital, linked to the ride there.
    _select(view, there.id)
    _answer("Keep the way back", asked)
    assert view.delete_ride()
    assert _live(path, there.id) is False and _live(path, back.id) is True
    assert window.session.store.require(Ride, back.id).outbound_ride_id == there.id
    window.undo()
    assert _live(path, there.id) is True

    # Both: one change to undo, one line in Recently deleted that brings both back.
    _select(view, there.id)
    _answer("Delete both", asked)
    assert view.delete_ride()
    assert _live(path, there.id) is False and _live(path, back.id) is False
    assert window.undo_action.text().endswith("and the way back")
    dialog = DeletedDialog(window.session, window)
    qtbot.addWidget(dialog)
    [line] = [
        dialog.list.topLevelItem(i)
        for i in range(dialog.list.topLevelItemCount())
        if "Ines Okafor" in dialog.list.topLevelItem(i).text(2)
    ]
    assert line.text(3) == "with 1 ride"
    dialog.list.setCurrentItem(line)
    assert dialog.restore_selected()
    assert _live(path, there.id) is True and _live(path, back.id) is True


def test_a_drivers_ride_is_deleted_from_its_menu(window: MainWindow, confirm) -> None:
    view = open_view(window)
    ride_id = _book(window, view.chosen_day(), 8)[0].id  # no way back: one question
    _select(view, ride_id)
    _on_its_drivers_day(window, view, ride_id)
    assert view.selected_ride() is None and not view.delete_button.isEnabled()
    first = view.driver_rides.topLevelItem(0)
    view.driver_rides.setCurrentItem(first)
    assert view.selected_ride() == first.data(0, rides_view.ID)[0]
    assert view.delete_button.isEnabled()
    menu = view.ride_menu(ride_id)
    entries = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert entries[-1] == "Delete ride…" and "Cancelled" in entries
    menu.actions()[-1].trigger()
    assert confirm and _live(window.session.path, ride_id) is False
    assert window.session.store.get(Ride, ride_id) is None
