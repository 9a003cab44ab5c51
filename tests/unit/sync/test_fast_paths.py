"""The fast ways a full bundle is checked and merged agree with the plain ones.

A full bundle holds a hundred thousand rows, so its ids are checked a column
at a time, most records' values a field at a time (one call into pydantic per
column), its nesting without parsing, and its rows go into an empty table as
they came. Each of these must refuse exactly what the one-value-at-a-time way
refuses, and store exactly what it would store.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Category, Contact, Need
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.tables import SPECS
from mutualaid_desktop.sync.bundle import _body
from mutualaid_desktop.sync.envelope import nesting_deeper_than
from mutualaid_desktop.sync.shared import sync_state
from mutualaid_desktop.sync.validate import (
    InvalidRow,
    _all_uuids,
    _columns_checker,
    _is_uuid,
    _row_checker,
)
from tests.unit.sync.exchange import body_of, deliver

TODAY = date(2026, 11, 27)


def _mangled(text: str, how: int, at: int) -> Any:
    at %= len(text)
    return [
        text,
        text.upper(),
        text[:at] + "g" + text[at + 1 :],
        text[:at] + "é" + text[at + 1 :],
        text[:at] + "-" + text[at + 1 :],
        text[:at] + text[at + 1 :],
        text + "0",
        "{" + text[1:-1] + "}",
        text.replace("-", ""),
        text[:at] + "\n" + text[at + 1 :],
        None,
        36,
    ][how]


ids = st.builds(
    _mangled,
    st.uuids().map(str),
    st.sampled_from([0] * 8 + list(range(12))),
    st.integers(0, 35),
)


@given(st.lists(ids, max_size=6))
def test_a_column_of_ids_is_refused_exactly_when_one_of_them_would_be(values: list[Any]) -> None:
    assert _all_uuids(values) == all(_is_uuid(v) for v in values)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


tricky_text = st.text(alphabet='[]{}"\\a\n', max_size=6)
json_values = st.recursive(
    st.none() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=25,
)


@settings(max_examples=300)
@given(json_values)
def test_nesting_is_measured_past_quotes_backslashes_and_brackets_inside_strings(
    value: Any,
) -> None:
    text = json.dumps(value, ensure_ascii=False).encode()
    depth = _depth(value)
    for limit in range(1, depth + 3):
        assert nesting_deeper_than(text, limit) == (depth > limit)


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    rosa = Store.create(None, organizer="Rosa")
    build_demo(rosa, households=12, seed=4, today=TODAY)
    return json.loads(json.dumps(body_of(rosa)["tables"]))  # as a file delivers it


SLOT = '[{"weekday":2,"start":"09:00:00","end":"09:00:00"}]'  # ends when it starts


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("needs", "quantity", 0),
        ("needs", "quantity", "many"),
        ("needs", "category", "pizza"),
        ("needs", "needed_by", "yesterday"),
        ("needs", "created_at", "not a time"),
        ("needs", "description", "x" * 3000),
        ("stops", "seq", -1),
        ("stops", "outcome", "lost"),
        ("stops", "boxes", True),
        ("stops", "outcome_note", "x" * 30_000),
        ("delivery_runs", "date", "2026-13-45"),
        ("delivery_runs", "depot_lat", 200),
        ("delivery_runs", "name", "   "),
        ("items", "allergens", '["glass"]'),
        ("items", "substitutes", '"not a list"'),
        ("box_items", "qty_base", -1),
        ("driver_profiles", "availability", SLOT),
        ("driver_profiles", "area_zips", "[1, 2]"),
        ("organization", "phone_region", "USA"),
        ("stops", "run_id", None),
    ],
)
def test_column_checks_refuse_what_the_model_refuses_row_by_row(
    tables: dict[str, Any], table: str, column: str, value: Any
) -> None:
    data = tables[table]
    columns, n = data["columns"], len(data["columns"])
    rows = [list(r) for r in data["rows"] if r[n] % 2]
    by_columns = _columns_checker(table, tuple(columns))
    by_rows = _row_checker(SPECS[table], table, columns)
    assert by_columns is not None  # these records have no rule across fields
    assert verdict(by_columns, rows) is None  # the demo's rows are sound both ways
    assert {verdict(by_rows, row) for row in rows} == {None}
    rows[-1][columns.index(column)] = value
    said = verdict(by_rows, rows[-1])
    assert verdict(by_columns, rows) == said
    if value is not True:  # (True is taken for 1, as a local write takes it)
        assert said is not None and said[0] == table


def verdict(check: Any, rows: Any) -> tuple[str, str, str] | None:
    try:
        check(rows)
    except InvalidRow as refusal:
        return refusal.table, refusal.field, str(refusal)
    return None


def test_a_required_field_an_older_program_did_not_send_is_missing_both_ways(
    tables: dict[str, Any],
) -> None:
    data = tables["stops"]
    n = len(data["columns"])
    drop = data["columns"].index("run_id")
    columns = [c for c in data["columns"] if c != "run_id"]
    rows = [[v for i, v in enumerate(r) if i != drop] for r in data["rows"] if r[n] % 2]
    by_columns = _columns_checker("stops", tuple(columns))
    with pytest.raises(InvalidRow) as column_wise:
        by_columns(rows)
    with pytest.raises(InvalidRow) as row_wise:
        _row_checker(SPECS["stops"], "stops", columns)(rows[0])
    assert column_wise.value.field == row_wise.value.field == "run_id"


@pytest.mark.parametrize(
    ("table", "changes", "field"),
    [
        # A household needs someone living there.
        ("contacts", {"kind": "household", "adults": 0, "children": 0, "seniors": 0}, "adults"),
        # Sharing with the group needs the date consent was given.
        ("contacts", {"share_scope": "group", "consent_at": None}, "consent_at"),
        # An outbound ride's appointment comes after its pickup.
        (
            "rides",
            {
                "outbound_ride_id": None,
                "pickup_at": "2026-11-27T15:00:00+00:00",
                "appointment_at": "2026-11-27T09:00:00+00:00",
            },
            "appointment_at",
        ),
    ],
)
def test_rules_across_fields_refuse_the_same_record_both_ways(
    tables: dict[str, Any], table: str, changes: dict[str, Any], field: str
) -> None:
    data = tables[table]
    columns, n = data["columns"], len(data["columns"])
    rows = [list(r) for r in data["rows"] if r[n] % 2]
    by_columns = _columns_checker(table, tuple(columns))
    by_rows = _row_checker(SPECS[table], table, columns)
    assert by_columns is not None
    assert verdict(by_columns, rows) is None
    for column, value in changes.items():
        rows[-1][columns.index(column)] = value
    said = verdict(by_rows, rows[-1])
    assert said is not None and said[:2] == (table, field)
    assert verdict(by_columns, rows) == said


def test_repeated_json_lists_are_checked_and_stored_apart(tables: dict[str, Any]) -> None:
    # Tag lists repeat from row to row and are decoded once: cleaning one row's
    # (dropping blanks) must neither change another's nor let a bad one pass.
    data = tables["contacts"]
    columns, n = data["columns"], len(data["columns"])
    rows = [list(r) for r in data["rows"] if r[n] % 2]
    at = columns.index("tags")
    for row in rows:
        row[at] = '["a", " ", "b"]'
    checker = _columns_checker("contacts", tuple(columns))
    assert verdict(checker, rows) is None
    assert verdict(checker, rows) is None  # the shared decoded list was not changed
    rows[0][at] = '["a", 5]'
    said = verdict(checker, rows)
    assert said is not None and said[:2] == ("contacts", "tags")


@pytest.mark.parametrize("laptops", [3, 70])
def test_rows_into_an_empty_table_keep_every_laptop_that_wrote_them(laptops: int) -> None:
    # Up to 64 laptops SQLite translates the origins, beyond that Python does.
    rosa = Store.create(None, organizer="Rosa")
    build_demo(rosa, households=60, seed=6, today=TODAY)
    body = json.loads(json.dumps(body_of(rosa)))
    others = [[str(uuid.UUID(int=i + 1)), f"Organizer {i}"] for i in range(laptops - 1)]
    body["replicas"] += others
    names = [rid for rid, _org in body["replicas"]]
    expected = {}
    for table, data in body["tables"].items():
        if table == "organization":
            continue  # not empty here: every laptop starts with the group's default settings
        n = len(data["columns"])
        for i, row in enumerate(data["rows"]):
            if row[n + 3] is None and row[n] % 2:
                row[n + 2] = i % len(names)
            expected[(table, row[0])] = names[row[n + 2]]
    stops = body["tables"]["stops"]["rows"]
    assert len({r[-2] for r in stops if r[-1] is None}) == min(laptops, len(stops))
    sam = Store.create(None, organizer="Sam")
    deliver(body, rosa, sam)
    stored = {}
    for table in body["tables"]:
        for row_id, replica in sam.conn.execute(
            f"SELECT t.id, r.replica_id FROM {table} t JOIN replicas r ON r.idx = t._origin"
        ):
            stored[(table, row_id)] = replica
    assert {k: stored[k] for k in expected} == expected
    assert sync_state(sam) == sync_state(rosa)


def test_the_json_sqlite_writes_for_a_full_bundle_holds_exactly_the_rows_python_reads() -> None:
    rosa = Store.create(None, organizer="Rosa")
    build_demo(rosa, households=30, seed=8, today=TODAY)
    household = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    awkward = 'He said "ring twice" \\ back door\n\tgate 4\x01 😀 שלום עליכם \u2028 café'
    rosa.insert(Need(contact_id=household.id, category=Category.GROCERIES, description=awkward))
    edited, deleted = rosa.select(Need, limit=2)  # rows Python still writes, beside SQLite's
    rosa.update(Need, edited.id, quantity=3)
    rosa.delete(Need, deleted.id)
    as_lists = body_of(rosa)
    as_json, count = _body(rosa, None, None, as_json=True)
    assert any(isinstance(t["rows"], orjson.Fragment) for t in as_json["tables"].values())
    read = json.loads(orjson.dumps(as_lists["tables"]))
    written = json.loads(orjson.dumps(as_json["tables"]))  # as the receiving laptop reads it
    assert set(read) == set(written)
    for table in read:
        assert written[table]["columns"] == read[table]["columns"]
        assert sorted(written[table]["rows"]) == sorted(read[table]["rows"]), table
    assert count == sum(len(t["rows"]) for t in read.values())
    needs = {row[0]: row for row in written["needs"]["rows"]}
    assert any(awkward in row for row in needs.values())
    assert needs[edited.id][-1] is not None and needs[deleted.id][-4] % 2 == 0
