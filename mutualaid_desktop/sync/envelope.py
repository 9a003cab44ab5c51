"""The bundle file's outer layers: canonical JSON, signed, gzipped, age-encrypted.

What goes inside (rows, stamps, knowledge vectors) is the exporter's business;
this module only makes sure that a file on a USB stick says nothing to a
stranger, that it names who wrote it and cannot be altered unnoticed, and
that a damaged or hostile file is refused before anything reads its content,
at a bounded cost (SYNC.md, Import 1-3).

Layers, outside in: age passphrase encryption (sync/age.py; the standard
`age` tool can open it in an emergency) -> gzip (so `age -d | gunzip` reads
it with standard tools) -> one header line of JSON (format, sender, the
body's SHA-256 and length, signature) and the body's JSON after it. The
signature is Ed25519 over the header without its signature, so it is checked
against a hash of the body before the body is parsed.

Reading costs at most: the key stretching the program itself writes (2^18,
256 MB, about a second), and memory for the file (64 MB at most) plus the
body, which is held only once its signature checks out (smaller bodies are
kept while being hashed; larger ones are inflated a second time).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.files import replace_atomically
from mutualaid_desktop.i18n import N_, _
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync import age
from mutualaid_desktop.sync.identity import Identity, identity, sign
from mutualaid_desktop.sync.memory import collector_paused
from mutualaid_desktop.sync.shared import canonical

FORMAT = "mutualaid-bundle"
FORMAT_VERSION = 2  # 2: the signature covers the header, which holds the body's hash
# Caps derived from the largest real bundle, the 20,000-household demo: 15 MB on
# the stick, 47 MB of JSON inside (3.2 bytes of JSON per byte of file). A file
# four times that size, or JSON twenty times the file it came from, is not a
# bundle this program wrote; refusing it costs a read of the header.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
MAX_RATIO = 20
MAX_HEADER_BYTES = 64 * 1024
MAX_DEPTH = 12  # a body nests 7 deep: body, tables, table, rows, row, stamps, stamp
_KEEP_WHILE_HASHING = MAX_FILE_BYTES  # a full 20,000-household body (47 MB) is kept

WRONG_PASSPHRASE = N_(
    "Wrong passphrase (or not a bundle for this group). If you are sure of the passphrase, "
    "the beginning of the file is damaged: copy it again."
)
DAMAGED = N_("File incomplete or damaged: copy it again.")
NOT_A_BUNDLE = N_("This file is not a bundle: choose the .bundle file made by Export.")
NOT_OURS = N_(
    "This file was encrypted with age, but what is inside is not a Mutual Aid Desktop "
    "bundle: choose the .bundle file made by Export."
)
OTHER_RECIPIENT = N_(
    "This file is encrypted for someone's key, not with a passphrase, so it is not a "
    "bundle: choose the .bundle file made by Export."
)
TOO_LARGE = N_("This file is too large to be a bundle; check that you picked the right file.")
UNSIGNED = N_(
    "This bundle is not signed, so there is no telling who wrote it: it was not imported. "
    "Ask the sender to write it again with Mutual Aid Desktop."
)
ALTERED = N_(
    "This bundle's signature does not match what it holds: it was changed after it was "
    "signed, so it was not imported. Ask the sender in person for a new bundle."
)
# Versions: a bundle says its format (FORMAT_VERSION) and the sender's schema; each
# program reads its own format and any schema up to its own (sync/README.md).
OLDER = N_(
    "This bundle was written by an older version of Mutual Aid Desktop, which this one "
    "cannot read: ask the sender to update the program and write a new bundle. Nothing was "
    "changed."
)
NEWER = N_(
    "This bundle was written by a newer version of Mutual Aid Desktop: update the program "
    "on this laptop, then import the bundle again. Nothing was changed."
)
# The most key stretching the age library of earlier versions chose by itself (it
# timed the machine): a file asking for more was not written by any version.
_EARLIER_WORK_FACTORS = 22


class BundleError(UserError):
    """A bundle that cannot be opened; the sentence says what to do."""

    def __init__(self, message: str) -> None:
        # The sentences above are marked where defined and put in words when raised
        # (a sentence already in words, or one the catalog lacks, stays as it is).
        super().__init__(_(message))


class WrongPassphrase(BundleError):
    """The passphrase does not open the file: the one mistake worth asking again about."""

    def __init__(self) -> None:
        super().__init__(WRONG_PASSPHRASE)


def too_costly(factor: int) -> str:
    if factor <= _EARLIER_WORK_FACTORS:
        return _(
            "This file asks for more key stretching (2^{factor}) than this version of Mutual "
            "Aid Desktop allows (2^{allowed}), so it was not opened: either an older version "
            "wrote it (ask the sender to update the program and write a new bundle) or it is "
            "damaged (copy it again). Nothing was changed."
        ).format(factor=factor, allowed=age.MAX_WORK_FACTOR)
    return _(
        "This file asks for far more key stretching (2^{factor}) than Mutual Aid Desktop ever "
        "uses (2^{allowed}), so it was not opened: it is damaged, or it was not written by "
        "Mutual Aid Desktop. Copy it again, or ask the sender for a new bundle. Nothing was "
        "changed."
    ).format(factor=factor, allowed=age.MAX_WORK_FACTOR)


@dataclass(frozen=True)
class OpenedBundle:
    body: dict[str, Any]
    sender: Identity  # the key that signed it; trusting it is the importer's decision


def seal(
    store: Store, body: dict[str, Any], passphrase: str, prepared: age.Prepared | None = None
) -> bytes:
    """Sign `body` with this database's key and encrypt it with the group passphrase
    (`prepared`: the passphrase already stretched, see age.prepare)."""
    if not passphrase:
        raise BundleError(_("Type the group's sync passphrase."))
    me = identity(store)
    # orjson: the same compact UTF-8 JSON as the standard library's, ten times as fast
    # on a full bundle's 47 MB.
    body_bytes = orjson.dumps(body)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode("ascii"),
        "body_sha256": hashlib.sha256(body_bytes).hexdigest(),
        "body_bytes": len(body_bytes),
    }
    signature = base64.b64encode(sign(store, canonical(header))).decode("ascii")
    payload = canonical({**header, "signature": signature}) + b"\n" + body_bytes
    # mtime=0: the same body always makes the same compressed bytes. Level 1:
    # level 6 is 10% smaller and takes three times as long on a full bundle.
    return age.encrypt(gzip.compress(payload, 1, mtime=0), passphrase, prepared)


def open_sealed(data: bytes, passphrase: str) -> OpenedBundle:
    """Decrypt, decompress and verify; any failure is one BundleError sentence."""
    if len(data) > MAX_FILE_BYTES:
        raise BundleError(TOO_LARGE)
    cap = min(MAX_PAYLOAD_BYTES, MAX_RATIO * len(data) + MAX_HEADER_BYTES)
    try:
        reader = age.opened(data, passphrase)
        # First pass: the header, and the body's hash and length; the body is
        # kept only while small, so an unsigned giant costs no memory.
        header, body_hash, size, kept = _first_pass(reader, cap)
        sender = _check_signature(header)
        if body_hash != header.get("body_sha256") or size != header.get("body_bytes"):
            raise BundleError(ALTERED)
        body_bytes = kept if kept is not None else _body_again(reader, size)
    except age.AgeError as exc:
        raise BundleError(_sentence(exc)) from None
    return OpenedBundle(body=_parse_body(body_bytes), sender=sender)


def _sentence(exc: age.AgeError) -> str:
    if exc.kind == age.AgeError.KEY:
        raise WrongPassphrase from None
    return {
        age.AgeError.NOT_AGE: NOT_A_BUNDLE,
        age.AgeError.OTHER_RECIPIENT: OTHER_RECIPIENT,
        age.AgeError.TOO_COSTLY: too_costly(exc.work_factor),
    }.get(exc.kind, DAMAGED)


def _inflated(reader: age.PayloadReader, cap: int) -> Iterator[bytes]:
    """The gzip layer, inflated as a stream: never more than `cap` bytes in all."""
    inflater = zlib.decompressobj(wbits=31)  # 31: gzip framing
    total = 0
    started = False
    try:
        for chunk in reader.chunks():
            pending = chunk
            while pending:
                if inflater.eof:
                    raise BundleError(DAMAGED)  # bytes after the end of the gzip stream
                out = inflater.decompress(pending, 1024 * 1024)
                started = True
                total += len(out)
                if total > cap:
                    raise BundleError(TOO_LARGE)
                if out:
                    yield out
                pending = inflater.unconsumed_tail or inflater.unused_data
    except zlib.error:
        raise BundleError(DAMAGED if started and total else NOT_OURS) from None
    if not inflater.eof:
        raise BundleError(DAMAGED)


def _first_pass(
    reader: age.PayloadReader, cap: int
) -> tuple[dict[str, Any], str, int, bytes | None]:
    digest = hashlib.sha256()
    head = bytearray()
    header: dict[str, Any] | None = None
    size = 0
    kept: list[bytes] | None = []
    for piece in _inflated(reader, cap):
        if header is None:
            head += piece
            newline = head.find(b"\n")
            if newline < 0:
                if len(head) > MAX_HEADER_BYTES:
                    raise BundleError(NOT_OURS)
                continue
            header = _header(bytes(head[:newline]))
            piece = bytes(head[newline + 1 :])
        digest.update(piece)
        size += len(piece)
        if kept is not None:
            kept.append(piece)
            if size > _KEEP_WHILE_HASHING:
                kept = None
    if header is None:
        raise BundleError(NOT_OURS if size == 0 and head else DAMAGED)
    return header, digest.hexdigest(), size, (b"".join(kept) if kept is not None else None)


def _body_again(reader: age.PayloadReader, size: int) -> bytes:
    """The body, inflated a second time now that its signature checks out."""
    out = bytearray()
    in_header = True
    for piece in _inflated(reader, MAX_PAYLOAD_BYTES):
        if in_header:
            newline = piece.find(b"\n")
            if newline < 0:
                continue
            in_header = False
            piece = piece[newline + 1 :]
        out += piece
    if len(out) != size:
        raise BundleError(DAMAGED)
    return bytes(out)


def _header(line: bytes) -> dict[str, Any]:
    try:
        header = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(NOT_OURS) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BundleError(NOT_OURS)
    version = header.get("format_version")
    if not isinstance(version, int):
        raise BundleError(NOT_OURS)
    if version > FORMAT_VERSION:
        raise BundleError(_(NEWER))
    if version < FORMAT_VERSION:
        raise BundleError(_(OLDER))
    return header


def _check_signature(header: dict[str, Any]) -> Identity:
    if not header.get("signature"):
        raise BundleError(UNSIGNED)
    unsigned = {k: v for k, v in header.items() if k != "signature"}
    try:
        signature = base64.b64decode(header["signature"], validate=True)
        key = base64.b64decode(header["sender_key"], validate=True)
        sender = Identity(str(header.get("sender_organizer", "")), key)
        valid = len(key) == 32 and sender.verify(signature, canonical(unsigned))
    except (KeyError, TypeError, ValueError):
        raise BundleError(ALTERED) from None
    if not valid:
        raise BundleError(ALTERED)
    return sender


# What is left of a JSON text once escapes are gone: quotes and brackets.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')
_SQUARE = bytes.maketrans(b"{}", b"[]")


def nesting_deeper_than(data: bytes, limit: int) -> bool:
    """Whether the JSON text `data` nests more than `limit` levels (or is unbalanced).

    Measured at C speed, without parsing: escaped backslashes and then escaped
    quotes go first, so that the quotes left pair up as strings; then all but
    quotes and brackets. A string is then its quotes around the brackets it
    held: nearly all are empty, and a pair of adjacent quotes (an empty string,
    or the end of one and the start of the next) can go without changing what
    lies inside a string; the few left go with a regex over a small remainder.
    """
    text = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    text = text.translate(None, delete=_NOT_STRUCTURE).replace(b'""', b"")
    brackets = _STRING.sub(b"", text).translate(_SQUARE, delete=b'"')
    for _level in range(limit):
        inner = brackets.replace(b"[]", b"")
        if not inner:
            return False
        if inner == brackets:
            return True  # brackets that never close: not JSON at all
        brackets = inner
    return True


def _parse_body(data: bytes) -> dict[str, Any]:
    if nesting_deeper_than(data, MAX_DEPTH):
        raise BundleError(NOT_OURS)
    try:
        with collector_paused():
            value = orjson.loads(data)  # UTF-8 checked on the way
    except orjson.JSONDecodeError:
        raise BundleError(NOT_OURS) from None
    if not isinstance(value, dict):
        raise BundleError(NOT_OURS)
    return value


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
            _(
                "Could not write {name} ({problem}): check that the stick is plugged in, "
                "not full and not read-only."
            ).format(name=path.name, problem=exc.strerror or exc)
        ) from exc
    except BundleError:
        raise BundleError(
            _("{name} did not read back correctly: try another stick or folder.").format(
                name=path.name
            )
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
