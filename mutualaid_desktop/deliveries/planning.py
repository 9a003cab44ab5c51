"""Delivery planning on top of the store: every change is an ordinary stamped write.

Runs hold stops in `seq` order (1, 2, 3, ...). Adding stops from open needs
schedules those needs; route planning splits a day's stops across its runs by
capacity and orders each run offline (routing.plan_routes); outcomes keyed
from the paper route sheets close one-off needs that were delivered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from mutualaid_desktop.domain import (
    BoxType,
    Contact,
    DeliveryRun,
    Need,
    NeedStatus,
    Outcome,
    Recurrence,
    Stop,
)
from mutualaid_desktop.domain.contact import Address
from mutualaid_desktop.domain.packing import suggest_box_type
from mutualaid_desktop.domain.sorting import natural_key
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.routing import Point, StopIn, locate, plan_routes
from mutualaid_desktop.routing.plan import order_stops
from mutualaid_desktop.store import Store

# The keys an organizer types for each outcome when keying in a returned sheet.
OUTCOME_KEYS = {
    "d": Outcome.DELIVERED,
    "n": Outcome.NOT_HOME,
    "b": Outcome.BAD_ADDRESS,
    "r": Outcome.REFUSED,
}


@dataclass(frozen=True)
class Candidate:
    """An open need that could become a stop."""

    need_id: str
    contact_id: str
    name: str
    category: str
    description: str
    zip: str
    urgency: str


def candidate_needs(
    store: Store, day: date, category: str = "", zip_prefix: str = "", limit: int = 2000
) -> list[Candidate]:
    """Open needs of live contacts that no run of `day` already serves."""
    where = ["n._cl % 2 = 1", "c._cl % 2 = 1", "n.status IN ('new', 'scheduled')"]
    params: list[object] = []
    if category:
        where.append("n.category = ?")
        params.append(category)
    if zip_prefix.strip():
        where.append("c.address_postal_code LIKE ?")
        params.append(zip_prefix.strip() + "%")
    where.append(
        """NOT EXISTS (SELECT 1 FROM stops s JOIN delivery_runs r ON r.id = s.run_id
           WHERE s.need_id = n.id AND s._cl % 2 = 1 AND r._cl % 2 = 1 AND r.date = ?)"""
    )
    params.append(day.isoformat())
    rows = store.conn.execute(
        f"""SELECT n.id, c.id, c.name, n.category, n.description, c.address_postal_code,
                   n.urgency
            FROM needs n JOIN contacts c ON c.id = n.contact_id
            WHERE {" AND ".join(where)}
            ORDER BY CASE n.urgency WHEN 'today' THEN 0 WHEN '1-2_days' THEN 1
                     WHEN 'this_week' THEN 2 ELSE 3 END, c.address_postal_code, c.name
            LIMIT ?""",
        [*params, limit],
    ).fetchall()
    return [Candidate(*r) for r in rows]


def _stops_of(store: Store, run_id: str) -> list[Stop]:
    return store.select(Stop, "run_id = ?", [run_id], order_by="seq")


def add_stops(store: Store, run_id: str, need_ids: Iterable[str]) -> list[Stop]:
    """A stop per need at the end of the run, with a suggested box type; needs get scheduled."""
    run = store.require(DeliveryRun, run_id)
    boxes = store.select(BoxType, order_by="sort_order")
    added: list[Stop] = []
    with store.transaction():
        seq = max((s.seq for s in _stops_of(store, run.id)), default=0)
        for need_id in need_ids:
            need = store.require(Need, need_id)
            contact = store.require(Contact, need.contact_id)
            box = suggest_box_type(contact.dietary, boxes)
            seq += 1
            stop = Stop(
                run_id=run.id,
                contact_id=contact.id,
                need_id=need.id,
                seq=seq,
                box_type_id=box.id if box else None,
                boxes=1 + (contact.household_size > 5),
            )
            store.insert(stop)
            if need.status is NeedStatus.NEW:
                store.save(need.moved_to(NeedStatus.SCHEDULED))
            added.append(stop)
    return added


def add_by_rule(store: Store, run_id: str, category: str, zip_prefix: str) -> list[Stop]:
    """E.g. "all open grocery needs in ZIP 77036"."""
    run = store.require(DeliveryRun, run_id)
    found = candidate_needs(store, run.date, category, zip_prefix)
    if not found:
        raise UserError(_("No open need matches that rule on this day; widen the rule."))
    return add_stops(store, run_id, [c.need_id for c in found])


def renumber(store: Store, run_id: str, stop_ids: Sequence[str]) -> None:
    """Give the run's stops the order of `stop_ids` (1, 2, 3, ...)."""
    current = {s.id: s for s in _stops_of(store, run_id)}
    if set(stop_ids) != set(current):
        raise UserError(_("The run changed meanwhile; reload it and try again."))
    with store.transaction():
        for seq, stop_id in enumerate(stop_ids, start=1):
            if current[stop_id].seq != seq:
                store.update(Stop, stop_id, seq=seq)


