"""Which driver can take which ride, and a proposal for a whole day.

A driver qualifies for a ride when free for all of it (availability), with
enough seats for the party, a wheelchair-accessible car when one is needed,
no other ride at the same time (unless riders share it: same destination,
pickups close together, seats to spare), and under their most rides a day.
Qualified drivers rank by distance from home to the pickup. Every excluded
driver carries the reason in one sentence. The proposal never saves anything:
the organizer accepts or changes it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mutualaid_desktop.domain.enums import Mobility
from mutualaid_desktop.domain.rides import DriverProfile
from mutualaid_desktop.i18n import _, format_date, ngettext
from mutualaid_desktop.rides.availability import Window, windows_on
from mutualaid_desktop.routing.geo import Point, distance_km, locate
from mutualaid_desktop.store import Store

RIDE_WITHOUT_APPOINTMENT = timedelta(minutes=60)
AFTER_APPOINTMENT = timedelta(minutes=30)
SHARE_WINDOW = timedelta(minutes=20)  # pickups this close, same place: one car


@dataclass(frozen=True)
class RideNeed:
    id: str
    rider: str
    pickup_at: datetime
    until: datetime
    party: int
    wheelchair: bool
    pickup: Point | None
    destination: str
    outbound_id: str | None
    driver_id: str | None


@dataclass
class Driver:
    id: str
    name: str
    profile: DriverProfile
    home: Point | None
    _windows: dict[date, list[Window]] = field(default_factory=dict, repr=False)

    def free(self, start: datetime, end: datetime) -> bool:
        """`availability.is_free`, remembering each day's windows (asked per ride)."""
        if not self.profile.active:
            return False
        days = {start.date(), (end - timedelta(microseconds=1)).date()}
        for day in days:
            if day not in self._windows:
                self._windows[day] = windows_on(self.profile, day)
        return any(a <= start and end <= b for day in days for a, b in self._windows[day])


@dataclass
class Booking:
    ride_ids: list[str]
    start: datetime
    end: datetime
    destination: str
    seats_used: int


@dataclass(frozen=True)
class Option:
    driver_id: str
    name: str
    km: float | None
    reason: str  # "" when the driver can take the ride

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass
class Schedule:
    """What each driver already does on the day: bookings by driver."""

    bookings: dict[str, list[Booking]] = field(default_factory=lambda: defaultdict(list))

    def add(self, driver_id: str, ride: RideNeed) -> None:
        for booking in self.bookings[driver_id]:
            if _shares(booking, ride):
                booking.ride_ids.append(ride.id)
                booking.seats_used += ride.party
                booking.end = max(booking.end, ride.until)
                return
        self.bookings[driver_id].append(
            Booking([ride.id], ride.pickup_at, ride.until, ride.destination, ride.party)
        )

    def rides_of(self, driver_id: str) -> int:
        return sum(len(b.ride_ids) for b in self.bookings[driver_id])


def _shares(booking: Booking, ride: RideNeed) -> bool:
    return (
        booking.destination == ride.destination
        and abs(booking.start - ride.pickup_at) <= SHARE_WINDOW
    )


def occupied_until(
    pickup_at: datetime, appointment_at: datetime | None, is_return: bool
) -> datetime:
    if appointment_at is not None and not is_return and appointment_at > pickup_at:
        return appointment_at + AFTER_APPOINTMENT
    return pickup_at + RIDE_WITHOUT_APPOINTMENT


def options(ride: RideNeed, drivers: Iterable[Driver], schedule: Schedule) -> list[Option]:
    """Every driver for `ride`: the ones who can take it first, nearest first; then the rest."""
    out = []
    for d in drivers:
        km = distance_km(d.home, ride.pickup) if d.home and ride.pickup else None
        out.append(Option(d.id, d.name, km, _why_not(ride, d, schedule)))
    return sorted(out, key=lambda o: (not o.ok, o.km if o.km is not None else 1e9, o.name))


def _why_not(ride: RideNeed, d: Driver, schedule: Schedule) -> str:
    p = d.profile
    if not p.active:
        return _("Not driving at the moment (marked inactive).")
    if ride.wheelchair and not p.wheelchair_accessible:
        return _("The rider uses a wheelchair and this car is not accessible.")
    if p.seats < ride.party:
        return f"{p.seats} seat{'s' * (p.seats != 1)}; the party is {ride.party}."
    for booking in schedule.bookings.get(d.id, []):
        if ride.id in booking.ride_ids:
            return ""
        overlaps = booking.start < ride.until and ride.pickup_at < booking.end
        if overlaps:
            if _shares(booking, ride):
                if booking.seats_used + ride.party > p.seats:
                    left = p.seats - booking.seats_used
                    return ngettext(
                        "Already taking {taking} to {destination} then; "
                        "{n} seat left for a party of {party}.",
                        "Already taking {taking} to {destination} then; "
                        "{n} seats left for a party of {party}.",
                        left,
                    ).format(
                        taking=booking.seats_used,
                        destination=booking.destination,
                        n=left,
                        party=ride.party,
                    )
                continue
            return _("Already driving someone then ({start}–{end}).").format(
                start=f"{booking.start:%H:%M}", end=f"{booking.end:%H:%M}"
            )
    if schedule.rides_of(d.id) >= p.max_rides_per_day:
        return ngettext(
            "Has {n} ride that day already, the most they take.",
            "Has {n} rides that day already, the most they take.",
            p.max_rides_per_day,
        ).format(n=p.max_rides_per_day)
    if not d.free(ride.pickup_at, ride.until):
        return _("Not free {day} {start}–{end}.").format(
            day=format_date(ride.pickup_at),
            start=f"{ride.pickup_at:%H:%M}",
            end=f"{ride.until:%H:%M}",
        )
    return ""


