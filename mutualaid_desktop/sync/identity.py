"""Each database's organizer identity: an Ed25519 key pair and its fingerprint.

The private key is made when the database is and never leaves it (the table
is device-local: bundles do not carry it). The fingerprint is short enough to
read aloud, so two organizers can compare it in person before one trusts the
other's bundles.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from mutualaid_desktop.store import Store


def new_key_pair() -> tuple[bytes, bytes]:
    """(private, public) raw 32-byte keys."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private, public


def fingerprint(public_key: bytes) -> str:
    """Eight groups of four letters and digits (base32 of a SHA-256), e.g. "MFRG-GZDF-…"."""
    digest = hashlib.sha256(b"mutualaid-desktop identity\x00" + public_key).digest()[:20]
    return in_groups_of_four(base64.b32encode(digest).decode("ascii"))


def in_groups_of_four(text: str) -> str:
    """The first 32 characters as eight dash-separated groups, easy to read aloud."""
    return "-".join(text[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class Identity:
    organizer: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def verify(self, signature: bytes, data: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, data)
        except InvalidSignature:
            return False
        return True


def identity(store: Store) -> Identity:
    row = store.conn.execute("SELECT public_key FROM identity WHERE id = 1").fetchone()
    if row is None:
        raise RuntimeError("this database has no identity (schema not upgraded?)")
    return Identity(store.organizer, bytes(row[0]))


def sign(store: Store, data: bytes) -> bytes:
    """Sign with this database's private key (which never leaves the database)."""
    row = store.conn.execute("SELECT private_key FROM identity WHERE id = 1").fetchone()
    return Ed25519PrivateKey.from_private_bytes(bytes(row[0])).sign(data)
