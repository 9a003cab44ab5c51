"""Checking every row of a bundle before anything is merged (SYNC.md, Import 6 and 6b).

A bundle is signed, but a signature only says who wrote it, not that it is
sound: a faulty or hostile program can sign anything. Every row is checked
with the same pydantic models as a local write (kinds, numbers, lengths,
enums), its id and references as UUIDs that exist, and every stamp as one
this laptop's clock can move past. One bad row refuses the whole bundle, with
a sentence naming the kind of record and the field, never the value: the
values are personal data and the sentence may end up in a log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.clock import MAX_SANE_HLC
from mutualaid_desktop.store.constants import CL_GROUP, SHARED_TABLES
from mutualaid_desktop.sync.envelope import BundleError
from mutualaid_desktop.sync.shared import tombstone_columns

_LABELS = {
    "organization": "the group settings",
    "contacts": "a contact",
    "needs": "a need",
    "items": "an item",
    "box_types": "a box type",
    "box_items": "a box's contents",
    "delivery_runs": "a delivery run",
    "stops": "a stop",
    "driver_profiles": "a driver profile",
    "rides": "a ride",
}
_PLAIN = {
    "missing": "is missing",
    "string_too_long": "is too long",
    "string_too_short": "is empty",
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "float_type": "is not a number",
    "greater_than_equal": "is too small",
    "greater_than": "is too small",
    "less_than_equal": "is too large",
    "less_than": "is too large",
    "enum": "is not one of the values the program knows",
    "literal_error": "is not one of the values the program knows",
    "bool_parsing": "is not yes or no",
    "bool_type": "is not yes or no",
    "extra_forbidden": "is not a field of this record",
}


@dataclass(frozen=True)
class Checked:
    """What validation learned on the way: the newest stamp anywhere in the bundle."""

    newest_stamp: int


class InvalidRow(BundleError):
    """A row that a local write would refuse; the sentence names table and field."""

    def __init__(self, table: str, field: str, problem: str) -> None:
        self.table = table
        self.field = field
        what = _LABELS.get(table, table)
        super().__init__(
            f"This bundle was not imported: {what} in it has a {field.replace('_', ' ')} that "
            f"{problem} ({table}, field {field}). Nothing was changed. The sender's program "
            "may be damaged or out of date: ask them to update it and write a new bundle."
        )


def validate(store: Store, body: dict[str, Any]) -> Checked:
    """Refuse `body` (BundleError naming table and field) unless every row is sound."""
    replicas = body["replicas"]
    if not isinstance(replicas, list) or not replicas:
        raise InvalidRow("bundle", "replicas", "is not a list of laptops")
    for entry in replicas:
        if not (isinstance(entry, list | tuple) and len(entry) == 2 and _is_uuid(entry[0])):
            raise InvalidRow("bundle", "replicas", "names a laptop without a valid id")
        if not isinstance(entry[1], str) or len(entry[1]) > 200:
            raise InvalidRow("bundle", "replicas", "names an organizer that is not valid")
    origins = len(replicas)
    newest = _stamp("bundle", "created_hlc", body["created_hlc"])
    for replica, stamp in body["knowledge"].items():
        if not _is_uuid(replica):
            raise InvalidRow("bundle", "knowledge", "names a laptop without a valid id")
        newest = max(newest, _stamp("bundle", "knowledge", stamp))
    tables = body["tables"]
    if unknown := set(tables) - set(SHARED_TABLES):
        raise InvalidRow(sorted(unknown)[0], "table", "is not a kind of record the program knows")
    ids: dict[str, set[str]] = {}
    references: list[tuple[str, str, str, set[str]]] = []
    from mutualaid_desktop.store.tables import SPECS

    for table in SHARED_TABLES:
        if table not in tables:
            continue
        data = tables[table]
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            raise InvalidRow(table, "rows", "is not a list")
        columns = data.get("columns")
        spec = SPECS[table]
        if (
            not isinstance(columns, list)
            or not columns
            or columns[0] != "id"
            or len(set(columns)) != len(columns)
            or not set(columns) <= set(spec.columns)
        ):
            raise InvalidRow(table, "columns", "does not match this kind of record")
        seen, newest_here, refs = _validate_table(store, table, columns, data["rows"], origins)
        ids[table] = seen
        newest = max(newest, newest_here)
        references.extend(refs)
    for cid, consent_at, scope, stamp, origin in _withdrawn(body):
        if not _is_uuid(cid) or scope != "local" or not _is_origin(origin, origins):
            raise InvalidRow("contacts", "share_scope", "is not a valid withdrawal of consent")
        if consent_at is not None and not isinstance(consent_at, str):
            raise InvalidRow("contacts", "consent_at", "is not a date")
        newest = max(newest, _stamp("contacts", "consent", stamp))
    newest = max(newest, _validate_conflicts(body))
    for table, column, target, values in references:
        _check_exist(store, table, column, target, values - ids.get(target, set()))
    return Checked(newest)


def _validate_table(
    store: Store, table: str, columns: list[str], rows: list[Any], origins: int
) -> tuple[set[str], int, list[tuple[str, str, str, set[str]]]]:
    from mutualaid_desktop.store.tables import SPECS

    spec = SPECS[table]
    n = len(columns)
    groups = set(spec.groups) | {CL_GROUP}
    kept = tombstone_columns(store, table)
    foreign = {row[3]: row[2] for row in store.conn.execute(f"PRAGMA foreign_key_list({table})")}
    ref_at = [(i, c, foreign[c]) for i, c in enumerate(columns) if c in foreign]
    referenced: dict[int, set[str]] = {i: set() for i, _c, _t in ref_at}
    seen: set[str] = set()
    newest = 0
    spec.model.model_rebuild()  # built on first use (defer_build): the validator must exist
    check_values = _row_checker(spec, table, columns)
    sound = _columns_sound(rows, n, origins, [at for at, _c, _t in ref_at])
    if sound is not None:
        # The common case, checked column by column at C speed; only the values go
        # through the models row by row, and the rare rows with more stamps or
        # deleted get the row-by-row checks below.
        ids, newest = sound
        for at, _column, _target in ref_at:
            referenced[at] = {r[at] for r in rows if r[at] is not None}
        for row in rows:
            if row[n + 3] is not None or row[n] % 2 == 0:
                newest = max(newest, _check_row(table, columns, row, groups, kept, origins))
            if row[n] % 2:
                check_values(row)
        return ids, newest, [(table, c, target, referenced[i]) for i, c, target in ref_at]
    for row in rows:
        if not isinstance(row, list | tuple) or len(row) != n + 4:
            raise InvalidRow(table, "row", "does not have the record's fields")
        row_id = row[0]
        if not _is_uuid(row_id):
            raise InvalidRow(table, "id", "is not a valid record id")
        if row_id in seen:
            raise BundleError(
                f"This bundle lists the same record twice ({table}): it was not written by "
                "Mutual Aid Desktop as it should be, so it was not imported. Nothing was "
                "changed; ask the sender for a new bundle."
            )
        seen.add(row_id)
        cl = row[n]
        if type(cl) is not int or cl < 1:
            raise InvalidRow(table, "_cl", "is not a valid deleted-or-live count")
        newest = max(newest, _stamp(table, "_hlc", row[n + 1]))
        if not _is_origin(row[n + 2], origins):
            raise InvalidRow(table, "_origin", "names a laptop the bundle does not list")
        for at, column, _target in ref_at:
            value = row[at]
            if value is None:
                continue
            if not _is_uuid(value):
                raise InvalidRow(table, column, "is not a valid record id")
            referenced[at].add(value)
        newest = max(newest, _check_row(table, columns, row, groups, kept, origins))
        if cl % 2:
            check_values(row)
    refs = [(table, c, target, referenced[i]) for i, c, target in ref_at]
    return seen, newest, refs


def _columns_sound(
    rows: list[Any], n: int, origins: int, refs: list[int]
) -> tuple[set[str], int] | None:
    """(ids, newest base stamp) when every row's shape, id, references, causal length,
    base stamp and origin are sound; None when one is not (the row-by-row loop then
    finds it and names it)."""
    if not all(isinstance(r, list | tuple) and len(r) == n + 4 for r in rows):
        return None
    ids = [r[0] for r in rows]
    cls = [r[n] for r in rows]
    stamps = [r[n + 1] for r in rows]
    where = [r[n + 2] for r in rows]
    if not rows:
        return set(), 0
    plain_ints = all(type(v) is int for v in (*cls, *stamps, *where))
    if not plain_ints or min(cls) < 1 or min(stamps) < 0 or max(stamps) > MAX_SANE_HLC:
        return None
    if min(where) < 0 or max(where) >= origins or not _all_uuids(ids):
        return None
    unique = set(ids)
    if len(unique) != len(ids):
        return None
    for at in refs:
        if not _all_uuids([r[at] for r in rows if r[at] is not None]):
            return None
    return unique, max(stamps)


def _all_uuids(values: list[Any]) -> bool:
    if not values:
        return True
    if not all(type(v) is str for v in values):
        return False
    return _UUID_LINES.fullmatch("\n".join(values)) is not None


def _check_row(
    table: str,
    columns: list[str],
    row: Sequence[Any],
    groups: set[str],
    kept: frozenset[str],
    origins: int,
) -> int:
    """The stamps and, for a tombstone, the emptiness of a row with more than its base
    stamp; returns its newest stamp."""
    n = len(columns)
    newest = 0
    extra = row[n + 3]
    if extra is not None:
        if not isinstance(extra, dict):
            raise InvalidRow(table, "_stamps", "is not a set of stamps")
        for group, pair in extra.items():
            if group not in groups or not isinstance(pair, list | tuple) or len(pair) != 2:
                raise InvalidRow(table, "_stamps", "names a field the record does not have")
            newest = max(newest, _stamp(table, group, pair[0]))
            if not _is_origin(pair[1], origins):
                raise InvalidRow(table, "_stamps", "names a laptop the bundle does not list")
    if row[n] % 2 == 0:
        # A tombstone: the id, its references and its stamp; no values at all.
        for at, column in enumerate(columns):
            if column not in kept and row[at] is not None:
                raise InvalidRow(table, column, "is filled in on a deleted record")
    return newest


def _row_checker(spec: Any, table: str, columns: list[str]) -> Any:
    """A function checking one live row's values with the record's pydantic model.

    The plan (which positions make which field, how) is worked out once per
    table: a full bundle holds a hundred thousand rows.
    """
    at = {c: i for i, c in enumerate(columns)}
    plain: list[tuple[str, int]] = []
    nested: list[tuple[str, list[tuple[str, int]]]] = []
    encoded: list[tuple[str, int]] = []
    for f in spec.fields:
        if not set(spec.columns_of(f)) <= set(columns):
            continue  # written by an older program: the model's default applies
        if f in spec.nested:
            parts = [(part, at[f"{f}_{part}"]) for part in spec.nested[f].model_fields]
            nested.append((f, parts))
        elif f in spec.json_fields:
            encoded.append((f, at[f]))
        else:
            plain.append((f, at[f]))
    validator = spec.model.__pydantic_validator__
    loads = json.loads

    def check(row: Sequence[Any]) -> None:
        data: dict[str, Any] = {"id": row[0]}
        for f, i in plain:
            data[f] = row[i]
        for f, parts in nested:
            data[f] = {part: row[i] for part, i in parts}
        for f, i in encoded:
            raw = row[i]
            if raw is None:
                data[f] = None
                continue
            if not isinstance(raw, str):
                raise InvalidRow(table, f, "is not in the stored form")
            try:
                data[f] = loads(raw)
            except ValueError:
                raise InvalidRow(table, f, "is not in the stored form") from None
        try:
            validator.validate_python(data)
        except ValidationError as error:
            first = error.errors(include_input=False)[0]
            loc = [str(p) for p in first["loc"] if not isinstance(p, int)]
            cause = (first.get("ctx") or {}).get("error")
            field = getattr(cause, "field", None) or (loc[0] if loc else "record")
            # The plain words for known kinds; a rule's own sentence may quote the value.
            problem = _PLAIN.get(first["type"], "is not valid")
            raise InvalidRow(table, field, problem) from None

    return check


def _validate_conflicts(body: dict[str, Any]) -> int:
    """Conflicts the sender recorded: their shape, names and stamps (values are shown,
    never merged, so they need only be plain values of the record's own fields)."""
    from mutualaid_desktop.domain.base import MAX_TEXT
    from mutualaid_desktop.store.tables import SPECS

    newest = 0
    conflicts = body.get("conflicts", [])
    if not isinstance(conflicts, list):
        raise InvalidRow("conflicts", "list", "is not a list")
    for entry in conflicts:
        if not isinstance(entry, list | tuple) or len(entry) != 10:
            raise InvalidRow("conflicts", "entry", "does not have a conflict's fields")
        cid, table, row_id, group, kept, kh, ko, lost, lh, lo = entry
        spec = SPECS.get(table) if isinstance(table, str) else None
        if spec is None or not all(_is_uuid(v) for v in (cid, row_id, ko, lo)):
            raise InvalidRow("conflicts", "id", "is not a valid record id")
        if group not in spec.groups and group != CL_GROUP:
            raise InvalidRow("conflicts", "group", "names a field the record does not have")
        for side in (kept, lost):
            if not isinstance(side, dict) or not set(side) <= {*spec.columns, "_cl"}:
                raise InvalidRow("conflicts", "value", "names a field the record does not have")
            for value in side.values():
                plain = value is None or isinstance(value, bool | int | float | str)
                if not plain or (isinstance(value, str) and len(value) > MAX_TEXT):
                    raise InvalidRow(table, "conflict value", "is not a plain value")
        newest = max(newest, _stamp("conflicts", "kept", kh), _stamp("conflicts", "lost", lh))
    return newest


def _withdrawn(body: dict[str, Any]) -> list[list[Any]]:
    withdrawn = body.get("withdrawn", [])
    if not isinstance(withdrawn, list) or not all(
        isinstance(w, list | tuple) and len(w) == 5 for w in withdrawn
    ):
        raise InvalidRow("contacts", "share_scope", "is not a valid withdrawal of consent")
    return withdrawn


def _check_exist(store: Store, table: str, column: str, target: str, wanted: set[str]) -> None:
    """References to records the bundle does not carry must be on this laptop already."""
    pending = sorted(wanted)
    for start in range(0, len(pending), 500):
        chunk = pending[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found = {
            r[0]
            for r in store.conn.execute(f"SELECT id FROM {target} WHERE id IN ({marks})", chunk)
        }
        if len(found) < len(chunk):
            raise BundleError(
                f"This bundle refers to records it does not contain ({table}, field {column}): "
                "it may be a delta made for another laptop. Nothing was changed; ask for a "
                "full bundle."
            )


def _stamp(table: str, field: str, value: Any) -> int:
    if type(value) is not int or value < 0:
        raise InvalidRow(table, field, "is not a valid sync stamp")
    if value > MAX_SANE_HLC:
        raise BundleError(
            "This bundle carries a sync stamp so far in the future that this laptop's clock "
            f"could never move past it ({table}, {field}): it was not imported. Nothing was "
            "changed; check the date and time on the sender's laptop."
        )
    return value


def _is_origin(value: Any, origins: int) -> bool:
    return type(value) is int and 0 <= value < origins


# A UUID as this program writes it (str(uuid.UUID(...))): lowercase hex in 8-4-4-4-12.
_UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_UUID = re.compile(_UUID_TEXT)
_UUID_LINES = re.compile(rf"(?:{_UUID_TEXT}\n)*{_UUID_TEXT}")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None
