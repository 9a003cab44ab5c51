"""One way to speak the reader's language: `_()`, plurals, and dates, for the window,
the command line and every printout.

Catalogs are gettext `.po` files in the package (resources/locale/<lang>/LC_MESSAGES/
mutualaid.po), compiled to `.mo` by the build (setup.py), so a wheel, an editable
install and the frozen build all carry them. Without a catalog, the English source
strings are used.

The program's language follows the system unless the organizer chose one in
Settings (`use_language`). A printout for one household (its packing slip, its
driver's message) may speak that household's language instead: `translator(lang)`
gives the functions for any language without switching the program's, and
`speaking(lang)` makes `_()` speak it for a block (for code deep below, such as
the reasons packing gives), in this thread only.
"""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache

from mutualaid_desktop.config import resources_dir

DOMAIN = "mutualaid"
LOCALE_DIR = resources_dir() / "locale"
# The languages the program speaks, by code, in their own words.
LANGUAGES = {"en": "English", "es": "Español"}
SOURCE_LANGUAGE = "en"


class Translator:
    """The gettext functions and date formats of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalog = _load_catalog(lang)

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form for `n` things, by the language's own plural rule."""
        return self._catalog.ngettext(singular, plural, n)

    def date(self, day: date | datetime, form: str = "short") -> str:
        """A date as a person writes it: "Fri 4 Dec" / "vie 4 dic" ("short"),
        "Friday 4 December 2026" / "viernes, 4 de diciembre de 2026" ("long"),
        "4 Dec 2026" / "4 dic 2026" ("date"), "4 Dec" / "4 dic" ("day_month")."""
        from babel.dates import format_date

        pattern = _DATE_PATTERNS[form].get(self.lang) or _DATE_PATTERNS[form][SOURCE_LANGUAGE]
        return str(format_date(day, pattern, locale=self.lang))


def _load_catalog(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        # A checkout whose catalog was edited since the build compiled it:
        # compile it in memory, so what runs is what the .po says.
        import io

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        buffer = io.BytesIO()
        with po.open("rb") as f:
            write_mo(buffer, read_po(f, locale=lang))
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


_DATE_PATTERNS = {
    "short": {"en": "EEE d MMM", "es": "EEE d MMM"},
    "day_month": {"en": "d MMM", "es": "d MMM"},
    "date": {"en": "d MMM y", "es": "d MMM y"},
    "day": {"en": "EEEE d MMMM", "es": "EEEE d 'de' MMMM"},
    "long": {"en": "EEEE d MMMM y", "es": "EEEE, d 'de' MMMM 'de' y"},
}


@lru_cache(maxsize=8)
def translator(lang: str | None) -> Translator:
    """The functions for `lang` ("es", "es_MX", "Spanish" …); English if the
    program does not speak it."""
    return Translator(language_code(lang) or SOURCE_LANGUAGE)


def language_code(name: str | None) -> str | None:
    """The code of a language the program speaks, from a code, a locale or a
    name ("es_MX.UTF-8", "Spanish", "español"); None if it speaks no such language."""
    if not name:
        return None
    text = name.strip().casefold()
    code = text.replace("-", "_").split(".")[0].split("_")[0].split("@")[0]
    if code in LANGUAGES:
        return code
    names = {"english": "en", "inglés": "en", "ingles": "en", "spanish": "es", "español": "es",
             "espanol": "es", "castellano": "es"}  # fmt: skip
    return names.get(text)


def system_language() -> str:
    """The language the system asks for, if the program speaks it; else English."""
    # The first of these that is set decides, as in gettext (LANGUAGE may list
    # several languages in order of preference: "fr:es").
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value in ("", "C", "POSIX", "C.UTF-8"):
            continue
        for item in value.split(":"):
            code = language_code(item)
            if code:
                return code
        return SOURCE_LANGUAGE
    try:  # Windows and macOS set no variables; ask the C library's locale.
        code = language_code(locale.getlocale()[0])
    except ValueError:
        code = None
    return code or SOURCE_LANGUAGE


def system_territory() -> str | None:
    """The country of the system's region settings ("US" of en_US.UTF-8), if it says one.

    Units follow the measurement setting where one is set apart from the language
    (LC_MEASUREMENT: an American in Mexico may read in Spanish and measure in miles).
    """
    import re

    values = [os.environ.get(v, "") for v in ("LC_ALL", "LC_MEASUREMENT", "LANG")]
    try:  # Windows and macOS set no variables; ask the C library's locale.
        values.append(locale.getlocale()[0] or "")
    except ValueError:
        values.append("")
    for value in values:
        if value in ("", "C", "POSIX") or value.startswith("C."):
            continue
        found = re.match(r"[A-Za-z]{2,3}[_-]([A-Za-z]{2})\b", value)
        if found:
            return found.group(1).upper()
    return None


_current = translator(system_language())
# The language a block of code speaks instead of the program's (see `speaking`).
_speaking: ContextVar[Translator | None] = ContextVar("speaking", default=None)


def _active() -> Translator:
    return _speaking.get() or _current


def use_language(lang: str | None) -> str:
    """Switch the program's language (None: the system's); returns the code in use."""
    global _current
    _current = translator(language_code(lang) or system_language())
    return _current.lang


def current_language() -> str:
    return _active().lang


def program_language() -> str:
    """The program's language, even inside `speaking()`."""
    return _current.lang


def household_language(languages: Iterable[str]) -> str:
    """The language to print for someone who speaks `languages` (first the one they
    listed first): the first the program has, else the program's own."""
    spoken = (code for code in map(language_code, languages) if code)
    return next(spoken, _current.lang)


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Within the block, `_()`, `ngettext()` and `format_date()` speak `lang` if the
    program has it (else the program's language); yields the code spoken."""
    token = _speaking.set(translator(language_code(lang) or _current.lang))
    try:
        yield current_language()
    finally:
        _speaking.reset(token)


def _(message: str) -> str:
    """Translate `message` into the program's language (or the one `speaking` set)."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """`singular` or `plural` for `n`, in the program's language ("1 stop", "3 stops")."""
    return _active().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; `_()` translates it where shown."""
    return message


def format_date(day: date | datetime, form: str = "short") -> str:
    """A date in the program's language (see `Translator.date`)."""
    return _active().date(day, form)
