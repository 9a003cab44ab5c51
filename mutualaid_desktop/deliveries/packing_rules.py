"""Box types and what goes in them: read and save the packing rules (no Qt)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mutualaid_desktop.domain import BoxItem, BoxType, Item
from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.domain.delivery import scaled_quantity
from mutualaid_desktop.domain.food import Contents, ItemTrait, contents_from_name
from mutualaid_desktop.domain.packing import (
    ItemFacts,
    Packed,
    Restrictions,
    RuleLine,
    pack,
    to_review,
)
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _, ngettext
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


@dataclass(frozen=True)
class PackingRules:
    """Every item's facts and every box type's lines, read once for a day's sheets."""

    items: dict[str, ItemFacts]
    boxes: dict[str, list[RuleLine]]
    # (box type, people, allergens, diets) -> what they get: a day's households come in
    # far fewer kinds than there are households, and packing reads nothing else.
    _packed: dict[tuple[str, int, frozenset[Any], frozenset[Any]], Packed] = field(
        default_factory=dict, compare=False, repr=False
    )

    def pack(self, box_type_id: str | None, household_size: int, who: Restrictions) -> Packed:
        key = (box_type_id or "", household_size, who.allergens, who.diets)
        packed = self._packed.get(key)
        if packed is None:
            packed = self._packed[key] = pack(
                self.boxes.get(key[0], []), self.items, household_size, who
            )
        return packed


def load_rules(store: Store) -> PackingRules:
    """Every live item and box line, for packing a day's stops."""
    items: dict[str, ItemFacts] = {}
    for item_id, name, unit, allergens, traits, substitutes in store.conn.execute(
        "SELECT id, name, unit, allergens, traits, substitutes FROM items WHERE _cl % 2 = 1"
    ):
        items[item_id] = ItemFacts(
            item_id,
            name,
            unit,
            Contents(
                frozenset(Allergen(a) for a in json.loads(allergens)),
                frozenset(ItemTrait(t) for t in json.loads(traits)),
            ),
            tuple(json.loads(substitutes)),
        )
    boxes: dict[str, list[RuleLine]] = {}
    for box_id, item_id, base, per in store.conn.execute(
        """SELECT box_type_id, item_id, qty_base, qty_per_person FROM box_items
           WHERE _cl % 2 = 1 ORDER BY id"""
    ):
        boxes.setdefault(box_id, []).append(RuleLine(item_id, base, per))
    return PackingRules(items, boxes)


def to_check(store: Store, run_ids: list[str]) -> dict[str, list[str]]:
    """Stop id -> what to look at before printing (items left out, allergy notes nobody
    could read), for the stops of these runs that have something."""
    if not run_ids:
        return {}
    rules = load_rules(store)
    marks = ",".join("?" * len(run_ids))
    out: dict[str, list[str]] = {}
    for stop_id, box_id, size, dietary, allergies in store.conn.execute(
        f"""SELECT s.id, s.box_type_id, c.adults + c.children + c.seniors, c.dietary,
                   c.allergies
            FROM stops s JOIN contacts c ON c.id = s.contact_id
            WHERE s._cl % 2 = 1 AND s.run_id IN ({marks})""",
        run_ids,
    ):
        who = Restrictions.of(json.loads(dietary), allergies)
        found = to_review(rules.pack(box_id, size, who), who)
        if found:
            out[stop_id] = found
    return out


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
        raise UserError(_("Every line needs an item name; remove empty lines."))
    if len(set(names)) != len(names):
        raise UserError(_("An item appears twice in this box type; keep one line per item."))
    for line in lines:
        if line.qty_base < 0 or line.qty_per_person < 0:
            raise UserError(_("Quantities of {item} cannot be negative.").format(item=line.item))
    items = {i.name.casefold(): i for i in store.select(Item)}
    with store.transaction():
        saved = store.save(box)
        keep: set[str] = set()
        existing = {bi.id: bi for bi in store.select(BoxItem, "box_type_id = ?", [saved.id])}
        for line in lines:
            item = items.get(line.item.strip().casefold())
            if item is None:
                item = store.insert(guessed_item(line.item.strip(), line.unit.strip()))
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


def guessed_item(name: str, unit: str = "") -> Item:
    """A new item typed by name only (a box type's line): its contents read from the
    name ("Peanut butter" contains peanut) and marked as guessed, for an organizer to
    confirm in Settings › Items, never left as containing nothing."""
    contents = contents_from_name(name)
    return Item(
        name=name,
        unit=unit or "each",
        allergens=sorted(contents.allergens),
        traits=sorted(contents.traits),
        contents_guessed=True,
    )


def items(store: Store) -> list[Item]:
    return sorted(store.select(Item), key=lambda item: item.name.casefold())


def checked_item(store: Store, item: Item) -> Item:
    """`item` ready to save (its contents and substitutes), or a UserError saying what to fix."""
    name = item.name.strip()
    if not name:
        raise UserError(_("An item needs a name."))
    others = {i.id: i for i in store.select(Item) if i.id != item.id}
    if any(other.name.casefold() == name.casefold() for other in others.values()):
        raise UserError(
            _("There is already an item called {name}; use that one.").format(name=name)
        )
    for sub in item.substitutes:
        if sub == item.id:
            raise UserError(
                _("{name} cannot replace itself; choose another item.").format(name=name)
            )
        if sub not in others:
            raise UserError(
                _("A substitute of {name} no longer exists; remove it from the list.").format(
                    name=name
                )
            )
    return item.model_copy(update={"name": name, "unit": item.unit.strip() or "each"})


def why_item_stays(store: Store, item_id: str) -> str | None:
    """Why an item cannot be deleted now (box types pack it, other items fall back on it),
    or None when nothing depends on it."""
    item = store.get(Item, item_id)
    if item is None:
        return None
    boxes = sorted(
        name
        for (name,) in store.conn.execute(
            """SELECT DISTINCT b.name FROM box_items bi JOIN box_types b ON b.id = bi.box_type_id
               WHERE bi._cl % 2 = 1 AND b._cl % 2 = 1 AND bi.item_id = ?""",
            [item_id],
        )
    )
    if boxes:
        return ngettext(
            "{item} is packed in the box type {boxes}: remove it there first.",
            "{item} is packed in the box types {boxes}: remove it there first.",
            len(boxes),
        ).format(item=item.name, boxes=_listed(boxes))
    replaced = sorted(
        (other.name for other in store.select(Item) if item_id in other.substitutes),
        key=str.casefold,
    )
    if replaced:
        return ngettext(
            "{item} replaces {items} for households that may not have it: "
            "remove it from that item's substitutes first.",
            "{item} replaces {items} for households that may not have them: "
            "remove it from those items' substitutes first.",
            len(replaced),
        ).format(item=item.name, items=_listed(replaced))
    return None


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def guessed_count(store: Store) -> int:
    """How many items' contents were read from their names and nobody has confirmed."""
    return store.count(Item, "contents_guessed = 1")
