"""Packing rules: which box suits a household, and what goes in it.

Paper is trusted blindly, so what a household gets is decided here, once, for
every sheet: no item its allergies or diet rule out (a substitute, or left
out and said so), and quantities for the household whatever its number of
boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from mutualaid_desktop.domain.allergens import Allergen, read_allergies
from mutualaid_desktop.domain.delivery import BoxType, scaled_quantity
from mutualaid_desktop.domain.enums import DietaryFlag
from mutualaid_desktop.domain.food import Contents, ItemTrait, item_name
from mutualaid_desktop.i18n import N_, _


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


# The diets an item can break, named as the reason on a slip ("vegan diet").
_DIET_NAMES = {
    DietaryFlag.VEGAN: N_("vegan"),
    DietaryFlag.VEGETARIAN: N_("vegetarian"),
    DietaryFlag.HALAL: N_("halal"),
    DietaryFlag.KOSHER: N_("kosher"),
    DietaryFlag.NO_PORK: N_("no pork"),
    DietaryFlag.GLUTEN_FREE: N_("gluten-free"),
    DietaryFlag.LACTOSE_FREE: N_("lactose-free"),
    DietaryFlag.DIABETIC: N_("diabetic"),
    DietaryFlag.LOW_SODIUM: N_("low-sodium"),
}


@dataclass(frozen=True)
class Reason:
    """Why an item is ruled out: an allergy or a diet. Put in words when shown, so one
    household's slip can say it in that household's language."""

    allergen: Allergen | None = None
    diet: DietaryFlag | None = None

    def __str__(self) -> str:
        if self.allergen is not None:
            return _("{allergen} allergy").format(allergen=self.allergen.label.lower())
        assert self.diet is not None
        return _("{diet} diet").format(diet=_(_DIET_NAMES[self.diet]))


def ruled_out(contents: Contents, household: Restrictions) -> Reason | None:
    """Why `household` must not get an item with `contents` ("peanut allergy"), or None."""
    if not household.allergens and not household.diets:
        return None  # most households: nothing rules anything out
    shared = contents.allergens & household.allergens
    if shared:
        return Reason(allergen=next(a for a in Allergen if a in shared))  # a fixed order
    for diet, breaks, _name in _DIET_CHECKS:
        if diet in household.diets and breaks(contents):
            return Reason(diet=diet)
    return None


def _animal(c: Contents) -> bool:
    return bool({ItemTrait.MEAT, ItemTrait.PORK} & c.traits) or bool(
        {Allergen.FISH, Allergen.SHELLFISH} & c.allergens
    )


# What each diet rules out, checked in this order; names translated when said (N_ marks them).
_DIET_CHECKS: tuple[tuple[DietaryFlag, Callable[[Contents], bool], str], ...] = (
    (
        DietaryFlag.VEGAN,
        lambda c: _animal(c) or bool({Allergen.MILK, Allergen.EGG} & c.allergens),
        N_("vegan"),
    ),
    (DietaryFlag.VEGETARIAN, _animal, N_("vegetarian")),
    (DietaryFlag.HALAL, lambda c: _meat_without(c, ItemTrait.HALAL), N_("halal")),
    (
        DietaryFlag.KOSHER,
        lambda c: _meat_without(c, ItemTrait.KOSHER) or Allergen.SHELLFISH in c.allergens,
        N_("kosher"),
    ),
    (DietaryFlag.NO_PORK, lambda c: ItemTrait.PORK in c.traits, N_("no pork")),
    (DietaryFlag.GLUTEN_FREE, lambda c: Allergen.WHEAT in c.allergens, N_("gluten-free")),
    (
        DietaryFlag.LACTOSE_FREE,
        lambda c: Allergen.MILK in c.allergens and ItemTrait.LACTOSE_FREE not in c.traits,
        N_("lactose-free"),
    ),
    (DietaryFlag.DIABETIC, lambda c: ItemTrait.HIGH_SUGAR in c.traits, N_("diabetic")),
    (DietaryFlag.LOW_SODIUM, lambda c: ItemTrait.HIGH_SODIUM in c.traits, N_("low-sodium")),
)


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
    reason: Reason | None = None  # why the original is ruled out

    def per_box(self, boxes: int) -> list[int]:
        return split_between(self.quantity, boxes)


@dataclass(frozen=True)
class LeftOut:
    """An item the household must not get, and for which nothing safe replaces it."""

    name: str
    reason: Reason
    had_substitutes: bool

    @property
    def sentence(self) -> str:
        """ "No peanut butter: peanut allergy; no substitute defined", in the language
        being spoken."""
        rest = _("no safe substitute") if self.had_substitutes else _("no substitute defined")
        return _("No {item}: {reason}; {rest}").format(
            item=lower_first(item_name(self.name)), reason=self.reason, rest=rest
        )


@dataclass(frozen=True)
class Packed:
    lines: tuple[PackedLine, ...]
    left_out: tuple[LeftOut, ...]
    # What the household's record says it needs and nothing packed is: "baby formula"
    # is a need, not something to keep out of the box.
    needs_unmet: tuple[DietaryFlag, ...] = ()

    @property
    def unmet(self) -> tuple[str, ...]:
        """The unmet needs as sentences, in the language being spoken (a Spanish
        household's slip says them in Spanish)."""
        return tuple(unmet_need_sentence(need) for need in self.needs_unmet)


# Diet flags that name a need: flag -> the trait of an item that meets it.
NEEDS: dict[DietaryFlag, ItemTrait] = {DietaryFlag.BABY_FORMULA: ItemTrait.BABY_FORMULA}


def unmet_need_sentence(need: DietaryFlag) -> str:
    """ "Needs baby formula: none in this box; add it by hand or choose another box type"."""
    return _("Needs {need}: none in this box; add it by hand or choose another box type").format(
        need=need.label.lower()
    )


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
                reason=known.reason or reason,
            )
        else:
            lines[chosen.id] = PackedLine(
                chosen.id, chosen.name, chosen.unit, quantity, replaces, reason
            )
    ordered = sorted(lines.values(), key=lambda line: line.name.casefold())
    unmet = tuple(
        need
        for need, trait in NEEDS.items()
        if need in household.diets
        and not any(trait in items[line.item_id].contents.traits for line in ordered)
    )
    return Packed(tuple(ordered), tuple(left_out), unmet)


def to_review(packed: Packed, household: Restrictions) -> list[str]:
    """What an organizer should look at before printing: items left out, and allergy
    notes nobody could read (printed as written, never ignored)."""
    out = [gone.sentence for gone in packed.left_out]
    out.extend(packed.unmet)
    out.extend(
        _("Allergy note not recognised, check by hand: “{text}”").format(text=t)
        for t in household.unrecognised
    )
    return out