def move_stop(store: Store, stop_id: str, new_position: int) -> None:
    """Move one stop to `new_position` (1-based) in its run (drag and drop)."""
    stop = store.require(Stop, stop_id)
    order = [s.id for s in _stops_of(store, stop.run_id) if s.id != stop_id]
    position = min(max(new_position, 1), len(order) + 1)
    order.insert(position - 1, stop_id)
    renumber(store, stop.run_id, order)


def _depot(run: DeliveryRun) -> Point | None:
    located = locate(run.depot.lat, run.depot.lon, run.depot.postal_code)
    return located.point


def _stop_inputs(store: Store, stops: Sequence[Stop]) -> list[StopIn]:
    contacts = (
        {
            c.id: c
            for c in store.select(
                Contact, f"id IN ({','.join('?' * len(stops))})", [s.contact_id for s in stops]
            )
        }
        if stops
        else {}
    )
    inputs = []
    for s in stops:
        address = contacts[s.contact_id].address if s.contact_id in contacts else Address()
        where = locate(address.lat, address.lon, address.postal_code)
        inputs.append(StopIn(s.id, where.point, max(s.boxes, 1)))
    return inputs


def order_run(store: Store, run_id: str) -> list[str]:
    """Put one run's stops in route order from its depot; unlocated stops keep their place."""
    run = store.require(DeliveryRun, run_id)
    stops = _stops_of(store, run_id)
    depot = _depot(run)
    if depot is None:
        raise UserError(_("Give the run a depot address (or its ZIP) so stops can be ordered."))
    order = order_stops(depot, _stop_inputs(store, stops))
    renumber(store, run_id, order)
    return [s.key for s in _stop_inputs(store, stops) if s.point is None]


def plan_day(store: Store, day: date, seconds: float = 0.8) -> list[str]:
    """Split all of a day's stops across its runs by capacity, in route order.

    Returns the ids of stops that have no location (flagged on screen).
    """
    runs = store.select(DeliveryRun, "date = ?", [day.isoformat()], order_by="name")
    if not runs:
        raise UserError(
            _("There is no delivery run on {day}; create one first.").format(day=day.isoformat())
        )
    depot = next((p for p in (_depot(r) for r in runs) if p is not None), None)
    if depot is None:
        raise UserError(_("Give the runs a depot address (or its ZIP) so stops can be planned."))
    stops = [s for r in runs for s in _stops_of(store, r.id)]
    inputs = _stop_inputs(store, stops)
    plan = plan_routes(depot, inputs, [max(r.capacity_boxes, 1) for r in runs], seconds)
    with store.transaction():
        # Park every stop at a high number first so no two share a place meanwhile.
        for i, s in enumerate(stops):
            store.update(Stop, s.id, seq=10_000 + i)
        for run, route in zip(runs, plan.routes, strict=True):
            for seq, stop_id in enumerate(route.keys, start=1):
                store.update(Stop, stop_id, run_id=run.id, seq=seq)
    return [k for r in plan.routes for k in r.unlocated]


