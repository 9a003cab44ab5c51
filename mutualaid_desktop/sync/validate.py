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

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson
from pydantic import ValidationError

from mutualaid_desktop.i18n import N_, _
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.clock import MAX_SANE_HLC
from mutualaid_desktop.store.constants import CL_GROUP, SHARED_TABLES
from mutualaid_desktop.sync.envelope import BundleError
from mutualaid_desktop.sync.memory import collector_paused
from mutualaid_desktop.sync.shared import tombstone_columns

# The record a refusal is about, as the sentence names it.
_LABELS = {
    "organization": N_("the group settings in it"),
    "contacts": N_("a contact in it"),
    "needs": N_("a need in it"),
    "items": N_("an item in it"),
    "box_types": N_("a box type in it"),
    "box_items": N_("a box's contents in it"),
    "delivery_runs": N_("a delivery run in it"),
    "stops": N_("a stop in it"),
    "driver_profiles": N_("a driver profile in it"),
    "rides": N_("a ride in it"),
    "conflicts": N_("a conflict it lists"),
    "bundle": N_("the bundle itself"),
}
# What pydantic found, as the end of that sentence.
_PLAIN = {
    "missing": N_("is missing"),
    "string_too_long": N_("is too long"),
    "string_too_short": N_("is empty"),
    "too_long": N_("has too many entries (at most {max_length})"),
    "int_parsing": N_("is not a whole number"),
    "int_type": N_("is not a whole number"),
    "int_from_float": N_("is not a whole number"),
    "float_parsing": N_("is not a number"),
    "float_type": N_("is not a number"),
    "greater_than_equal": N_("is too small"),
    "greater_than": N_("is too small"),
    "less_than_equal": N_("is too large"),
    "less_than": N_("is too large"),
    "enum": N_("is not one of the values the program knows"),
    "literal_error": N_("is not one of the values the program knows"),
    "bool_parsing": N_("is not yes or no"),
    "bool_type": N_("is not yes or no"),
    "extra_forbidden": N_("is not a field of this record"),
}


@dataclass(frozen=True)
class Checked:
    """What validation learned on the way: the newest stamp anywhere in the bundle."""

    newest_stamp: int


class InvalidRow(BundleError):
    """A row that a local write would refuse; the sentence names table and field.

    `problem` is the end of the sentence, untranslated (marked with N_), with
    `values` for its placeholders."""

    def __init__(self, table: str, field: str, problem: str, **values: object) -> None:
        self.table = table
        self.field = field
        record = _(_LABELS[table]) if table in _LABELS else table
        super().__init__(
            _(
                "This bundle was not imported: the field “{field}” of {record} {problem} "
                "({table}, field {field}). Nothing was changed. The sender's program may be "
                "damaged or out of date: ask them to update it and write a new bundle."
            ).format(field=field, record=record, problem=_(problem).format(**values), table=table)
        )


def validate(store: Store, body: dict[str, Any]) -> Checked:
    """Refuse `body` (BundleError naming table and field) unless every row is sound."""
    with collector_paused():
        return _validate(store, body)


