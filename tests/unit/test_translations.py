"""Spanish everywhere a user reads: every marked string is translated, with its
placeholders intact; the language follows the system; dates speak it too."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from mutualaid_desktop import i18n
from tests.conftest import REPO

CATALOG = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "mutualaid.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def marked_strings() -> set[str | tuple[str, str]]:
    """What the code marks for translation, as `pybabel extract` sees it."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO / "mutualaid_desktop"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def spanish():
    with CATALOG.open("rb") as f:
        return read_po(f, locale="es")


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[^{}]*\}", text))


def test_every_marked_string_has_spanish() -> None:
    catalog = spanish()
    missing = []
    for message in marked_strings():
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        strings = [] if entry is None else (
            list(entry.string) if isinstance(entry.string, tuple) else [entry.string]
        )  # fmt: skip
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing, (
        f"{len(missing)} strings have no Spanish (run packaging/update_translations.sh, "
        f"then translate them): {sorted(missing)[:20]}"
    )


def test_translations_keep_their_placeholders() -> None:
    for entry in spanish():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = placeholders(ids[-1])
        for text in strings:
            # A plural form may leave the count out ("un viaje"), nothing else.
            assert placeholders(text) <= wanted and wanted - placeholders(text) <= {"{n}"}, (
                entry.id,
                text,
            )


def test_spanish_is_used_where_asked() -> None:
    es = i18n.translator("es_MX.UTF-8")
    assert es.lang == "es"
    assert es.gettext("Today") == "Hoy"
    assert i18n.translator("fr").gettext("Today") == "Today"  # not spoken: English
    assert es.date(date(2026, 12, 4)) == "vie 4 dic"
    assert i18n.translator("en").date(date(2026, 12, 4)) == "Fri 4 Dec"
    assert es.date(date(2026, 12, 4), "long") == "viernes, 4 de diciembre de 2026"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANGUAGE": "fr:es", "LANG": "fr_FR.UTF-8"}, "es"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
        ({"LC_MESSAGES": "es_AR", "LANG": "C"}, "es"),
    ],
)
def test_the_language_follows_the_system(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    assert i18n.system_language() == expected
    try:
        assert i18n.use_language(None) == expected
        assert i18n._("Today") == ("Hoy" if expected == "es" else "Today")
        assert i18n.use_language("en") == "en" and i18n._("Today") == "Today"
    finally:
        i18n.use_language("en")


def test_a_catalog_edited_after_the_build_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "mutualaid.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Today"\nmsgstr "Hoy mismo"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.Translator("es").gettext("Today") == "Hoy mismo"


def test_every_choice_a_person_picks_from_has_spanish() -> None:
    from mutualaid_desktop.domain import allergens, enums

    catalog = spanish()
    kinds = [*vars(enums).values(), allergens.Allergen]
    for kind in kinds:
        if isinstance(kind, type) and issubclass(kind, enums.LabelledEnum) and kind.__members__:
            for member in kind:
                i18n.use_language("en")
                label = member.label
                if label == "A4":
                    continue  # a paper size, the same word in every language
                entry = catalog.get(label)
                assert entry is not None and entry.string and not entry.fuzzy, label
                i18n.use_language("es")
                try:
                    assert member.label == entry.string
                finally:
                    i18n.use_language("en")


def test_the_programs_own_items_have_spanish_names() -> None:
    """Every item and unit the program comes with (the demo's) is named through the
    catalog, so a Spanish household's slip says "Arroz, bolsa de 2 lb"."""
    from mutualaid_desktop.demo.pools import ITEMS
    from mutualaid_desktop.domain.food import BUILT_IN_ITEMS, BUILT_IN_UNITS, item_name, unit_name

    assert {name for name, *_rest in ITEMS} <= BUILT_IN_ITEMS
    assert {unit for _name, unit, *_rest in ITEMS} | {"each"} <= BUILT_IN_UNITS
    with i18n.speaking("es"):
        assert item_name("Peanut butter") == "Crema de cacahuate"
        assert unit_name("2 lb bag") == "bolsa de 2 lb"
        assert item_name("Masa harina") == "Masa harina"  # an organizer's item, as typed
        assert all(item_name(name) != name for name in BUILT_IN_ITEMS - {"Pasta", "Tofu"})
    assert item_name("Peanut butter") == "Peanut butter"
