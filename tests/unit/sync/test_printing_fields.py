"""Issue 10's new fields travel in bundles like the others: a household's notes for the
driver (shared like its address), an item's contents and substitutes, the maps site."""

from __future__ import annotations

from mutualaid_desktop.domain import Contact, Item, MapLinks, Organization, ShareScope
from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.domain.base import utc_now
from mutualaid_desktop.domain.food import ItemTrait
from mutualaid_desktop.domain.organization_id import ORGANIZATION_ID
from mutualaid_desktop.store import Store
from tests.unit.sync.exchange import sync


def test_driver_notes_item_contents_and_map_links_reach_the_other_laptop() -> None:
    rosa = Store.create(None, organizer="Rosa")
    sam = Store.create(None, organizer="Sam")
    shared = rosa.insert(
        Contact(
            name="Ana Ruiz",
            driver_notes="Gate code 4512#",
            notes="Grandmother raising three grandchildren",
            consent_at=utc_now(),
            share_scope=ShareScope.GROUP,
        )
    )
    kept = rosa.insert(Contact(name="Kept Here", driver_notes="Blue door"))
    oat = rosa.insert(Item(name="Oat milk"))
    rosa.insert(Item(name="Milk", allergens=[Allergen.MILK], traits=[], substitutes=[oat.id]))
    rosa.insert(Item(name="Halal chicken", traits=[ItemTrait.MEAT, ItemTrait.HALAL]))
    rosa.update(Organization, ORGANIZATION_ID, map_links=MapLinks.OPENSTREETMAP)
    sync(rosa, sam)
    assert sam.require(Contact, shared.id).driver_notes == "Gate code 4512#"
    assert sam.get(Contact, kept.id) is None  # kept on Rosa's laptop, notes and all
    items = {i.name: i for i in sam.select(Item)}
    assert items["Milk"].allergens == [Allergen.MILK] and items["Milk"].substitutes == [oat.id]
    assert items["Halal chicken"].traits == [ItemTrait.MEAT, ItemTrait.HALAL]
    assert sam.organization().map_links is MapLinks.OPENSTREETMAP