def _validate(store: Store, body: dict[str, Any]) -> Checked:
    replicas = body["replicas"]
    if not isinstance(replicas, list) or not replicas:
        raise InvalidRow("bundle", "replicas", N_("is not a list of laptops"))
    for entry in replicas:
        if not (isinstance(entry, list | tuple) and len(entry) == 2 and _is_uuid(entry[0])):
            raise InvalidRow("bundle", "replicas", N_("names a laptop without a valid id"))
        if not isinstance(entry[1], str) or len(entry[1]) > 200:
            raise InvalidRow("bundle", "replicas", N_("names an organizer that is not valid"))
    origins = len(replicas)
    newest = _stamp("bundle", "created_hlc", body["created_hlc"])
    for replica, stamp in body["knowledge"].items():
        if not _is_uuid(replica):
            raise InvalidRow("bundle", "knowledge", N_("names a laptop without a valid id"))
        newest = max(newest, _stamp("bundle", "knowledge", stamp))
    former = body.get("former_groups", [])
    if not isinstance(former, list) or not all(_is_uuid(g) for g in former):
        raise InvalidRow("bundle", "former_groups", N_("is not a list of group ids"))
    base = body.get("base", {})
    for_replica = body.get("for_replica")
    if not isinstance(base, dict) or (for_replica is not None and not _is_uuid(for_replica)):
        raise InvalidRow("bundle", "base", N_("is not the state of a laptop"))
    for replica, stamp in base.items():
        if not _is_uuid(replica):
            raise InvalidRow("bundle", "base", N_("names a laptop without a valid id"))
        _stamp("bundle", "base", stamp)
    tables = body["tables"]
    if unknown := set(tables) - set(SHARED_TABLES):
        raise InvalidRow(
            sorted(unknown)[0], "table", N_("is not a kind of record the program knows")
        )
    ids: dict[str, set[str]] = {}
    references: list[tuple[str, str, str, set[str]]] = []
    from mutualaid_desktop.store.tables import SPECS

    for table in SHARED_TABLES:
        if table not in tables:
            continue
        data = tables[table]
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            raise InvalidRow(table, "rows", N_("is not a list"))
        columns = data.get("columns")
        spec = SPECS[table]
        if (
            not isinstance(columns, list)
            or not columns
            or columns[0] != "id"
            or len(set(columns)) != len(columns)
            or not set(columns) <= set(spec.columns)
        ):
            raise InvalidRow(table, "columns", N_("does not match this kind of record"))
        seen, newest_here, refs = _validate_table(store, table, columns, data["rows"], origins)
        ids[table] = seen
        newest = max(newest, newest_here)
        references.extend(refs)
    for cid, consent_at, scope, stamp, origin in _withdrawn(body):
        if not _is_uuid(cid) or scope != "local" or not _is_origin(origin, origins):
            raise InvalidRow("contacts", "share_scope", N_("is not a valid withdrawal of consent"))
        if consent_at is not None and not isinstance(consent_at, str):
            raise InvalidRow("contacts", "consent_at", N_("is not a date"))
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
        ids, newest, referenced = sound
        for row in rows:
            if row[n + 3] is not None or row[n] % 2 == 0:
                newest = max(newest, _check_row(table, columns, row, groups, kept, origins))
        live = [row for row in rows if row[n] % 2]
        by_columns = _columns_checker(table, tuple(columns))
        if by_columns is not None:
            by_columns(live)
        else:
            for row in live:
                check_values(row)
        return ids, newest, [(table, c, target, referenced[i]) for i, c, target in ref_at]
    for row in rows:
        if not isinstance(row, list | tuple) or len(row) != n + 4:
            raise InvalidRow(table, "row", N_("does not have the record's fields"))
        row_id = row[0]
        if not _is_uuid(row_id):
            raise InvalidRow(table, "id", N_("is not a valid record id"))
        if row_id in seen:
            raise BundleError(
                _(
                    "This bundle lists the same record twice ({table}): it was not written "
                    "by Mutual Aid Desktop as it should be, so it was not imported. "
                    "Nothing was changed; ask the sender for a new bundle."
                ).format(table=table)
            )
        seen.add(row_id)
        cl = row[n]
        if type(cl) is not int or cl < 1:
            raise InvalidRow(table, "_cl", N_("is not a valid deleted-or-live count"))
        newest = max(newest, _stamp(table, "_hlc", row[n + 1]))
        if not _is_origin(row[n + 2], origins):
            raise InvalidRow(table, "_origin", N_("names a laptop the bundle does not list"))
        for at, column, _target in ref_at:
            value = row[at]
            if value is None:
                continue
            if not _is_uuid(value):
                raise InvalidRow(table, column, N_("is not a valid record id"))
            referenced[at].add(value)
        newest = max(newest, _check_row(table, columns, row, groups, kept, origins))
        if cl % 2:
            check_values(row)
    refs = [(table, c, target, referenced[i]) for i, c, target in ref_at]
    return seen, newest, refs


