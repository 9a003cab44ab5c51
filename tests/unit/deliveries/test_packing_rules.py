"""Editing packing rules: items matched by name, lines added, changed and removed."""

from __future__ import annotations

import pytest

from mutualaid_desktop.deliveries import packing_rules
from mutualaid_desktop.deliveries.packing_rules import Line
from mutualaid_desktop.domain import BoxItem, BoxType, DietaryFlag, Item
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store


def test_save_creates_changes_and_removes_lines(memory_store: Store) -> None:
    box = BoxType(name="Halal", suits=[DietaryFlag.HALAL])
    saved = packing_rules.save_box_type(
        memory_store, box, [Line("Rice", "2 lb bag", 1, 0.5), Line("Dates", "box", 1, 0)]
    )
    lines = packing_rules.lines_of(memory_store, saved.id)
    assert [(line.item, line.quantity_for(5)) for line in lines] == [("Dates", 1), ("Rice", 3)]

    rice = next(line for line in lines if line.item == "Rice")
    rice.qty_per_person = 1
    packing_rules.save_box_type(memory_store, saved, [rice, Line("lentils", "bag", 2, 0)])
    lines = packing_rules.lines_of(memory_store, saved.id)
    assert [(line.item, line.quantity_for(5)) for line in lines] == [("lentils", 2), ("Rice", 5)]
    assert memory_store.count(BoxItem, "box_type_id = ?", [saved.id]) == 2
    assert memory_store.count(Item, "name = 'Rice'") == 1  # matched by name, not duplicated


def test_bad_lines_are_refused_with_a_sentence(memory_store: Store) -> None:
    box = BoxType(name="Baby")
    with pytest.raises(UserError, match="twice"):
        packing_rules.save_box_type(
            memory_store, box, [Line("Wipes", "", 1, 0), Line("wipes", "", 1, 0)]
        )
    with pytest.raises(UserError, match="item name"):
        packing_rules.save_box_type(memory_store, box, [Line(" ", "", 1, 0)])
    assert memory_store.count(BoxType) == 0  # nothing half-saved
