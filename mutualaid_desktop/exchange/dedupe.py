"""Possible duplicates of a contact being typed.

The same phone (normalized), or a similar name at the same address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from mutualaid_desktop.domain.phones import display, to_e164
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.search import fold

NAME_SIMILARITY = 80  # rapidfuzz token_sort_ratio, 0-100, on accent-folded names


@dataclass(frozen=True)
class Duplicate:
    id: str
    name: str
    reason: str  # one sentence: why we think it is the same household


def _house_number(street: str) -> str:
    match = re.match(r"\s*(\d+[A-Za-z]?)\b", street)
    return match.group(1) if match else ""


def find_duplicates(
    store: Store,
    name: str,
    phones: Iterable[str] = (),
    street: str = "",
    postal_code: str = "",
    exclude_id: str | None = None,
    limit: int = 5,
) -> list[Duplicate]:
    """Existing live contacts that are probably the one being entered."""
    found: dict[str, Duplicate] = {}
    conn = store.conn
    for text in phones:
        try:
            e164 = to_e164(text)
        except ValueError:
            continue  # half-typed numbers simply match nothing yet
        digits = e164.lstrip("+")
        for cid, cname in conn.execute(
            """SELECT c.id, c.name FROM contacts_fts f JOIN contacts c ON c.rowid = f.rowid
               WHERE contacts_fts MATCH ? LIMIT 10""",
            (f'phones : "{digits}"',),
        ):
            if cid != exclude_id and cid not in found:
                found[cid] = Duplicate(cid, cname, f"Same phone number {display(e164)}.")

    number = _house_number(street)
    if name.strip() and number and postal_code.strip():
        wanted = fold(name).lower()
        for cid, cname, cstreet in conn.execute(
            """SELECT id, name, address_street FROM contacts
               WHERE _cl % 2 = 1 AND address_postal_code = ? AND address_street LIKE ?""",
            (postal_code.strip(), number + " %"),
        ):
            if cid == exclude_id or cid in found:
                continue
            score = fuzz.token_sort_ratio(wanted, fold(cname).lower())
            if score >= NAME_SIMILARITY:
                found[cid] = Duplicate(cid, cname, f"Similar name at the same address ({cstreet}).")
    # A phone match is the stronger sign: those come first.
    return list(found.values())[:limit]
