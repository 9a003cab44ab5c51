"""Hebrew and Arabic names print right to left, Arabic letters joined.

The references under reference/ were rendered by this pipeline and checked by
eye (right-to-left word order; Arabic letters in their joined forms). A
rendering that skips reordering or shaping differs from them clearly.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat
from reportlab.pdfgen import canvas

from mutualaid_desktop.sheets.text import REGULAR, font_runs, register_fonts

REFERENCE = Path(__file__).parent / "reference"


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
