"""What the sheets print, read from the store in a few queries (no drawing here)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from mutualaid_desktop.deliveries.packing_rules import load_rules
from mutualaid_desktop.domain.contact import household_code
from mutualaid_desktop.domain.enums import DietaryFlag
from mutualaid_desktop.domain.packing import Packed, PackedLine, Restrictions, to_review
from mutualaid_desktop.domain.phones import display as display_phone
from mutualaid_desktop.domain.sorting import natural_key
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store

_DIETS = frozenset(flag.value for flag in DietaryFlag)


@dataclass
class StopLine:
    """One stop as the sheets print it. The organizers' private notes are not here:
    what is never read cannot reach a sheet that leaves the building."""

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
    phones: list[str]  # E.164, every phone of the household, the first one first
    driver_notes: str
    languages: list[str]
    adults: int
    children: int
    seniors: int
    dietary: list[str]
    allergies: str  # as the organizer typed it
    restrictions: Restrictions
    accessibility: str
    box_type: str
    boxes: int
    packed: Packed
    lat: float | None
    lon: float | None

    @property
    def household_size(self) -> int:
        return self.adults + self.children + self.seniors

    @property
    def items(self) -> tuple[PackedLine, ...]:
        """What to pack for the household (quantities for the household, all boxes)."""
        return self.packed.lines

    @property
    def phone(self) -> str:
        return self.phones[0] if self.phones else ""

    @property
    def address(self) -> str:
        street = f"{self.street}, {self.unit}" if self.unit else self.street
        return ", ".join(p for p in (street, self.city, self.postal_code) if p)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""

    @property
    def phones_display(self) -> list[str]:
        return [display_phone(p) for p in self.phones]

    @property
    def diet_labels(self) -> list[str]:
        return [DietaryFlag(d).label if d in _DIETS else d for d in self.dietary]

    @property
    def allergy_labels(self) -> list[str]:
        return self.restrictions.allergen_labels

    @property
    def needs_review(self) -> list[str]:
        """What to look at before printing: items left out, allergy words nobody could read."""
        return to_review(self.packed, self.restrictions)


@dataclass
class RunSheet:
    run_id: str
    name: str
    day: date
    driver: str
    driver_phone: str
    capacity: int
    driver_id: str = ""
    stops: list[StopLine] = field(default_factory=list)

    def boxes_by_type(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for stop in self.stops:
            counts[stop.box_type or _("Unassigned")] += stop.boxes
        return counts


def find_run(store: Store, day: date, run: str) -> str:
    """The id of the run `run` (an id, or a name such as "Route 3") on `day`.

    A UserError says what is wrong: a run of another day, or no such run.
    """
    wanted = run.strip()
    rows = store.conn.execute(
        """SELECT id, name, date FROM delivery_runs
           WHERE _cl % 2 = 1 AND (id = ? OR (date = ? AND name = ? COLLATE NOCASE))""",
        (wanted, day.isoformat(), wanted),
    ).fetchall()
    on_day = [r for r in rows if r[2] == day.isoformat()]
    if len(on_day) == 1:
        return str(on_day[0][0])
    if len(on_day) > 1:
        raise UserError(
            _("{count} runs are called “{name}” on {day}; give the run's id instead.").format(
                count=len(on_day), name=wanted, day=day.isoformat()
            )
        )
    if rows:
        name, other = rows[0][1], rows[0][2]
        raise UserError(
            _("{name} is a run of {other}, not of {day}; print it for {other} instead.").format(
                name=name, other=other, day=day.isoformat()
            )
        )
    names = [
        r[0]
        for r in store.conn.execute(
            "SELECT name FROM delivery_runs WHERE _cl % 2 = 1 AND date = ?", (day.isoformat(),)
        )
    ]
    known = ", ".join(sorted(names, key=natural_key))
    raise UserError(
        _("There is no run “{run}” on {day}").format(run=wanted, day=day.isoformat())
        + (_("; that day's runs are {names}.").format(names=known) if names else ".")
    )


def find_driver(store: Store, driver: str) -> tuple[str, str]:
    """(id, name) of the driver `driver` (an id, or a name as written), or a UserError."""
    wanted = driver.strip()
    rows = store.conn.execute(
        """SELECT id, name FROM contacts
           WHERE _cl % 2 = 1 AND (id = ? OR name = ? COLLATE NOCASE)""",
        (wanted, wanted),
    ).fetchall()
    if len(rows) == 1:
        return str(rows[0][0]), str(rows[0][1])
    if rows:
        raise UserError(
            _("{count} contacts are called “{name}”; give the driver's id instead.").format(
                count=len(rows), name=wanted
            )
        )
    raise UserError(_("No driver is called “{name}”; check the name.").format(name=wanted))


def runs_of_driver(store: Store, day: date, driver: str, run_id: str | None) -> list[RunSheet]:
    """A driver's own runs of the day, with a sentence when there is nothing to print."""
    driver_id, name = find_driver(store, driver)
    driven = store.conn.execute(
        "SELECT count(*) FROM delivery_runs WHERE _cl % 2 = 1 AND date = ? AND driver_id = ?",
        (day.isoformat(), driver_id),
    ).fetchone()[0]
    if not driven:
        raise UserError(
            _("{name} drives no delivery run on {day}.").format(name=name, day=day.isoformat())
        )
    try:
        runs = [r for r in runs_for_day(store, day, run_id) if r.driver_id == driver_id]
    except UserError:
        runs = []
    if not runs:
        raise UserError(
            _("{name}'s run on {day} has no stops yet.").format(name=name, day=day.isoformat())
            if not run_id
            else _("{name} does not drive that run.").format(name=name)
        )
    return runs


