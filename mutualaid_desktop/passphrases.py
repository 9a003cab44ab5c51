"""Passphrases: how strong a new one is, and reading one from a file or a terminal.

Two different secrets pass through here: the database's passphrase (it
encrypts the file on this laptop) and the group's sync passphrase (it
encrypts bundles on the stick). Every prompt and message names which one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from mutualaid_desktop.errors import UserError

# zxcvbn's scores 0-4; below this a new database passphrase gets a warning.
GOOD_SCORE = 3
LABELS = ("very weak", "weak", "fair", "strong", "very strong")
FORGOTTEN = (
    "Nobody can recover a forgotten passphrase, not even the people who made this program: "
    "without it the data is gone. Write it down and keep it somewhere safe, away from the laptop."
)


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (guessed at once) to 4 (centuries)
    label: str
    advice: str  # what would make it stronger, or ""

    @property
    def good(self) -> bool:
        return self.score >= GOOD_SCORE


def strength(passphrase: str, user_words: tuple[str, ...] = ()) -> Strength:
    """How hard `passphrase` is to guess (zxcvbn), with words the user would pick counted as weak.

    `user_words` are the names on the screen (the group's, the organizer's): a
    passphrase made of them is among the first an attacker tries.
    """
    if not passphrase:
        return Strength(0, LABELS[0], "Type a passphrase: several unusual words are best.")
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:100], user_inputs=[w for w in user_words if w])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    parts = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    advice = " ".join(p.strip() for p in parts if p and p.strip())
    if score < GOOD_SCORE and not advice:
        advice = "Add another word or two that are not a common phrase."
    return Strength(score, LABELS[score], advice)


def read_passphrase_file(path: Path, what: str) -> str:
    """The first line of `path`: the passphrase (`what` names which one, for the error)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UserError(f"Cannot read the {what} file {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise UserError(
            f"The {what} file {path} is not text; put the passphrase on its first line."
        ) from None
    if not lines or not lines[0]:
        raise UserError(f"The {what} file {path} is empty; put the passphrase on its first line.")
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
    """Ask twice for a new database passphrase on the terminal, with a word on its strength."""
    print(FORGOTTEN, file=sys.stderr)
    first = ask(f"New passphrase for {name}: ")
    if not first:
        raise UserError("The passphrase is empty; nothing was changed.")
    rating = strength(first)
    if not rating.good:
        print(
            f"mutualaid: warning: that passphrase is {rating.label}. {rating.advice}",
            file=sys.stderr,
        )
    if ask("The same passphrase again: ") != first:
        raise UserError("The two passphrases differ; nothing was changed.")
    return first
