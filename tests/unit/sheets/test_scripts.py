"""Every script on paper: Hebrew and Arabic right to left with Arabic letters joined and
wrapped in reading order, Korean and Amharic, the organization's name in any script.

The references under reference/ were rendered by this pipeline and checked by
eye (right-to-left word order; Arabic letters in their joined forms). A
rendering that skips reordering or shaping differs from them clearly.
"""

from __future__ import annotations

import io
from datetime import date
from io import BytesIO
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat
from reportlab.pdfgen import canvas

from mutualaid_desktop.domain import Contact, DeliveryRun, PrivacyLevel, Stop
from mutualaid_desktop.sheets.make import make_sheet
from mutualaid_desktop.sheets.text import REGULAR, font_runs, register_fonts
from mutualaid_desktop.store import Store

REFERENCE = Path(__file__).parent / "reference"
DAY = date(2026, 11, 28)


def render(runs: list[tuple[str, str]]) -> Image.Image:
    register_fonts()
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=(260, 40), invariant=1)
    x = 10.0
    for font, piece in runs:
        c.setFont(font, 20)
        c.drawString(x, 12, piece)
        x += c.stringWidth(piece, font, 20)
    c.save()
    return pdfium.PdfDocument(out.getvalue())[0].render(scale=2).to_pil().convert("L")


def difference(a: Image.Image, b: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


@pytest.mark.parametrize(
    ("name", "reference"), [("שרה פרץ", "hebrew-name.png"), ("فاطمة حسن", "arabic-name.png")]
)
def test_right_to_left_names_match_the_reference(name: str, reference: str) -> None:
    expected = Image.open(REFERENCE / reference).convert("L")
    ours = render(font_runs(name))
    naive = render([(REGULAR, name)])  # logical order, no shaping: what a plain draw does
    assert difference(ours, expected) < 2.0
    assert difference(naive, expected) > 4 * max(difference(ours, expected), 1.0)


def test_a_right_to_left_name_keeps_the_phone_after_it() -> None:
    from mutualaid_desktop.domain.enums import PrivacyLevel
    from mutualaid_desktop.sheets.privacy import shown_name
    from mutualaid_desktop.sheets.text import visual

    line = f"{shown_name('חנה אברהם', 'H-X', PrivacyLevel.FULL)} · (281) 596-6669 · 1 ride"
    shown = "".join(t for _, t in font_runs(line))
    assert shown.endswith(" · (281) 596-6669 · 1 ride")
    assert shown.startswith(visual("חנה אברהם"))


def _one_stop_store(name: str, org: str = "Eastside Mutual Aid") -> Store:
    store = Store.create(None, organizer="Test", org_name=org)
    home = store.insert(Contact(name=name, adults=2))
    run = store.insert(DeliveryRun(date=DAY, name="Route 1"))
    store.insert(Stop(run_id=run.id, contact_id=home.id, seq=1))
    return store


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


@pytest.mark.parametrize("name", ["김민준", "이서연 박", "አበበ ቢቂላ", "ትዕግስት ወልደ"])
def test_korean_and_amharic_names_print(name: str) -> None:
    store = _one_stop_store(name)
    for kind in ("routes", "packing", "labels"):
        made = make_sheet(store, kind, DAY, privacy=PrivacyLevel.FULL)
        assert made.warnings == [], kind
        assert name in _text(made.pdf), kind


def test_a_wrapped_arabic_name_keeps_its_word_order() -> None:
    from mutualaid_desktop.sheets.page import Text
    from mutualaid_desktop.sheets.text import visual

    name = "محمد عبد الرحمن الأحمد الحسيني"
    words = name.split()
    shown = Text()(name, "big")
    shown.wrap(90, 1000)
    lines = ["".join(t for _f, t in line).strip() for line in shown.lines]
    assert len(lines) >= 2
    # Each line holds the next words in reading order, each line right to left.
    read = 0
    for line in lines:
        count = len(line.split())
        assert line == visual(" ".join(words[read : read + count]))
        read += count
    assert read == len(words)
    # Reordering the whole name before wrapping puts its last word first.
    from mutualaid_desktop.sheets.runs import RunsText

    naive = RunsText(font_runs(name, False), 11, 14)
    naive.wrap(90, 1000)
    assert "".join(t for _f, t in naive.lines[0]).strip() != lines[0]


@pytest.mark.parametrize(
    "org", ["東区互助会", "동부 상호부조", "የምስራቅ መረዳጃ ማህበር", "עזרה הדדית מזרח"]
)
def test_the_organizations_name_prints_in_every_page_header(org: str) -> None:
    from mutualaid_desktop.sheets.text import visual

    store = _one_stop_store("Ana Ruiz", org)
    for kind in ("routes", "packing", "picklist", "signin"):
        made = make_sheet(store, kind, DAY)
        assert made.warnings == []
        with pdfplumber.open(io.BytesIO(made.pdf)) as doc:
            for page in doc.pages:
                assert visual(org) in (page.extract_text() or ""), kind


def test_a_letter_no_font_has_in_the_header_is_reported() -> None:
    store = _one_stop_store("Ana Ruiz", "Eastside 🍎 Aid")
    made = make_sheet(store, "packing", DAY)
    assert any("U+1F34E" in w for w in made.warnings)
    assert "Eastside ? Aid" in _text(made.pdf)


def _ink(runs: list[tuple[str, str]]) -> float:
    """How dark a line of text prints: the mean darkness of its rendering."""
    from mutualaid_desktop.sheets.pdftext import TextWriter

    register_fonts()
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=(260, 40), invariant=1)
    writer = TextWriter(c)  # as every sheet writes its text
    writer.line(10, 12, runs, 20)
    writer.close()
    c.save()
    page = pdfium.PdfDocument(out.getvalue())[0].render(scale=2).to_pil().convert("L")
    return 255 - float(ImageStat.Stat(page).mean[0])


