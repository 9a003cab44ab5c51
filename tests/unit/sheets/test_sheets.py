"""Packing slips, pick list, labels, sign-in sheet and ride roster."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pdfplumber
import pypdfium2 as pdfium
import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Organization, PageSize, PrivacyLevel
from mutualaid_desktop.domain.organization_id import ORGANIZATION_ID
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import household_language, speaking
from mutualaid_desktop.sheets.data import runs_for_day
from mutualaid_desktop.sheets.labels import SHEETS, labels_for
from mutualaid_desktop.sheets.make import make_sheet
from mutualaid_desktop.sheets.roster import rides_for_day
from mutualaid_desktop.sheets.text import visual
from mutualaid_desktop.store import Store

TODAY = date(2026, 11, 27)
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("sheets") / "demo.sqlite"
    s = Store.create(path, organizer="Test", org_name="Eastside Mutual Aid")
    build_demo(s, households=40, seed=5, today=TODAY)
    return s


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_packing_slip_per_stop_with_items_diet_and_packer_line(store: Store) -> None:
    made = make_sheet(store, "packing", TOMORROW, privacy=PrivacyLevel.FULL)
    text = text_of(made.pdf)
    stops = [s for r in runs_for_day(store, TOMORROW) for s in r.stops]
    # Each slip speaks its household's language (Spanish or else English, here).
    spanish = [s for s in stops if household_language(s.languages) == "es"]
    assert spanish and len(spanish) < len(stops)
    assert text.count("Packed by") == len(stops) - len(spanish)
    assert text.count("Empacado por") == len(spanish)
    for stop in stops:
        assert stop.code in text
        lang = household_language(stop.languages)
        assert {"en": "stop", "es": "parada"}[lang] + f" {stop.seq}" in text
        with speaking(lang):
            for label in stop.diet_labels:
                assert label in text
    assert "Rice" in text and "Arroz" in text


def test_pick_list_totals_match_the_slips(store: Store) -> None:
    runs = runs_for_day(store, TOMORROW)
    rice = sum(
        line.quantity for r in runs for s in r.stops for line in s.items if line.name == "Rice"
    )
    boxes = sum(s.boxes for r in runs for s in r.stops)
    text = text_of(make_sheet(store, "picklist", TOMORROW).pdf)
    assert f"{boxes} in all" in text
    rice_total = 0
    for line in text.splitlines():
        found = re.match(r"^Rice 2 lb bag (\d+)", line)  # item, unit, quantity, ☐
        if found:
            rice_total += int(found.group(1))
    assert rice_total == rice


def test_labels_stay_inside_their_cells(store: Store) -> None:
    for sheet, size in (("avery5160", PageSize.LETTER), ("l7160", PageSize.A4)):
        made = make_sheet(
            store, "labels", TOMORROW, privacy=PrivacyLevel.FULL, labels=sheet, offset_mm=(1.0, 1.5)
        )
        spec = SHEETS[sheet]
        with pdfplumber.open(io.BytesIO(made.pdf)) as doc:
            assert round(doc.pages[0].width) == round(spec.page[0])
            for page_no, page in enumerate(doc.pages):
                cells = [
                    spec.cell(i, 1.0 * 72 / 25.4, 1.5 * 72 / 25.4) for i in range(spec.per_page)
                ]
                for ch in page.chars:
                    x, y = ch["x0"], page.height - ch["bottom"]
                    inside = any(
                        cx - 0.5 <= x
                        and ch["x1"] <= cx + spec.width + 0.5
                        and cy - 0.5 <= y <= cy + spec.height
                        for cx, cy in cells
                    )
                    assert inside, (sheet, page_no, ch["text"], x, y)
        del size


def test_labels_count_boxes_and_go_in_route_then_stop_order(store: Store) -> None:
    runs = runs_for_day(store, TOMORROW)
    labels = labels_for(runs, PrivacyLevel.CODE, special_line=True)
    assert len(labels) == sum(max(s.boxes, 1) for r in runs for s in r.stops)
    firsts = [lab.lines[0][0] for lab in labels]
    expected = [
        f"{r.name} · stop {s.seq}"
        for r in runs
        for s in sorted(r.stops, key=lambda s: s.seq)
        for _ in range(max(s.boxes, 1))
    ]
    assert firsts == expected
    assert all(any("SPECIAL" in t for t, _, _ in lab.lines) for lab in labels)


def test_sign_in_sheet_lists_every_household_with_signature_columns(store: Store) -> None:
    text = text_of(make_sheet(store, "signin", TOMORROW, privacy=PrivacyLevel.CODE).pdf)
    assert "Signature or initials" in text and "Picked up by" in text
    for run in runs_for_day(store, TOMORROW):
        for stop in run.stops:
            assert stop.code in text
            assert visual(stop.name) not in text


def test_ride_roster_by_driver_and_one_drivers_own(store: Store) -> None:
    day = next(
        TODAY + timedelta(days=k)
        for k in range(8)
        if store.count_rows(
            "rides", "pickup_at LIKE ?", [f"{(TODAY + timedelta(days=k)).isoformat()}%"]
        )
    )
    rides = rides_for_day(store, day)
    text = text_of(make_sheet(store, "roster", day, privacy=PrivacyLevel.FULL).pdf)
    for ride in rides:
        assert ride.time in text
    driver = next(r for r in rides if r.driver_id)
    own = text_of(make_sheet(store, "roster", day, driver_id=driver.driver_id).pdf)
    assert visual(driver.driver) in own
    others = {r.driver for r in rides if r.driver and r.driver_id != driver.driver_id}
    assert not any(visual(name) in own for name in others)


def test_a_roster_day_without_rides_says_so(store: Store) -> None:
    with pytest.raises(UserError, match="no rides"):
        make_sheet(store, "roster", date(2031, 1, 1))


def test_sheets_fit_a4_and_letter(store: Store) -> None:
    for size in (PageSize.A4, PageSize.LETTER):
        store.update(Organization, ORGANIZATION_ID, page_size=size)
        for kind in ("routes", "packing", "picklist", "signin"):
            pdf = make_sheet(store, kind, TOMORROW).pdf
            page = pdfium.PdfDocument(pdf)[0]
            width, _ = page.get_size()
            with pdfplumber.open(io.BytesIO(pdf)) as doc:
                for p in doc.pages:
                    right = max([c["x1"] for c in p.chars] + [r["x1"] for r in p.rects])
                    assert right <= width - 20, (size, kind)
    store.update(Organization, ORGANIZATION_ID, page_size=PageSize.LETTER)


def test_rendered_label_pages_have_ink_only_inside_labels(store: Store) -> None:
    for sheet in ("avery5160", "l7160"):
        made = make_sheet(store, "labels", TOMORROW, privacy=PrivacyLevel.FULL, labels=sheet)
        spec = SHEETS[sheet]
        scale = 2.0
        page = pdfium.PdfDocument(made.pdf)[0]
        image = page.render(scale=scale).to_pil().convert("L")
        width, height = image.size
        cells = [spec.cell(i) for i in range(spec.per_page)]
        pixels = image.load()
        outside = 0
        for py in range(0, height, 2):
            for px in range(0, width, 2):
                if pixels[px, py] < 128:  # ink
                    x, y = px / scale, spec.page[1] - py / scale
                    if not any(
                        cx - 1 <= x <= cx + spec.width + 1 and cy - 1 <= y <= cy + spec.height + 1
                        for cx, cy in cells
                    ):
                        outside += 1
        assert outside == 0, (sheet, outside)


def test_sign_in_at_privacy_code_is_ordered_by_code(store: Store) -> None:
    text = text_of(make_sheet(store, "signin", TOMORROW, privacy=PrivacyLevel.CODE).pdf)
    printed = re.findall(r"^(H-[A-Z0-9]{5})\b", text, re.M)
    codes = sorted(s.code for r in runs_for_day(store, TOMORROW) for s in r.stops)
    assert printed == codes


def test_runs_sort_naturally_on_every_sheet_and_label() -> None:
    from mutualaid_desktop.domain import Contact, DeliveryRun, Stop

    memory = Store.create(None, organizer="Test")
    for name in ("Route 10", "Route 2", "Route 1"):
        run = memory.insert(DeliveryRun(date=TOMORROW, name=name))
        home = memory.insert(Contact(name=f"Home of {name}", adults=1))
        memory.insert(Stop(run_id=run.id, contact_id=home.id, seq=1))
    assert [r.name for r in runs_for_day(memory, TOMORROW)] == ["Route 1", "Route 2", "Route 10"]
    for kind in ("routes", "packing", "labels"):
        text = text_of(make_sheet(memory, kind, TOMORROW).pdf)
        at = [text.index(f"Route {n} ") for n in (1, 2, 10)]
        assert at == sorted(at), kind
