"""Build a realistic fictitious database centred on today.

History lies behind (a year of weekly distribution days with outcomes, past
rides, needs in every status); ahead lie tomorrow's distribution day (8
drivers, about 200 stops) and a week of rides. Everything is drawn from one
seeded random generator, so the same seed and date give the same data.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import zipcodes

from mutualaid_desktop.demo import pools
from mutualaid_desktop.domain import (
    Address,
    AvailabilityException,
    BoxItem,
    BoxType,
    Category,
    Contact,
    ContactMethod,
    DeliveryRun,
    DietaryFlag,
    DriverProfile,
    Item,
    Mobility,
    Need,
    NeedStatus,
    Outcome,
    Phone,
    Recurrence,
    Ride,
    RideStatus,
    Role,
    ShareScope,
    Stop,
    Urgency,
    WeeklySlot,
)
from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.domain.food import ItemTrait
from mutualaid_desktop.domain.packing import suggest_box_type
from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store

# progress(message, fraction 0..1) -> False to cancel
Progress = Callable[[str, float], bool]

STOPS_PER_RUN = 25
DEPOT_LAT = float(pools.DEPOT["lat"])
DEPOT_LON = float(pools.DEPOT["lon"])
TOMORROW_DRIVERS = 8
TOMORROW_STOPS = 200


@dataclass(frozen=True)
class DemoSummary:
    contacts: int
    needs: int
    runs: int
    stops: int
    rides: int


class _Gen:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # Details added to the demo later (driver notes, the wording of allergies and
        # notes, items' substitutes) come from a stream of their own, so the rest of
        # the demo stays the same for the same seed.
        self.details = random.Random(seed * 7919 + 17)
        # The items and box lines added for sugar, salt and baby formula: a third stream.
        self.diet_items = random.Random(seed * 104729 + 29)
        self.today = today
        self.now = datetime.combine(today, time(9, 0), tzinfo=UTC)
        self.zip_centroids: list[tuple[str, str, float, float]] = []
        for code in pools.ZIPS:
            match = zipcodes.matching(code)  # type: ignore[no-untyped-call]
            if match:
                z = match[0]
                self.zip_centroids.append((code, z["city"], float(z["lat"]), float(z["long"])))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def uid_aside(self) -> str:
        return str(uuid.UUID(int=self.details.getrandbits(128), version=4))

    def uid_diet(self) -> str:
        return str(uuid.UUID(int=self.diet_items.getrandbits(128), version=4))

    def past(self, days: int) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(0, days))

    def phone(self) -> Phone:
        rng = self.rng
        area = rng.choice(["713", "281", "832", "346"])
        exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
        if exchange[1:] == "11":
            exchange = exchange[0] + "12"
        line = f"{rng.randint(0, 9999):04d}"
        style = rng.randrange(5)
        original = [
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}",
            f"{area}{exchange}{line}",
        ][style]
        return Phone(original=original, e164=f"+1{area}{exchange}{line}")

    def name(self) -> tuple[str, str]:
        rng = self.rng
        group = rng.choices(pools.NAME_GROUPS, [g[1] for g in pools.NAME_GROUPS])[0]
        language, _share, given, family, family_first = group
        g, f = rng.choice(given), rng.choice(family)
        if language == "Spanish" and rng.random() < 0.6:
            f = f"{f} {rng.choice(family)}"  # paternal and maternal surnames
        elif language in ("English", "Haitian Creole", "Somali") and rng.random() < 0.5:
            g = f"{g} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
        if language == "Chinese":
            return f + g, language
        return (f"{f} {g}" if family_first else f"{g} {f}"), language

    def address(self) -> Address:
        rng = self.rng
        code, city, lat, lon = rng.choice(self.zip_centroids)
        return Address(
            street=f"{rng.randint(100, 12999)} {rng.choice(pools.STREETS)}",
            unit=rng.choice(pools.UNITS) if rng.random() < 0.35 else "",
            city=city.title(),
            region="TX",
            postal_code=code,
            lat=round(lat + rng.gauss(0, 0.009), 6),
            lon=round(lon + rng.gauss(0, 0.009), 6),
        )

    def contact(self, roles: list[Role]) -> Contact:
        rng = self.rng
        name, language = self.name()
        languages = (
            [language]
            if language == "English"
            else [language, "English"][: 1 + (rng.random() < 0.4)]
        )
        phones = [self.phone()]
        if rng.random() < 0.15:
            phones.append(self.phone().model_copy(update={"label": "work"}))
        dietary: list[DietaryFlag] = []
        if rng.random() < 0.45:
            dietary = rng.sample(list(DietaryFlag), k=rng.choice([1, 1, 1, 2]))
        if language in ("Arabic", "Somali") and rng.random() < 0.8:
            dietary = sorted({*dietary, DietaryFlag.HALAL})
        consented = rng.random() < 0.9
        household = Role.RECIPIENT in roles
        adults = rng.choice([1, 1, 2, 2, 2, 3]) if household else 1
        return Contact(
            id=self.uid(),
            name=name,
            roles=roles,
            phones=phones,
            email=f"{self.uid()[:8]}@example.org" if rng.random() < 0.3 else "",
            address=self.address(),
            directions=rng.choice(pools.DIRECTIONS),
            languages=languages,
            adults=adults,
            children=rng.choice([0, 0, 1, 2, 3, 4]) if household else 0,
            seniors=rng.choice([0, 0, 0, 1, 2]) if household else 0,
            dietary=dietary,
            # Half the households have an allergy, as since the first demo; its wording varies.
            allergies=self.details.choice(pools.ALLERGIES) if rng.randrange(10) >= 5 else "",
            accessibility=rng.choice(pools.ACCESSIBILITY),
            preferred_contact=rng.choice(
                [ContactMethod.PHONE, ContactMethod.SMS, ContactMethod.SMS, ContactMethod.WHATSAPP]
            ),
            consent_at=self.past(400) if consented else None,
            share_scope=ShareScope.GROUP if consented else ShareScope.LOCAL,
            tags=rng.sample(
                ["seniors", "families", "north", "weekend", "spanish-line"], k=rng.randint(0, 2)
            ),
            notes=self.details.choice(pools.NOTES) if rng.randrange(8) < 5 else "",
            driver_notes=self.details.choice(pools.DRIVER_NOTES) if household else "",
            created_at=self.past(400),
        )


def _check(progress: Progress | None, message: str, fraction: float) -> None:
    if progress is not None and progress(message, fraction) is False:
        raise Cancelled()


def _chunks(items: Sequence[Contact], count: int) -> list[list[Contact]]:
    """Split stops into `count` routes of neighbours: sort by bearing from the depot."""
    if count <= 0:
        return []

    def bearing(c: Contact) -> float:
        lat = c.address.lat or DEPOT_LAT
        lon = c.address.lon or DEPOT_LON
        return math.atan2(lat - DEPOT_LAT, lon - DEPOT_LON)

    ordered = sorted(items, key=bearing)
    size = math.ceil(len(ordered) / count) if ordered else 0
    return [ordered[i : i + size] for i in range(0, len(ordered), size)] if size else []


def _route_order(stops: list[Contact]) -> list[Contact]:
    """Nearest-neighbour order from the depot: plausible sheets, not optimal routes."""
    rest = list(stops)
    here = (DEPOT_LAT, DEPOT_LON)
    ordered: list[Contact] = []
    while rest:
        i = min(
            range(len(rest)),
            key=lambda k: (
                (float(rest[k].address.lat or 0) - here[0]) ** 2
                + (float(rest[k].address.lon or 0) - here[1]) ** 2
            ),
        )
        nxt = rest.pop(i)
        ordered.append(nxt)
        here = (float(nxt.address.lat or 0), float(nxt.address.lon or 0))
    return ordered


def build_demo(
    store: Store,
    households: int = 200,
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with fictitious data; all or nothing."""
    if households < 1:
        raise UserError(_("The number of households must be at least 1."))
    if store.count(Contact) > 0:
        raise UserError(
            _("This database already holds contacts; demo data goes into a new, empty database.")
        )
    gen = _Gen(seed, today or date.today())
    rng = gen.rng
    batches: dict[type[Record], list[Record]] = {}

    def add(record: Record) -> None:
        batches.setdefault(type(record), []).append(record)

    _check(progress, "Creating households", 0.0)
    n_drivers = max(TOMORROW_DRIVERS, households // 250)
    n_volunteers = max(3, households // 100)
    homes = [gen.contact([Role.RECIPIENT]) for _ in range(households)]
    _check(progress, "Creating volunteers and drivers", 0.15)
    volunteers = [gen.contact([Role.VOLUNTEER]) for _ in range(n_volunteers)]
    drivers = [gen.contact([Role.VOLUNTEER, Role.DRIVER]) for _ in range(n_drivers)]
    for c in volunteers + drivers:
        if c.share_scope is ShareScope.LOCAL:
            c.consent_at = gen.past(300)
            c.share_scope = ShareScope.GROUP
    for c in homes + volunteers + drivers:
        add(c)

    # Items and box types.
    items = {
        name: Item(
            id=(
                gen.uid_diet()
                if name in pools.DIET_ITEMS
                else gen.uid_aside()
                if name in pools.ADDED_ITEMS
                else gen.uid()
            ),
            name=name,
            unit=unit,
            category=cat,
            allergens=[Allergen(a) for a in allergens],
            traits=[ItemTrait(t) for t in traits],
        )
        for name, unit, cat, allergens, traits in pools.ITEMS
    }
    for name, instead in pools.SUBSTITUTES.items():
        items[name].substitutes = [items[other].id for other in instead]
    for item in items.values():
        add(item)
    box_types = [
        BoxType(
            id=gen.uid(),
            name=name,
            suits=[DietaryFlag(s) for s in suits],
            description=desc,
            sort_order=i,
        )
        for i, (name, suits, desc) in enumerate(pools.BOX_TYPES)
    ]
    for box in box_types:
        add(box)
        for item_name, base, per in pools.BOX_CONTENTS[box.name]:
            add(
                BoxItem(
                    id=gen.uid(),
                    box_type_id=box.id,
                    item_id=items[item_name].id,
                    qty_base=base,
                    qty_per_person=per,
                )
            )
        for item_name, base, per in pools.DIET_BOX_CONTENTS[box.name]:
            add(
                BoxItem(
                    id=gen.uid_diet(),
                    box_type_id=box.id,
                    item_id=items[item_name].id,
                    qty_base=base,
                    qty_per_person=per,
                )
            )

    # Driver profiles.
    _check(progress, "Creating driver availability", 0.25)
    for d in drivers:
        slots = []
        for weekday in rng.sample(range(7), k=rng.randint(2, 5)):
            start = rng.choice([7, 8, 9, 12, 14, 17])
            length = rng.choice([3, 4, 5, 8])
            slots.append(
                WeeklySlot(weekday=weekday, start=time(start), end=time((start + length) % 24))
            )
        if rng.random() < 0.1:  # a night-shift driver whose window runs past midnight
            slots.append(WeeklySlot(weekday=rng.randrange(7), start=time(22), end=time(2)))
        exceptions = [
            AvailabilityException(
                date=gen.today + timedelta(days=rng.randint(1, 20)), available=False
            )
            for _ in range(rng.choice([0, 0, 1, 2]))
        ]
        add(
            DriverProfile(
                id=gen.uid(),
                contact_id=d.id,
                seats=rng.choice([2, 3, 3, 4, 4, 6]),
                wheelchair_accessible=rng.random() < 0.2,
                availability=slots,
                exceptions=exceptions,
                area_zips=rng.sample(pools.ZIPS, k=rng.randint(3, 7)),
                max_rides_per_day=rng.randint(3, 6),
            )
        )

    # Needs: a recurring grocery need for most households, and others in every status.
    _check(progress, "Creating needs", 0.3)
    grocery_need: dict[str, Need] = {}
    categories = list(Category)
    weights = [10, 3, 4, 4, 3, 3, 2, 3, 1]
    closed_status = [NeedStatus.FULFILLED] * 6 + [NeedStatus.UNMET, NeedStatus.CANCELLED]
    for home in homes:
        if rng.random() < 0.85:
            need = Need(
                id=gen.uid(),
                contact_id=home.id,
                category=Category.GROCERIES,
                description="Weekly groceries",
                quantity=1,
                urgency=Urgency.THIS_WEEK,
                status=NeedStatus.NEW if rng.random() < 0.06 else NeedStatus.SCHEDULED,
                recurrence=rng.choice([Recurrence.WEEKLY, Recurrence.WEEKLY, Recurrence.BIWEEKLY]),
                source=rng.choice(["sign-up form", "phone", "in person"]),
                created_at=home.created_at,
            )
            grocery_need[home.id] = need
            add(need)
        for _round in range(rng.choice([0, 1, 1, 2, 2, 3, 3])):
            category = rng.choices(categories, weights)[0]
            created = gen.past(365)
            open_need = rng.random() < 0.4
            status = (
                rng.choice([NeedStatus.NEW, NeedStatus.NEW, NeedStatus.SCHEDULED])
                if open_need
                else rng.choice(closed_status)
            )
            due = created.date() + timedelta(days=rng.randint(1, 14))
            if open_need:
                due = gen.today + timedelta(days=rng.randint(-10, 14))
            add(
                Need(
                    id=gen.uid(),
                    contact_id=home.id,
                    category=category,
                    description=rng.choice(pools.NEED_TEXT[category.value]),
                    quantity=rng.randint(1, 4),
                    urgency=rng.choice(list(Urgency)),
                    status=status,
                    needed_by=due,
                    source=rng.choice(["sign-up form", "phone", "in person", "referral"]),
                    assigned_volunteer_id=rng.choice(volunteers).id if rng.random() < 0.3 else None,
                    created_at=created,
                    status_changed_at=None
                    if status is NeedStatus.NEW
                    else created + timedelta(days=rng.randint(0, 10)),
                )
            )

    # Delivery runs: tomorrow's distribution day, then a year of weekly history.
    _check(progress, "Planning tomorrow's distribution", 0.4)
    by_id = {c.id: c for c in homes}
    regular = [by_id[cid] for cid in grocery_need]
    tomorrow = gen.today + timedelta(days=1)
    n_tomorrow = min(TOMORROW_STOPS, len(regular))
    tomorrow_homes = rng.sample(regular, n_tomorrow)
    n_runs_tomorrow = min(TOMORROW_DRIVERS, max(1, math.ceil(n_tomorrow / 3)))
    stop_count = 0
    run_count = 0

    def make_run(
        day: date, label: str, driver: Contact, members: list[Contact], history: bool
    ) -> None:
        nonlocal stop_count, run_count
        run = DeliveryRun(
            id=gen.uid(),
            date=day,
            name=label,
            depot=Address(**pools.DEPOT),
            driver_id=driver.id,
            # Room for every box (1, or 2 for a large household) and a few spare.
            capacity_boxes=max(30, sum(1 + (m.household_size > 5) for m in members) + 2),
        )
        add(run)
        run_count += 1
        for seq, home in enumerate(_route_order(members), start=1):
            box = suggest_box_type(home.dietary, box_types)
            outcome = None
            outcome_at = None
            note = ""
            if history:
                outcome = rng.choices(list(Outcome), [86, 8, 3, 3])[0]
                outcome_at = datetime.combine(
                    day, time(rng.randint(10, 16), rng.randint(0, 59)), tzinfo=UTC
                )
                if outcome is not Outcome.DELIVERED and rng.random() < 0.5:
                    note = rng.choice(
                        [
                            "Left a note on the door",
                            "Neighbour says they moved",
                            "Called, no answer",
                        ]
                    )
            add(
                Stop(
                    id=gen.uid(),
                    run_id=run.id,
                    contact_id=home.id,
                    need_id=grocery_need[home.id].id if home.id in grocery_need else None,
                    seq=seq,
                    box_type_id=box.id if box else None,
                    boxes=1 + (home.household_size > 5),
                    outcome=outcome,
                    outcome_note=note,
                    outcome_at=outcome_at,
                )
            )
            stop_count += 1

    compass = ["North", "Northeast", "East", "Southeast", "South", "Southwest", "West", "Northwest"]
    # Tomorrow's routes go to drivers who have not marked tomorrow as a day off.
    days_off = {
        p.contact_id
        for p in batches[DriverProfile]
        if isinstance(p, DriverProfile)
        and any(e.date == tomorrow and not e.available for e in p.exceptions)
    }
    free = [d for d in drivers if d.id not in days_off] or drivers
    for i, members in enumerate(_chunks(tomorrow_homes, n_runs_tomorrow)):
        name = f"Route {i + 1} – {compass[i % 8]}"
        make_run(tomorrow, name, free[i % len(free)], members, False)
    for home in tomorrow_homes:
        grocery_need[home.id].status = NeedStatus.SCHEDULED

    target_history = max(0, 5 * households - n_tomorrow)
    per_week = target_history / 52
    share = min(1.0, per_week / max(1, len(regular)))
    for week in range(1, 53):
        _check(progress, "Writing a year of delivery history", 0.45 + 0.25 * week / 52)
        day = tomorrow - timedelta(weeks=week)
        served = [h for h in regular if rng.random() < share]
        if not served:
            continue
        n_runs = max(1, round(len(served) / STOPS_PER_RUN))
        for i, members in enumerate(_chunks(served, n_runs)):
            make_run(day, f"Route {i + 1}", drivers[(i + week) % len(drivers)], members, True)

    # Rides: a year behind, a week ahead.
    _check(progress, "Creating rides", 0.72)
    ride_count = 0
    target_rides = max(4, households // 4)
    ahead = max(2, target_rides // 5)
    while ride_count < target_rides:
        future = ride_count < ahead
        rider = rng.choice(homes)
        day = (
            (gen.today + timedelta(days=rng.randint(0, 7)))
            if future
            else (gen.today - timedelta(days=rng.randint(1, 365)))
        )
        pickup = datetime.combine(day, time(rng.randint(7, 15), rng.choice([0, 15, 30, 45])))
        dest, dlat, dlon = rng.choice(pools.DESTINATIONS)
        mobility: list[Mobility] = []
        if rider.accessibility == "Wheelchair user":
            mobility = [Mobility.WHEELCHAIR]
        elif rider.accessibility == "Uses a walker":
            mobility = [Mobility.WALKER]
        elif rng.random() < 0.08:
            mobility = [Mobility.STAIRS_HELP]
        ride_status: RideStatus
        if future:
            ride_status = rng.choices(
                [RideStatus.REQUESTED, RideStatus.OFFERED, RideStatus.CONFIRMED], [5, 2, 3]
            )[0]
        else:
            ride_status = rng.choices(
                [RideStatus.COMPLETED, RideStatus.CANCELLED, RideStatus.NO_SHOW], [80, 12, 8]
            )[0]
        driver = rng.choice(drivers).id if ride_status is not RideStatus.REQUESTED else None
        party = 1 + (rng.random() < 0.25)
        out = Ride(
            id=gen.uid(),
            rider_id=rider.id,
            pickup_address=rider.address.one_line(),
            pickup_lat=rider.address.lat,
            pickup_lon=rider.address.lon,
            pickup_at=pickup,
            destination=dest,
            dest_lat=dlat,
            dest_lon=dlon,
            appointment_at=pickup + timedelta(minutes=45),
            party_size=party,
            mobility=mobility,
            status=ride_status,
            driver_id=driver,
            notes=rng.choice(["", "", "Call when outside", "Needs help carrying bags"]),
        )
        add(out)
        ride_count += 1
        if rng.random() < 0.4 and ride_count < target_rides:
            back = pickup + timedelta(minutes=45 + rng.choice([60, 90, 120]))
            add(
                Ride(
                    id=gen.uid(),
                    rider_id=rider.id,
                    pickup_address=dest,
                    pickup_lat=dlat,
                    pickup_lon=dlon,
                    pickup_at=back,
                    destination=rider.address.one_line(),
                    dest_lat=rider.address.lat,
                    dest_lon=rider.address.lon,
                    outbound_ride_id=out.id,
                    party_size=party,
                    mobility=mobility,
                    status=ride_status,
                    driver_id=driver
                    if rng.random() < 0.7
                    else None
                    if ride_status is RideStatus.REQUESTED
                    else driver,
                )
            )
            ride_count += 1

    # Write everything in one transaction: all or nothing.
    order: list[type[Record]] = [
        Contact,
        Item,
        BoxType,
        BoxItem,
        DriverProfile,
        Need,
        DeliveryRun,
        Stop,
        Ride,
    ]
    with store.transaction():
        for i, model in enumerate(order):
            _check(progress, "Saving", 0.75 + 0.25 * i / len(order))
            store.insert_many(batches.get(model, []), audit_each=False)
        _check(progress, "Done", 1.0)
    store.analyze()
    return DemoSummary(
        contacts=len(batches[Contact]),
        needs=len(batches[Need]),
        runs=run_count,
        stops=stop_count,
        rides=ride_count,
    )
