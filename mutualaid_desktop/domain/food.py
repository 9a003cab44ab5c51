"""What a food item contains and what it is, and a reader for item names.

Packing decides from these facts whether an item may go to a household: its
allergens (milk, peanut, ...) and its traits (meat, pork, certified halal or
kosher, lactose-free dairy). Items typed in before items knew their contents
get them read from their name ("Peanut butter" contains peanut), for the
organizer to check in Settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mutualaid_desktop.domain.allergens import Allergen, fold
from mutualaid_desktop.domain.enums import LabelledEnum
from mutualaid_desktop.i18n import _


class ItemTrait(LabelledEnum):
    """What an item is, beyond the allergens in it."""

    MEAT = "meat"  # meat or poultry of any kind (pork counts as meat too)
    PORK = "pork"
    HALAL = "halal"  # certified halal
    KOSHER = "kosher"  # certified kosher
    LACTOSE_FREE = "lactose_free"  # dairy made without lactose

    @property
    def label(self) -> str:
        return {
            "meat": _("Meat or poultry"),
            "pork": _("Pork"),
            "halal": _("Certified halal"),
            "kosher": _("Certified kosher"),
            "lactose_free": _("Lactose-free"),
        }[self.value]


@dataclass(frozen=True)
class Contents:
    """An item's allergens and traits."""

    allergens: frozenset[Allergen] = frozenset()
    traits: frozenset[ItemTrait] = frozenset()


A = Allergen
T = ItemTrait

# "Free of" phrases on labels: the allergen they name is not in the item
# ("gluten-free pasta" is pasta without wheat).
_FREE_OF = re.compile(
    r"\b(gluten|wheat|dairy|milk|nut|peanut|egg|soy) ?free\b|"
    r"\bsin (gluten|trigo|lacteos|leche|huevo|mani|nueces|soya|soja)\b"
)
_FREE_WORDS: dict[str, frozenset[Allergen]] = {
    **dict.fromkeys(("gluten", "wheat", "trigo"), frozenset({Allergen.WHEAT})),
    **dict.fromkeys(("dairy", "milk", "lacteos", "leche"), frozenset({Allergen.MILK})),
    "nut": frozenset({Allergen.PEANUT, Allergen.TREE_NUT}),
    **dict.fromkeys(("peanut", "mani"), frozenset({Allergen.PEANUT})),
    "nueces": frozenset({Allergen.TREE_NUT}),
    **dict.fromkeys(("egg", "huevo"), frozenset({Allergen.EGG})),
    **dict.fromkeys(("soy", "soya", "soja"), frozenset({Allergen.SOY})),
}
# Plant "milks" and "butters": the plant's allergen, not milk's.
_PLANT = re.compile(
    r"\b(oat|rice|coconut|hemp|pea|avena|arroz|coco)( |-)(milk|leche)\b|"
    r"\bsunflower( seed)? butter\b|\bleche de (avena|arroz|coco)\b"
)

# Patterns tried in order on the folded name; a match is used up, as in allergens.py.
_NAME_PATTERNS: tuple[tuple[str, frozenset[Allergen], frozenset[ItemTrait]], ...] = tuple(
    (pattern, frozenset(allergens), frozenset(traits))
    for pattern, allergens, traits in (
        (r"lactose free|sin lactosa|deslactosad[ao]", {A.MILK}, {T.LACTOSE_FREE}),
        (r"(soy|soya|soja) (milk|leche)|leche de soya", {A.SOY}, ()),
        (r"(almond|cashew) (milk|butter)|leche de almendras?", {A.TREE_NUT}, ()),
        (r"peanut butter|crema de cacahuate|crema de mani", {A.PEANUT}, ()),
        (r"peanuts?|groundnuts?|mani|cacahuat(e|es)|cacahuetes?", {A.PEANUT}, ()),
        (
            r"almonds?|cashews?|walnuts?|pecans?|pistachios?|hazelnuts?|macadamias?|"
            r"almendras?|nueces|nuez|pistachos?",
            {A.TREE_NUT},
            (),
        ),
        (r"mixed nuts|nuts?|frutos secos", {A.PEANUT, A.TREE_NUT}, ()),
        (
            r"milk|cheese|yogh?urt|butter|cream|dairy|leche|queso|yogur|mantequilla|crema|"
            r"formula",
            {A.MILK},
            (),
        ),
        (r"eggs?|huevos?|mayonnaise|mayo", {A.EGG}, ()),
        (r"tofu|edamame|soy|soya|soja", {A.SOY}, ()),
        (
            r"pasta|spaghetti|macaroni|noodles?|bread|flour|crackers?|cereal|couscous|"
            r"wheat|tortillas? de harina|flour tortillas?|harina|pan|trigo|fideos|espagueti",
            {A.WHEAT},
            (),
        ),
        (r"shrimps?|prawns?|crabs?|lobsters?|camaron(es)?|shellfish|mariscos?", {A.SHELLFISH}, ()),
        (r"tuna|salmon|sardines?|fish|atun|pescados?|sardinas?", {A.FISH}, ()),
        (r"sesame|tahini|ajonjoli", {A.SESAME}, ()),
        (
            r"pork|ham|bacon|hot dogs?|sausages?|chorizo|cerdo|puerco|jamon|tocino|salchichas?",
            (),
            {T.MEAT, T.PORK},
        ),
        (
            r"chicken|beef|turkey|lamb|goat|meat|meatballs|pollo|carne|res|pavo|cordero|chivo",
            (),
            {T.MEAT},
        ),
        (r"halal", (), {T.HALAL}),
        (r"kosher", (), {T.KOSHER}),
    )
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], frozenset[Allergen], frozenset[ItemTrait]], ...]:
    return tuple((re.compile(rf"\b(?:{p})\b"), a, t) for p, a, t in _NAME_PATTERNS)


def contents_from_name(name: str) -> Contents:
    """A first reading of an item's contents from its name, for the organizer to check.

    "Peanut butter" contains peanut, "Canned chicken" is meat, "Oat milk" is
    not milk, "Gluten-free pasta" has no wheat. A name that names nothing
    known contains nothing known: the organizer says what it contains.
    """
    text = fold(name)
    free_of: set[Allergen] = set()
    for phrase in _FREE_OF.finditer(text):
        free_of |= _FREE_WORDS[phrase.group(1) or phrase.group(2)]
    text = _FREE_OF.sub(" ", text)
    text = _PLANT.sub(" ", text)
    allergens: set[Allergen] = set()
    traits: set[ItemTrait] = set()
    for pattern, names, flags in _compiled():
        text, found = pattern.subn(" ", text)
        if found:
            allergens |= names
            traits |= flags
    return Contents(frozenset(allergens - free_of), frozenset(traits))
