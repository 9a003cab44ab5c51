"""Units chosen in Settings are the ones the Rides and Print views speak, at once."""

from __future__ import annotations

import pytest

from mutualaid_desktop.domain import DistanceUnit, LengthUnit
from mutualaid_desktop.rides.matching import load_day, options
from mutualaid_desktop.ui.main_window import MainWindow
from tests.gui.test_rides import open_view


def _choose(window: MainWindow, distances: DistanceUnit, lengths: LengthUnit) -> None:
    window.show_page("settings")
    settings = window.views["settings"]
    settings.distances.setCurrentIndex(settings.distances.findData(distances))
    settings.lengths.setCurrentIndex(settings.lengths.findData(lengths))
    assert settings.save()


def test_miles_and_inches_chosen_in_settings(window: MainWindow) -> None:
    _choose(window, DistanceUnit.MILES, LengthUnit.INCHES)
    org = window.session.store.organization()
    assert (org.distance_unit, org.length_unit) == (DistanceUnit.MILES, LengthUnit.INCHES)

    view = open_view(window, placeable=True)
    rides, drivers, schedule = load_day(window.session.store, view.chosen_day())
    ride = next(r for r in rides if r.id == view.current_ride())
    km = {o.name: o.km for o in options(ride, drivers, schedule)}
    shown = {
        view.candidates.topLevelItem(i).text(0): view.candidates.topLevelItem(i).text(1)
        for i in range(view.candidates.topLevelItemCount())
    }
    measured = [name for name in shown if km[name] is not None]
    assert measured
    for name in measured:
        assert shown[name] == f"{km[name] / 1.609344:.1f} mi"

    window.show_page("print")
    printing = window.views["print"]
    assert printing.offset_x.suffix() == " in"
    printing.offset_x.setValue(0.1)
    printing.offset_y.setValue(-0.05)
    right, down = printing.choice()["offset_mm"]
    assert (right, down) == (pytest.approx(2.54), pytest.approx(-1.27))

    # Back to millimetres: the offset already set stays where it was on the paper.
    _choose(window, DistanceUnit.KILOMETRES, LengthUnit.MILLIMETRES)
    window.show_page("print")
    assert printing.offset_x.suffix() == " mm"
    assert printing.offset_x.value() == pytest.approx(2.5)
    view = open_view(window, placeable=True)
    first = view.candidates.topLevelItem(0).text(1)
    assert first == "—" or first.endswith(" km")
