"""How each syncable record maps onto its table: columns and field groups.

A field group is a set of fields that change together and share one sync
stamp (SYNC.md): the lines of an address with its coordinates, a household's
composition, a need's status with its date. Every other field is a group of
its own. Nested models (an Address) are flattened into `<field>_<part>`
columns so they can be filtered and indexed.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel

from mutualaid_desktop.domain import (
    BoxItem,
    BoxType,
    Contact,
    DeliveryRun,
    DriverProfile,
    Item,
    Need,
    Organization,
    Ride,
    Stop,
)
from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.store.constants import CL_GROUP, SHARED_TABLES, SYNC_COLUMNS

R = TypeVar("R", bound=Record)

__all__ = ["CL_GROUP", "SPECS", "SYNC_COLUMNS", "SYNC_ORDER", "TableSpec", "spec_for"]


def _is_nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _is_json(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, dict, tuple, set):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_json(arg) for arg in get_args(annotation) if arg is not type(None))
    return False


@dataclass(frozen=True)
class TableSpec:
    """The mapping between one Record class and its SQLite table."""

    model: type[Record]
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.model.__table__

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.model.model_fields if f != "id")

    @cached_property
    def nested(self) -> dict[str, type[BaseModel]]:
        out = {}
        for name, info in self.model.model_fields.items():
            sub = _is_nested_model(info.annotation)
            if sub is not None:
                out[name] = sub
        return out

    @cached_property
    def json_fields(self) -> frozenset[str]:
        return frozenset(
            name for name, info in self.model.model_fields.items() if _is_json(info.annotation)
        )

    def columns_of(self, field_name: str) -> tuple[str, ...]:
        sub = self.nested.get(field_name)
        if sub is None:
            return (field_name,)
        return tuple(f"{field_name}_{part}" for part in sub.model_fields)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """Data columns in table order, `id` first."""
        cols = ["id"]
        for f in self.fields:
            cols.extend(self.columns_of(f))
        return tuple(cols)

    @cached_property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """Field group name -> the model fields in it."""
        grouped = {f for members in self.joined.values() for f in members}
        out = dict(self.joined)
        for f in self.fields:
            if f not in grouped:
                out[f] = (f,)
        return out

    @cached_property
    def group_of(self) -> dict[str, str]:
        return {f: g for g, members in self.groups.items() for f in members}

    # -- conversion -------------------------------------------------------

    def to_row(self, record: Record) -> dict[str, Any]:
        """Column -> SQLite value for `record` (JSON text for lists, flattened nested models)."""
        data = record.model_dump(mode="json")
        row: dict[str, Any] = {"id": data["id"]}
        nested = self.nested
        json_fields = self.json_fields
        for f in self.fields:
            value = data[f]
            if f in nested:
                for part in nested[f].model_fields:
                    row[f"{f}_{part}"] = value[part]
            elif f in json_fields:
                row[f] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            elif isinstance(value, bool):
                row[f] = int(value)
            else:
                row[f] = value
        return row

    def to_data(self, row: dict[str, Any]) -> dict[str, Any]:
        """The inverse of to_row, ready for model_validate."""
        data: dict[str, Any] = {"id": row["id"]}
        nested = self.nested
        json_fields = self.json_fields
        for f in self.fields:
            if f in nested:
                data[f] = {part: row[f"{f}_{part}"] for part in nested[f].model_fields}
            elif f in json_fields:
                raw = row[f]
                data[f] = json.loads(raw) if raw else None
            else:
                data[f] = row[f]
        return data

    def from_row(self, row: dict[str, Any]) -> Record:
        return self.model.model_validate(self.to_data(row))


SPECS: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(Organization),
        TableSpec(
            Contact,
            joined={
                "household": ("adults", "children", "seniors"),
                "consent": ("consent_at", "share_scope"),
            },
        ),
        TableSpec(Need, joined={"status": ("status", "status_changed_at")}),
        TableSpec(Item),
        TableSpec(BoxType),
        TableSpec(BoxItem),
        TableSpec(DeliveryRun),
        TableSpec(Stop, joined={"outcome": ("outcome", "outcome_note", "outcome_at")}),
        TableSpec(DriverProfile),
        TableSpec(
            Ride,
            joined={
                "pickup": ("pickup_address", "pickup_lat", "pickup_lon"),
                "destination": ("destination", "dest_lat", "dest_lon"),
                # status and driver_id are stamped apart: when the driver is a
                # contact kept on one laptop only, bundles blank the driver
                # alone and the status still travels (sync/bundle.py).
            },
        ),
    )
}

# Parents before children: the order to insert in and to export in.
SYNC_ORDER = SHARED_TABLES


def spec_for(model: type[Record]) -> TableSpec:
    return SPECS[model.__table__]