def _columns_sound(
    rows: list[Any], n: int, origins: int, refs: list[int]
) -> tuple[set[str], int, dict[int, set[str]]] | None:
    """(ids, newest base stamp, the ids each reference column names) when every row's
    shape, id, references, causal length, base stamp and origin are sound; None when
    one is not (the row-by-row loop then finds it and names it). Each check runs over
    a whole column at C speed."""
    if not rows:
        return set(), 0, {at: set() for at in refs}
    if not set(map(type, rows)) <= {list, tuple} or set(map(len, rows)) != {n + 4}:
        return None
    ids, cls, stamps, where = (list(map(itemgetter(at), rows)) for at in (0, n, n + 1, n + 2))
    if any(set(map(type, column)) != {int} for column in (cls, stamps, where)):
        return None  # (bool is not int here: True is no causal length)
    if min(cls) < 1 or min(stamps) < 0 or max(stamps) > MAX_SANE_HLC:
        return None
    if min(where) < 0 or max(where) >= origins or not _all_uuids(ids):
        return None
    unique = set(ids)
    if len(unique) != len(ids):
        return None
    referenced = {}
    for at in refs:
        column = list(map(itemgetter(at), rows))
        if not set(map(type, column)) <= {str, type(None)}:
            return None
        named = set(column)
        named.discard(None)
        if not _all_uuids(list(named)):
            return None
        referenced[at] = named
    return unique, max(stamps), referenced


_HEX = b"0123456789abcdef"


def _all_uuids(values: Sequence[Any]) -> bool:
    """Whether every value is a UUID as `_is_uuid` has it: lowercase hex in 8-4-4-4-12,
    checked over all values at once (a length, four dash columns, the rest hex)."""
    if not values:
        return True
    if set(map(type, values)) != {str} or set(map(len, values)) != {36}:
        return False
    try:
        text = "".join(values).encode("ascii")
    except UnicodeEncodeError:
        return False
    dashes = b"-" * len(values)
    if any(text[at::36] != dashes for at in (8, 13, 18, 23)):
        return False
    return text.translate(None, delete=_HEX) == dashes * 4


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
            raise InvalidRow(table, "_stamps", N_("is not a set of stamps"))
        for group, pair in extra.items():
            if group not in groups or not isinstance(pair, list | tuple) or len(pair) != 2:
                raise InvalidRow(table, "_stamps", N_("names a field the record does not have"))
            newest = max(newest, _stamp(table, group, pair[0]))
            if not _is_origin(pair[1], origins):
                raise InvalidRow(table, "_stamps", N_("names a laptop the bundle does not list"))
    if row[n] % 2 == 0:
        # A tombstone: the id, its references and its stamp; no values at all.
        for at, column in enumerate(columns):
            if column not in kept and row[at] is not None:
                raise InvalidRow(table, column, N_("is filled in on a deleted record"))
    return newest


def _row_checker(spec: Any, table: str, columns: list[str]) -> Any:
    """A function checking one live row's values with the record's pydantic model.

    The plan (which positions make which field, how) is worked out once per
    table, and each row's fields are gathered at C speed: a full bundle holds
    a hundred thousand rows.
    """
    at = {c: i for i, c in enumerate(columns)}
    plain = ["id"]
    nested: list[tuple[str, tuple[str, ...], Any]] = []
    encoded: list[tuple[str, int]] = []
    for f in spec.fields:
        if not set(spec.columns_of(f)) <= set(columns):
            continue  # written by an older program: the model's default applies
        if f in spec.nested:
            parts = tuple(spec.nested[f].model_fields)
            nested.append((f, parts, _getter([at[f"{f}_{part}"] for part in parts])))
        elif f in spec.json_fields:
            encoded.append((f, at[f]))
        else:
            plain.append(f)
    take_plain = _getter([at[f] for f in plain])
    validator = spec.model.__pydantic_validator__

    def check(row: Sequence[Any]) -> None:
        data = dict(zip(plain, take_plain(row), strict=True))
        for f, parts, take in nested:
            data[f] = dict(zip(parts, take(row), strict=True))
        for f, i in encoded:
            data[f] = _decoded(table, f, row[i])
        try:
            validator.validate_python(data)
        except ValidationError as error:
            raise _invalid(table, None, error) from None

    return check


@dataclass(frozen=True)
class _Column:
    """One field of a record as a bundle's rows hold it, and the model's validator for
    a whole column of it."""

    name: str
    at: tuple[int, ...]  # its column(s) in a row
    parts: tuple[str, ...]  # a nested record's fields, in column order; () otherwise
    encoded: bool  # stored as JSON text
    validator: Any

    def values(self, table: str, rows: list[Sequence[Any]]) -> list[Any]:
        if self.parts:
            take = _getter(list(self.at))
            return [dict(zip(self.parts, take(r), strict=True)) for r in rows]
        if self.encoded:
            return _decoded_column(table, self.name, map(itemgetter(self.at[0]), rows))
        return list(map(itemgetter(self.at[0]), rows))


