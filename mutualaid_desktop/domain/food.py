"""What a food item contains and what it is, and a reader for item names.

Packing decides from these facts whether an item may go to a household: its
allergens (milk, peanut, ...) and its traits (meat, pork, certified halal or
kosher, lactose-free dairy, high in sugar or sodium, baby formula). Items
typed in before items knew their contents get them read from their name
("Peanut butter" contains peanut, "Apple juice" is high in sugar), marked as
guessed until an organizer confirms them in Settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mutualaid_desktop.domain.allergens import Allergen, fold
from mutualaid_desktop.domain.enums import LabelledEnum
from mutualaid_desktop.i18n import N_, _


class ItemTrait(LabelledEnum):
    """What an item is, beyond the allergens in it."""

    MEAT = "meat"  # meat or poultry of any kind (pork counts as meat too)
    PORK = "pork"
    HALAL = "halal"  # certified halal
    KOSHER = "kosher"  # certified kosher
    LACTOSE_FREE = "lactose_free"  # dairy made without lactose
    HIGH_SUGAR = "high_sugar"  # juice, soda, jam, sweetened cereal: not for a diabetic diet
    HIGH_SODIUM = "high_sodium"  # instant noodles, canned soup, chips: not for low sodium
    BABY_FORMULA = "baby_formula"  # infant formula: what a "baby formula" household needs

    @property
    def label(self) -> str:
        return {
            "meat": _("Meat or poultry"),
            "pork": _("Pork"),
            "halal": _("Certified halal"),
            "kosher": _("Certified kosher"),
            "lactose_free": _("Lactose-free"),
            "high_sugar": _("High in sugar"),
            "high_sodium": _("High in sodium"),
            "baby_formula": _("Baby formula"),
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

# What an item is for a diet that counts sugar or salt, read apart from the
# allergens (a match there is not used up: "instant noodles" are wheat and salty).
# A word that says the opposite ("no sugar added", "low-sodium") cancels it.
_NOT_SWEET = re.compile(
    r"\b(no sugar( added)?|sugar ?free|unsweetened|without sugar|diet|zero sugar|"
    r"sin azucar( anadida)?|sin endulzar)\b"
)
_NOT_SALTY = re.compile(
    r"\b(low|reduced|no|less|lower) (sodium|salt)( added)?\b|\b(unsalted|sodium free|salt free|"
    r"sin sal|baj[oa]s? en (sodio|sal)|baj[oa] sodio|reducid[oa] en sodio|sin sodio)\b"
)
_SWEET = re.compile(
    r"\b(juices?|jugos?|zumos?|sodas?|soft drinks?|refrescos?|sports drinks?|lemonade|limonada|"
    r"kool aid|punch|jams?|jelly|jellies|preserves|mermeladas?|jaleas?|syrup|jarabe|almibar|"
    r"honey|miel|sugar|azucar|candy|candies|dulces?|caramelos?|chocolates?|cookies?|"
    r"galletas dulces|"
    r"cakes?|pasteles?|pastries|pan dulce|donuts?|doughnuts?|pudding|flan|frosted|sweetened|"
    r"azucarad[oa]s?|endulzad[oa]s?|cereal|cereales|granola bars?|fruit cocktail|"
    r"coctel de frutas|condensed milk|leche condensada)\b"
)
_SALTY = re.compile(
    r"\b(instant noodles|ramen|cup noodles|cup of noodles|maruchan|sopa instantanea|"
    r"sopas? instantaneas?|soups?|sopas?|broth|caldos?|bouillon|consome|stock cubes?|"
    r"chips|crisps|papitas|frituras|pretzels|salted|saladas?|salados?|saltines|jerky|spam|"
    r"ham|bacon|hot dogs?|sausages?|chorizo|jamon|tocino|salchichas?|salami|pepperoni|"
    r"pickles?|encurtidos?|olives|aceitunas|soy sauce|salsa de soya|salsa de soja|"
    r"canned vegetables|verduras enlatadas|canned beans|frijoles enlatados|refried beans|"
    r"frijoles refritos|canned meat|carne enlatada|cured|curad[oa]s?|salt|sal)\b"
)
_FORMULA = re.compile(
    r"\b(baby formula|infant formula|formula|leche de formula|formula infantil|"
    r"leche para bebes?)\b"
)


def _nutrition_traits(text: str) -> set[ItemTrait]:
    found: set[ItemTrait] = set()
    if _SWEET.search(text) and not _NOT_SWEET.search(text):
        found.add(ItemTrait.HIGH_SUGAR)
    if _SALTY.search(text) and not _NOT_SALTY.search(text):
        found.add(ItemTrait.HIGH_SODIUM)
    if _FORMULA.search(text):
        found.add(ItemTrait.BABY_FORMULA)
    return found


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], frozenset[Allergen], frozenset[ItemTrait]], ...]:
    return tuple((re.compile(rf"\b(?:{p})\b"), a, t) for p, a, t in _NAME_PATTERNS)


def contents_from_name(name: str) -> Contents:
    """A first reading of an item's contents from its name, for the organizer to check.

    "Peanut butter" contains peanut, "Canned chicken" is meat, "Oat milk" is
    not milk, "Gluten-free pasta" has no wheat, "Apple juice" is high in sugar,
    "Low-sodium canned soup" is not high in sodium. A name that names nothing
    known contains nothing known: the organizer says what it contains.
    """
    text = fold(name)
    traits: set[ItemTrait] = _nutrition_traits(text)
    free_of: set[Allergen] = set()
    for phrase in _FREE_OF.finditer(text):
        free_of |= _FREE_WORDS[phrase.group(1) or phrase.group(2)]
    text = _FREE_OF.sub(" ", text)
    text = _PLANT.sub(" ", text)
    allergens: set[Allergen] = set()
    for pattern, names, flags in _compiled():
        text, found = pattern.subn(" ", text)
        if found:
            allergens |= names
            traits |= flags
    return Contents(frozenset(allergens - free_of), frozenset(traits))


# The items and units the program comes with (the demo's, and "each" for a new
# item), named through the catalog so a slip in Spanish says "Arroz", "bolsa de 2 lb".
# Items and units an organizer types print as typed.
BUILT_IN_ITEMS = frozenset(
    {
        N_("Rice"),
        N_("Pinto beans"),
        N_("Black beans"),
        N_("Cooking oil"),
        N_("Pasta"),
        N_("Gluten-free pasta"),
        N_("Canned tomatoes"),
        N_("Peanut butter"),
        N_("Sunflower seed butter"),
        N_("Canned chicken"),
        N_("Canned halal chicken"),
        N_("Halal chicken"),
        N_("Eggs"),
        N_("Tofu"),
        N_("Milk"),
        N_("Lactose-free milk (shelf-stable)"),
        N_("Oat milk (shelf-stable)"),
        N_("Apples"),
        N_("Potatoes"),
        N_("Onions"),
        N_("Leafy greens"),
        N_("Oatmeal (no sugar added)"),
        N_("Baby formula"),
        N_("Diapers"),
        N_("Baby food"),
        N_("Wipes"),
        N_("Apple juice"),
        N_("Bottled water"),
        N_("Canned vegetable soup"),
        N_("Instant noodles"),
        N_("Low-sodium vegetable soup"),
        N_("Pork and beans"),
        N_("Soy-based baby formula"),
        N_("Strawberry jam"),
        N_("Sweetened cereal"),
    }
)
BUILT_IN_UNITS = frozenset(
    {
        N_("each"),
        N_("2 lb bag"),
        N_("1 lb bag"),
        N_("can"),
        N_("bottle"),
        N_("1 lb box"),
        N_("12 oz box"),
        N_("jar"),
        N_("2 lb pack"),
        N_("dozen"),
        N_("block"),
        N_("half gallon"),
        N_("3 lb bag"),
        N_("5 lb bag"),
        N_("bunch"),
        N_("canister"),
        N_("pack"),
        N_("64 oz bottle"),
        N_("box"),
        N_("case of 12"),
    }
)


def item_name(name: str) -> str:
    """An item's name in the language being spoken: a built-in item's through the
    catalog, an organizer's as typed."""
    return _(name) if name in BUILT_IN_ITEMS else name


def unit_name(unit: str) -> str:
    """A unit ("jar", "2 lb bag") in the language being spoken, as `item_name`."""
    return _(unit) if unit in BUILT_IN_UNITS else unit
