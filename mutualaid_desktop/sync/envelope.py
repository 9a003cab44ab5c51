"""The bundle file's outer layers: canonical JSON, signed, gzipped, age-encrypted.

What goes inside (rows, stamps, knowledge vectors) is the exporter's business;
this module only makes sure that a file on a USB stick says nothing to a
stranger, that it names who wrote it and cannot be altered unnoticed, and
that a damaged or hostile file is refused before anything reads its content.

Layers, outside in: age passphrase encryption (scrypt; the standard `age`
tool can open it in an emergency) -> gzip (so `age -d | gunzip` reads it
with standard tools) -> one header line of JSON (format, sender, signature)
and the body's JSON after it. The signature is Ed25519 over the header
without its signature, a newline, and the body's bytes.
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
from mutualaid_desktop.sync import age_worker
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


class WrongPassphrase(BundleError):
    """The passphrase does not open the file: the one mistake worth asking again about."""

    def __init__(self) -> None:
        super().__init__(WRONG_PASSPHRASE)


@dataclass(frozen=True)
class OpenedBundle:
    body: dict[str, Any]
    sender: Identity  # the key that signed it; trusting it is the importer's decision


def seal(store: Store, body: dict[str, Any], passphrase: str) -> bytes:
    """Sign `body` with this database's key and encrypt it with the group passphrase."""
    if not passphrase:
        raise BundleError("Type the group's sync passphrase.")
    me = identity(store)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode("ascii"),
    }
    # The body is signed as the bytes it is sent as: checking the signature
    # needs no second serialisation of a 60 MB structure.
    body_bytes = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    signed = canonical(header) + b"\n" + body_bytes
    signature = base64.b64encode(sign(store, signed)).decode("ascii")
    payload = canonical({**header, "signature": signature}) + b"\n" + body_bytes
    # mtime=0: the same body always makes the same compressed bytes. Level 1:
    # level 6 is 10% smaller and takes three times as long on a full bundle.
    return age_worker.run("encrypt", gzip.compress(payload, 1, mtime=0), passphrase)


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
        compressed = age_worker.run("decrypt", data, passphrase)
    except pyrage.DecryptError as exc:
        # age cannot tell a wrong passphrase from a damaged header; a damaged
        # payload after a good header says so in its message.
        if _is_key_failure(str(exc)):
            raise WrongPassphrase from exc
        raise BundleError(DAMAGED) from exc
    payload = _inflate(compressed)
    header_bytes, _, body_bytes = payload.partition(b"\n")
    header = _parse(header_bytes)
    if header.get("format") != FORMAT:
        raise BundleError(DAMAGED)
    version = header.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BundleError(
            "This bundle was written by a newer Mutual Aid Desktop: update the program first."
        )
    sender = _check_signature(header, body_bytes)
    return OpenedBundle(body=_parse(body_bytes), sender=sender)


def write_bundle(path: Path, data: bytes) -> None:
    """Write so that a file at `path` is always a whole, readable bundle.

    The written copy is read back and compared byte for byte before it
    replaces anything: only then may the organizer pull the stick out. (The
    bytes were made and can be opened in memory; comparing what the stick
    returns costs milliseconds, where decrypting again would pay the
    passphrase's key stretching a second time.)
    """
    path = Path(path)

    def same_bytes(tmp: Path) -> None:
        _drop_cached(tmp)
        if tmp.read_bytes() != data:
            raise BundleError(DAMAGED)

    try:
        replace_atomically(path, data, check=same_bytes)
    except OSError as exc:
        raise BundleError(
            f"Could not write {path.name} ({exc.strerror or exc}): "
            "check that the stick is plugged in, not full and not read-only."
        ) from exc
    except BundleError:
        raise BundleError(
            f"{path.name} did not read back correctly: try another stick or folder."
        ) from None


def _drop_cached(path: Path) -> None:
    # Ask the OS to forget its cached copy, so the read-back comes from the
    # stick itself where the platform allows it.
    import os

    if hasattr(os, "posix_fadvise"):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


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


def _parse(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(DAMAGED) from exc
    if not isinstance(value, dict):
        raise BundleError(DAMAGED)
    return value


def _check_signature(header: dict[str, Any], body_bytes: bytes) -> Identity:
    unsigned = {k: v for k, v in header.items() if k != "signature"}
    try:
        signature = base64.b64decode(header["signature"], validate=True)
        key = base64.b64decode(header["sender_key"], validate=True)
        sender = Identity(str(header.get("sender_organizer", "")), key)
        valid = len(key) == 32 and sender.verify(
            signature, canonical(unsigned) + b"\n" + body_bytes
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(DAMAGED) from exc
    if not valid:
        raise BundleError(DAMAGED)
    return sender
