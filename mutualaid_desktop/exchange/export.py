"""Exporting contacts, needs, deliveries and rides as CSV or XLSX, at a privacy level.

An export is the organizer's own file: every household unless filtered. The
privacy level decides what of each person it shows:

- full: everything, the private notes included;
- initials: first name and initial; no phone, email, street or notes;
- code: the household code only; what is left is ZIP, sizes, diets and dates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from mutualaid_desktop.domain.contact import household_code
from mutualaid_desktop.domain.enums import (
    Category,
    DietaryFlag,
    Mobility,
    NeedStatus,
    Outcome,
    PrivacyLevel,
    RideStatus,
    Urgency,
)
from mutualaid_desktop.domain.phones import display
from mutualaid_desktop.exchange.tabular import Cell, Sheet, write_tables
from mutualaid_desktop.i18n import _
from mutualaid_desktop.sheets.privacy import plain_shown_name as shown_name
from mutualaid_desktop.store import Store


class ExportKind(StrEnum):
    CONTACTS = "contacts"
    NEEDS = "needs"
    DELIVERIES = "deliveries"
    RIDES = "rides"

    @property
    def label(self) -> str:
        return {
            "contacts": _("Contacts"),
            "needs": _("Needs"),
            "deliveries": _("Deliveries"),
            "rides": _("Rides"),
        }[self.value]


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int


def export(
    store: Store,
    kind: ExportKind,
    out: Path,
    privacy: PrivacyLevel = PrivacyLevel.FULL,
    start: date | None = None,
    end: date | None = None,
) -> Exported:
    """Write one kind of record to `out` (.csv or .xlsx), between `start` and `end` if given."""
    sheet = table(store, kind, privacy, start, end)
    write_tables(Path(out), [sheet])
    return Exported(Path(out), len(sheet.rows))


def table(
    store: Store,
    kind: ExportKind,
    privacy: PrivacyLevel = PrivacyLevel.FULL,
    start: date | None = None,
    end: date | None = None,
) -> Sheet:
    """The rows an export holds, as a Sheet (also what tests read back against)."""
    builders: dict[ExportKind, Callable[[Store, _Privacy, date | None, date | None], Sheet]] = {
        ExportKind.CONTACTS: _contacts,
        ExportKind.NEEDS: _needs,
        ExportKind.DELIVERIES: _deliveries,
        ExportKind.RIDES: _rides,
    }
    return builders[kind](store, _Privacy(privacy), start, end)


class _Privacy:
    def __init__(self, level: PrivacyLevel) -> None:
        self.level = level
        self.full = level is PrivacyLevel.FULL
        self.named = level is not PrivacyLevel.CODE

    def name(self, name: str | None, contact_id: str | None) -> str:
        if not contact_id:
            return ""
        return shown_name(name or "", household_code(contact_id), self.level)


def _dt(text: str | None) -> datetime | None:
    """A stored UTC time as this computer's local time (what the organizer expects to read)."""
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value  # rides keep local wall-clock times
    return value.astimezone().replace(tzinfo=None)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _labels(json_text: str | None, enum: type[Any]) -> str:
    values = json.loads(json_text) if json_text else []
    out = []
    for value in values:
        try:
            out.append(enum(value).label)
        except ValueError:
            out.append(str(value))
    return ", ".join(out)


def _plain_list(json_text: str | None) -> str:
    return ", ".join(str(v) for v in (json.loads(json_text) if json_text else []))


def _phones(json_text: str | None) -> str:
    phones = json.loads(json_text) if json_text else []
    return ", ".join(display(p["e164"]) if p.get("e164") else p.get("original", "") for p in phones)


