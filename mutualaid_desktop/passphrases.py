"""Database passphrases: how strong a new one is, and reading one from a file or a terminal.

Two different secrets pass through here: the database's passphrase (it
encrypts the file on this laptop) and the group's sync passphrase (it
encrypts bundles on the stick). Every prompt and message names which one.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import N_, _

LABELS = (N_("very weak"), N_("weak"), N_("fair"), N_("strong"), N_("very strong"))
FORGOTTEN = N_(
    "Nobody can recover a forgotten passphrase, not even the people who made this program: "
    "without it the data is gone. Write it down and keep it somewhere safe, away from the laptop."
)


@dataclass(frozen=True)
class Strength:
    score: int  # zxcvbn's 0 (guessed at once) to 4 (centuries), for a meter
    label: str
    problem: str  # why it is too weak (the group passphrase's rule), or ""

    @property
    def good(self) -> bool:
        return not self.problem


def strength(passphrase: str, known_words: Sequence[str] = ()) -> Strength:
    """How hard `passphrase` is to guess, for a meter, and whether it is strong enough.

    A seized laptop is attacked offline like a found stick, so a database
    passphrase follows the group passphrase's rule (sync/passphrase.py).
    `known_words` (the group's and organizer's names) count against it.
    """
    from mutualaid_desktop.sync.passphrase import weakness

    if not passphrase:
        return Strength(0, LABELS[0], _("it is empty"))
    from zxcvbn import zxcvbn

    words = [w for text in known_words for w in text.lower().split() if w]
    score = int(zxcvbn(passphrase[:200], user_inputs=words, max_length=200)["score"])
    problem = weakness(passphrase, known_words) or ""
    if problem and score >= 3:
        score = 2  # the meter never says "strong" about a passphrase that is refused
    return Strength(score, LABELS[score], problem)


def advice(rating: Strength) -> str:
    """One sentence on a weak passphrase, with a strong one made here to take instead."""
    from mutualaid_desktop.sync.passphrase import suggestion

    return _(
        "Too easy to guess ({why}). Use four or more random words, "
        "for example \u201c{example}\u201d."
    ).format(why=rating.problem, example=suggestion())


def read_passphrase_file(path: Path, what: str) -> str:
    """The first line of `path`: the passphrase (`what` names which one, for the error)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UserError(
            _("Cannot read the {what} file {path}: {why}.").format(
                what=_(what), path=path, why=error.strerror
            )
        ) from None
    except UnicodeDecodeError:
        raise UserError(
            _("The {what} file {path} is not text; put the passphrase on its first line.").format(
                what=_(what), path=path
            )
        ) from None
    if not lines or not lines[0]:
        raise UserError(
            _("The {what} file {path} is empty; put the passphrase on its first line.").format(
                what=_(what), path=path
            )
        )
    return lines[0]


def can_ask() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask(prompt: str) -> str:
    """Read a passphrase from the terminal without echoing it."""
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        return ""


def ask_new(name: str) -> str:
    """Ask twice for a new database passphrase on the terminal; a weak one is refused."""
    print(_(FORGOTTEN), file=sys.stderr)
    first = ask(_("New passphrase for {name}: ").format(name=name))
    if not first:
        raise UserError(_("The passphrase is empty; nothing was changed."))
    rating = strength(first)
    if not rating.good:
        raise UserError(_("{advice} Nothing was changed.").format(advice=advice(rating)))
    if ask(_("The same passphrase again: ")) != first:
        raise UserError(_("The two passphrases differ; nothing was changed."))
    return first
