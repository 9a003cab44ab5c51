"""Packing rules: which box suits a household, and what goes in it.

Paper is trusted blindly, so what a household gets is decided here, once, for
every sheet: no item its allergies or diet rule out (a substitute, or left
out and said so), and quantities for the household whatever its number of
boxes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from mutualaid_desktop.domain.allergens import Allergen, read_allergies
from mutualaid_desktop.domain.delivery import BoxType, scaled_quantity
from mutualaid_desktop.domain.enums import DietaryFlag
from mutualaid_desktop.domain.food import Contents, ItemTrait
from mutualaid_desktop.i18n import _


def suggest_box_type(
    dietary: Iterable[DietaryFlag], box_types: Sequence[BoxType]
) -> BoxType | None:
    """The box type that covers most of a household's dietary flags.

    Ties go to the box type listed first (lowest sort order); with no flag
    matched, the first box type that suits nothing in particular (Standard).
    """
    flags = set(dietary)
    ordered = sorted(box_types, key=lambda b: (b.sort_order, b.name))
    best: BoxType | None = None
    best_score = 0
    for box in ordered:
        score = len(flags & set(box.suits))
        if score > best_score:
            best, best_score = box, score
    if best is not None:
        return best
    plain = [b for b in ordered if not b.suits]
    return plain[0] if plain else (ordered[0] if ordered else None)


# -- what a household can be given --------------------------------------------------


@dataclass(frozen=True)
class Restrictions:
    """What a household's record rules out: allergens, diets, and words nobody could read."""

    allergens: frozenset[Allergen] = frozenset()
    diets: frozenset[DietaryFlag] = frozenset()
    unrecognised: tuple[str, ...] = ()

    @classmethod
    def of(cls, dietary: Iterable[DietaryFlag | str], allergies: str) -> Restrictions:
        """From the household's dietary flags and its free-text allergies."""
        reading = read_allergies(allergies)
        diets = {DietaryFlag(d) for d in dietary} | reading.diets
        allergens = set(reading.allergens)
        if DietaryFlag.NUT_ALLERGY in diets:
            allergens |= {Allergen.PEANUT, Allergen.TREE_NUT}
        return cls(frozenset(allergens), frozenset(diets), reading.unrecognised)

    @property
    def allergen_labels(self) -> list[str]:
        return [a.label for a in Allergen if a in self.allergens]


def _meat_without(contents: Contents, certified: ItemTrait) -> bool:
    meat = ItemTrait.MEAT in contents.traits or ItemTrait.PORK in contents.traits
    return meat and certified not in contents.traits


def ruled_out(contents: Contents, household: Restrictions) -> str | None:
    """Why `household` must not get an item with `contents` ("peanut allergy"), or None."""
    for allergen in Allergen:
        if allergen in contents.allergens and allergen in household.allergens:
            return _("{allergen} allergy").format(allergen=allergen.label.lower())
    allergens, traits, diets = contents.allergens, contents.traits, household.diets
    animal = bool({ItemTrait.MEAT, ItemTrait.PORK} & traits) or bool(
        {Allergen.FISH, Allergen.SHELLFISH} & allergens
    )
    dairy_or_egg = bool({Allergen.MILK, Allergen.EGG} & allergens)
    checks: tuple[tuple[DietaryFlag, bool, str], ...] = (
        (DietaryFlag.VEGAN, animal or dairy_or_egg, _("vegan")),
        (DietaryFlag.VEGETARIAN, animal, _("vegetarian")),
        (DietaryFlag.HALAL, _meat_without(contents, ItemTrait.HALAL), _("halal")),
        (
            DietaryFlag.KOSHER,
            _meat_without(contents, ItemTrait.KOSHER) or Allergen.SHELLFISH in allergens,
            _("kosher"),
        ),
        (DietaryFlag.NO_PORK, ItemTrait.PORK in traits, _("no pork")),
        (DietaryFlag.GLUTEN_FREE, Allergen.WHEAT in allergens, _("gluten-free")),
        (
            DietaryFlag.LACTOSE_FREE,
            Allergen.MILK in allergens and ItemTrait.LACTOSE_FREE not in traits,
            _("lactose-free"),
        ),
    )
    for diet, hit, name in checks:
        if diet in diets and hit:
            return _("{diet} diet").format(diet=name)
    return None


