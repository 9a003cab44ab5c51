"""Packing rules: which box suits a household, and what goes in it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mutualaid_desktop.domain.delivery import BoxType
from mutualaid_desktop.domain.enums import DietaryFlag


def suggest_box_type(
    dietary: Iterable[DietaryFlag], box_types: Sequence[BoxType]
) -> BoxType | None:
    """The box type that covers most of a household's dietary flags.

    Ties go to the box type listed first (lowest sort order); with no flag
    matched, the first box type that suits nothing in particular (Standard).
    """
    flags = set(dietary)
    ordered = sorted(box_types, key=lambda b: (b.sort_order, b.name))
    best: BoxType | None = None
    best_score = 0
    for box in ordered:
        score = len(flags & set(box.suits))
        if score > best_score:
            best, best_score = box, score
    if best is not None:
        return best
    plain = [b for b in ordered if not b.suits]
    return plain[0] if plain else (ordered[0] if ordered else None)
