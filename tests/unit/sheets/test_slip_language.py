"""A household's packing slip speaks the household's language, whatever the program's.

A Spanish-speaking household gets its slip in Spanish (headings, item names,
substitutions, what was left out and why, the date), an English-speaking one in
English, and a household whose language the program lacks gets the program's.
The slips are read back from the PDF and held against the database and the
catalog files (paper.py), so the allergy rules are checked on both languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from mutualaid_desktop import i18n
from mutualaid_desktop.domain import (
    BoxItem,
    BoxType,
    Contact,
    DeliveryRun,
    DietaryFlag,
    Item,
    PrivacyLevel,
    Stop,
)
from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.sheets.make import make_sheet
from mutualaid_desktop.store import Store
from tests.conftest import TODAY
from tests.unit.sheets.paper import (
    check_packing,
    document_words,
    read_database,
    read_slips,
)

DAY = TODAY + timedelta(days=3)
MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
MONTH_ES = MONTHS_ES.split()[DAY.month - 1]
MONTH_EN = DAY.strftime("%B")  # the C locale's English month name


@pytest.fixture(scope="module")
def day_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run: Ana speaks Spanish, Bob English (then Spanish), Chau Vietnamese only; all
    three allergic to peanuts and on a lactose-free diet. A route of 24 more stops."""
    path = tmp_path_factory.mktemp("language") / "day.sqlite"
    store = Store.create(path, organizer="Test", org_name="Eastside Mutual Aid")
    with store.transaction():
        oat = store.insert(Item(name="Oat milk (shelf-stable)", unit="half gallon"))
        items = [
            store.insert(Item(name="Rice", unit="2 lb bag")),
            store.insert(Item(name="Peanut butter", unit="jar", allergens=[Allergen.PEANUT])),
            store.insert(
                Item(
                    name="Milk", unit="half gallon", allergens=[Allergen.MILK], substitutes=[oat.id]
                )
            ),
            store.insert(Item(name="Masa harina", unit="4 lb bag")),  # typed by an organizer
        ]
        box = store.insert(BoxType(name="Standard"))
        for item in items:
            store.insert(
                BoxItem(box_type_id=box.id, item_id=item.id, qty_base=1, qty_per_person=0.5)
            )
        run = store.insert(DeliveryRun(date=DAY, name="Route 1"))
        homes = [
            ("Ana Ruiz", ["Spanish"]),
            ("Bob Stone", ["English", "Spanish"]),
            ("Chau Nguyen", ["Vietnamese"]),
        ] + [(f"Extra {n}", ["English"]) for n in range(24)]
        for seq, (name, languages) in enumerate(homes, start=1):
            contact = store.insert(
                Contact(
                    name=name,
                    languages=languages,
                    adults=2,
                    allergies="peanuts",
                    dietary=[DietaryFlag.LACTOSE_FREE],
                )
            )
            store.insert(
                Stop(run_id=run.id, contact_id=contact.id, seq=seq, box_type_id=box.id, boxes=2)
            )
    store.close()
    return path


@pytest.fixture
def program_in_spanish() -> Iterator[None]:
    i18n.use_language("es")
    try:
        yield
    finally:
        i18n.use_language("en")


def _slips(db: Path) -> tuple[bytes, bytes]:
    with Store.open(db) as store:
        return (
            make_sheet(store, "packing", DAY, privacy=PrivacyLevel.FULL).pdf,
            make_sheet(store, "picklist", DAY).pdf,
        )


def _by_name(pdf: bytes) -> dict[str, str]:
    """Each slip's text (header and lines), by the household's first name."""
    return {s.header.split()[2]: "\n".join([s.header, *s.lines]) for s in read_slips(pdf)}


