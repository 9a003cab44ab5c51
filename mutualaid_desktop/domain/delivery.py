"""Items, box types and delivery runs with their stops."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from pydantic import Field, field_validator

from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.domain.contact import Address
from mutualaid_desktop.domain.enums import DietaryFlag, Outcome
from mutualaid_desktop.domain.food import Contents, ItemTrait


def scaled_quantity(qty_base: float, qty_per_person: float, household_size: int) -> int:
    """Whole units for a household: the base, plus a share per person beyond the first."""
    extra = max(household_size, 1) - 1
    return math.ceil(qty_base + qty_per_person * extra - 1e-9)


class Item(Record):
    """Something that goes in a box: rice, diapers size 4, soap; what it contains and is."""

    __table__ = "items"

    name: str = Field(min_length=1, max_length=120)
    unit: str = "each"
    category: str = ""
    allergens: list[Allergen] = Field(default_factory=list, max_length=30)
    traits: list[ItemTrait] = Field(default_factory=list, max_length=30)
    # Items to pack instead when a household may not have this one, in order of
    # preference: the first the household may have is packed.
    substitutes: list[str] = Field(default_factory=list, max_length=20)
    # Contents read from the name (an upgrade, a line typed in a box type), not yet
    # confirmed by an organizer: Settings shows these until someone does.
    contents_guessed: bool = False

    @field_validator("allergens", "traits")
    @classmethod
    def _in_order(cls, value: list[Any]) -> list[Any]:
        order: list[Any] = [*Allergen, *ItemTrait]
        return sorted(set(value), key=order.index)

    @field_validator("substitutes")
    @classmethod
    def _once_each(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v for v in value if v))

    @property
    def contents(self) -> Contents:
        return Contents(frozenset(self.allergens), frozenset(self.traits))


class BoxType(Record):
    """A kind of box (Standard, Halal, Baby, ...) and the diets it suits."""

    __table__ = "box_types"

    name: str = Field(min_length=1, max_length=80)
    suits: list[DietaryFlag] = Field(default_factory=list, max_length=30)
    description: str = ""
    sort_order: int = 0


class BoxItem(Record):
    """One line of a box type: an item and how its quantity scales with household size."""

    __table__ = "box_items"

    box_type_id: str
    item_id: str
    qty_base: float = Field(default=1, ge=0)
    qty_per_person: float = Field(default=0, ge=0)

    def quantity_for(self, household_size: int) -> int:
        """Whole units to pack for a household of `household_size` people (at least 1 person)."""
        return scaled_quantity(self.qty_base, self.qty_per_person, household_size)


class DeliveryRun(Record):
    """One driver's delivery route on one day."""

    __table__ = "delivery_runs"

    date: date
    name: str = Field(min_length=1, max_length=120)
    depot: Address = Field(default_factory=Address)
    driver_id: str | None = None
    capacity_boxes: int = Field(default=30, ge=0, le=10000)
    notes: str = ""


class Stop(Record):
    """One household's place on a run: order, box type and what happened."""

    __table__ = "stops"

    run_id: str
    contact_id: str
    need_id: str | None = None
    seq: int = Field(default=0, ge=0)
    box_type_id: str | None = None
    boxes: int = Field(default=1, ge=0, le=100)
    outcome: Outcome | None = None
    outcome_note: str = ""
    outcome_at: datetime | None = None
