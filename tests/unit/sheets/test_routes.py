"""Driver route sheets: content, privacy, QR codes, pages, scripts."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import (
    Address,
    Contact,
    DeliveryRun,
    MapLinks,
    Organization,
    PageSize,
    PrivacyLevel,
    Stop,
)
from mutualaid_desktop.domain.organization_id import ORGANIZATION_ID
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.sheets.data import runs_for_day
from mutualaid_desktop.sheets.make import make_sheet, write_pdf
from mutualaid_desktop.sheets.text import visual
from mutualaid_desktop.store import Store

TODAY = date(2026, 11, 27)
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("routes") / "demo.sqlite"
    store = Store.create(path, organizer="Test", org_name="Eastside Mutual Aid")
    build_demo(store, households=40, seed=11, today=TODAY)
    store.update(Organization, ORGANIZATION_ID, support_phone="(713) 555-0100")
    return store


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_route_sheets_carry_what_a_driver_needs(demo_store: Store) -> None:
    made = make_sheet(demo_store, "routes", TOMORROW, privacy=PrivacyLevel.FULL)
    pages = pages_text(made.pdf)
    text = "\n".join(pages)
    runs = runs_for_day(demo_store, TOMORROW)
    assert runs and all(run.stops for run in runs)
    for page in pages:
        assert "Eastside Mutual Aid" in page
        assert "Saturday 28 November 2026" in page
    assert "Please shred after your route." in text
    assert "(713) 555-0100" in text  # driver support
    for run in runs:
        assert f"Route sheet · {run.name}" in text
        for stop in run.stops:
            for phone in stop.phones_display:
                assert phone in text
    assert text.count("☐ Delivered") == sum(len(r.stops) for r in runs)


def test_every_page_names_its_run_and_driver_and_is_numbered_within_the_run(
    demo_store: Store,
) -> None:
    made = make_sheet(demo_store, "routes", TOMORROW, privacy=PrivacyLevel.FULL)
    runs = runs_for_day(demo_store, TOMORROW)
    seen: dict[str, list[tuple[int, int]]] = {}
    for page in pages_text(made.pdf):
        found = re.search(r"^(.+) · Driver: (.+) · page (\d+) of (\d+)$", page, re.M)
        assert found, page[:200]
        seen.setdefault(found.group(1), []).append((int(found.group(3)), int(found.group(4))))
    assert list(seen) == [run.name for run in runs]
    for numbers in seen.values():
        assert numbers == [(i, len(numbers)) for i in range(1, len(numbers) + 1)]


def test_addresses_and_phones_print_at_11_points_with_room_for_a_note(
    demo_store: Store,
) -> None:
    run = runs_for_day(demo_store, TOMORROW)[0]
    made = make_sheet(demo_store, "routes", TOMORROW, run_id=run.run_id)
    with pdfplumber.open(io.BytesIO(made.pdf)) as doc:
        words: list[dict[str, Any]] = []
        notes_checked = 0
        for page in doc.pages:
            found = page.extract_words(extra_attrs=["size"])
            words.extend(found)
            rows = sorted({round(e["top"], 1) for e in page.horizontal_edges})
            for word in found:
                if word["text"] == "Note:":
                    below = min(y for y in rows if y > word["bottom"])
                    assert below - word["bottom"] >= 12 * 72 / 25.4
                    notes_checked += 1
    assert notes_checked == len(run.stops)

    def size_of(text: str) -> float:
        return round(max(w["size"] for w in words if w["text"].strip(",") == text), 2)

    for stop in run.stops:
        for phone in stop.phones_display:
            assert size_of(phone.split()[-1]) >= 11, phone
        assert size_of(stop.street.split()[0]) >= 11, stop.street
    assert size_of("Note:") < 11  # the test can tell sizes apart


def test_header_row_repeats_on_every_page_of_a_long_route() -> None:
    store = Store.create(None, organizer="Test")
    run = store.insert(DeliveryRun(date=TOMORROW, name="Long route"))
    for i in range(25):
        home = store.insert(Contact(name=f"Household {i}", adults=2, notes="Call first " * 8))
        store.insert(Stop(run_id=run.id, contact_id=home.id, seq=i + 1))
    made = make_sheet(store, "routes", TOMORROW, run_id=run.id)
    pages = pages_text(made.pdf)
    assert len(pages) >= 2
    assert all("Household" in p and "Outcome" in p for p in pages)


def test_code_privacy_prints_no_names(demo_store: Store) -> None:
    made = make_sheet(demo_store, "routes", TOMORROW, privacy=PrivacyLevel.CODE)
    text = "\n".join(pages_text(made.pdf))
    for run in runs_for_day(demo_store, TOMORROW):
        for stop in run.stops:
            assert stop.code in text
            assert visual(stop.name) not in text


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        (MapLinks.GOOGLE, "https://www.google.com/maps/search/?api=1&query={lat:.5f},{lon:.5f}"),
        (
            MapLinks.OPENSTREETMAP,
            "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}&zoom=17",
        ),
    ],
)
def test_qr_codes_decode_to_a_maps_link_any_camera_opens_and_the_phone(
    demo_store: Store, links: MapLinks, expected: str
) -> None:
    demo_store.update(Organization, ORGANIZATION_ID, map_links=links)
    run = runs_for_day(demo_store, TOMORROW)[0]
    made = make_sheet(demo_store, "routes", TOMORROW, run_id=run.run_id)
    demo_store.update(Organization, ORGANIZATION_ID, map_links=MapLinks.GOOGLE)
    page = pdfium.PdfDocument(made.pdf)[0].render(scale=3).to_pil()
    decoded = {r.text for r in zxingcpp.read_barcodes(page)}
    first = run.stops[0]
    assert expected.format(lat=first.lat, lon=first.lon) in decoded
    assert f"tel:{first.phone}" in decoded
    assert not any(code.startswith("geo:") for code in decoded)


def test_a_stop_without_coordinates_gets_a_map_link_to_its_address() -> None:
    store = Store.create(None, organizer="Test")
    home = store.insert(
        Contact(
            name="Ana Ruiz",
            address=Address(street="4191 Harrisburg Blvd", city="Houston", postal_code="77011"),
        )
    )
    run = store.insert(DeliveryRun(date=TOMORROW, name="Route 1"))
    store.insert(Stop(run_id=run.id, contact_id=home.id, seq=1))
    made = make_sheet(store, "routes", TOMORROW)
    page = pdfium.PdfDocument(made.pdf)[0].render(scale=3).to_pil()
    decoded = {r.text for r in zxingcpp.read_barcodes(page)}
    assert decoded == {
        "https://www.google.com/maps/search/?api=1&query=4191+Harrisburg+Blvd%2C+Houston%2C+77011"
    }


def test_same_input_same_bytes(demo_store: Store) -> None:
    a = make_sheet(demo_store, "routes", TOMORROW).pdf
    b = make_sheet(demo_store, "routes", TOMORROW).pdf
    assert a == b


def test_page_size_follows_the_setting(demo_store: Store) -> None:
    for size, width in ((PageSize.A4, 595), (PageSize.LETTER, 612)):
        demo_store.update(Organization, ORGANIZATION_ID, page_size=size)
        pdf = make_sheet(demo_store, "routes", TOMORROW).pdf
        assert round(pdfium.PdfDocument(pdf)[0].get_size()[0]) == width
    demo_store.update(Organization, ORGANIZATION_ID, page_size=PageSize.LETTER)


def test_a_day_without_runs_is_a_plain_user_error(demo_store: Store) -> None:
    with pytest.raises(UserError, match="no"):
        make_sheet(demo_store, "routes", date(2031, 1, 1))


def test_a_character_no_font_has_is_reported_not_drawn_as_a_box(tmp_path) -> None:
    store = Store.create(None, organizer="Test")
    home = store.insert(Contact(name="Ana 🍎 Ruiz", adults=1))
    run = store.insert(DeliveryRun(date=TOMORROW, name="Route 1"))
    store.insert(Stop(run_id=run.id, contact_id=home.id, seq=1))
    made = make_sheet(store, "routes", TOMORROW, privacy=PrivacyLevel.FULL)
    assert any("U+1F34E" in w for w in made.warnings)
    text = "\n".join(pages_text(made.pdf))
    assert "Ana ? Ruiz" in text
    assert "□" not in text


def test_saving_is_all_or_nothing(tmp_path) -> None:
    target = tmp_path / "out.pdf"
    write_pdf(b"%PDF-1.4 test", target)
    assert target.read_bytes() == b"%PDF-1.4 test"
    with pytest.raises(UserError, match="does not exist"):
        write_pdf(b"x", tmp_path / "missing" / "out.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_text_never_runs_out_of_its_cell() -> None:
    from mutualaid_desktop.sheets.runs import RunsText, stringWidth
    from mutualaid_desktop.sheets.text import REGULAR, font_runs

    runs = font_runs("Diabetic-friendly Supercalifragilisticexpialidocious box")
    text = RunsText(runs, 8, 10)
    _width, height = text.wrap(40, 1000)
    for line in text.lines:
        assert sum(stringWidth(t, f, 8) for f, t in line if t.strip()) <= 40 + 0.01
    assert height == 10 * len(text.lines) and REGULAR