@dataclass(frozen=True)
class Proposal:
    ride: RideNeed
    driver_id: str | None
    driver: str
    km: float | None
    reason: str  # why no driver could be found


def load_day(store: Store, day: date) -> tuple[list[RideNeed], list[Driver], Schedule]:
    """The day's rides (not cancelled), every driver, and who already drives what."""
    drivers = []
    for row in store.iter_rows(
        """SELECT p.*, c.name AS driver_name, c.address_lat AS home_lat,
                  c.address_lon AS home_lon, c.address_postal_code AS home_zip
           FROM driver_profiles p JOIN contacts c ON c.id = p.contact_id
           WHERE p._cl % 2 = 1 AND c._cl % 2 = 1"""
    ):
        profile = DriverProfile.model_validate(
            {
                "id": row["id"],
                "contact_id": row["contact_id"],
                "seats": row["seats"],
                "wheelchair_accessible": bool(row["wheelchair_accessible"]),
                "availability": json.loads(row["availability"]),
                "exceptions": json.loads(row["exceptions"]),
                "area_zips": json.loads(row["area_zips"]),
                "max_rides_per_day": row["max_rides_per_day"],
                "active": bool(row["active"]),
            }
        )
        home = locate(row["home_lat"], row["home_lon"], row["home_zip"]).point
        drivers.append(Driver(row["contact_id"], row["driver_name"], profile, home))
    rides = []
    for row in store.iter_rows(
        """SELECT r.id, c.name AS rider, r.pickup_at, r.appointment_at, r.party_size, r.mobility,
                  r.pickup_lat, r.pickup_lon, r.destination, r.outbound_ride_id, r.driver_id,
                  c.address_postal_code AS zip
           FROM rides r JOIN contacts c ON c.id = r.rider_id
           WHERE r._cl % 2 = 1 AND r.status IN ('requested', 'offered', 'confirmed')
             AND r.pickup_at >= ? AND r.pickup_at < ? ORDER BY r.pickup_at""",
        (day.isoformat(), (day + timedelta(days=1)).isoformat()),
    ):
        pickup_at = datetime.fromisoformat(row["pickup_at"])
        appointment = (
            datetime.fromisoformat(row["appointment_at"]) if row["appointment_at"] else None
        )
        is_return = row["outbound_ride_id"] is not None
        rides.append(
            RideNeed(
                id=row["id"],
                rider=row["rider"],
                pickup_at=pickup_at,
                until=occupied_until(pickup_at, appointment, is_return),
                party=row["party_size"],
                wheelchair=Mobility.WHEELCHAIR.value in json.loads(row["mobility"]),
                pickup=locate(row["pickup_lat"], row["pickup_lon"], row["zip"]).point,
                destination=row["destination"],
                outbound_id=row["outbound_ride_id"],
                driver_id=row["driver_id"],
            )
        )
    schedule = Schedule()
    for ride in rides:
        if ride.driver_id:
            schedule.add(ride.driver_id, ride)
    return rides, drivers, schedule


def match_day(store: Store, day: date) -> list[Proposal]:
    """A driver for every unassigned ride of `day` where one can be found (nothing saved)."""
    rides, drivers, schedule = load_day(store, day)
    by_id = {r.id: r for r in rides}
    proposals: list[Proposal] = []
    # Return trips after their outbound, so the same driver can be asked first.
    for ride in sorted((r for r in rides if not r.driver_id), key=lambda r: r.pickup_at):
        ranked = options(ride, drivers, schedule)
        outbound = by_id.get(ride.outbound_id or "")
        same = next(
            (
                o
                for o in ranked
                if o.ok
                and outbound is not None
                and o.driver_id in {outbound.driver_id, _proposed(proposals, outbound.id)}
            ),
            None,
        )
        choice = same or next((o for o in ranked if o.ok), None)
        if choice is None:
            reason = ranked[0].reason if ranked else _("No drivers are on the roster.")
            proposals.append(Proposal(ride, None, "", None, reason))
            continue
        schedule.add(choice.driver_id, ride)
        proposals.append(Proposal(ride, choice.driver_id, choice.name, choice.km, ""))
    return proposals


def _proposed(proposals: list[Proposal], ride_id: str) -> str | None:
    return next((p.driver_id for p in proposals if p.ride.id == ride_id), None)
