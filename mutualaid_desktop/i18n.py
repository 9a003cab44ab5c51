"""One `_()` for every user-facing string in the core (CLI, PDFs, messages).

Catalogs live in the package, under resources/locale/<lang>/LC_MESSAGES/mutualaid.mo;
with none installed, gettext falls back to the English source strings.
"""

from __future__ import annotations

import gettext

from mutualaid_desktop.config import resources_dir

LOCALE_DIR = resources_dir() / "locale"
_translation: gettext.NullTranslations = gettext.translation(
    "mutualaid", localedir=LOCALE_DIR, fallback=True
)


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _translation.gettext(message)


def use_language(lang: str | None) -> None:
    """Switch the core's language (None: the system's)."""
    global _translation
    languages = [lang] if lang else None
    _translation = gettext.translation(
        "mutualaid", localedir=LOCALE_DIR, languages=languages, fallback=True
    )
