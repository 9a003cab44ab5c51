"""Packing rules: nothing a household's allergies or diet rule out, quantities per household."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid_desktop.domain.allergens import Allergen as A
from mutualaid_desktop.domain.enums import DietaryFlag as D
from mutualaid_desktop.domain.food import Contents, contents_from_name
from mutualaid_desktop.domain.food import ItemTrait as T
from mutualaid_desktop.domain.packing import (
    ItemFacts,
    Restrictions,
    RuleLine,
    pack,
    ruled_out,
    split_between,
    to_review,
)


def contents(allergens: Iterable[A] = (), traits: Iterable[T] = ()) -> Contents:
    return Contents(frozenset(allergens), frozenset(traits))


MILK = contents({A.MILK})
LACTOSE_FREE_MILK = contents({A.MILK}, {T.LACTOSE_FREE})
PEANUT_BUTTER = contents({A.PEANUT})
CANNED_CHICKEN = contents(traits={T.MEAT})
HALAL_CHICKEN = contents(traits={T.MEAT, T.HALAL})
HAM = contents(traits={T.MEAT, T.PORK})
PASTA = contents({A.WHEAT})
TUNA = contents({A.FISH})
SHRIMP = contents({A.SHELLFISH})
EGGS = contents({A.EGG})
RICE = contents()
JUICE = contents(traits={T.HIGH_SUGAR})
SOUP = contents(traits={T.HIGH_SODIUM})
FORMULA = contents({A.MILK}, {T.BABY_FORMULA})


@pytest.mark.parametrize(
    ("item", "dietary", "allergies", "reason"),
    [
        (PEANUT_BUTTER, [], "peanut allergy", "peanut allergy"),
        (PEANUT_BUTTER, [], "alérgico al maní", "peanut allergy"),
        (PEANUT_BUTTER, [D.NUT_ALLERGY], "", "peanut allergy"),
        (MILK, [], "no dairy", "milk allergy"),
        (MILK, [D.LACTOSE_FREE], "", "lactose-free diet"),
        (LACTOSE_FREE_MILK, [], "milk", "milk allergy"),
        (CANNED_CHICKEN, [D.HALAL], "", "halal diet"),
        (CANNED_CHICKEN, [D.KOSHER], "", "kosher diet"),
        (HALAL_CHICKEN, [D.KOSHER], "", "kosher diet"),
        (SHRIMP, [D.KOSHER], "", "kosher diet"),
        (HAM, [D.NO_PORK], "", "no pork diet"),
        (HAM, [D.HALAL], "", "halal diet"),
        (CANNED_CHICKEN, [D.VEGETARIAN], "", "vegetarian diet"),
        (TUNA, [D.VEGETARIAN], "", "vegetarian diet"),
        (EGGS, [D.VEGAN], "", "vegan diet"),
        (PASTA, [D.GLUTEN_FREE], "", "gluten-free diet"),
        (PASTA, [], "celiac", "wheat / gluten allergy"),
        (SHRIMP, [], "seafood", "shellfish allergy"),
        (JUICE, [D.DIABETIC], "", "diabetic diet"),
        (JUICE, [], "diabética", "diabetic diet"),
        (SOUP, [D.LOW_SODIUM], "", "low-sodium diet"),
        (SOUP, [], "bajo en sal", "low-sodium diet"),
        (FORMULA, [D.BABY_FORMULA], "milk", "milk allergy"),
    ],
)
def test_what_the_record_rules_out(
    item: Contents, dietary: list[D], allergies: str, reason: str
) -> None:
    assert str(ruled_out(item, Restrictions.of(dietary, allergies))) == reason


@pytest.mark.parametrize(
    ("item", "dietary", "allergies"),
    [
        (LACTOSE_FREE_MILK, [D.LACTOSE_FREE], ""),
        (HALAL_CHICKEN, [D.HALAL, D.NO_PORK], ""),
        (MILK, [D.VEGETARIAN], "shellfish"),
        (EGGS, [D.VEGETARIAN], ""),
        (RICE, [D.VEGAN, D.GLUTEN_FREE, D.KOSHER], "peanuts, milk, eggs"),
        (PEANUT_BUTTER, [], "tree nuts"),
        (SOUP, [D.DIABETIC], ""),
        (JUICE, [D.LOW_SODIUM, D.BABY_FORMULA], ""),
        (FORMULA, [D.BABY_FORMULA, D.DIABETIC, D.LOW_SODIUM], ""),
    ],
)
def test_what_the_record_allows(item: Contents, dietary: list[D], allergies: str) -> None:
    assert ruled_out(item, Restrictions.of(dietary, allergies)) is None


def facts(item_id: str, item: Contents, substitutes: tuple[str, ...] = ()) -> ItemFacts:
    return ItemFacts(item_id, item_id.replace("_", " ").capitalize(), "each", item, substitutes)


ITEMS = {
    f.id: f
    for f in (
        facts("milk", MILK, ("lactose_free_milk", "oat_milk")),
        facts("lactose_free_milk", LACTOSE_FREE_MILK),
        facts("oat_milk", RICE),
        facts("peanut_butter", PEANUT_BUTTER),
        facts("canned_chicken", CANNED_CHICKEN, ("halal_chicken", "black_beans")),
        facts("halal_chicken", HALAL_CHICKEN),
        facts("black_beans", RICE),
        facts("eggs", EGGS, ("tofu_scramble",)),
        facts("tofu_scramble", contents({A.SOY})),
        facts("apple_juice", JUICE, ("water",)),
        facts("water", RICE),
        facts("canned_soup", SOUP, ("low_sodium_soup",)),
        facts("low_sodium_soup", RICE),
        facts("baby_formula", FORMULA, ("soy_formula",)),
        facts("soy_formula", contents({A.SOY}, {T.BABY_FORMULA})),
    )
}


def test_diabetic_and_low_sodium_households_get_the_substitutes() -> None:
    rules = [RuleLine("apple_juice", 1, 0), RuleLine("canned_soup", 2, 0)]
    both = pack(rules, ITEMS, 2, Restrictions.of([D.DIABETIC, D.LOW_SODIUM], ""))
    assert [(line.name, line.replaces, str(line.reason)) for line in both.lines] == [
        ("Low sodium soup", "Canned soup", "low-sodium diet"),
        ("Water", "Apple juice", "diabetic diet"),
    ]
    anyone = pack(rules, ITEMS, 2, Restrictions())
    assert [line.name for line in anyone.lines] == ["Apple juice", "Canned soup"]


def test_baby_formula_is_a_need_said_when_nothing_packed_meets_it() -> None:
    needs = Restrictions.of([D.BABY_FORMULA], "")
    packed = pack([RuleLine("baby_formula", 2, 0)], ITEMS, 3, needs)
    assert [line.name for line in packed.lines] == ["Baby formula"]
    assert packed.unmet == ()
    # Milk-allergic: the soy formula instead, and the need is met.
    allergic = pack(
        [RuleLine("baby_formula", 2, 0)], ITEMS, 3, Restrictions.of([], "formula, milk")
    )
    assert [line.name for line in allergic.lines] == ["Soy formula"] and allergic.unmet == ()
    # A box without formula: said, for the slip and for Deliveries before printing.
    plain = pack([RuleLine("black_beans", 1, 0)], ITEMS, 3, needs)
    assert plain.unmet == (
        "Needs baby formula: none in this box; add it by hand or choose another box type",
    )
    assert to_review(plain, needs) == list(plain.unmet)
    # Formula is no exclusion: a household that does not need it may have it.
    assert pack([RuleLine("baby_formula", 1, 0)], ITEMS, 1, Restrictions()).lines


def test_a_substitute_is_the_first_the_household_may_have() -> None:
    rules = [RuleLine("milk", 1, 0.5), RuleLine("canned_chicken", 2, 1)]
    lactose_free = pack(rules, ITEMS, 3, Restrictions.of([D.LACTOSE_FREE, D.HALAL], ""))
    assert [(line.name, line.quantity) for line in lactose_free.lines] == [
        ("Halal chicken", 4),
        ("Lactose free milk", 2),
    ]
    assert lactose_free.lines[1].replaces == "Milk"
    assert str(lactose_free.lines[1].reason) == "lactose-free diet"
    milk_allergy_kosher = pack(rules, ITEMS, 3, Restrictions.of([D.KOSHER], "milk allergy"))
    assert [line.name for line in milk_allergy_kosher.lines] == ["Black beans", "Oat milk"]
    assert milk_allergy_kosher.left_out == ()


def test_without_a_substitute_the_item_is_left_out_and_says_so() -> None:
    packed = pack([RuleLine("peanut_butter", 1, 0)], ITEMS, 2, Restrictions.of([], "peanuts"))
    assert packed.lines == ()
    assert [gone.sentence for gone in packed.left_out] == [
        "No peanut butter: peanut allergy; no substitute defined"
    ]
    both = pack([RuleLine("eggs", 1, 0)], ITEMS, 2, Restrictions.of([], "eggs; soy"))
    assert [gone.sentence for gone in both.left_out] == ["No eggs: egg allergy; no safe substitute"]


def test_a_substitute_already_in_the_box_is_one_line_added_up() -> None:
    rules = [RuleLine("canned_chicken", 2, 0), RuleLine("black_beans", 3, 0)]
    packed = pack(rules, ITEMS, 1, Restrictions.of([D.VEGETARIAN], ""))
    assert [(line.name, line.quantity) for line in packed.lines] == [("Black beans", 5)]


@pytest.mark.parametrize(
    ("people", "milk"),
    [(1, 1), (2, 2), (3, 2), (4, 3), (6, 4)],  # ceil(1 + 0.5 x (people - 1))
)
def test_quantities_are_the_households_whatever_its_boxes(people: int, milk: int) -> None:
    packed = pack([RuleLine("milk", 1, 0.5)], ITEMS, people, Restrictions())
    assert packed.lines[0].quantity == milk
    for boxes in (1, 2, 3):
        shares = packed.lines[0].per_box(boxes)
        assert len(shares) == boxes and sum(shares) == milk
        assert max(shares) - min(shares) <= 1


def test_split_between_boxes() -> None:
    assert split_between(4, 2) == [2, 2]
    assert split_between(5, 2) == [3, 2]
    assert split_between(1, 3) == [1, 0, 0]
    assert split_between(3, 0) == [3]


@pytest.mark.parametrize(
    ("name", "allergens", "traits"),
    [
        ("Peanut butter", {A.PEANUT}, set()),
        ("Sunflower seed butter", set(), set()),
        ("Milk", {A.MILK}, set()),
        ("Oat milk", set(), set()),
        ("Almond milk", {A.TREE_NUT}, set()),
        ("Shelf-stable lactose-free milk", {A.MILK}, {T.LACTOSE_FREE}),
        ("Leche sin lactosa", {A.MILK}, {T.LACTOSE_FREE}),
        ("Canned chicken", set(), {T.MEAT}),
        ("Halal chicken", set(), {T.MEAT, T.HALAL}),
        ("Pork and beans", set(), {T.MEAT, T.PORK}),
        ("Pasta", {A.WHEAT}, set()),
        ("Gluten-free pasta", set(), set()),
        ("Pasta sin gluten", set(), set()),
        ("Canned tuna", {A.FISH}, set()),
        ("Tofu", {A.SOY}, set()),
        ("Eggs", {A.EGG}, set()),
        ("Rice", set(), set()),
        ("Apple juice", set(), {T.HIGH_SUGAR}),
        ("Jugo de manzana", set(), {T.HIGH_SUGAR}),
        ("Unsweetened apple juice", set(), set()),
        ("Strawberry jam", set(), {T.HIGH_SUGAR}),
        ("Mermelada de fresa", set(), {T.HIGH_SUGAR}),
        ("Sweetened cereal", {A.WHEAT}, {T.HIGH_SUGAR}),
        ("Cereal azucarado", {A.WHEAT}, {T.HIGH_SUGAR}),
        ("Soda", set(), {T.HIGH_SUGAR}),
        ("Refresco", set(), {T.HIGH_SUGAR}),
        ("Diet soda", set(), set()),
        ("Oatmeal (no sugar added)", set(), set()),
        ("Instant noodles", {A.WHEAT}, {T.HIGH_SODIUM}),
        ("Sopa instantánea", set(), {T.HIGH_SODIUM}),
        ("Canned soup", set(), {T.HIGH_SODIUM}),
        ("Low-sodium canned soup", set(), set()),
        ("Sopa baja en sodio", set(), set()),
        ("Potato chips", set(), {T.HIGH_SODIUM}),
        ("Papitas", set(), {T.HIGH_SODIUM}),
        ("Salted peanuts", {A.PEANUT}, {T.HIGH_SODIUM}),
        ("Unsalted peanuts", {A.PEANUT}, set()),
        ("Baby formula", {A.MILK}, {T.BABY_FORMULA}),
        ("Leche de fórmula", {A.MILK}, {T.BABY_FORMULA}),
        ("Bottled water", set(), set()),
    ],
)
def test_contents_read_from_an_item_name(name: str, allergens: set[A], traits: set[T]) -> None:
    assert contents_from_name(name) == contents(allergens, traits)


# -- any household, any rules --------------------------------------------------------

contents_st = st.builds(
    contents, st.sets(st.sampled_from(list(A)), max_size=3), st.sets(st.sampled_from(list(T)))
)


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, ItemFacts]:
    count = draw(st.integers(1, 8))
    ids = [f"i{n}" for n in range(count)]
    return {
        i: ItemFacts(
            i,
            i,
            "each",
            draw(contents_st),
            tuple(draw(st.lists(st.sampled_from(ids), max_size=3))),
        )
        for i in ids
    }


@settings(max_examples=300, deadline=None)
@given(
    items=catalogues(),
    size=st.integers(1, 12),
    dietary=st.sets(st.sampled_from(list(D))),
    allergies=st.sets(st.sampled_from(["peanuts", "milk", "eggs", "soy", "fish", "celiac"])),
    data=st.data(),
)
def test_nothing_packed_is_ruled_out_and_every_line_is_accounted_for(
    items: dict[str, ItemFacts],
    size: int,
    dietary: set[D],
    allergies: set[str],
    data: st.DataObject,
) -> None:
    ids = list(items)
    rules = [
        RuleLine(i, data.draw(st.sampled_from([0.5, 1, 2])), data.draw(st.sampled_from([0, 0.5])))
        for i in data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
    ]
    who = Restrictions.of(dietary, ", ".join(sorted(allergies)))
    packed = pack(rules, items, size, who)
    for line in packed.lines:
        assert ruled_out(items[line.item_id].contents, who) is None
        # Said again without ruled_out: the diets that count sugar and salt.
        traits = items[line.item_id].contents.traits
        assert not (D.DIABETIC in dietary and T.HIGH_SUGAR in traits)
        assert not (D.LOW_SODIUM in dietary and T.HIGH_SODIUM in traits)
    if D.BABY_FORMULA in dietary:
        met = any(T.BABY_FORMULA in items[line.item_id].contents.traits for line in packed.lines)
        assert bool(packed.unmet) != met
    wanted = sum(
        -(-(r.qty_base + r.qty_per_person * (size - 1)) // 1)  # ceil
        for r in rules
    )
    left = {gone.name for gone in packed.left_out}
    dropped = sum(
        -(-(r.qty_base + r.qty_per_person * (size - 1)) // 1)
        for r in rules
        if items[r.item_id].name in left and ruled_out(items[r.item_id].contents, who)
    )
    assert sum(line.quantity for line in packed.lines) == wanted - dropped
