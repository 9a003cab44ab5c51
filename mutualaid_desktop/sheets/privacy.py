"""How much of a name a sheet shows: full, first name and initial, or the household code."""

from __future__ import annotations

from mutualaid_desktop.domain.enums import PrivacyLevel
from mutualaid_desktop.sheets.text import isolate


def shown_name(name: str, code: str, level: PrivacyLevel) -> str:
    """The name as the privacy level allows (the code is always safe to print).

    A right-to-left name comes back isolated, so it can sit in a longer line.
    """
    return isolate(plain_shown_name(name, code, level))


def plain_shown_name(name: str, code: str, level: PrivacyLevel) -> str:
    """`shown_name` without the isolation marks, for a spreadsheet cell."""
    if level is PrivacyLevel.CODE or not name.strip():
        return code
    if level is PrivacyLevel.FULL:
        return name
    words = name.split()
    if len(words) == 1:
        word = words[0]
        # A one-word name in a script without spaces (Chinese): family name and a dot.
        return word if len(word) <= 1 else f"{word[0]}."
    return f"{words[0]} {words[-1][0]}."
