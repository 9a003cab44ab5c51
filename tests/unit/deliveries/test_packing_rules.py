"""Editing packing rules: items matched by name, lines added, changed and removed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mutualaid_desktop.deliveries import packing_rules
from mutualaid_desktop.deliveries.packing_rules import Line
from mutualaid_desktop.domain import BoxItem, BoxType, DietaryFlag, Item
from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.domain.food import ItemTrait
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.constants import SCHEMA_VERSION


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


def test_an_item_typed_in_a_box_type_gets_its_contents_from_its_name(
    memory_store: Store,
) -> None:
    box = BoxType(name="Snacks")
    packing_rules.save_box_type(
        memory_store,
        box,
        [Line("Peanut butter crackers", "box", 1, 0), Line("Apple juice", "", 1, 0)],
    )
    made = {i.name: i for i in memory_store.select(Item)}
    crackers, juice = made["Peanut butter crackers"], made["Apple juice"]
    assert set(crackers.allergens) == {Allergen.PEANUT, Allergen.WHEAT}
    assert juice.traits == [ItemTrait.HIGH_SUGAR]
    assert crackers.contents_guessed and juice.contents_guessed
    assert packing_rules.guessed_count(memory_store) == 2


def test_what_keeps_an_item_from_being_deleted(memory_store: Store) -> None:
    water = memory_store.insert(Item(name="Bottled water"))
    juice = memory_store.insert(Item(name="Apple juice", substitutes=[water.id]))
    packing_rules.save_box_type(
        memory_store, BoxType(name="Standard"), [Line("Apple juice", "", 1, 0)]
    )
    packing_rules.save_box_type(
        memory_store, BoxType(name="Halal"), [Line("Apple juice", "", 1, 0)]
    )
    assert packing_rules.why_item_stays(memory_store, juice.id) == (
        "Apple juice is packed in the box types Halal and Standard: remove it there first."
    )
    assert packing_rules.why_item_stays(memory_store, water.id) == (
        "Bottled water replaces Apple juice for households that may not have it: "
        "remove it from that item's substitutes first."
    )
    dates = memory_store.insert(Item(name="Dates"))
    assert packing_rules.why_item_stays(memory_store, dates.id) is None


def test_an_upgraded_database_reads_sugar_salt_and_formula_from_names_as_guesses(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    store = Store.create(path, organizer="Rosa")
    for name in ("Apple juice", "Canned soup", "Baby formula", "Rice"):
        store.insert(Item(name=name))
    store.insert(Item(name="Low-sodium soup"))
    store.close()
    # Back to schema 7: no contents_guessed, and none of the new traits.
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE items DROP COLUMN contents_guessed")
    conn.execute("UPDATE items SET traits = '[]'")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_item_diet_traits'")
    conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Store.open(path) as upgraded:
        items = {i.name: i for i in upgraded.select(Item)}
        assert items["Apple juice"].traits == [ItemTrait.HIGH_SUGAR]
        assert items["Canned soup"].traits == [ItemTrait.HIGH_SODIUM]
        assert items["Baby formula"].traits == [ItemTrait.BABY_FORMULA]
        assert items["Rice"].traits == [] and items["Low-sodium soup"].traits == []
        # Every item there before: guessed until someone confirms it.
        assert all(i.contents_guessed for i in items.values())
        assert upgraded.meta()["schema_version"] == str(SCHEMA_VERSION)
