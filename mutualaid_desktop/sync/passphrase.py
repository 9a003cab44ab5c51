"""Group passphrases that protect: weak ones are refused, with a strong one suggested.

Whoever finds a stick can try passphrases offline as fast as their hardware
runs scrypt, for as long as they like; a word from a form, a group's name and
a year falls in hours. A passphrase must be at least 14 characters and pass
zxcvbn's strength estimate (the group's and organizer's names count against
it); four random words pass. The suggestion is five words drawn on this
laptop (Python's `secrets`) from the EFF's long word list, as packaged with
xkcdpass: easy to read aloud and type, about 64 bits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import cache

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import N_, _

MIN_CHARACTERS = 14
# zxcvbn's estimate of guesses, as a power of ten. Four random words from a
# 7,776-word list score 17.9 or more; "our group secret 1" scores 14.2.
MIN_GUESSES_LOG10 = 16
SUGGESTED_WORDS = 5

# zxcvbn's warnings, which it writes in English only: listed here so that they are in
# our catalog and a Spanish-speaking organizer reads why in Spanish. One it adds later
# is shown as it comes.
_ZXCVBN_WARNINGS = (
    N_("A word by itself is easy to guess."),
    N_("Common names and surnames are easy to guess."),
    N_("Dates are often easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Recent years are easy to guess."),
    N_('Repeats like "aaa" are easy to guess.'),
    N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    N_('Sequences like "abc" or "6543" are easy to guess.'),
    N_("Short keyboard patterns are easy to guess."),
    N_("Straight rows of keys are easy to guess."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
)


class WeakPassphrase(UserError):
    """A passphrase too easy to guess; the sentence says why and suggests a strong one."""

    def __init__(self, reason: str, suggestion: str) -> None:
        self.reason = reason
        self.suggestion = suggestion
        super().__init__(
            _(
                "This passphrase is too easy to guess ({reason}): someone who finds the stick "
                "could try passphrases until it opens. Agree a new one in person, for example "
                "“{suggestion}” (made on this laptop; four or more random words)."
            ).format(reason=reason, suggestion=suggestion)
        )


def weakness(passphrase: str, known_words: Sequence[str] = ()) -> str | None:
    """Why `passphrase` is too weak for the group, or None when it is strong enough.

    `known_words`: names an attacker would try first (the group's, the organizer's).
    """
    if len(passphrase) < MIN_CHARACTERS:
        return _("it has fewer than {n} characters").format(n=MIN_CHARACTERS)
    import zxcvbn

    words = [w for text in known_words for w in text.lower().split() if w]
    estimate = zxcvbn.zxcvbn(passphrase, user_inputs=words, max_length=200)
    if float(estimate["guesses_log10"]) < MIN_GUESSES_LOG10:
        warning = str(estimate["feedback"].get("warning") or "")
        if not warning:
            return _("its words are too predictable")
        warning = _(warning).rstrip(".")  # in the catalog: _ZXCVBN_WARNINGS
        return warning[:1].lower() + warning[1:]
    return None


def require_strong(passphrase: str, known_words: Sequence[str] = ()) -> None:
    """Raise WeakPassphrase (with a suggestion) unless `passphrase` is strong enough."""
    reason = weakness(passphrase, known_words)
    if reason is not None:
        raise WeakPassphrase(reason, suggestion())


def suggestion(words: int = SUGGESTED_WORDS) -> str:
    """A diceware-style passphrase made here: `words` random words, spaces between."""
    chosen = _word_list()
    return " ".join(secrets.choice(chosen) for _ in range(words))


@cache
def _word_list() -> tuple[str, ...]:
    from xkcdpass import xkcd_password

    path = xkcd_password.locate_wordfile("eff-long")
    with open(path, encoding="utf-8") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    return tuple(sorted(w for w in words if w.isalpha()))
