"""Text that prints right in any script.

Names arrive in Latin, Cyrillic, Hebrew, Arabic, Vietnamese and Chinese. The
bundled fonts cover them between them (DejaVu Sans, with Droid Sans Fallback
for CJK), so text is split into runs by the first font that has each
character. Right-to-left text is reshaped (Arabic letters joined) and put in
visual order (python-bidi), because reportlab lays text out left to right. A
character no bundled font has is reported, never drawn as an empty box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from mutualaid_desktop import config

REGULAR = "MAD-Sans"
BOLD = "MAD-Sans-Bold"
FALLBACK = "MAD-CJK"
MISSING = "\u25a1"  # never drawn: replaced by REPLACEMENT and reported
REPLACEMENT = "?"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}


@lru_cache(maxsize=1)
def register_fonts() -> dict[str, frozenset[int]]:
    """Register the bundled fonts with reportlab (once); name -> codepoints covered."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = config.resources_dir() / "fonts"
    coverage: dict[str, frozenset[int]] = {}
    for name, filename in _FILES.items():
        font = TTFont(name, str(folder / filename))
        pdfmetrics.registerFont(font)
        coverage[name] = frozenset(font.face.charToGlyph)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return coverage


FSI, PDI = "\u2068", "\u2069"  # Unicode "first strong isolate" and its end


def isolate(text: str) -> str:
    """Mark a name as a unit of its own direction inside a longer line.

    Without it, "חנה אברהם · (281) 596-6669" comes out with the phone number
    pulled into the Hebrew run and printed backwards.
    """
    return f"{FSI}{text}{PDI}" if _is_rtl(text) else text


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def visual(text: str) -> str:
    """Right-to-left runs reshaped and reordered for left-to-right drawing."""
    if not _is_rtl(text):
        return text
    from bidi import get_display

    # Base direction left to right: the sheets are laid out that way, and a line
    # such as "חנה אברהם · (281) 596-6669" must keep its phone after the name.
    return str(get_display(_reshaper().reshape(text), base_dir="L"))


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    # Letters joined in their contextual forms, but no ligatures: the bundled
    # font lacks some (the one for "Allah", U+FDF2), and joined letters read
    # the same.
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(configuration={"support_ligatures": False})


@dataclass
class GlyphReport:
    """Characters that no bundled font could print, and where they appeared."""

    missing: dict[str, set[str]] = field(default_factory=dict)  # char -> sample texts

    def add(self, char: str, text: str) -> None:
        self.missing.setdefault(char, set()).add(text)

    def sentences(self) -> list[str]:
        return [
            f"No printable letter for “{ch}” (U+{ord(ch):04X}), in “{sorted(texts)[0]}”: "
            f"printed as “{REPLACEMENT}”."
            for ch, texts in sorted(self.missing.items())
        ]


def font_runs(
    text: str, bold: bool = False, report: GlyphReport | None = None
) -> list[tuple[str, str]]:
    """(font name, text) runs covering `text`, in visual order."""
    coverage = register_fonts()
    primary = BOLD if bold else REGULAR
    runs: list[tuple[str, str]] = []
    shown = visual(unicodedata.normalize("NFC", text)).replace(FSI, "").replace(PDI, "")
    for ch in shown:
        code = ord(ch)
        if code in coverage[primary] or ch in "\n\t":
            font = primary
        elif code in coverage[FALLBACK]:
            font = FALLBACK
        elif unicodedata.category(ch) in ("Mn", "Cf"):
            continue  # a combining mark or format character the font lacks: skip it
        else:
            if report is not None:
                report.add(ch, text)
            font, ch = primary, REPLACEMENT
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def markup(text: str, bold: bool = False, report: GlyphReport | None = None) -> str:
    """Paragraph markup for `text` with the right font for every character."""
    parts = []
    for font, run in font_runs(text, bold, report):
        body = escape(run).replace("\n", "<br/>")
        parts.append(body if font in (REGULAR, BOLD) else f'<font name="{font}">{body}</font>')
    inner = "".join(parts)
    return f"<b>{inner}</b>" if bold else inner


def missing_in(texts: Iterable[str]) -> GlyphReport:
    """Check texts before printing; the report says what would not print."""
    report = GlyphReport()
    for text in texts:
        font_runs(text, report=report)
    return report