# -- what goes in a household's boxes -----------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    """What packing needs to know of an item."""

    id: str
    name: str
    unit: str
    contents: Contents = field(default_factory=Contents)
    substitutes: tuple[str, ...] = ()  # item ids, the first one the household may have wins


@dataclass(frozen=True)
class RuleLine:
    """One line of a box type: an item and how its quantity scales."""

    item_id: str
    qty_base: float
    qty_per_person: float


@dataclass(frozen=True)
class PackedLine:
    """An item to pack for the household, with its quantity for the whole household."""

    item_id: str
    name: str
    unit: str
    quantity: int
    replaces: str = ""  # the item this one stands in for, when it is a substitute
    reason: str = ""  # why the original is ruled out

    def per_box(self, boxes: int) -> list[int]:
        return split_between(self.quantity, boxes)


@dataclass(frozen=True)
class LeftOut:
    """An item the household must not get, and for which nothing safe replaces it."""

    name: str
    reason: str
    had_substitutes: bool

    @property
    def sentence(self) -> str:
        """ "No peanut butter: peanut allergy; no substitute defined"."""
        rest = _("no safe substitute") if self.had_substitutes else _("no substitute defined")
        return _("No {item}: {reason}; {rest}").format(
            item=lower_first(self.name), reason=self.reason, rest=rest
        )


@dataclass(frozen=True)
class Packed:
    lines: tuple[PackedLine, ...]
    left_out: tuple[LeftOut, ...]


def lower_first(name: str) -> str:
    """ "Peanut butter" -> "peanut butter"; "UHT milk" stays as written."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def split_between(quantity: int, boxes: int) -> list[int]:
    """A household's quantity shared between its boxes, the first boxes taking any extra."""
    boxes = max(boxes, 1)
    each, extra = divmod(quantity, boxes)
    return [each + (i < extra) for i in range(boxes)]


def pack(
    rules: Sequence[RuleLine],
    items: Mapping[str, ItemFacts],
    household_size: int,
    household: Restrictions,
) -> Packed:
    """What one household gets from its box type's rules, whatever its number of boxes.

    Quantities are the household's (ceil(base + per person x (people - 1))).
    An item the household's allergies or diet rule out is replaced by its
    first substitute the household may have (same quantity); with none, it
    is left out and says why.
    """
    lines: dict[str, PackedLine] = {}
    left_out: list[LeftOut] = []
    for rule in rules:
        item = items.get(rule.item_id)
        if item is None:
            continue
        quantity = scaled_quantity(rule.qty_base, rule.qty_per_person, household_size)
        if quantity <= 0:
            continue
        reason = ruled_out(item.contents, household)
        chosen, replaces = item, ""
        if reason is not None:
            candidates = [items[s] for s in item.substitutes if s in items and s != item.id]
            safe = [c for c in candidates if ruled_out(c.contents, household) is None]
            if not safe:
                left_out.append(LeftOut(item.name, reason, bool(candidates)))
                continue
            chosen, replaces = safe[0], item.name
        known = lines.get(chosen.id)
        if known is not None:  # the substitute is in the box already: one line, added up
            lines[chosen.id] = replace(
                known,
                quantity=known.quantity + quantity,
                replaces=known.replaces or replaces,
                reason=known.reason or (reason or ""),
            )
        else:
            lines[chosen.id] = PackedLine(
                chosen.id, chosen.name, chosen.unit, quantity, replaces, reason or ""
            )
    ordered = sorted(lines.values(), key=lambda line: line.name.casefold())
    return Packed(tuple(ordered), tuple(left_out))


def to_review(packed: Packed, household: Restrictions) -> list[str]:
    """What an organizer should look at before printing: items left out, and allergy
    notes nobody could read (printed as written, never ignored)."""
    out = [gone.sentence for gone in packed.left_out]
    out.extend(
        _("Allergy note not recognised, check by hand: “{text}”").format(text=t)
        for t in household.unrecognised
    )
    return out
