"""Possible duplicates of a contact being typed.

The same phone (normalized), or a similar name at the same address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from mutualaid_desktop.domain.phones import display, to_e164
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.search import fold

NAME_SIMILARITY = 80  # rapidfuzz token_sort_ratio, 0-100, on accent-folded names


@dataclass(frozen=True)
class Duplicate:
    id: str
    name: str
    reason: str  # one sentence: why we think it is the same household


_HOUSE_NUMBER = re.compile(r"\s*(\d+[A-Za-z]?)\b")


def _house_number(street: str) -> str:
    match = _HOUSE_NUMBER.match(street)
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


# -- many at once (imports) -----------------------------------------------------

NEAR_IDENTICAL = 90  # rapidfuzz token_sort_ratio for "near-identical names" in one ZIP


@dataclass(frozen=True)
class Match:
    """A household that a new one is probably the same as."""

    key: str  # a contact id, or the key of an earlier row of the same file
    name: str
    reason: str  # one sentence
    exact: bool  # same phone, or same name at the same address: merge by default


def name_key(name: str) -> str:
    """Case, accents and spacing aside ("  JOSÉ Ødegaard " and "josé ødegaard" agree)."""
    from mutualaid_desktop.domain.allergens import fold as fold_text

    return fold_text(name)


def street_key(street: str) -> str:
    from mutualaid_desktop.domain.allergens import fold as fold_text

    return fold_text(street)


def _sorted_words(folded: str) -> str:
    return " ".join(sorted(folded.split()))


class DuplicateIndex:
    """Households known so far (the database's, then each row's), to match new ones fast.

    Exact: the same normalized phone, or the same name at the same street and
    ZIP. Probable: a near-identical name in the same ZIP, or a similar one at
    the same house number and ZIP (as `find_duplicates` judges a contact being
    typed). Names are compared with the names of the same ZIP that share a word
    with them: a typo in every word of a name is rare, and scoring a row against
    a whole ZIP of 20,000 households took seconds.
    """

    def __init__(self) -> None:
        self._phones: dict[str, tuple[str, str]] = {}
        self._addresses: dict[tuple[str, str, str], tuple[str, str]] = {}
        # Every name with its words sorted (token_sort_ratio is then a plain
        # ratio, which rapidfuzz computes without re-sorting), who it is, and
        # the names of each (ZIP, word).
        self._names: list[str] = []
        self._who: list[tuple[str, str, str]] = []
        self._by_word: dict[tuple[str, str], list[int]] = {}

    @classmethod
    def of_store(cls, store: Store) -> DuplicateIndex:
        import json

        index = cls()
        for cid, name, phones, street, postal in store.conn.execute(
            "SELECT id, name, phones, address_street, address_postal_code FROM contacts "
            "WHERE _cl % 2 = 1"
        ):
            numbers = [p.get("e164", "") for p in json.loads(phones)] if phones else []
            index.add(cid, name, numbers, street or "", postal or "")
        return index

    def add(
        self, key: str, name: str, phones: Iterable[str], street: str, postal_code: str
    ) -> None:
        for e164 in phones:
            if e164:
                self._phones.setdefault(e164, (key, name))
        folded = name_key(name)
        zip5 = postal_code.strip()[:5]
        if folded and street.strip() and zip5:
            self._addresses.setdefault((folded, street_key(street), zip5), (key, name))
        if folded:
            at = len(self._names)
            self._names.append(_sorted_words(folded))
            self._who.append((key, name, _house_number(street)))
            for word in set(folded.split()):
                self._by_word.setdefault((zip5, word), []).append(at)

    def match(
        self, name: str, phones: Iterable[str], street: str, postal_code: str
    ) -> Match | None:
        for e164 in phones:
            found = self._phones.get(e164)
            if found:
                reason = _("Same phone number {phone}.").format(phone=display(e164))
                return Match(found[0], found[1], reason, True)
        folded = name_key(name)
        zip5 = postal_code.strip()[:5]
        if folded and street.strip() and zip5:
            found = self._addresses.get((folded, street_key(street), zip5))
            if found:
                return Match(found[0], found[1], _("Same name at the same address."), True)
        if not folded:
            return None
        candidates: set[int] = set()
        for word in set(folded.split()):
            candidates.update(self._by_word.get((zip5, word), ()))
        if not candidates:
            return None
        number = _house_number(street)
        wanted = _sorted_words(folded)
        best: tuple[float, tuple[str, str, str]] | None = None
        for at in candidates:
            score = fuzz.ratio(wanted, self._names[at], score_cutoff=NAME_SIMILARITY)
            if not score:
                continue
            entry = self._who[at]
            same_house = bool(number) and entry[2] == number
            if (score >= NEAR_IDENTICAL or same_house) and (best is None or score > best[0]):
                best = (score, entry)
        if best is None:
            return None
        key, found_name, found_number = best[1]
        reason = (
            _("A near-identical name at the same address.")
            if number and found_number == number
            else _("A near-identical name in the same ZIP code.")
        )
        return Match(key, found_name, reason, False)
