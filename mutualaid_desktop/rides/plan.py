"""Assigning rides (with warnings, never silently), the week by driver, drivers' messages."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from mutualaid_desktop.domain import Ride, RideStatus
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _, format_date, household_language, translator
from mutualaid_desktop.rides.matching import load_day, options
from mutualaid_desktop.store import Store


def assignment_warnings(store: Store, ride_id: str, driver_id: str) -> list[str]:
    """What is wrong with giving `ride_id` to `driver_id` (empty: nothing)."""
    ride = store.require(Ride, ride_id)
    day = ride.pickup_at.date()
    rides, drivers, schedule = load_day(store, day)
    need = next((r for r in rides if r.id == ride_id), None)
    if need is None:
        raise UserError(_("That ride is cancelled or finished; it cannot be assigned."))
    found = [o for o in options(need, drivers, schedule) if o.driver_id == driver_id]
    if not found:
        return ["This person has no driver profile: add their seats and free hours first."]
    return [found[0].reason] if found[0].reason else []


def assign(
    store: Store, ride_id: str, driver_id: str | None, accept_warnings: bool = False
) -> list[str]:
    """Give a ride to a driver (None: take it back). With warnings and no acceptance,
    nothing is saved and the warnings come back for the organizer to decide."""
    if driver_id is not None:
        warnings = assignment_warnings(store, ride_id, driver_id)
        if warnings and not accept_warnings:
            return warnings
    ride = store.require(Ride, ride_id)
    status = ride.status
    if driver_id is not None and status is RideStatus.REQUESTED:
        status = RideStatus.OFFERED
    if driver_id is None and status in (RideStatus.OFFERED, RideStatus.CONFIRMED):
        status = RideStatus.REQUESTED
    store.update(Ride, ride_id, driver_id=driver_id, status=status)
    return []


@dataclass(frozen=True)
class WeekCell:
    rides: int
    first: str  # earliest pickup, HH:MM


def week_by_driver(store: Store, start: date) -> dict[tuple[str, str], dict[date, WeekCell]]:
    """(driver id, name) -> day -> rides that day, for the 7 days from `start`."""
    out: dict[tuple[str, str], dict[date, WeekCell]] = defaultdict(dict)
    for driver_id, name, day, count, first in store.conn.execute(
        """SELECT r.driver_id, d.name, substr(r.pickup_at, 1, 10), count(*), min(r.pickup_at)
           FROM rides r JOIN contacts d ON d.id = r.driver_id
           WHERE r._cl % 2 = 1 AND r.status IN ('offered', 'confirmed', 'completed')
             AND r.pickup_at >= ? AND r.pickup_at < ?
           GROUP BY r.driver_id, d.name, substr(r.pickup_at, 1, 10)""",
        (start.isoformat(), (start + timedelta(days=7)).isoformat()),
    ):
        out[(driver_id, name)][date.fromisoformat(day)] = WeekCell(count, first[11:16])
    return dict(sorted(out.items(), key=lambda kv: kv[0][1].casefold()))


def driver_message(store: Store, driver_id: str, day: date) -> str:
    """A plain-text list of a driver's rides for the day, in their language if the
    program speaks it (dates too), else in the program's own."""
    row = store.conn.execute(
        "SELECT name, languages FROM contacts WHERE id = ?", (driver_id,)
    ).fetchone()
    if row is None:
        raise UserError(_("That driver no longer exists."))
    name, languages = row
    t = translator(household_language(json.loads(languages)))
    org = store.organization()
    hello = t.gettext("Hi {name}, thank you for driving! Your rides for {day}:")
    lines = [hello.format(name=name.split()[0], day=t.date(day))]
    for r in store.iter_rows(
        """SELECT r.pickup_at, r.pickup_address, r.destination, r.appointment_at,
                  r.outbound_ride_id, r.party_size, c.name AS rider, c.phones
           FROM rides r JOIN contacts c ON c.id = r.rider_id
           WHERE r._cl % 2 = 1 AND r.driver_id = ? AND r.status IN ('offered', 'confirmed')
             AND r.pickup_at >= ? AND r.pickup_at < ? ORDER BY r.pickup_at""",
        (driver_id, day.isoformat(), (day + timedelta(days=1)).isoformat()),
    ):
        phones = json.loads(str(r["phones"]))
        phone = display_phone(phones[0]["e164"]) if phones else "—"
        line = "- " + t.gettext("{time} pick up {rider} ({phone}) at {pickup} → {destination}")
        line = line.format(
            time=str(r["pickup_at"])[11:16],
            rider=r["rider"],
            phone=phone,
            pickup=r["pickup_address"],
            destination=r["destination"],
        )
        extras = []
        if r["appointment_at"] and not r["outbound_ride_id"]:
            appointment = t.gettext("appointment {time}")
            extras.append(appointment.format(time=str(r["appointment_at"])[11:16]))
        if r["outbound_ride_id"]:
            extras.append(t.gettext("return trip"))
        party = int(str(r["party_size"]))
        if party > 1:
            extras.append(t.ngettext("{n} person", "{n} people", party).format(n=party))
        lines.append(line + (f" ({', '.join(extras)})" if extras else ""))
    if len(lines) == 1:
        raise UserError(
            _("{name} has no rides on {day}.").format(name=name, day=format_date(day, "long"))
        )
    support = display_phone(org.support_phone) if org.support_phone else org.name
    lines.append(t.gettext("Questions: {support}.").format(support=support))
    return "\n".join(lines)


