"""Driver availability: weekly slots, past midnight, exceptions, clock changes."""

from __future__ import annotations

from datetime import date, datetime, time

from mutualaid_desktop.domain import AvailabilityException, DriverProfile, WeeklySlot
from mutualaid_desktop.rides.availability import is_free, windows_on

MONDAY = date(2026, 11, 30)


def driver(
    *slots: WeeklySlot, exceptions: list[AvailabilityException] | None = None
) -> DriverProfile:
    return DriverProfile(contact_id="x", availability=list(slots), exceptions=exceptions or [])


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm))


def test_a_weekly_slot_holds_rides_inside_it_only() -> None:
    d = driver(WeeklySlot(weekday=0, start=time(9), end=time(12)))
    assert is_free(d, at(MONDAY, 9), at(MONDAY, 10, 30))
    assert not is_free(d, at(MONDAY, 11, 30), at(MONDAY, 12, 30))  # runs past the end
    assert not is_free(d, at(MONDAY, 8), at(MONDAY, 9))
    assert not is_free(d, at(date(2026, 12, 1), 9), at(date(2026, 12, 1), 10))  # Tuesday


def test_a_night_slot_runs_past_midnight() -> None:
    d = driver(WeeklySlot(weekday=0, start=time(22), end=time(2)))
    assert is_free(d, at(MONDAY, 23), at(date(2026, 12, 1), 1))
    assert is_free(d, at(date(2026, 12, 1), 0, 30), at(date(2026, 12, 1), 1, 30))
    assert not is_free(d, at(date(2026, 12, 1), 1, 30), at(date(2026, 12, 1), 2, 30))
    assert len(windows_on(d, date(2026, 12, 1))) == 1  # reaches into Tuesday


def test_exceptions_win_over_the_weekly_pattern() -> None:
    off = AvailabilityException(date=MONDAY, available=False)
    d = driver(WeeklySlot(weekday=0, start=time(9), end=time(12)), exceptions=[off])
    assert not is_free(d, at(MONDAY, 9), at(MONDAY, 10))
    extra = AvailabilityException(
        date=date(2026, 12, 2), available=True, start=time(14), end=time(18)
    )
    d = driver(exceptions=[extra])
    assert is_free(d, at(date(2026, 12, 2), 15), at(date(2026, 12, 2), 16))


def test_a_day_off_also_ends_the_night_slot_from_the_evening_before() -> None:
    off = AvailabilityException(date=MONDAY, available=False)
    d = driver(WeeklySlot(weekday=0, start=time(22), end=time(2)), exceptions=[off])
    assert not is_free(d, at(date(2026, 12, 1), 0, 30), at(date(2026, 12, 1), 1))


def test_slots_keep_their_local_hours_when_the_clocks_change() -> None:
    # In the US the clocks went back on Sunday 1 November 2026 and go forward on
    # 14 March 2027: a Sunday 9-12 slot still means 9 to noon on both days.
    d = driver(WeeklySlot(weekday=6, start=time(9), end=time(12)))
    for sunday in (date(2026, 11, 1), date(2027, 3, 14)):
        assert is_free(d, at(sunday, 9, 30), at(sunday, 11, 30))
        assert not is_free(d, at(sunday, 11, 30), at(sunday, 12, 30))


def test_an_inactive_driver_is_never_free() -> None:
    d = driver(WeeklySlot(weekday=0, start=time(0), end=time(23, 59)))
    d.active = False
    assert not is_free(d, at(MONDAY, 10), at(MONDAY, 11))