def test_each_slip_speaks_its_households_language(day_db: Path) -> None:
    slips, pick = _slips(day_db)
    text = _by_name(slips)
    ana, bob, chau = text["Ana"], text["Bob"], text["Chau"]
    # Ana's slip, in Spanish: headings, items, the substitution, what was left out, the date.
    for words in (
        "parada 1",
        MONTH_ES,
        "2 adultos",
        "Tipo de caja: Standard · 2 cajas",
        "ALERGIAS: Cacahuate (maní)",
        "Dieta: Sin lactosa",
        "Artículo Unidad Cant. En caja 1 + 2",
        "Arroz bolsa de 2 lb",
        "Leche de avena (larga duración) (en lugar de",
        "Sin crema de cacahuate: alergia a cacahuate (maní); no hay sustituto definido",
        "Masa harina 4 lb bag",  # an organizer's item, as typed
        "Empacado por",
    ):
        assert words in ana, (words, ana)
    for english in ("stop", "Rice", "Peanut", "Packed by", "ALLERGIES", MONTH_EN):
        assert english not in ana, (english, ana)
    # Bob's slip, in English (his first language), the same rules.
    for words in (
        "stop 2",
        MONTH_EN,
        "ALLERGIES: Peanut",
        "Item Unit Qty In box 1 + 2",
        "Rice 2 lb bag",
        "Oat milk (shelf-stable) (instead of",
        "No peanut butter: peanut allergy; no substitute defined",
        "Packed by",
    ):
        assert words in bob, (words, bob)
    for spanish in ("parada", "Arroz", "Empacado", MONTH_ES):
        assert spanish not in bob, (spanish, bob)
    # Vietnamese is not a language of the program: the program's (English).
    assert "stop 3" in chau and "Packed by" in chau
    # And the allergen rules hold on every slip, in either language (read against the
    # database); the pick list stays in the program's language.
    items, homes = read_database(str(day_db), DAY.isoformat())
    assert [h.language for h in homes[:3]] == ["es", "en", "en"]
    found = check_packing(slips, pick, items, homes)
    assert found.problems == [] and found.slips == 27 and found.left_out == 27


def test_the_program_in_spanish_leaves_an_english_household_its_english(
    day_db: Path, program_in_spanish: None
) -> None:
    slips, pick = _slips(day_db)
    text = _by_name(slips)
    assert "parada 1" in text["Ana"] and "Arroz" in text["Ana"]
    assert "stop 2" in text["Bob"] and "Rice" in text["Bob"] and "Arroz" not in text["Bob"]
    # Vietnamese is not a language of the program: now the program's, Spanish.
    assert "parada 3" in text["Chau"] and "Empacado por" in text["Chau"]
    pages = document_words(slips)
    assert pages[0][0].startswith("Eastside Mutual Aid Hojas de empaque")
    assert MONTH_ES in pages[0][0]
    assert pages[0][-1] == f"Página 1 de {len(pages)}"
    picked = " ".join(document_words(pick)[0])
    assert "Lista de surtido · Route 1" in picked and "Arroz" in picked


def test_route_sheets_in_spanish_number_their_pages_in_spanish(
    day_db: Path, program_in_spanish: None
) -> None:
    with Store.open(day_db) as store:
        pdf = make_sheet(store, "routes", DAY, privacy=PrivacyLevel.FULL).pdf
    pages = document_words(pdf)
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):
        label = next(line for line in lines if " · página " in line)
        assert label.endswith(f"página {number} de {len(pages)}"), label
        assert label.startswith("Route 1 · Conductor: sin conductor todavía")
    first = " ".join(pages[0])
    assert "Hoja de ruta · Route 1" in first and "Por favor, destruya esta hoja" in first
    assert "27 paradas · 54 cajas" in first
    assert not re.search(r"\b(page|stops|boxes)\b", " ".join(" ".join(p) for p in pages))


def test_a_slip_in_the_wrong_language_is_caught(
    day_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check can fail: slips that ignore the household's language are found out."""
    import mutualaid_desktop.sheets.packing as packing

    monkeypatch.setattr(packing, "household_language", lambda languages: "en")
    slips, pick = _slips(day_db)
    items, homes = read_database(str(day_db), DAY.isoformat())
    problems = check_packing(slips, pick, items, homes).problems
    assert any("does not speak es" in p for p in problems), problems
    assert any("“Rice” is no item" in p for p in problems), problems
