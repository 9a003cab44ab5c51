"""Sorting names as a person expects: Ángela with the A's, Ødegaard with the O's.

A sort key close to the Unicode Collation Algorithm's root order (what ICU does
for most languages): letters compare by their base letter first, ignoring
accents and case; accents and case only break ties. Each script keeps its own
block (Latin, then Greek, Cyrillic, Hebrew, Arabic, CJK), as in ICU. Keys are
plain strings, so SQLite can store and index them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Latin letters that are not a base letter plus an accent in Unicode, and their
# place in the alphabet.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "ı": "i",
     "ħ": "h", "ŋ": "n", "ŧ": "t", "ƒ": "f", "ĸ": "k"}
)  # fmt: skip
_TIE = "\x00"  # sorts before every character: "Ana" before "Ana María"


@lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """A key that orders `text` as a person expects (see the module's docstring)."""
    folded = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    base = " ".join(base.split())
    # Ties: the accented or capitalised form after the plain one, deterministically.
    return f"{base}{_TIE}{unicodedata.normalize('NFC', text)}"
