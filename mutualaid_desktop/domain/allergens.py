"""Allergens, and reading the allergies and diets organizers type as free text.

Organizers write "NUT ALLERGY!!", "alérgico al maní", "no dairy" or "gluten free
/ celiac". Packing must act on what such text clearly names, and must never
ignore what it cannot read: every part of the text that names nothing known
comes back as `unrecognised`, to be printed as written and flagged for review.

When a word could mean more than one allergen ("nuts", "frutos secos"), it
means all of them: leaving a safe item out costs less than packing a wrong one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mutualaid_desktop.domain.enums import DietaryFlag, LabelledEnum
from mutualaid_desktop.i18n import _


class Allergen(LabelledEnum):
    """The major food allergens (US FDA's nine; wheat stands for gluten too)."""

    MILK = "milk"
    EGG = "egg"
    PEANUT = "peanut"
    TREE_NUT = "tree_nut"
    SOY = "soy"
    WHEAT = "wheat"
    FISH = "fish"
    SHELLFISH = "shellfish"
    SESAME = "sesame"

    @property
    def label(self) -> str:
        return {
            "milk": _("Milk"),
            "egg": _("Egg"),
            "peanut": _("Peanut"),
            "tree_nut": _("Tree nuts"),
            "soy": _("Soy"),
            "wheat": _("Wheat / gluten"),
            "fish": _("Fish"),
            "shellfish": _("Shellfish"),
            "sesame": _("Sesame"),
        }[self.value]


A = Allergen
D = DietaryFlag

# Word patterns on folded text (lower case, accents removed), English and
# Spanish, each with the allergens and diets it means. Tried in this order, and
# a match is used up: "leche de formula" is baby formula, not milk; "tree nuts"
# are not peanuts.
_PATTERNS: tuple[tuple[str, frozenset[Allergen], frozenset[DietaryFlag]], ...] = tuple(
    (pattern, frozenset(allergens), frozenset(diets))
    for pattern, allergens, diets in (
        (r"baby formula|infant formula|leche de formula|formula", (), {D.BABY_FORMULA}),
        (r"lactose|lactosa", {A.MILK}, {D.LACTOSE_FREE}),
        (r"gluten|celiac|coeliac|celiaco|celiaca|celiaquia", {A.WHEAT}, {D.GLUTEN_FREE}),
        (
            r"tree ?nuts?|almonds?|cashews?|walnuts?|pecans?|pistachios?|hazelnuts?|"
            r"macadamias?|brazil nuts?|almendras?|anacardos?|nuez|nueces|pistachos?|avellanas?",
            {A.TREE_NUT},
            (),
        ),
        (r"peanuts?|groundnuts?|mani(es)?|cacahuat(e|es)|cacahuetes?", {A.PEANUT}, ()),
        # "nut allergy", "frutos secos": could be either, so both.
        (r"nuts?|frutos secos", {A.PEANUT, A.TREE_NUT}, ()),
        (r"milk|dairy|leche|lacteos?|cheese|queso|casein|whey", {A.MILK}, ()),
        (r"eggs?|huevos?", {A.EGG}, ()),
        (r"soy|soya|soja|soybeans?", {A.SOY}, ()),
        (r"wheat|trigo", {A.WHEAT}, ()),
        # "Seafood" is fish and shellfish both; "shell fish" is not fish alone.
        (r"sea ?food|frutos del mar", {A.FISH, A.SHELLFISH}, ()),
        (
            r"shell ?fish|shrimps?|prawns?|crabs?|lobsters?|crustaceans?|mariscos?|camaron(es)?|"
            r"gambas?|langostas?|cangrejos?",
            {A.SHELLFISH},
            (),
        ),
        (r"fish|pescados?|salmon|tuna|atun", {A.FISH}, ()),
        (r"sesame|tahini|ajonjoli|sesamo", {A.SESAME}, ()),
        (r"vegan|vegano|vegana", (), {D.VEGAN}),
        (r"vegetarian|vegetariano|vegetariana|veggie", (), {D.VEGETARIAN}),
        (r"halal", (), {D.HALAL}),
        (r"kosher", (), {D.KOSHER}),
        (r"no pork|pork free|sin cerdo|sin puerco|no cerdo|no puerco", (), {D.NO_PORK}),
        (r"diabetic|diabetes|diabetico|diabetica", (), {D.DIABETIC}),
        (r"low sodium|low salt|bajo en sal|bajo en sodio|poca sal|sin sal", (), {D.LOW_SODIUM}),
    )
)

# Text that says there is nothing to avoid.
_NOTHING = re.compile(
    r"^(none|no|nope|n ?a|nka|nkda|nil|nothing|no allergies|no known allergies|"
    r"ninguna?o?|ningunas?|nada|no tiene|sin alergias|no alergias)$"
)
# Parts are split at commas, semicolons, slashes, pluses, new lines, "and", "y", "&".
_SPLIT = re.compile(r"[,;/+\n&]|\band\b|\by\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", bare).replace("_", " ").split())


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], frozenset[Allergen], frozenset[DietaryFlag]], ...]:
    return tuple((re.compile(rf"\b(?:{p})\b"), a, d) for p, a, d in _PATTERNS)


@dataclass(frozen=True)
class Part:
    """One piece of the text ("NUT ALLERGY!!") and what it names."""

    text: str
    allergens: frozenset[Allergen]
    diets: frozenset[DietaryFlag]

    @property
    def recognised(self) -> bool:
        return bool(self.allergens or self.diets)


@dataclass(frozen=True)
class Reading:
    """What a free-text allergy or diet note clearly names, and what it does not."""

    parts: tuple[Part, ...]

    @property
    def allergens(self) -> frozenset[Allergen]:
        return frozenset(a for p in self.parts for a in p.allergens)

    @property
    def diets(self) -> frozenset[DietaryFlag]:
        return frozenset(d for p in self.parts for d in p.diets)

    @property
    def unrecognised(self) -> tuple[str, ...]:
        """The pieces that name nothing known, as written: print them and flag for review."""
        return tuple(p.text for p in self.parts if not p.recognised)


@lru_cache(maxsize=4096)
def read_allergies(text: str) -> Reading:
    """Read an organizer's free text ("peanut allergy", "no dairy", "kosher; eggs")."""
    parts: list[Part] = []
    if _NOTHING.match(fold(text)):  # "N/A" as a whole, before "/" splits it
        return Reading(())
    for raw in _SPLIT.split(text):
        written = " ".join(raw.split()).strip(" .!-:")
        folded = fold(written)
        if not folded or _NOTHING.match(folded):
            continue
        allergens: set[Allergen] = set()
        diets: set[DietaryFlag] = set()
        for pattern, names, flags in _compiled():
            folded, found = pattern.subn(" ", folded)
            if found:
                allergens |= names
                diets |= flags
        parts.append(Part(written, frozenset(allergens), frozenset(diets)))
    return Reading(tuple(parts))
