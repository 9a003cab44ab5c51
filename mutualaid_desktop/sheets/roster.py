"""Ride-share rosters: the day's rides by driver, and each driver's own sheet."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from reportlab.lib.units import inch, mm
from reportlab.platypus import KeepTogether, Spacer

from mutualaid_desktop.domain.contact import household_code
from mutualaid_desktop.domain.enums import Mobility, PageSize, PrivacyLevel, RideStatus
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.sheets.page import SheetHeader, Text, build_pdf, table
from mutualaid_desktop.sheets.privacy import shown_name
from mutualaid_desktop.sheets.text import isolate
from mutualaid_desktop.store import Store


@dataclass
class RideLine:
    ride_id: str
    time: str
    rider: str
    code: str
    phone: str
    pickup: str
    destination: str
    appointment: str
    is_return: bool
    party: int
    mobility: list[str]
    status: str
    driver_id: str
    driver: str
    driver_phone: str


def rides_for_day(store: Store, day: date, driver_id: str | None = None) -> list[RideLine]:
    where = "r._cl % 2 = 1 AND r.pickup_at >= ? AND r.pickup_at < ? AND r.status != 'cancelled'"
    params: list[object] = [day.isoformat(), (day + timedelta(days=1)).isoformat()]
    if driver_id:
        where += " AND r.driver_id = ?"
        params.append(driver_id)
    mobility = {m.value: m.label for m in Mobility}
    statuses = {s.value: s.label for s in RideStatus}
    out = []
    for row in store.conn.execute(
        f"""SELECT r.id, r.pickup_at, c.id, c.name, c.phones, r.pickup_address, r.destination,
                   r.appointment_at, r.outbound_ride_id, r.party_size, r.mobility, r.status,
                   coalesce(r.driver_id, ''), coalesce(d.name, ''), coalesce(d.phones, '[]')
            FROM rides r JOIN contacts c ON c.id = r.rider_id
            LEFT JOIN contacts d ON d.id = r.driver_id
            WHERE {where} ORDER BY d.name_key, r.pickup_at""",
        params,
    ):
        (
            rid,
            pickup_at,
            cid,
            name,
            phones,
            pickup,
            dest,
            appt,
            outbound,
            party,
            mob,
            status,
            driver_id_,
            driver,
            driver_phones,
        ) = row
        rider_phones = json.loads(phones)
        dphones = json.loads(driver_phones)
        out.append(
            RideLine(
                rid,
                pickup_at[11:16],
                name,
                household_code(cid),
                rider_phones[0]["e164"] if rider_phones else "",
                pickup,
                dest,
                (appt or "")[11:16],
                outbound is not None,
                party,
                [mobility.get(m, m) for m in json.loads(mob)],
                statuses.get(status, status),
                driver_id_,
                driver,
                dphones[0]["e164"] if dphones else "",
            )
        )
    if not out:
        raise UserError(
            _("There are no rides on {day}; choose another date.").format(day=day.isoformat())
        )
    return out


def ride_roster(
    rides: list[RideLine], organization: str, day: date, privacy: PrivacyLevel, page: PageSize
) -> tuple[bytes, list[str]]:
    """The day's rides grouped by driver, one section (and page) per driver."""
    text = Text()
    by_driver: dict[str, list[RideLine]] = defaultdict(list)
    for ride in rides:
        by_driver[ride.driver_id].append(ride)
    count = ngettext("{n} ride", "{n} rides", len(rides)).format(n=len(rides))
    story: list[Any] = [text(_("Ride-share roster · {count}").format(count=count), "title")]
    widths = [0.5 * inch, 1.2 * inch, 1.5 * inch, 1.7 * inch, 0.45 * inch, 0.85 * inch, 0.9 * inch]
    # The day's roster runs on, driver after driver; a driver's own sheet is one section.
    for driver_id in sorted(by_driver, key=lambda d: (d == "", d)):
        group = by_driver[driver_id]
        head = group[0]
        title = isolate(head.driver) if head.driver else "Not yet assigned"
        if head.driver_phone:
            title += f" · {display_phone(head.driver_phone)}"
        heading = text(
            ngettext("{title} · {n} ride", "{title} · {n} rides", len(group)).format(
                title=title, n=len(group)
            ),
            "big",
            bold=True,
        )
        rows = []
        for r in group:
            rider = [text(shown_name(r.rider, r.code, privacy), bold=True)]
            if r.phone:
                rider.append(text(display_phone(r.phone), "small"))
            dest = [text(r.destination, "small")]
            if r.appointment:
                dest.append(
                    text(_("Appointment {appointment}").format(appointment=r.appointment), "small")
                )
            if r.is_return:
                dest.append(text(_("Return trip"), "small", bold=True))
            rows.append(
                [
                    text(r.time, bold=True),
                    rider,
                    text(r.pickup, "small"),
                    dest,
                    text(str(r.party)),
                    text(", ".join(r.mobility) or "—", "small"),
                    text(_("{status}\n☐ done\n☐ no-show").format(status=r.status), "small"),
                ]
            )
        grid = table(
            [_("Time"), _("Rider"), _("Pickup"), _("To"), _("Party"), _("Mobility"), _("Status")],
            rows,
            widths,
            text,
        )
        # A driver's heading never ends a page without their rides under it.
        story.append(KeepTogether([Spacer(1, 3 * mm), heading, Spacer(1, 1 * mm), grid]))
    return build_pdf(
        SheetHeader(organization, _("Ride-share roster"), day, page, report=text.report), story
    ), text.report.sentences()
