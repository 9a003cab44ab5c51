"""SQLite's failures as one sentence the organizer can act on.

A locked, full, read-only or damaged database is not a bug: every front end
(the window, the command line) shows the same sentence, and the store raises
it from the write that failed, so nothing is ever reported as done.
"""

from __future__ import annotations

import errno
from pathlib import Path

from mutualaid_desktop.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    ReadOnlyDatabase,
    UserError,
)
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store.connection import sqlite

BUSY = "Another program is writing to this database; try again in a moment."
FULL = "The disk is full: free some space, then try again. Nothing was changed."
READ_ONLY = (
    "This database is read-only (the file or its folder cannot be written), so the change "
    "was not saved: save a copy somewhere you can write (File › Save a copy…) and open that."
)


def damaged(path: Path | None) -> str:
    where = f" {path.name}" if path is not None else ""
    restore = f"mutualaid restore --db {path} BACKUP" if path is not None else "mutualaid restore"
    return (
        f"The database file{where} is damaged: restore the newest good backup "
        f"(File › Restore from backup…, or `{restore}`)."
    )


# Python 3.11 gives the primary result code; the low byte names the kind.
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_FULL_CODES = {13}  # SQLITE_FULL
_READONLY_CODES = {8}  # SQLITE_READONLY
_DAMAGED_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_IO_CODES = {10}  # SQLITE_IOERR
_CANTOPEN_CODES = {14}  # SQLITE_CANTOPEN


def translate(error: BaseException, path: Path | None = None) -> UserError | None:
    """The sentence for an SQLite or disk error, or None for anything else (a bug)."""
    if isinstance(error, UserError):
        return error
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull(FULL)
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            name = f" ({error.filename})" if error.filename else ""
            return ReadOnlyDatabase(
                _("That place cannot be written{name}: choose a folder you can write to.").format(
                    name=name
                )
            )
        return None
    if not isinstance(error, sqlite.Error):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary in _BUSY_CODES or "database is locked" in text:
        return DatabaseBusy(BUSY)
    if primary in _FULL_CODES or "database or disk is full" in text:
        return DiskFull(FULL)
    if primary in _READONLY_CODES or "readonly database" in text:
        return ReadOnlyDatabase(READ_ONLY)
    if primary in _DAMAGED_CODES or "malformed" in text or "not a database" in text:
        return DatabaseDamaged(damaged(path))
    if primary in _IO_CODES or "disk i/o error" in text:
        return UserError(
            _(
                "The disk could not be read or written: check the drive (or USB stick) "
                "and try again."
            )
        )
    if primary in _CANTOPEN_CODES or "unable to open database" in text:
        where = f" {path}" if path is not None else ""
        return UserError(
            _(
                "The database file{where} cannot be opened: check that it and its "
                "folder are there and readable."
            ).format(where=where)
        )
    return None
