"""Names sort where a person looks for them."""

from __future__ import annotations

from mutualaid_desktop.domain.collation import sort_key


def test_accented_and_special_letters_sort_with_their_base_letter() -> None:
    names = ["Zoe", "Ángela Ruiz", "andrés", "Ødegaard", "Oscar", "Éric", "Ana", "Łukasz", "Lucía",
             "Çelik", "Carlos", "Ñandú", "Nadia", "Żaneta", "Álvaro"]  # fmt: skip
    assert sorted(names, key=sort_key) == [
        "Álvaro", "Ana", "andrés", "Ángela Ruiz", "Carlos", "Çelik", "Éric", "Lucía", "Łukasz",
        "Nadia", "Ñandú", "Ødegaard", "Oscar", "Żaneta", "Zoe",
    ]  # fmt: skip


def test_scripts_keep_their_own_blocks_after_latin() -> None:
    names = ["Дмитрий", "Zoe", "张敏", "אברהם", "Ábel", "نور"]
    assert sorted(names, key=sort_key) == ["Ábel", "Zoe", "Дмитрий", "אברהם", "نور", "张敏"]


def test_ties_are_broken_deterministically() -> None:
    assert sort_key("Ana") < sort_key("Ana María") < sort_key("Anabel")
    assert sort_key("José") != sort_key("Jose")
    assert sorted(["José", "Jose", "JOSE"], key=sort_key) == sorted(
        ["JOSE", "José", "Jose"], key=sort_key
    )
    # Padding and repeated spaces from web forms do not move a name.
    assert sort_key("  Ana   Ruiz ").split("\x00")[0] == sort_key("Ana Ruiz").split("\x00")[0]