def runs_for_day(store: Store, day: date, run_id: str | None = None) -> list[RunSheet]:
    """The day's delivery runs that have stops, stops in order (one run with `run_id`).

    Runs come in natural order (Route 2 before Route 10). A UserError when
    there is nothing to print: no run that day, or runs without stops.
    """
    where = "r._cl % 2 = 1 AND r.date = ?"
    params: list[object] = [day.isoformat()]
    if run_id:
        where += " AND r.id = ?"
        params.append(find_run(store, day, run_id))
    runs: dict[str, RunSheet] = {}
    for rid, name, capacity, driver_id, driver, phones in store.conn.execute(
        f"""SELECT r.id, r.name, r.capacity_boxes, coalesce(r.driver_id, ''),
                   coalesce(d.name, ''), coalesce(d.phones, '[]')
            FROM delivery_runs r LEFT JOIN contacts d ON d.id = r.driver_id
            WHERE {where}""",
        params,
    ):
        phone_list = json.loads(phones)
        first = phone_list[0]["e164"] if phone_list else ""
        runs[rid] = RunSheet(rid, name, day, driver, first, capacity, driver_id)
    if not runs:
        raise UserError(
            _("There is no delivery run on {day}; choose another date.").format(day=day.isoformat())
        )
    runs = dict(sorted(runs.items(), key=lambda kv: (natural_key(kv[1].name), kv[0])))
    rules = load_rules(store)
    marks = ",".join("?" * len(runs))
    for row in store.conn.execute(
        f"""SELECT s.id, s.run_id, s.seq, s.boxes, coalesce(b.name, ''), s.box_type_id,
                   c.id, c.name, c.address_street, c.address_unit, c.address_city,
                   c.address_postal_code, c.directions, c.phones, c.driver_notes, c.languages,
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
            driver_notes,
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
        diets = json.loads(dietary)
        who = Restrictions.of(diets, allergies)
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
                phones=[p["e164"] or p["original"] for p in json.loads(phones)],
                driver_notes=driver_notes,
                languages=json.loads(languages),
                adults=adults,
                children=children,
                seniors=seniors,
                dietary=diets,
                allergies=allergies,
                restrictions=who,
                accessibility=accessibility,
                box_type=box_name,
                boxes=boxes,
                packed=rules.pack(box_id, size, who),
                lat=lat,
                lon=lon,
            )
        )
    full = [run for run in runs.values() if run.stops]
    if not full:
        only = next(iter(runs.values())).name if len(runs) == 1 else ""
        raise UserError(
            _("{run} on {day} has no stops yet; add stops in Deliveries first.").format(
                run=only, day=day.isoformat()
            )
            if only
            else _(
                "None of the {count} runs on {day} has stops yet; add stops in Deliveries first."
            ).format(count=len(runs), day=day.isoformat())
        )
    return full