def _label(enum: type[Any], value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _utc_bounds(start: date | None, end: date | None) -> tuple[str, str]:
    """The UTC text range of local days start..end (stored times are UTC)."""
    low = datetime.combine(start, datetime.min.time()).astimezone(UTC) if start else None
    high = (
        datetime.combine(end + timedelta(days=1), datetime.min.time()).astimezone(UTC)
        if end
        else None
    )
    return (
        low.strftime("%Y-%m-%dT%H:%M:%S") if low else "",
        high.strftime("%Y-%m-%dT%H:%M:%S") if high else "9999",
    )


def _contacts(store: Store, p: _Privacy, start: date | None, end: date | None) -> Sheet:
    headers = [_("Household code")]
    if p.named:
        headers.append(_("Name"))
    if p.full:
        headers += [_("Phones"), _("Email"), _("Street"), _("Apartment / unit")]
    headers += [_("City"), _("State"), _("ZIP code")]
    headers += [_("Roles"), _("Adults"), _("Children"), _("Seniors"), _("Household size")]
    headers += [_("Diets"), _("Allergies"), _("Accessibility"), _("Languages")]
    if p.full:
        headers += [_("Delivery directions"), _("Private notes")]
    headers += [_("Shared with the group"), _("Consent given"), _("Status"), _("Tags"), _("Added")]
    low, high = _utc_bounds(start, end)
    rows: list[Sequence[Cell]] = []
    for r in store.iter_rows(
        "SELECT * FROM contacts WHERE _cl % 2 = 1 AND created_at >= ? AND created_at < ? "
        "ORDER BY name_key",
        (low, high),
    ):
        row: list[Cell] = [household_code(r["id"])]
        if p.named:
            row.append(p.name(r["name"], r["id"]))
        if p.full:
            row += [_phones(r["phones"]), r["email"], r["address_street"], r["address_unit"]]
        row += [r["address_city"], r["address_region"], r["address_postal_code"]]
        row += [
            _plain_list(r["roles"]),
            r["adults"],
            r["children"],
            r["seniors"],
            r["adults"] + r["children"] + r["seniors"],
        ]
        row += [_labels(r["dietary"], DietaryFlag), r["allergies"], r["accessibility"]]
        row.append(_plain_list(r["languages"]))
        if p.full:
            row += [r["directions"], r["notes"]]
        row += [
            _("yes") if r["share_scope"] == "group" else _("no"),
            _dt(r["consent_at"]),
            r["status"],
            _plain_list(r["tags"]),
            _dt(r["created_at"]),
        ]
        rows.append(row)
    return Sheet(_("Contacts"), headers, rows)


def _needs(store: Store, p: _Privacy, start: date | None, end: date | None) -> Sheet:
    headers = [_("Household code")]
    if p.named:
        headers.append(_("Household"))
    headers += [
        _("ZIP code"), _("Kind"), _("Description"), _("Quantity"), _("Urgency"), _("Status"),
        _("Needed by"), _("Repeats"), _("Source"), _("Asked on"), _("Status changed"),
    ]  # fmt: skip
    low, high = _utc_bounds(start, end)
    rows: list[Sequence[Cell]] = []
    for r in store.iter_rows(
        """SELECT n.*, c.name AS household, c.address_postal_code AS zip
           FROM needs n JOIN contacts c ON c.id = n.contact_id
           WHERE n._cl % 2 = 1 AND c._cl % 2 = 1 AND n.created_at >= ? AND n.created_at < ?
           ORDER BY n.created_at""",
        (low, high),
    ):
        row: list[Cell] = [household_code(r["contact_id"])]
        if p.named:
            row.append(p.name(r["household"], r["contact_id"]))
        row += [
            r["zip"],
            _label(Category, r["category"]),
            r["description"],
            r["quantity"],
            _label(Urgency, r["urgency"]),
            _label(NeedStatus, r["status"]),
            _day(r["needed_by"]),
            r["recurrence"],
            r["source"],
            _dt(r["created_at"]),
            _dt(r["status_changed_at"]),
        ]
        rows.append(row)
    return Sheet(_("Needs"), headers, rows)


def _deliveries(store: Store, p: _Privacy, start: date | None, end: date | None) -> Sheet:
    headers = [_("Day"), _("Run"), _("Driver"), _("Stop"), _("Household code")]
    if p.named:
        headers.append(_("Household"))
    if p.full:
        headers.append(_("Address"))
    headers += [_("ZIP code"), _("Household size"), _("Box"), _("Boxes"), _("Outcome")]
    headers += [_("Outcome note"), _("Outcome at")]
    where, params = _day_range("r.date", start, end)
    rows: list[Sequence[Cell]] = []
    for r in store.iter_rows(
        f"""SELECT r.date, r.name AS run, r.driver_id, d.name AS driver, s.seq, s.contact_id,
                  c.name AS household, c.address_street, c.address_unit, c.address_city,
                  c.address_postal_code AS zip, c.adults + c.children + c.seniors AS size,
                  b.name AS box, s.boxes, s.outcome, s.outcome_note, s.outcome_at
           FROM stops s JOIN delivery_runs r ON r.id = s.run_id
           JOIN contacts c ON c.id = s.contact_id
           LEFT JOIN contacts d ON d.id = r.driver_id
           LEFT JOIN box_types b ON b.id = s.box_type_id
           WHERE s._cl % 2 = 1 AND r._cl % 2 = 1 {where}
           ORDER BY r.date, r.name, s.seq""",
        params,
    ):
        row: list[Cell] = [
            _day(r["date"]),
            r["run"],
            p.name(r["driver"], r["driver_id"]),
            r["seq"],
            household_code(r["contact_id"]),
        ]
        if p.named:
            row.append(p.name(r["household"], r["contact_id"]))
        if p.full:
            street = " ".join(x for x in (r["address_street"], r["address_unit"]) if x)
            row.append(", ".join(x for x in (street, r["address_city"]) if x))
        row += [
            r["zip"],
            r["size"],
            r["box"] or "",
            r["boxes"],
            _label(Outcome, r["outcome"]) if r["outcome"] else _("not recorded"),
            r["outcome_note"] if p.full else "",
            _dt(r["outcome_at"]),
        ]
        rows.append(row)
    return Sheet(_("Deliveries"), headers, rows)


def _rides(store: Store, p: _Privacy, start: date | None, end: date | None) -> Sheet:
    headers = [_("Pickup"), _("Rider code")]
    if p.named:
        headers.append(_("Rider"))
    if p.full:
        headers.append(_("Pickup address"))
    headers += [_("Destination"), _("Appointment"), _("Way back"), _("Party"), _("Mobility")]
    headers += [_("Status"), _("Driver")]
    if p.full:
        headers.append(_("Notes"))
    where, params = _day_range("substr(r.pickup_at, 1, 10)", start, end)
    rows: list[Sequence[Cell]] = []
    for r in store.iter_rows(
        f"""SELECT r.*, c.name AS rider, d.name AS driver
           FROM rides r JOIN contacts c ON c.id = r.rider_id
           LEFT JOIN contacts d ON d.id = r.driver_id
           WHERE r._cl % 2 = 1 {where}
           ORDER BY r.pickup_at""",
        params,
    ):
        row: list[Cell] = [_dt(r["pickup_at"]), household_code(r["rider_id"])]
        if p.named:
            row.append(p.name(r["rider"], r["rider_id"]))
        if p.full:
            row.append(r["pickup_address"])
        row += [
            r["destination"],
            _dt(r["appointment_at"]),
            _("yes") if r["outbound_ride_id"] else _("no"),
            r["party_size"],
            _labels(r["mobility"], Mobility),
            _label(RideStatus, r["status"]),
            p.name(r["driver"], r["driver_id"]),
        ]
        if p.full:
            row.append(r["notes"])
        rows.append(row)
    return Sheet(_("Rides"), headers, rows)


def _day_range(column: str, start: date | None, end: date | None) -> tuple[str, list[str]]:
    clauses, params = [], []
    if start is not None:
        clauses.append(f"{column} >= ?")
        params.append(start.isoformat())
    if end is not None:
        clauses.append(f"{column} <= ?")
        params.append(end.isoformat())
    return "".join(f" AND {c}" for c in clauses), params
