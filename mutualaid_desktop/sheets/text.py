"""Text that prints right in any script.

Names arrive in Latin, Cyrillic, Hebrew, Arabic, Vietnamese, Chinese, Korean
and Amharic. The bundled fonts cover them between them (DejaVu Sans; Nanum
Gothic for Hangul and Noto Sans Ethiopic, loaded when a sheet needs them;
Droid Sans Fallback for Chinese and Japanese), so text is split into runs by
the first font that has each character. A character none of them has is
looked for among the system's fonts through fontconfig, where there is one.
Right-to-left text is reshaped (Arabic letters joined) and put in visual order
(python-bidi), because reportlab lays text out left to right. A character no
font has is reported, never drawn as an empty box.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
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
HANGUL = "MAD-Hangul"
# Nanum Gothic again, drawn emboldened: bundling NanumGothicBold.ttf would add
# 4.5 MB more to the program for a few bold names on a label.
HANGUL_BOLD = "MAD-Hangul-Bold"
ETHIOPIC = "MAD-Ethiopic"
ETHIOPIC_BOLD = "MAD-Ethiopic-Bold"
# Loaded on first use: most sheets never need them, and Hangul's font is 4.7 MB.
_SCRIPT_FILES = {
    HANGUL: "NanumGothic.ttf",
    HANGUL_BOLD: "NanumGothic.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf",
    ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf",
}
# (first, last code point) -> (regular, bold) font for that script
_SCRIPTS: tuple[tuple[int, int, str, str], ...] = (
    (0x1100, 0x11FF, HANGUL, HANGUL_BOLD),  # jamo
    (0x3130, 0x318F, HANGUL, HANGUL_BOLD),  # compatibility jamo
    (0xA960, 0xA97F, HANGUL, HANGUL_BOLD),
    (0xAC00, 0xD7FF, HANGUL, HANGUL_BOLD),  # syllables
    (0x1200, 0x139F, ETHIOPIC, ETHIOPIC_BOLD),
    (0x2D80, 0x2DDF, ETHIOPIC, ETHIOPIC_BOLD),
    (0xAB00, 0xAB2F, ETHIOPIC, ETHIOPIC_BOLD),
)


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
        pdfmetrics.registerFont(_settled(font))
        coverage[name] = frozenset(font.face.charToGlyph)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return coverage


@cache
def _loaded(name: str, path: str = "") -> frozenset[int]:
    """Register one more font (a bundled script font, or a system font); its coverage."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    register_fonts()
    font = TTFont(name, path or str(config.resources_dir() / "fonts" / _SCRIPT_FILES[name]))
    pdfmetrics.registerFont(_settled(font))
    return frozenset(font.face.charToGlyph)


def _settled(font: Any) -> Any:
    """`font` with its glyph-to-characters lists made tuples, which it never changes.

    A loaded font keeps a list per glyph (49,000 for the Chinese fallback) for the
    life of the program, and every full pass of Python's cycle collector walked
    them all: 80-130 ms holding Python's lock while a sheet was made in the
    background, the window's longest stall. Tuples of strings drop out of the
    collector's view.
    """
    face = font.face
    face.glyphToChar = {glyph: tuple(chars) for glyph, chars in face.glyphToChar.items()}
    return font


def _script_font(code: int, bold: bool) -> str | None:
    for first, last, regular, heavy in _SCRIPTS:
        if first <= code <= last:
            name = heavy if bold else regular
            return name if code in _loaded(name) else None
    return None


@lru_cache(maxsize=4096)
def _system_font(code: int) -> str | None:
    """A TrueType font of this computer that has `code`, found through fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        found = subprocess.run(
            [fc_list, f":charset={code:x}", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(found.splitlines()):
        path = line.strip().rstrip(":")
        if not path.lower().endswith(".ttf"):
            continue  # reportlab draws TrueType outlines only
        name = "MAD-System-" + path.rsplit("/", 1)[-1][:-4]
        try:
            if code in _loaded(name, path):
                return name
        except Exception:  # a font reportlab cannot read: try the next one
            continue
    return None


# Fonts without a bold face of their own -> the stroke drawn around each letter, as a
# share of the size: filled and outlined (PDF text mode 2, sheets/pdftext.py), the
# letters print heavier.
EMBOLDEN = {HANGUL_BOLD: 0.035}


FSI, PDI = "\u2068", "\u2069"  # Unicode "first strong isolate" and its end


def isolate(text: str) -> str:
    """Mark a name as a unit of its own direction inside a longer line.

    Without it, "חנה אברהם · (281) 596-6669" comes out with the phone number
    pulled into the Hebrew run and printed backwards.
    """
    return f"{FSI}{text}{PDI}" if is_rtl(text) else text


# Every character written right to left (bidi class R or AL) lies in these ranges
# (tests check all of Unicode): a text with none of them is left to right, found
# in C without asking each letter.
_MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def is_rtl(text: str) -> bool:
    if text.isascii() or _MAYBE_RTL.search(text) is None:  # most of what a sheet prints
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def visual(text: str) -> str:
    """Right-to-left runs reshaped and reordered for left-to-right drawing."""
    if not is_rtl(text):
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
    if text.isascii() and text.isprintable():  # DejaVu has every printable ASCII letter
        return [(primary, text)] if text else []
    if (  # "Nicolás", "Võ Thị Hồng": left to right, composed, every letter in DejaVu
        text.isprintable()
        and not is_rtl(text)
        and unicodedata.is_normalized("NFC", text)
        and coverage[primary].issuperset(map(ord, text))
    ):
        return [(primary, text)]
    runs: list[tuple[str, str]] = []
    shown = visual(unicodedata.normalize("NFC", text)).replace(FSI, "").replace(PDI, "")
    for ch in shown:
        code = ord(ch)
        if code in coverage[primary] or ch in "\n\t":
            font = primary
        elif (found := _script_font(code, bold)) is not None:
            font = found
        elif code in coverage[FALLBACK]:
            font = FALLBACK
        elif unicodedata.category(ch) in ("Mn", "Cf"):
            continue  # a combining mark or format character the font lacks: skip it
        elif (system := _system_font(code)) is not None:
            font = system
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