@functools.cache
def _columns_checker(table: str, columns: tuple[str, ...]) -> Any:
    """A function checking live rows' values field by field, a whole column per call
    into pydantic, with the validators of the record's own model (its core schema:
    types, limits, configuration and field validators alike), then the model's
    rules across fields ("after" model validators) record by record on the values
    pydantic returned; None when the model validates otherwise (those need
    `_row_checker`)."""
    from pydantic_core import SchemaValidator, core_schema

    from mutualaid_desktop.store.tables import SPECS

    spec = SPECS[table]
    spec.model.model_rebuild()
    schema = spec.model.__pydantic_core_schema__
    rules: list[Any] = []  # outermost first, as pydantic wraps them
    while schema["type"] == "function-after" and schema["function"]["type"] == "no-info":
        rules.append(schema["function"]["function"])
        schema = schema["schema"]
    rules.reverse()  # pydantic runs the innermost first
    if schema["type"] != "model" or schema["schema"]["type"] != "model-fields":
        return None  # a validator before or around the record
    validators = spec.model.__pydantic_decorators__.field_validators.values()
    if any(len(inspect.signature(d.func).parameters) > 1 for d in validators):
        return None  # a field validator that reads other fields (ValidationInfo)
    config = schema.get("config")
    at = {c: i for i, c in enumerate(columns)}
    plan: list[_Column] = []
    missing: list[str] = []
    for name, field in schema["schema"]["fields"].items():
        parts = spec.columns_of(name) if name != "id" else ("id",)
        if not set(parts) <= set(columns):
            if field["schema"]["type"] != "default":
                missing.append(name)
            continue  # written by an older program: the model's default applies
        nested = spec.nested.get(name)
        plan.append(
            _Column(
                name,
                tuple(at[p] for p in parts),
                tuple(nested.model_fields) if nested else (),
                name in spec.json_fields,
                SchemaValidator(core_schema.list_schema(field["schema"]), config),
            )
        )

    model = spec.model
    names = [column.name for column in plan]
    construct: Callable[..., Any]
    if set(names) == set(model.model_fields):

        def construct(**values: Any) -> Any:
            # What the rules read, without model_construct's per-field work (a
            # fifth of a full bundle's check): every field is here, validated.
            record = model.__new__(model)
            object.__setattr__(record, "__dict__", values)
            object.__setattr__(record, "__pydantic_fields_set__", set(values))
            object.__setattr__(record, "__pydantic_extra__", None)
            object.__setattr__(record, "__pydantic_private__", None)
            return record

    else:  # an older program's bundle: the fields it lacks take their defaults
        construct = model.model_construct

    def check(rows: list[Sequence[Any]]) -> None:
        if not rows:
            return
        if missing:
            raise InvalidRow(table, missing[0], _PLAIN["missing"])
        checked = []
        for column in plan:
            try:
                checked.append(column.validator.validate_python(column.values(table, rows)))
            except ValidationError as error:
                raise _invalid(table, column.name, error) from None
        if not rules:
            return
        for values in zip(*checked, strict=True):
            record = construct(**dict(zip(names, values, strict=True)))
            for rule in rules:
                try:
                    rule(record)
                except (ValueError, AssertionError) as error:
                    # As pydantic words a rule's refusal: the field the rule names.
                    named = getattr(error, "field", None) or "record"
                    raise InvalidRow(table, named, N_("is not valid")) from None

    return check


def _decoded_column(table: str, field: str, raws: Iterable[Any]) -> list[Any]:
    """The values of a field stored as JSON text, decoded; the same text (most tag,
    role and language lists repeat) is decoded once. Pydantic copies what it
    validates, so the shared values are never changed."""
    memo: dict[str, Any] = {}
    out = []
    for raw in raws:
        if type(raw) is str:
            value = memo.get(raw, memo)
            if value is memo:
                value = memo[raw] = _decoded(table, field, raw)
        else:
            value = _decoded(table, field, raw)
        out.append(value)
    return out