def record_outcome(
    store: Store,
    stop_id: str,
    outcome: Outcome | None,
    note: str = "",
    when: datetime | None = None,
) -> Stop:
    """What happened at a stop; a delivered one-off need becomes fulfilled."""
    stop = store.require(Stop, stop_id)
    with store.transaction():
        updated = store.update(
            Stop,
            stop_id,
            outcome=outcome,
            outcome_note=note,
            outcome_at=(when or datetime.now(UTC)) if outcome else None,
        )
        if stop.need_id and outcome is Outcome.DELIVERED:
            need = store.get(Need, stop.need_id)
            if need and need.recurrence is Recurrence.NONE and need.status.is_open:
                store.save(need.moved_to(NeedStatus.FULFILLED))
    return updated


def key_in_outcomes(store: Store, run_id: str, entries: Iterable[tuple[int, str]]) -> int:
    """Outcomes keyed from a returned route sheet: (stop number, key d/n/b/r); how many saved."""
    by_seq = {s.seq: s for s in _stops_of(store, run_id)}
    saved = 0
    with store.transaction():
        for seq, key in entries:
            stop = by_seq.get(seq)
            if stop is None:
                raise UserError(
                    _("This run has no stop {seq}; check the number on the sheet.").format(seq=seq)
                )
            outcome = OUTCOME_KEYS.get(key.lower())
            if outcome is None:
                raise UserError(
                    _(
                        "“{key}” is not an outcome key; use d (delivered), n (not home), b "
                        "(bad address) or r (refused)."
                    ).format(key=key)
                )
            record_outcome(store, stop.id, outcome)
            saved += 1
    return saved


def clear_outcome(store: Store, run_id: str, seq: int) -> Stop:
    """Take back a stop's outcome keyed in by mistake (a need it closed opens again)."""
    stop = next((s for s in _stops_of(store, run_id) if s.seq == seq), None)
    if stop is None:
        raise UserError(
            _("This run has no stop {seq}; check the number on the sheet.").format(seq=seq)
        )
    with store.transaction():
        if stop.need_id and stop.outcome is Outcome.DELIVERED:
            need = store.get(Need, stop.need_id)
            if need and need.status is NeedStatus.FULFILLED and need.recurrence is Recurrence.NONE:
                # A correction, not a step of the workflow (which never reopens a
                # fulfilled need): the need is back to what the stop was for.
                store.update(
                    Need,
                    need.id,
                    status=NeedStatus.SCHEDULED,
                    status_changed_at=datetime.now(UTC),
                )
        return record_outcome(store, stop.id, None)


def runs_of_day(store: Store, day: date) -> list[DeliveryRun]:
    """The day's runs in natural order: Route 2 before Route 10."""
    runs = store.select(DeliveryRun, "date = ?", [day.isoformat()], order_by="name")
    return sorted(runs, key=lambda run: natural_key(run.name))


def stop_rows(store: Store, run_id: str) -> list[dict[str, object]]:
    """What the stops table shows for one run, in order."""
    out = []
    for r in store.iter_rows(
        """SELECT s.id, s.seq, s.boxes, s.outcome, s.outcome_note, c.name, c.address_street,
                  c.address_postal_code, c.address_lat, coalesce(b.name, '') AS box_type,
                  c.dietary
           FROM stops s JOIN contacts c ON c.id = s.contact_id
           LEFT JOIN box_types b ON b.id = s.box_type_id
           WHERE s._cl % 2 = 1 AND s.run_id = ? ORDER BY s.seq""",
        (run_id,),
    ):
        r["dietary"] = json.loads(str(r["dietary"]))
        r["located"] = r.pop("address_lat") is not None or bool(r["address_postal_code"])
        out.append(r)
    return out


def set_box(
    store: Store, stop_id: str, box_type_id: str | None = None, boxes: int | None = None
) -> Stop:
    """Change a stop's box type or number of boxes (the suggestion is only a start)."""
    changes: dict[str, object] = {}
    if box_type_id is not None:
        store.require(BoxType, box_type_id)
        changes["box_type_id"] = box_type_id
    if boxes is not None:
        changes["boxes"] = boxes
    return store.update(Stop, stop_id, **changes)
