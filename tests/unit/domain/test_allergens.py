"""Reading organizers' free-text allergies: what is clearly named acts, the rest is flagged."""

from __future__ import annotations

import csv

import pytest

from mutualaid_desktop.domain.allergens import Allergen as A
from mutualaid_desktop.domain.allergens import read_allergies
from mutualaid_desktop.domain.enums import DietaryFlag as D
from tests.conftest import SIGNUP_CSV


@pytest.mark.parametrize(
    ("text", "allergens", "diets"),
    [
        ("peanut allergy", {A.PEANUT}, set()),
        ("alérgico al maní", {A.PEANUT}, set()),
        ("ALÉRGICA A LOS CACAHUATES", {A.PEANUT}, set()),
        ("no dairy", {A.MILK}, set()),
        ("sin lácteos", {A.MILK}, set()),
        ("NUT ALLERGY!!", {A.PEANUT, A.TREE_NUT}, set()),
        ("tree nuts", {A.TREE_NUT}, set()),
        ("almonds and cashews", {A.TREE_NUT}, set()),
        ("lactose intolerant", {A.MILK}, {D.LACTOSE_FREE}),
        ("gluten free / celiac", {A.WHEAT}, {D.GLUTEN_FREE}),
        ("eggs", {A.EGG}, set()),
        ("mariscos y pescado", {A.SHELLFISH, A.FISH}, set()),
        ("shellfish", {A.SHELLFISH}, set()),
        ("sesame (tahini)", {A.SESAME}, set()),
        ("soja", {A.SOY}, set()),
        ("low sodium, diabetic", set(), {D.LOW_SODIUM, D.DIABETIC}),
        ("halal", set(), {D.HALAL}),
        ("Kosher", set(), {D.KOSHER}),
        ("no pork", set(), {D.NO_PORK}),
        ("vegan", set(), {D.VEGAN}),
        ("baby formula needed", set(), {D.BABY_FORMULA}),
        ("leche de fórmula", set(), {D.BABY_FORMULA}),
    ],
)
def test_clear_words_are_recognised(text: str, allergens: set[A], diets: set[D]) -> None:
    reading = read_allergies(text)
    assert reading.allergens == allergens
    assert reading.diets == diets
    assert reading.unrecognised == ()


@pytest.mark.parametrize("text", ["", "none", "N/A", "no", "Ninguna", "no known allergies", " - "])
def test_nothing_to_avoid(text: str) -> None:
    reading = read_allergies(text)
    assert reading.allergens == set() and reading.unrecognised == ()


def test_what_is_not_recognised_is_kept_as_written() -> None:
    reading = read_allergies("Peanuts, kiwi (hives!); strawberries")
    assert reading.allergens == {A.PEANUT}
    assert reading.unrecognised == ("kiwi (hives!)", "strawberries")
    # Not a word that merely contains an allergen's name.
    assert read_allergies("coconut").unrecognised == ("coconut",)
    assert read_allergies("coconut").allergens == set()


def test_every_answer_on_the_signup_sheet_is_read_or_flagged() -> None:
    with SIGNUP_CSV.open(encoding="utf-8-sig", newline="") as f:
        answers = {row["Dietary restrictions or allergies"] for row in csv.DictReader(f)}
    for answer in answers:
        reading = read_allergies(answer)
        # Each non-empty answer either names something or is flagged as written.
        assert bool(answer.strip()) == bool(reading.parts), answer
        for part in reading.parts:
            assert part.recognised or part.text in reading.unrecognised
    assert read_allergies("NUT ALLERGY!!").allergens == {A.PEANUT, A.TREE_NUT}
