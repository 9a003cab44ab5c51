"""When a volunteer driver is free, in the local wall-clock time people plan in.

Weekly slots repeat every week; a slot whose end is before its start runs
past midnight into the next day. One-off exceptions win over the weekly
pattern for their date: unavailable all day, or available in a window. Times
are the organizer's local wall-clock times, so a slot "Sunday 9:00-12:00"
still means 9 to noon on the Sunday the clocks change.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from mutualaid_desktop.domain.rides import DriverProfile

Window = tuple[datetime, datetime]


def windows_on(profile: DriverProfile, day: date) -> list[Window]:
    """The driver's free windows that touch `day` (slots from the evening before included)."""
    exception = next((e for e in profile.exceptions if e.date == day), None)
    out: list[Window] = []
    if exception is not None:
        if exception.available and exception.start and exception.end:
            out.append(_window(day, exception.start, exception.end))
    else:
        for slot in profile.availability:
            if slot.weekday == day.weekday():
                out.append(_window(day, slot.start, slot.end))
    # A slot from the day before that runs past midnight reaches into this day,
    # unless that day was marked off.
    before = day - timedelta(days=1)
    off_before = any(e.date == before for e in profile.exceptions)
    if not off_before:
        for slot in profile.availability:
            if slot.weekday == before.weekday() and slot.end < slot.start:
                out.append(_window(before, slot.start, slot.end))
    return out


def _window(day: date, start: time, end: time) -> Window:
    begin = datetime.combine(day, start)
    finish = datetime.combine(day if end > start else day + timedelta(days=1), end)
    return begin, finish


def is_free(profile: DriverProfile, start: datetime, end: datetime) -> bool:
    """Whether one free window holds all of [start, end)."""
    if not profile.active:
        return False
    days = {start.date(), (end - timedelta(microseconds=1)).date()}
    return any(
        w_start <= start and end <= w_end
        for day in days
        for w_start, w_end in windows_on(profile, day)
    )
