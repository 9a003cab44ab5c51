"""Every incoming row is checked as a local write would be; one bad row refuses the bundle.

The bodies here are forged after the sender built them, as a faulty or hostile
program would sign them; the envelope is left out (tests/unit/sync/exchange.py).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import BoxType, Contact, DriverProfile, Item, Ride, parse_model
from mutualaid_desktop.errors import ValidationFailed
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database
from mutualaid_desktop.store.clock import hlc_from_ms
from mutualaid_desktop.sync.envelope import BundleError
from mutualaid_desktop.sync.importer import ClockFarAhead
from mutualaid_desktop.sync.shared import sync_state
from tests.unit.sync.exchange import body_of, deliver

TODAY = date(2026, 11, 27)
MAX_HLC = 2**63 - 1  # the largest integer SQLite stores


@pytest.fixture(scope="module")
def sent() -> dict[str, Any]:
    rosa = Store.create(None, organizer="Rosa")
    build_demo(rosa, households=8, seed=9, today=TODAY)
    body = body_of(rosa)
    body["_sender"] = rosa
    return body


def forged(sent: dict[str, Any], table: str, column: str, value: Any) -> dict[str, Any]:
    """The bundle with `column` of the first live row of `table` set to `value`."""
    body = {k: v for k, v in sent.items() if k != "_sender"}
    body["tables"] = json.loads(json.dumps(sent["tables"]))  # as a file delivers it
    data = body["tables"][table]
    at = data["columns"].index(column)
    n = len(data["columns"])
    row = next(r for r in data["rows"] if r[n] % 2 == 1)
    row[at] = value
    return body


def refused(sent: dict[str, Any], body: dict[str, Any], **decisions: Any) -> str:
    """Deliver `body` to a fresh laptop expecting a refusal that changes nothing."""
    sam = Store.create(None, organizer="Sam")
    before = sync_state(sam)
    with pytest.raises(BundleError) as caught:
        deliver(body, sent["_sender"], sam, **decisions)
    assert sync_state(sam) == before
    assert sam.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    return str(caught.value)


@pytest.mark.parametrize(
    ("table", "column", "value", "problem"),
    [
        ("contacts", "kind", "alien", "not one of the values"),
        ("contacts", "adults", "lots", "not a whole number"),
        ("contacts", "adults", -3, "too small"),
        ("contacts", "name", "Ana " * 500_000, "too long"),
        ("contacts", "phones", "{not json", "stored form"),
        ("needs", "urgency", "whenever", "not one of the values"),
        ("rides", "party_size", 1e9, "too large"),
        ("rides", "party_size", 2.5, "whole number"),
        ("stops", "boxes", "2; DROP TABLE stops", "whole number"),
        ("needs", "contact_id", ["a", "list"], "not a valid record id"),
        ("stops", "need_id", {"a": 1}, "not a valid record id"),
    ],
)
def test_an_invalid_row_refuses_the_bundle_naming_table_and_field(
    sent: dict[str, Any], table: str, column: str, value: Any, problem: str
) -> None:
    message = refused(sent, forged(sent, table, column, value))
    assert f"({table}, field {column})" in message
    assert problem in message
    assert "Nothing was changed" in message


def test_ids_and_references_must_be_uuids_that_exist(sent: dict[str, Any]) -> None:
    assert "(contacts, field id)" in refused(sent, forged(sent, "contacts", "id", "robert'); --"))
    unknown = "0b9f3a56-1111-4a3b-9c1d-000000000000"
    message = refused(sent, forged(sent, "needs", "contact_id", unknown))
    assert "needs, field contact_id" in message and "full bundle" in message


def test_a_record_listed_twice_is_named_as_such(sent: dict[str, Any]) -> None:
    body = forged(sent, "contacts", "notes", "")
    rows = body["tables"]["contacts"]["rows"]
    rows.append(list(rows[0]))
    assert "same record twice (contacts)" in refused(sent, body)


def test_the_refusal_never_repeats_the_value_in_the_message_or_the_log(
    sent: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Lives in the blue van behind the church"
    caplog.set_level(logging.DEBUG)
    message = refused(sent, forged(sent, "contacts", "email", secret))
    assert "email" in message
    assert secret not in message
    assert secret not in caplog.text


def test_a_tombstone_carrying_values_is_refused(sent: dict[str, Any]) -> None:
    body = forged(sent, "contacts", "notes", "")
    data = body["tables"]["contacts"]
    n = len(data["columns"])
    data["rows"][0][n] = 2  # deleted, yet with its name and phones
    assert "filled in on a deleted record" in refused(sent, body)


def _row_stamp(body: dict[str, Any], table: str, stamp: int) -> dict[str, Any]:
    data = body["tables"][table]
    n = len(data["columns"])
    data["rows"][0][n + 1] = stamp
    return body


def test_a_row_stamped_a_century_ahead_needs_a_yes(sent: dict[str, Any]) -> None:
    century_ms = 100 * 365 * 24 * 3600 * 1000
    ahead = hlc_from_ms(time.time_ns() // 1_000_000 + century_ms)
    sam = Store.create(None, organizer="Sam")
    body = _row_stamp(forged(sent, "needs", "description", "x"), "needs", ahead)
    with pytest.raises(ClockFarAhead):
        deliver(body, sent["_sender"], sam)
    assert sam.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    deliver(body, sent["_sender"], sam, accept_clock=True)  # a yes: imported
    assert sam.clock.last >= ahead


@pytest.mark.parametrize("stamp", [MAX_HLC, MAX_HLC + 1, -1, "12", 3.5])
def test_a_stamp_the_clock_cannot_move_past_is_refused_even_with_a_yes(
    sent: dict[str, Any], stamp: Any
) -> None:
    body = _row_stamp(forged(sent, "contacts", "notes", ""), "contacts", stamp)
    message = refused(sent, body, accept_clock=True)
    assert "contacts" in message


def test_after_a_refusal_the_laptop_still_writes_and_checks_clean(sent: dict[str, Any]) -> None:
    sam = Store.create(None, organizer="Sam")
    body = _row_stamp(forged(sent, "contacts", "notes", ""), "contacts", MAX_HLC)
    with pytest.raises(BundleError):
        deliver(body, sent["_sender"], sam, accept_clock=True)
    sam.insert(Contact(name="Still works", adults=1))
    assert check_database(sam) == []


def _slot(i: int) -> dict[str, Any]:
    return {"weekday": i % 7, "start": f"{i % 24:02}:00:00", "end": f"{i % 24:02}:30:00"}


# (model, field, the i-th entry of a list, how many entries real use stays under)
LISTS = [
    (Contact, "phones", lambda i: {"original": f"713 555 {i:04}"}, 10),
    (Contact, "languages", lambda i: f"Language {i}", 20),
    (Contact, "tags", lambda i: f"tag {i}", 50),
    (Contact, "roles", lambda i: ["recipient", "volunteer", "driver"][i % 3], 10),
    (Contact, "dietary", lambda i: ["vegetarian", "vegan", "halal"][i % 3], 30),
    (Item, "allergens", lambda i: ["milk", "egg", "peanut"][i % 3], 30),
    (Item, "substitutes", lambda i: str(uuid.UUID(int=i + 1)), 20),
    (BoxType, "suits", lambda i: ["vegetarian", "vegan", "halal"][i % 3], 30),
    (DriverProfile, "availability", _slot, 50),
    (DriverProfile, "exceptions", lambda i: {"date": str(TODAY + timedelta(days=i))}, 1000),
    (DriverProfile, "area_zips", lambda i: f"{77000 + i}", 500),
    (Ride, "mobility", lambda i: ["wheelchair", "walker", "stairs_help"][i % 3], 10),
]
BASICS: dict[type, dict[str, Any]] = {
    Contact: {"name": "Ana"},
    Item: {"name": "Rice"},
    BoxType: {"name": "Standard"},
    DriverProfile: {"contact_id": str(uuid.UUID(int=7))},
    Ride: {
        "rider_id": str(uuid.UUID(int=8)),
        "pickup_address": "1 Main St",
        "pickup_at": "2026-11-28T09:00:00",
        "destination": "Clinic",
    },
}


@pytest.mark.parametrize(("model", "field", "entry", "limit"), LISTS)
def test_lists_inside_a_record_are_bounded_alike_for_a_local_write_and_a_bundle(
    sent: dict[str, Any], model: type, field: str, entry: Any, limit: int
) -> None:
    enough = [entry(i) for i in range(limit)]
    assert len(getattr(parse_model(model, {**BASICS[model], field: enough}), field)) >= 1
    too_many = [entry(i) for i in range(limit + 1)]
    with pytest.raises(ValidationFailed) as typed:  # what the organizer typed, in the window
        parse_model(model, {**BASICS[model], field: too_many})
    assert typed.value.problems[field].endswith(f"has too many entries: at most {limit:,}.")
    table = model.__table__
    message = refused(sent, forged(sent, table, field, json.dumps(too_many)))
    assert f"({table}, field {field})" in message
    assert f"has too many entries (at most {limit:,})" in message
    assert message.count(". ") <= 3 and "Nothing was changed" in message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("former_groups", [["not", "an", "id"]]),
        ("former_groups", "abc"),  # read as the groups "a", "b" and "c" before
        ("base", ["not", "a", "state"]),
        ("base", {"not-a-laptop": 5}),
        ("for_replica", {"id": 1}),
    ],
)
def test_what_the_bundle_says_of_itself_is_checked_too(
    sent: dict[str, Any], key: str, value: Any
) -> None:
    body = forged(sent, "contacts", "notes", "")
    body[key] = value
    field = "base" if key == "for_replica" else key
    assert f"(bundle, field {field})" in refused(sent, body)