def accept_proposals(store: Store, chosen: list[tuple[str, str]]) -> int:
    """Save the proposals the organizer kept: (ride id, driver id) pairs."""
    saved = 0
    with store.transaction():
        for ride_id, driver_id in chosen:
            if not assign(store, ride_id, driver_id):
                saved += 1
    return saved


def set_status(store: Store, ride_id: str, status: RideStatus) -> Ride:
    """Move a ride along its workflow (offered, confirmed, completed, no-show, cancelled)."""
    from mutualaid_desktop.domain.workflow import check_ride_step

    ride = store.require(Ride, ride_id)
    check_ride_step(ride.status.value, status.value)
    if status in (RideStatus.CONFIRMED, RideStatus.COMPLETED) and not ride.driver_id:
        raise UserError(_("Give the ride a driver first."))
    return store.update(Ride, ride_id, status=status)


def way_back(store: Store, ride_id: str) -> Ride | None:
    """The return trip booked with `ride_id` that has not taken place yet (None: none)."""
    row = store.conn.execute(
        """SELECT id FROM rides WHERE outbound_ride_id = ? AND _cl % 2 = 1
           AND status IN ('requested', 'offered', 'confirmed') ORDER BY pickup_at LIMIT 1""",
        (ride_id,),
    ).fetchone()
    return store.get(Ride, row[0]) if row else None


def delete_ride(store: Store, ride_id: str, with_way_back: bool = True) -> list[tuple[str, str]]:
    """Delete a ride, and its way back unless `with_way_back` is False; returns every
    (table, id) deleted. Both stay restorable (Edit › Recently deleted), together.

    A way back that is kept stays a return trip (its driver is told so, and the
    roster says so) from where the rider will be, with its link to the ride
    there: restoring that ride pairs them again.
    """
    if store.get(Ride, ride_id) is None:
        raise UserError(_("That ride was deleted already (perhaps in another window)."))
    if with_way_back:
        return store.delete(Ride, ride_id)
    store.tombstone(Ride, ride_id)
    return [("rides", ride_id)]


def driver_rides(store: Store, driver_id: str, day: date) -> list[dict[str, object]]:
    """A driver's rides on `day`, in order, for their day's list."""
    return list(
        store.iter_rows(
            """SELECT r.id, substr(r.pickup_at, 12, 5) AS time, c.name AS rider, r.destination,
                  r.status FROM rides r JOIN contacts c ON c.id = r.rider_id
           WHERE r._cl % 2 = 1 AND r.driver_id = ? AND r.pickup_at >= ? AND r.pickup_at < ?
           ORDER BY r.pickup_at""",
            (driver_id, day.isoformat(), (day + timedelta(days=1)).isoformat()),
        )
    )
