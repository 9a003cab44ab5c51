"""The Rides view: drivers for a ride, assigning with warnings, matching, messages."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop.domain import Ride
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views import rides as rides_view


def open_view(window: MainWindow):
    window.show_page("rides")
    view = window.views["rides"]
    # The demo's coming week has rides; pick a day with an unassigned one.
    for k in range(8):
        day = date.today() + timedelta(days=k)
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
    view = open_view(window)
    before = view.unassigned.topLevelItemCount()
    monkeypatch.setattr(rides_view.MatchDialog, "exec", lambda self: 1)
    view.match()
    assert view.unassigned.topLevelItemCount() < before
    assert view.driver.count() > 0
    view.tabs.setCurrentIndex(2)
    view.copy_message()
    text = QGuiApplication.clipboard().text()
    assert text and ("rides for" in text or "viajes del" in text)
