"""Every household of a demo on paper, held against the database (see paper.py).

No printed line conflicts with the household's record, every quantity follows
the rule whatever the boxes, the pick list is the sum of the slips, and no
organizer note reaches a route sheet. The sheets are read back from their PDFs;
what a household may not have is read from the database by the test itself.
"""

from __future__ import annotations

import io
import math
import random
from datetime import timedelta

import pdfplumber
import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import (
    BoxType,
    Contact,
    DeliveryRun,
    DietaryFlag,
    PrivacyLevel,
    Role,
    Stop,
)
from mutualaid_desktop.domain.packing import suggest_box_type
from mutualaid_desktop.sheets.make import make_sheet
from mutualaid_desktop.store import Store
from tests.conftest import TODAY
from tests.unit.sheets.paper import check_packing, check_routes, read_database

DAY = TODAY + timedelta(days=20)
HOUSEHOLDS = 125


@pytest.fixture(scope="module")
def everyone(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo whose every household has a stop on DAY: the suggested box mostly, now and
    then another one (an organizer's choice), one to three boxes; the first household of
    each diet gets the Standard box, whose items every diet has something against."""
    path = tmp_path_factory.mktemp("truth") / "demo.sqlite"
    store = Store.create(path, organizer="Test", org_name="Eastside Mutual Aid")
    build_demo(store, households=HOUSEHOLDS, seed=3, today=TODAY)
    rng = random.Random(10)
    boxes = store.select(BoxType, order_by="sort_order")
    homes = [c for c in store.select(Contact, order_by="id") if Role.RECIPIENT in c.roles]
    standard = next(b for b in boxes if not b.suits)
    first_of_diet = {flag: next(h.id for h in homes if flag in h.dietary) for flag in DietaryFlag}
    with store.transaction():
        for start in range(0, len(homes), 25):
            run = store.insert(DeliveryRun(date=DAY, name=f"Route {start // 25 + 1}"))
            for seq, home in enumerate(homes[start : start + 25], start=1):
                box = suggest_box_type(home.dietary, boxes)
                if rng.random() < 0.3 or box is None:
                    box = rng.choice(boxes)
                if home.id in first_of_diet.values():
                    box = standard
                store.insert(
                    Stop(
                        run_id=run.id,
                        contact_id=home.id,
                        seq=seq,
                        box_type_id=box.id,
                        boxes=rng.choice([1, 1, 2, 3]),
                    )
                )
    store.close()
    return str(path)


@pytest.mark.slow
def test_no_printed_line_conflicts_with_the_household_and_totals_add_up(everyone: str) -> None:
    with Store.open(everyone) as store:
        slips = make_sheet(store, "packing", DAY, privacy=PrivacyLevel.FULL).pdf
        pick = make_sheet(store, "picklist", DAY).pdf
    items, homes = read_database(everyone, DAY.isoformat())
    assert len(homes) == HOUSEHOLDS
    found = check_packing(slips, pick, items, homes)
    assert found.problems == []
    assert found.slips == len(homes)
    # The demo holds every case: items left out with a bold line, allergy notes flagged,
    # households in two or three boxes.
    assert found.left_out > 0 and found.flagged > 0
    assert any(h.boxes > 1 for h in homes)
    assert "(instead of" in "\n".join(_text(slips))
    # Every diet the program has rules something out on these slips (checked above to be
    # replaced or left out), and baby formula, a need, is packed or said to be missing.
    excluding = {flag.value for flag in DietaryFlag} - {"baby_formula"}
    assert {diet for diet in excluding if found.ruled_out_by[diet] > 0} == excluding
    assert found.formula_packed > 0 and found.formula_missing > 0


@pytest.mark.slow
@pytest.mark.parametrize("privacy", list(PrivacyLevel))
def test_route_sheets_name_their_run_and_keep_organizer_notes_off(
    everyone: str, privacy: PrivacyLevel
) -> None:
    # Two runs a privacy level: reading QR-dense pages back is slow, and every
    # household is on some route sheet of the three levels.
    items, homes = read_database(everyone, DAY.isoformat())
    runs = sorted({h.run for h in homes})
    chosen = runs[2 * list(PrivacyLevel).index(privacy) :][:2]
    with Store.open(everyone) as store:
        for run in chosen:
            routes = make_sheet(store, "routes", DAY, run_id=run, privacy=privacy).pdf
            on_run = [h for h in homes if h.run == run]
            found = check_routes(routes, items, on_run)
            assert found.problems == []
            assert found.pages_named == len(_text(routes))
            assert any(h.notes for h in on_run) and any(h.driver_notes for h in on_run)


@pytest.mark.slow
def test_every_box_label_shows_the_households_allergies(everyone: str) -> None:
    with Store.open(everyone) as store:
        labels = make_sheet(store, "labels", DAY, privacy=PrivacyLevel.CODE).pdf
    _items, homes = read_database(everyone, DAY.isoformat())
    text = "\n".join(_text(labels))
    allergic = [h for h in homes if h.allergies.strip() or "nut_allergy" in h.who[1]]
    assert text.count("ALLERGY:") == sum(max(h.boxes, 1) for h in allergic)
    assert text.count("Box ") == sum(max(h.boxes, 1) for h in homes)


def _text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_the_checker_catches_the_old_mistakes(
    everyone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Packing that ignores the record, or multiplies by boxes, fails the check."""
    import mutualaid_desktop.domain.packing as packing

    items, homes = read_database(everyone, DAY.isoformat())
    homes = [h for h in homes if h.run == "Route 1"]
    with Store.open(everyone) as store:
        monkeypatch.setattr(packing, "ruled_out", lambda contents, household: None)
        careless = make_sheet(store, "packing", DAY, run_id="Route 1").pdf
        pick = make_sheet(store, "picklist", DAY, run_id="Route 1").pdf
        careless_routes = make_sheet(store, "routes", DAY, run_id="Route 1").pdf
    problems = check_packing(careless, pick, items, homes).problems
    assert any("conflicts with" in p for p in problems)
    assert any("left out without a bold line" in p for p in problems)
    problems = check_routes(careless_routes, items, homes).problems
    assert any("on the route sheet" in p for p in problems)
    monkeypatch.undo()
    with Store.open(everyone) as store:
        # One person too many in every household's share.
        monkeypatch.setattr(
            packing, "scaled_quantity", lambda base, per, size: math.ceil(base + per * size)
        )
        generous = make_sheet(store, "packing", DAY, run_id="Route 1").pdf
    problems = check_packing(generous, pick, items, homes).problems
    assert any("the rules give" in p for p in problems)
