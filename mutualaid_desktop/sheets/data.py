"""What the sheets print, read from the store in a few queries (no drawing here)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from mutualaid_desktop.domain.contact import household_code
from mutualaid_desktop.domain.enums import DietaryFlag
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store


@dataclass
class ItemLine:
    name: str
    unit: str
    quantity: int


@dataclass
class StopLine:
    stop_id: str
    seq: int
    contact_id: str
    name: str
    code: str
    street: str
    unit: str
    city: str
    postal_code: str
    directions: str
    phone: str  # E.164, "" when none
    notes: str
    languages: list[str]
    adults: int
    children: int
    seniors: int
    dietary: list[str]
    allergies: str
    accessibility: str
    box_type: str
    boxes: int
    items: list[ItemLine]
    lat: float | None
    lon: float | None

    @property
    def household_size(self) -> int:
        return self.adults + self.children + self.seniors

    @property
    def address(self) -> str:
        street = f"{self.street}, {self.unit}" if self.unit else self.street
        return ", ".join(p for p in (street, self.city, self.postal_code) if p)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""

    @property
    def diet_labels(self) -> list[str]:
        labels = {f.value: f.label for f in DietaryFlag}
        return [labels.get(d, d) for d in self.dietary]


@dataclass
class RunSheet:
    run_id: str
    name: str
    day: date
    driver: str
    driver_phone: str
    capacity: int
    stops: list[StopLine] = field(default_factory=list)

    def boxes_by_type(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for stop in self.stops:
            counts[stop.box_type or "Unassigned"] += stop.boxes
        return counts


def _items(store: Store) -> dict[str, list[tuple[str, str, float, float]]]:
    """box type id -> [(item, unit, base, per person)]."""
    out: dict[str, list[tuple[str, str, float, float]]] = {}
    for box_id, name, unit, base, per in store.conn.execute(
        """SELECT bi.box_type_id, i.name, i.unit, bi.qty_base, bi.qty_per_person
           FROM box_items bi JOIN items i ON i.id = bi.item_id
           WHERE bi._cl % 2 = 1 AND i._cl % 2 = 1 ORDER BY i.name"""
    ):
        out.setdefault(box_id, []).append((name, unit, base, per))
    return out


def runs_for_day(store: Store, day: date, run_id: str | None = None) -> list[RunSheet]:
    """The day's delivery runs with their stops in order (one run with `run_id`)."""
    from mutualaid_desktop.domain.delivery import scaled_quantity

    where = "r._cl % 2 = 1 AND r.date = ?"
    params: list[object] = [day.isoformat()]
    if run_id:
        where += " AND r.id = ?"
        params.append(run_id)
    runs: dict[str, RunSheet] = {}
    for rid, name, capacity, driver, phones in store.conn.execute(
        f"""SELECT r.id, r.name, r.capacity_boxes, coalesce(d.name, ''), coalesce(d.phones, '[]')
            FROM delivery_runs r LEFT JOIN contacts d ON d.id = r.driver_id
            WHERE {where} ORDER BY r.name""",
        params,
    ):
        phone_list = json.loads(phones)
        runs[rid] = RunSheet(
            rid, name, day, driver, phone_list[0]["e164"] if phone_list else "", capacity
        )
    if not runs:
        what = "that delivery run" if run_id else "any delivery run"
        raise UserError(f"There is not {what} on {day.isoformat()}; choose another date.")
    items = _items(store)
    marks = ",".join("?" * len(runs))
    for row in store.conn.execute(
        f"""SELECT s.id, s.run_id, s.seq, s.boxes, coalesce(b.name, ''), s.box_type_id,
                   c.id, c.name, c.address_street, c.address_unit, c.address_city,
                   c.address_postal_code, c.directions, c.phones, c.notes, c.languages,
                   c.adults, c.children, c.seniors, c.dietary, c.allergies, c.accessibility,
                   c.address_lat, c.address_lon
            FROM stops s JOIN contacts c ON c.id = s.contact_id
            LEFT JOIN box_types b ON b.id = s.box_type_id
            WHERE s._cl % 2 = 1 AND s.run_id IN ({marks}) ORDER BY s.run_id, s.seq""",
        list(runs),
    ):
        (
            sid,
            rid,
            seq,
            boxes,
            box_name,
            box_id,
            cid,
            name,
            street,
            unit,
            city,
            postal,
            directions,
            phones,
            notes,
            languages,
            adults,
            children,
            seniors,
            dietary,
            allergies,
            accessibility,
            lat,
            lon,
        ) = row
        size = adults + children + seniors
        lines = [
            ItemLine(item, unit_name, scaled_quantity(base, per, size) * max(boxes, 1))
            for item, unit_name, base, per in items.get(box_id or "", [])
        ]
        phone_list = json.loads(phones)
        runs[rid].stops.append(
            StopLine(
                stop_id=sid,
                seq=seq,
                contact_id=cid,
                name=name,
                code=household_code(cid),
                street=street,
                unit=unit,
                city=city,
                postal_code=postal,
                directions=directions,
                phone=phone_list[0]["e164"] if phone_list else "",
                notes=notes,
                languages=json.loads(languages),
                adults=adults,
                children=children,
                seniors=seniors,
                dietary=json.loads(dietary),
                allergies=allergies,
                accessibility=accessibility,
                box_type=box_name,
                boxes=boxes,
                items=lines,
                lat=lat,
                lon=lon,
            )
        )
    return list(runs.values())
