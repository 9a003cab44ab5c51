"""The bundle file's outer layers: canonical JSON, signed, gzipped, age-encrypted.

What goes inside (rows, stamps, knowledge vectors) is the exporter's business;
this module only makes sure that a file on a USB stick says nothing to a
stranger, that it names who wrote it and cannot be altered unnoticed, and
that a damaged or hostile file is refused before anything reads its content.

Layers, outside in: age passphrase encryption (scrypt; the standard `age`
tool can open it in an emergency) -> gzip (so `age -d | gunzip` reads it
with standard tools) -> JSON {"body", "signature"},
where the signature is Ed25519 over the canonical JSON of the body.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.files import replace_atomically
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.identity import Identity, identity, sign
from mutualaid_desktop.sync.shared import canonical

FORMAT = "mutualaid-bundle"
FORMAT_VERSION = 1
AGE_HEADER = b"age-encryption.org/v1"
# A real group's full bundle is a few megabytes; these caps only stop a
# hostile or mistaken file (a disk image renamed .bundle) from eating memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024

WRONG_PASSPHRASE = "Wrong passphrase (or not a bundle for this group)."
DAMAGED = "File incomplete or damaged: copy it again."
NOT_A_BUNDLE = "This file is not a bundle: choose the .bundle file made by Export."
TOO_LARGE = "This file is too large to be a bundle; check that you picked the right file."


class BundleError(UserError):
    """A bundle that cannot be opened; the sentence says what to do."""


@dataclass(frozen=True)
class OpenedBundle:
    body: dict[str, Any]
    sender: Identity  # the key that signed it; trusting it is the importer's decision


def seal(store: Store, body: dict[str, Any], passphrase: str) -> bytes:
    """Sign `body` with this database's key and encrypt it with the group passphrase."""
    if not passphrase:
        raise BundleError("Type the group's sync passphrase.")
    me = identity(store)
    body = {
        **body,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode("ascii"),
    }
    signed = canonical(body)
    envelope = canonical(
        {"body": body, "signature": base64.b64encode(sign(store, signed)).decode("ascii")}
    )
    # mtime=0: the same body always makes the same compressed bytes.
    return pyrage.passphrase.encrypt(gzip.compress(envelope, 6, mtime=0), passphrase)


def open_sealed(data: bytes, passphrase: str) -> OpenedBundle:
    """Decrypt, decompress and verify; any failure is one BundleError sentence."""
    if len(data) > MAX_FILE_BYTES:
        raise BundleError(TOO_LARGE)
    if not data.startswith(AGE_HEADER):
        # A few bytes of a header are a cut-off copy; anything else is another file.
        raise BundleError(DAMAGED if AGE_HEADER.startswith(data[:21]) else NOT_A_BUNDLE)
    try:
        # pyrage returns only once every chunk has authenticated: a truncated
        # or altered file fails here, never half-way through an import.
        compressed = pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as exc:
        # age cannot tell a wrong passphrase from a damaged header; a damaged
        # payload after a good header says so in its message.
        raise BundleError(WRONG_PASSPHRASE if _is_key_failure(str(exc)) else DAMAGED) from exc
    envelope = _parse(_inflate(compressed))
    body, sender = _check_signature(envelope)
    if body.get("format") != FORMAT:
        raise BundleError(DAMAGED)
    if not isinstance(body.get("format_version"), int) or body["format_version"] > FORMAT_VERSION:
        raise BundleError(
            "This bundle was written by a newer Mutual Aid Desktop: update the program first."
        )
    return OpenedBundle(body=body, sender=sender)


def write_bundle(path: Path, data: bytes, passphrase: str) -> None:
    """Write so that a file at `path` is always a whole, readable bundle.

    The written copy is read back and decrypted before it replaces anything:
    only then may the organizer pull the stick out.
    """
    path = Path(path)
    try:
        replace_atomically(path, data, check=lambda tmp: open_sealed(tmp.read_bytes(), passphrase))
    except OSError as exc:
        raise BundleError(
            f"Could not write {path.name} ({exc.strerror or exc}): "
            "check that the stick is plugged in, not full and not read-only."
        ) from exc
    except BundleError:
        raise BundleError(
            f"{path.name} did not read back correctly: try another stick or folder."
        ) from None


def _is_key_failure(message: str) -> bool:
    # pyrage says "Decryption failed" for a wrong passphrase (and a garbled
    # stanza, which looks the same); a damaged payload is "decryption error".
    return message.strip().lower() in ("decryption failed", "no matching keys")


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)  # 31: gzip framing
    try:
        out = inflater.decompress(compressed, MAX_PAYLOAD_BYTES)
    except zlib.error as exc:
        raise BundleError(DAMAGED) from exc
    if inflater.unconsumed_tail:
        raise BundleError(TOO_LARGE)
    if not inflater.eof:
        raise BundleError(DAMAGED)
    return out


def _parse(envelope: bytes) -> dict[str, Any]:
    try:
        value = json.loads(envelope.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(DAMAGED) from exc
    if not isinstance(value, dict) or not isinstance(value.get("body"), dict):
        raise BundleError(DAMAGED)
    return value


def _check_signature(envelope: dict[str, Any]) -> tuple[dict[str, Any], Identity]:
    body = envelope["body"]
    try:
        signature = base64.b64decode(envelope["signature"], validate=True)
        key = base64.b64decode(body["sender_key"], validate=True)
        sender = Identity(str(body.get("sender_organizer", "")), key)
        valid = len(key) == 32 and sender.verify(signature, canonical(body))
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(DAMAGED) from exc
    if not valid:
        raise BundleError(DAMAGED)
    return body, sender