def test_bold_korean_prints_heavier_than_regular() -> None:
    # No bold Korean font is bundled (another 4.5 MB): the regular one, emboldened.
    name = "김민준"
    regular, bold = _ink(font_runs(name)), _ink(font_runs(name, bold=True))
    assert bold > 1.25 * regular
    # Latin bold is the bold face, as before: both heavier by a like amount.
    assert _ink(font_runs("Kim", bold=True)) > 1.1 * _ink(font_runs("Kim"))


def test_every_right_to_left_letter_of_unicode_is_seen_as_such() -> None:
    # is_rtl looks for right-to-left letters in a few ranges first (in C): a letter
    # outside them would print in the wrong order. Every code point is checked.
    import sys
    import unicodedata

    from mutualaid_desktop.sheets.text import is_rtl

    wrong = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if (unicodedata.bidirectional(chr(code)) in ("R", "AL")) != is_rtl(f"a{chr(code)}")
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Jose\u0301 Nguye\u0302\u0303n", "José Nguyễn"),  # typed decomposed: printed composed
        ("Võ Thị Hồng", "Võ Thị Hồng"),
        ("Иван Петров", "Иван Петров"),
        ("Zoë\u200b Ng", "Zoë\u200b Ng"),  # a format character the font has: kept
    ],
)
def test_latin_and_cyrillic_names_print_in_the_sheets_font(typed: str, printed: str) -> None:
    from mutualaid_desktop.sheets.text import BOLD

    assert font_runs(typed) == [(REGULAR, printed)]
    assert font_runs(typed, bold=True) == [(BOLD, printed)]


def test_a_name_mixing_scripts_gets_each_letter_its_font() -> None:
    from mutualaid_desktop.sheets.text import FALLBACK, HANGUL

    assert font_runs("Ana 王芳 김") == [
        (REGULAR, "Ana "),
        (FALLBACK, "王芳"),
        (REGULAR, " "),
        (HANGUL, "김"),
    ]
