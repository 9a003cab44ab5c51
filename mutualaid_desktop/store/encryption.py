"""Encrypting an existing database, and changing its passphrase, through a verified copy.

The file is never changed in place: SQLCipher writes a copy under the new
key (`sqlcipher_export`) beside it, the copy is checked row by row against
the original, and only then does it take the original's name. The old file
is then overwritten with zeros before it is deleted, and so is its -wal, so
the plain text (or the old key's pages) does not linger in its place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from mutualaid_desktop import files
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store.connection import DatabaseKey, connect, is_encrypted, sqlite

Progress = Callable[[str, float], object]


def encrypt_in_place(path: Path, key: DatabaseKey, progress: Progress | None = None) -> None:
    """Encrypt the plain database at `path` with `key`."""
    path = Path(path)
    if is_encrypted(path):
        raise UserError(
            _("{name} is already encrypted; change its passphrase with `mutualaid rekey`.").format(
                name=path.name
            )
        )
    _rewrite(path, None, key, progress)


def change_key(
    path: Path, old: DatabaseKey, new: DatabaseKey, progress: Progress | None = None
) -> None:
    """Re-encrypt the database at `path` (opened by `old`) under `new`, with fresh salt."""
    path = Path(path)
    if not is_encrypted(path):
        raise UserError(
            _("{name} is not encrypted; encrypt it with `mutualaid encrypt` first.").format(
                name=path.name
            )
        )
    _rewrite(path, old, new, progress)


def _rewrite(
    path: Path, old: DatabaseKey | None, new: DatabaseKey, progress: Progress | None
) -> None:
    from mutualaid_desktop.store.store import _check_is_ours

    say = progress or (lambda _message, _fraction: None)
    _check_is_ours(path, old)  # ours, not newer than this program, and the key is right
    copy = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    source = connect(path, old)
    try:
        _take_sole_use(source, path)
        say("Writing an encrypted copy", 0.1)
        files.create_private(copy)
        try:
            source.execute("ATTACH DATABASE ? AS rewritten KEY ?", (str(copy), _attach_key(new)))
            source.execute("SELECT sqlcipher_export('rewritten')")
            version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA rewritten.user_version = {int(version)}")
            source.execute("DETACH DATABASE rewritten")
            say("Checking the copy against the original", 0.5)
            _verify(source, copy, new)
        except (sqlite.Error, OSError) as error:
            files.shred(copy)
            if "full" in str(error).lower() or getattr(error, "errno", None) == 28:
                raise UserError(
                    _(
                        "The disk is too full to write an encrypted copy of {name} "
                        "(it needs about {mb} MB free); nothing was changed."
                    ).format(name=path.name, mb=path.stat().st_size // 1_000_000 + 1)
                ) from None
            raise
        except BaseException:
            files.shred(copy)
            raise
    finally:
        source.close()
    say("Replacing the old file", 0.9)
    _swap(path, copy)
    say("Done", 1.0)


def _attach_key(key: DatabaseKey) -> str:
    return f"x'{key.key.hex()}{key.salt.hex()}'"


def _take_sole_use(conn: sqlite.Connection, path: Path) -> None:
    """Make sure nothing else has the file open, and wipe its -wal.

    Another program holding it open would go on writing to the old file after
    the swap; leaving WAL mode needs sole use, so it doubles as the check.
    """
    conn.execute("PRAGMA busy_timeout = 2000")
    busy = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
    wal = Path(f"{path}-wal")
    if busy and busy[0] == 0 and wal.exists():
        # Every frame is now in the database file and no reader uses the log:
        # its plain pages can be overwritten before SQLite deletes it.
        with open(wal, "r+b") as f:
            f.write(bytes(f.seek(0, os.SEEK_END)))
            f.flush()
            os.fsync(f.fileno())
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite.OperationalError:
        mode = "wal"
    if str(mode).lower() != "delete":
        raise UserError(
            _("{name} is open in another window or program: close it there and try again.").format(
                name=path.name
            )
        )


def _verify(source: sqlite.Connection, copy: Path, key: DatabaseKey) -> None:
    """The copy opens with the new key, passes SQLite's checks and holds the same rows."""
    check = connect(copy, key, read_only=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise UserError(
                _("The encrypted copy did not pass SQLite's check; nothing was changed.")
            )
        tables = [
            r[0]
            for r in source.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
            )
        ]
        copied = {
            r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in tables:
            if table not in copied or _digest(source, table) != _digest(check, table):
                raise UserError(
                    _(
                        "The encrypted copy differs from the original in {table}; "
                        "nothing was changed."
                    ).format(table=table)
                )
    finally:
        check.close()


def _digest(conn: sqlite.Connection, table: str) -> tuple[int, int]:
    """Row count and an order-free sum of row hashes (equal rows count twice)."""
    total = count = 0
    for row in conn.execute(f'SELECT * FROM "{table}"'):
        total += int.from_bytes(hashlib.blake2b(repr(row).encode(), digest_size=16).digest())
        count += 1
    return count, total % (1 << 128)


def _swap(path: Path, copy: Path) -> None:
    """Put `copy` in `path`'s place, then overwrite and delete the old file.

    The old file keeps a second name until the copy is in place, so at every
    moment one complete database answers to `path` or lies beside it.
    """
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
    try:
        os.link(path, aside)  # the same bytes under a second name
    except OSError:
        os.replace(path, aside)  # no hard links here (a FAT stick): a moment without `path`
    os.replace(copy, path)
    files.fsync_folder(path.parent)
    files.shred(aside)
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            files.shred(Path(f"{path}{suffix}"))
