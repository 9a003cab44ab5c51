"""Box types and what goes in them: read and save the packing rules (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from mutualaid_desktop.domain import BoxItem, BoxType, Item
from mutualaid_desktop.domain.delivery import scaled_quantity
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store


@dataclass
class Line:
    """One line of a box type as the editor shows it."""

    item: str
    unit: str
    qty_base: float
    qty_per_person: float
    box_item_id: str = ""

    def quantity_for(self, household_size: int) -> int:
        return scaled_quantity(self.qty_base, self.qty_per_person, household_size)


def box_types(store: Store) -> list[BoxType]:
    return store.select(BoxType, order_by="sort_order, name")


def lines_of(store: Store, box_type_id: str) -> list[Line]:
    items = {i.id: i for i in store.select(Item)}
    out = []
    for bi in store.select(BoxItem, "box_type_id = ?", [box_type_id]):
        item = items.get(bi.item_id)
        if item is not None:
            out.append(Line(item.name, item.unit, bi.qty_base, bi.qty_per_person, bi.id))
    return sorted(out, key=lambda line: line.item.casefold())


def save_box_type(store: Store, box: BoxType, lines: list[Line]) -> BoxType:
    """Save a box type and exactly these lines (items are matched by name, or created)."""
    names = [line.item.strip().casefold() for line in lines]
    if any(not n for n in names):
        raise UserError("Every line needs an item name; remove empty lines.")
    if len(set(names)) != len(names):
        raise UserError("An item appears twice in this box type; keep one line per item.")
    for line in lines:
        if line.qty_base < 0 or line.qty_per_person < 0:
            raise UserError(f"Quantities of {line.item} cannot be negative.")
    items = {i.name.casefold(): i for i in store.select(Item)}
    with store.transaction():
        saved = store.save(box)
        keep: set[str] = set()
        existing = {bi.id: bi for bi in store.select(BoxItem, "box_type_id = ?", [saved.id])}
        for line in lines:
            item = items.get(line.item.strip().casefold())
            if item is None:
                item = store.insert(Item(name=line.item.strip(), unit=line.unit.strip() or "each"))
                items[item.name.casefold()] = item
            elif line.unit.strip() and line.unit.strip() != item.unit:
                item = store.update(Item, item.id, unit=line.unit.strip())
            current = existing.get(line.box_item_id)
            if current is not None:
                store.save(
                    current.model_copy(
                        update={
                            "item_id": item.id,
                            "qty_base": line.qty_base,
                            "qty_per_person": line.qty_per_person,
                        }
                    )
                )
                keep.add(current.id)
            else:
                new = store.insert(
                    BoxItem(
                        box_type_id=saved.id,
                        item_id=item.id,
                        qty_base=line.qty_base,
                        qty_per_person=line.qty_per_person,
                    )
                )
                keep.add(new.id)
        for bi_id in set(existing) - keep:
            store.delete(BoxItem, bi_id)
    return saved
