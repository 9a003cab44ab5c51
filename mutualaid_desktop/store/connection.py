"""Every connection to a database: SQLCipher's SQLite underneath, keyed when the file is encrypted.

This is the one place that opens connections: the store, its read-only
check, background jobs, sync, backups and the benchmarks all come here, so
an encrypted file opens the same way everywhere.

The key is stretched from the passphrase once (PBKDF2-HMAC-SHA512, 256,000
rounds, with the 16 random bytes of salt SQLCipher keeps at the start of the
file), then handed to SQLCipher as a raw key. Those are SQLCipher 4's own
settings, so the `sqlcipher` shell opens the file with the passphrase alone;
and a second connection (the read-only check, a background job) costs no
second quarter of a second of key stretching.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mutualaid_desktop import files
from mutualaid_desktop.errors import PassphraseRequired, UserError, WrongPassphrase
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store.paths import sqlite_uri

if TYPE_CHECKING:
    # The same DB-API as the standard library's module, which carries the types.
    import sqlite3 as sqlite
else:
    from sqlcipher3 import dbapi2 as sqlite

__all__ = [
    "DatabaseKey",
    "check_passphrase",
    "connect",
    "copy_plain_into",
    "is_encrypted",
    "sqlite",
]

Connection = sqlite.Connection

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_ROUNDS = 256_000  # SQLCipher 4's default
MIN_PAGE = 512
ENCRYPTED_CACHE_KIB = 65_536


@dataclass(frozen=True)
class DatabaseKey:
    """The key of one encrypted database file: stretched from its passphrase and the file's salt.

    Its repr shows neither, so a key never reaches a log or a traceback.
    """

    key: bytes = field(repr=False)
    salt: bytes = field(repr=False)

    @classmethod
    def new(cls, passphrase: str) -> DatabaseKey:
        """A key for a new file, with fresh salt."""
        return cls.derive(passphrase, os.urandom(SALT_BYTES))

    @classmethod
    def for_file(cls, path: Path, passphrase: str) -> DatabaseKey:
        """The key `passphrase` gives for the encrypted file at `path` (right or wrong)."""
        return cls.derive(passphrase, read_salt(path))

    @classmethod
    def derive(cls, passphrase: str, salt: bytes) -> DatabaseKey:
        if not passphrase:
            raise UserError(_("The passphrase is empty; type the database's passphrase."))
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

        kdf = PBKDF2HMAC(hashes.SHA512(), KEY_BYTES, salt, KDF_ROUNDS)
        return cls(kdf.derive(passphrase.encode("utf-8")), salt)

    def matches(self, passphrase: str) -> bool:
        """Whether `passphrase` is the one this key was made from (the lock screen's check)."""
        if not passphrase:
            return False
        return hmac.compare_digest(DatabaseKey.derive(passphrase, self.salt).key, self.key)

    def pragma(self) -> str:
        # SQLCipher's raw key with explicit salt: x'<64 hex key><32 hex salt>'.
        return f"\"x'{self.key.hex()}{self.salt.hex()}'\""


def is_encrypted(path: Path) -> bool:
    """Whether the file at `path` looks like an SQLCipher database (no SQLite header).

    A plain database starts with "SQLite format 3"; an encrypted one with its salt,
    and it is whole pages long. An empty or missing file is neither: False.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return size >= MIN_PAGE and size % MIN_PAGE == 0 and head != SQLITE_HEADER


def read_salt(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            salt = f.read(SALT_BYTES)
    except OSError as error:
        raise UserError(
            _("{path} cannot be read: {why}.").format(path=path, why=error.strerror)
        ) from None
    if len(salt) < SALT_BYTES:
        raise UserError(_("{path} is not a database file (or it is damaged).").format(path=path))
    return salt


def connect(
    path: Path | None,
    key: DatabaseKey | None = None,
    *,
    read_only: bool = False,
    leave_no_trace: bool = False,
) -> sqlite.Connection:
    """A connection to the database at `path` (None: in memory), keyed with `key` if given.

    A new file is created 0600 (SQLite gives its -wal and -shm the same mode).
    With a key, the first page is read at once, so a wrong key is a
    WrongPassphrase here rather than a puzzling error at the first query.

    `read_only` never writes to the file: a WAL database in a folder that
    cannot be written has no -shm to share, so nobody can be writing to it and
    it is read as it stands (immutable). `leave_no_trace` reads a file without
    a -wal beside it that way at once, so that looking at a damaged file
    leaves no -wal or -shm behind.
    """
    if path is None:
        return _keyed(sqlite.connect(":memory:"), key, None)
    if not read_only:
        files.create_private(path)
        return _keyed(sqlite.connect(str(path)), key, path)
    if leave_no_trace and not Path(f"{path}-wal").exists():
        return _keyed(_connect_uri(path, mode="ro", immutable="1"), key, path)
    conn = _keyed(_connect_uri(path, mode="ro"), key, path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite.OperationalError:
        conn.close()
        conn = _keyed(_connect_uri(path, mode="ro", immutable="1"), key, path)
    return conn


def _connect_uri(path: Path, **params: str) -> sqlite.Connection:
    return sqlite.connect(sqlite_uri(path, **params), uri=True)


_NOT_A_DATABASE = 26  # SQLITE_NOTADB: what SQLCipher says when a page fails its check


def _keyed(
    conn: sqlite.Connection, key: DatabaseKey | None, path: Path | None
) -> sqlite.Connection:
    # SQLCipher writes its own complaints (a failed page check) to stderr; the
    # program says what went wrong in one sentence instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    # What a delete or an update frees is overwritten with zeros, so an erased value
    # (a purge) is not left in the file's free space for anyone to read.
    conn.execute("PRAGMA secure_delete = ON")
    if key is None:
        return conn
    conn.execute(f"PRAGMA key = {key.pragma()}")
    try:
        # SQLCipher 4's page format, whatever later releases choose as their default.
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF != _NOT_A_DATABASE:
            # Locked, unreadable, a read-only folder's missing -shm: not the passphrase.
            if isinstance(error, sqlite.OperationalError):
                return conn
            conn.close()
            raise
        conn.close()
        name = path.name if path is not None else _("the database")
        raise WrongPassphrase(
            _("That passphrase does not open {name}; check it and try again.").format(name=name)
        ) from None
    # A page read again costs a decryption, not just a copy from the system's file
    # cache: keep up to 64 MB of decrypted pages (search's p95 drops by half).
    conn.execute(f"PRAGMA cache_size = {-ENCRYPTED_CACHE_KIB}")
    return conn


def copy_plain_into(conn: sqlite.Connection, source: Path) -> None:
    """Copy the unencrypted database at `source` into the (empty, keyed) database of `conn`.

    SQLite's backup API cannot cross between a plain and an encrypted file;
    SQLCipher's `sqlcipher_export` can.
    """
    conn.execute("ATTACH DATABASE ? AS plain_source KEY ''", (str(source),))
    try:
        conn.execute("SELECT sqlcipher_export('main', 'plain_source')")
        version = conn.execute("PRAGMA plain_source.user_version").fetchone()[0]
        conn.execute(f"PRAGMA main.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE plain_source")


def check_passphrase(path: Path, key: DatabaseKey | None) -> None:
    """Refuse to go on without a key for an encrypted file (one sentence, no traceback)."""
    if key is None and is_encrypted(path):
        raise PassphraseRequired(
            _(
                "{name} is encrypted: give its passphrase "
                "(on the command line, --passphrase-file F or type it when asked)."
            ).format(name=path.name)
        )