def _decoded(table: str, field: str, raw: Any) -> Any:
    """The value of a field stored as JSON text, decoded."""
    if raw is None:
        return None
    if type(raw) is not str:
        raise InvalidRow(table, field, N_("is not in the stored form"))
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidRow(table, field, N_("is not in the stored form")) from None


def _invalid(table: str, field: str | None, error: ValidationError) -> InvalidRow:
    """The refusal for the first problem pydantic found, naming `field` (or the field
    the problem's location or rule names)."""
    first = error.errors(include_input=False)[0]
    loc = [str(p) for p in first["loc"] if not isinstance(p, int)]
    cause = (first.get("ctx") or {}).get("error")
    named = getattr(cause, "field", None) or field or (loc[0] if loc else "record")
    # The plain words for known kinds; a rule's own sentence may quote the value.
    problem = _PLAIN.get(first["type"], N_("is not valid"))
    limit = (first.get("ctx") or {}).get("max_length")
    return InvalidRow(table, named, problem, max_length=f"{limit:,}" if limit else "")


def _getter(positions: list[int]) -> Any:
    """A function returning the values at `positions` of a row, as a tuple."""
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    return itemgetter(*positions)


def _validate_conflicts(body: dict[str, Any]) -> int:
    """Conflicts the sender recorded: their shape, names and stamps (values are shown,
    never merged, so they need only be plain values of the record's own fields)."""
    from mutualaid_desktop.domain.base import MAX_TEXT
    from mutualaid_desktop.store.tables import SPECS

    newest = 0
    conflicts = body.get("conflicts", [])
    if not isinstance(conflicts, list):
        raise InvalidRow("conflicts", "list", N_("is not a list"))
    for entry in conflicts:
        if not isinstance(entry, list | tuple) or len(entry) != 10:
            raise InvalidRow("conflicts", "entry", N_("does not have a conflict's fields"))
        cid, table, row_id, group, kept, kh, ko, lost, lh, lo = entry
        spec = SPECS.get(table) if isinstance(table, str) else None
        if spec is None or not all(_is_uuid(v) for v in (cid, row_id, ko, lo)):
            raise InvalidRow("conflicts", "id", N_("is not a valid record id"))
        if group not in spec.groups and group != CL_GROUP:
            raise InvalidRow("conflicts", "group", N_("names a field the record does not have"))
        for side in (kept, lost):
            if not isinstance(side, dict) or not set(side) <= {*spec.columns, "_cl"}:
                raise InvalidRow("conflicts", "value", N_("names a field the record does not have"))
            for value in side.values():
                plain = value is None or isinstance(value, bool | int | float | str)
                if not plain or (isinstance(value, str) and len(value) > MAX_TEXT):
                    raise InvalidRow(table, "conflict value", N_("is not a plain value"))
        newest = max(newest, _stamp("conflicts", "kept", kh), _stamp("conflicts", "lost", lh))
    return newest


def _withdrawn(body: dict[str, Any]) -> list[list[Any]]:
    withdrawn = body.get("withdrawn", [])
    if not isinstance(withdrawn, list) or not all(
        isinstance(w, list | tuple) and len(w) == 5 for w in withdrawn
    ):
        raise InvalidRow("contacts", "share_scope", N_("is not a valid withdrawal of consent"))
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
                _(
                    "This bundle refers to records it does not contain ({table}, field "
                    "{column}): it may be a delta made for another laptop. Nothing was "
                    "changed; ask for a full bundle."
                ).format(table=table, column=column)
            )


def _stamp(table: str, field: str, value: Any) -> int:
    if type(value) is not int or value < 0:
        raise InvalidRow(table, field, N_("is not a valid sync stamp"))
    if value > MAX_SANE_HLC:
        raise BundleError(
            _(
                "This bundle carries a sync stamp so far in the future that this "
                "laptop's clock could never move past it ({table}, {field}): it was "
                "not imported. Nothing was changed; check the date and time on the "
                "sender's laptop."
            ).format(table=table, field=field)
        )
    return value


def _is_origin(value: Any, origins: int) -> bool:
    return type(value) is int and 0 <= value < origins


# A UUID as this program writes it (str(uuid.UUID(...))): lowercase hex in 8-4-4-4-12.
_UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_UUID = re.compile(_UUID_TEXT)


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None
