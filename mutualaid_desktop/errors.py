"""Errors the organizer can fix (UserError) as opposed to bugs.

A UserError carries one plain sentence that says what to do; the CLI prints
it without a traceback and the GUI shows it in a simple dialog. Anything else
that escapes is a bug: logged with its traceback.
"""

from __future__ import annotations

from mutualaid_desktop.i18n import _, ngettext


class UserError(Exception):
    """Something the user can fix: a missing file, a bad value, a wrong passphrase."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FieldError(UserError):
    """A value that fails validation, naming the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ValidationFailed(UserError):
    """One or more fields of a record are invalid; `problems` maps field -> sentence."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        first = next(iter(problems.values()), _("The record is not valid."))
        more = len(problems) - 1
        message = (
            first
            if more == 0
            else ngettext(
                "{first} (and {n} more problem)", "{first} (and {n} more problems)", more
            ).format(first=first, n=more)
        )
        super().__init__(message)


class TransitionError(UserError):
    """A status change that the workflow does not allow."""


class NotFound(UserError):
    """A record that does not exist (or was deleted)."""


class Cancelled(Exception):
    """The user cancelled a long job; whatever it did was rolled back."""


class PassphraseRequired(UserError):
    """The database is encrypted and no passphrase was given (the window asks for one)."""


class WrongPassphrase(UserError):
    """The passphrase given does not open the encrypted database (the window asks again)."""


class DatabaseBusy(UserError):
    """Another connection held the write lock for longer than the busy timeout."""


class DiskFull(UserError):
    """The disk (or the folder's quota) has no room left; nothing was changed."""


class ReadOnlyDatabase(UserError):
    """The database file or its folder cannot be written: it is open for reading only."""


class DatabaseDamaged(UserError):
    """The database file is damaged (a page overwritten, cut short, not SQLite at all)."""
