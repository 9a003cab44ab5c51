"""The age file format (age-encryption.org/v1), passphrase recipients only.

Bundles are age files so that anyone can open one in an emergency with the
standard `age -d` tool. This module writes and reads them itself, on the
`cryptography` package's primitives, for three reasons the age bindings
(pyrage) could not meet:

- the scrypt work factor: rage picks it by timing the machine (2^18 to 2^22
  and beyond), and reading accepts up to 16 times that, so a file whose header
  asks for 2^22 cost 4 GB and half a minute before "wrong passphrase". Here
  every file is written at 2^18 (256 MB, about a second; what `age -p` writes)
  and a header asking for more is refused before any work;
- reading as a stream, chunk by chunk, so that nothing larger than the
  caller's caps is ever held;
- scrypt releases Python's lock here, so a window stays responsive while a
  background thread stretches the key.

Format: a text header ("age-encryption.org/v1", one "-> scrypt SALT LOG2N"
stanza wrapping a 16-byte file key with ChaCha20-Poly1305, "--- " and an
HMAC-SHA256 of the header), a 16-byte nonce, then the payload in 64 KiB
ChaCha20-Poly1305 chunks (STREAM), the last one flagged.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"age-encryption.org/v1"
WORK_FACTOR = 18  # log2 of scrypt's N: 2^18 x 1 KiB = 256 MiB, about a second
MAX_WORK_FACTOR = WORK_FACTOR  # never more than the program itself writes
_CHUNK = 64 * 1024
_TAG = 16
_SALT_LABEL = b"age-encryption.org/v1/scrypt"
_MAX_HEADER = 4096  # a scrypt header is under 200 bytes


class AgeError(Exception):
    """Why a file could not be opened: `kind` is one of the class constants."""

    NOT_AGE = "not age"  # no age header at all
    CUT = "cut"  # the start of an age header, then nothing
    OTHER_RECIPIENT = "other recipient"  # encrypted to a key, not with a passphrase
    TOO_COSTLY = "too costly"  # a work factor beyond what the program writes
    KEY = "key"  # the passphrase does not unwrap the file key (or the stanza is altered)
    DAMAGED = "damaged"  # the header or the payload does not authenticate

    def __init__(self, kind: str, work_factor: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.work_factor = work_factor


@dataclass(frozen=True)
class _Header:
    salt: bytes
    work_factor: int
    wrapped: bytes
    mac: bytes
    mac_input: bytes  # the header up to and including "---"
    end: int  # where the payload nonce starts


@dataclass(frozen=True)
class Prepared:
    """A file key wrapped for a passphrase, with the header that says so: the slow part
    of encrypting (key stretching), which needs no plaintext and can run beforehand."""

    file_key: bytes
    header: bytes


def prepare(passphrase: str) -> Prepared:
    """Stretch the passphrase and write the header (about a second; other threads run)."""
    file_key = os.urandom(16)
    salt = os.urandom(16)
    wrap_key = _scrypt(passphrase, salt, WORK_FACTOR)
    wrapped = ChaCha20Poly1305(wrap_key).encrypt(bytes(12), file_key, None)
    head = (
        MAGIC
        + b"\n-> scrypt "
        + _b64(salt)
        + b" "
        + str(WORK_FACTOR).encode()
        + b"\n"
        + _b64(wrapped)
        + b"\n---"
    )
    mac = hmac.new(_hkdf(file_key, b"", b"header"), head, sha256).digest()
    return Prepared(file_key, head + b" " + _b64(mac) + b"\n")


def encrypt(plaintext: bytes, passphrase: str, prepared: Prepared | None = None) -> bytes:
    """`plaintext` as an age file that opens with `passphrase` (work factor 2^18).

    `prepared`: the passphrase stretched beforehand (`prepare`), for a caller that
    did it while making the plaintext.
    """
    ready = prepared or prepare(passphrase)
    file_key = ready.file_key
    nonce = os.urandom(16)
    out = [ready.header, nonce]
    cipher = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    count = max(1, -(-len(plaintext) // _CHUNK))
    view = memoryview(plaintext)
    for i in range(count):
        chunk = bytes(view[i * _CHUNK : (i + 1) * _CHUNK])
        out.append(cipher.encrypt(_chunk_nonce(i, i == count - 1), chunk, None))
    return b"".join(out)


def work_factor(data: bytes) -> int:
    """The scrypt work factor (log2 N) an age file's header asks for; AgeError if none."""
    return _parse_header(data).work_factor


def opened(data: bytes, passphrase: str) -> PayloadReader:
    """Check the header, stretch the key once, and return a reader of the payload.

    A work factor above what the program writes is refused before any key
    stretching. The payload is read chunk by chunk, each authenticated before
    it is handed out; a cut or altered file raises AgeError at the chunk where
    it fails, so a caller must use nothing before the end.
    """
    header = _parse_header(data)
    if header.work_factor > MAX_WORK_FACTOR:
        raise AgeError(AgeError.TOO_COSTLY, header.work_factor)
    wrap_key = _scrypt(passphrase, header.salt, header.work_factor)
    try:
        file_key = ChaCha20Poly1305(wrap_key).decrypt(bytes(12), header.wrapped, None)
    except InvalidTag:
        raise AgeError(AgeError.KEY) from None
    expected = hmac.new(_hkdf(file_key, b"", b"header"), header.mac_input, sha256).digest()
    if not hmac.compare_digest(expected, header.mac):
        raise AgeError(AgeError.DAMAGED)
    return PayloadReader(data, header, file_key)


class PayloadReader:
    """The payload of an opened age file, readable chunk by chunk, as often as needed."""

    def __init__(self, data: bytes, header: _Header, file_key: bytes) -> None:
        self._data = data
        self._header = header
        self._file_key = file_key

    def chunks(self) -> Iterator[bytes]:
        return _payload(self._data, self._header, self._file_key)


def _payload(data: bytes, header: _Header, file_key: bytes) -> Iterator[bytes]:
    nonce = data[header.end : header.end + 16]
    if len(nonce) < 16:
        raise AgeError(AgeError.DAMAGED)
    cipher = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    at = header.end + 16
    size = _CHUNK + _TAG
    i = 0
    while True:
        piece = data[at : at + size]
        last = at + size >= len(data)
        if len(piece) < _TAG or (i > 0 and last and len(piece) == _TAG):
            raise AgeError(AgeError.DAMAGED)  # cut off, or an empty last chunk
        try:
            plain = cipher.decrypt(_chunk_nonce(i, last), piece, None)
        except InvalidTag:
            raise AgeError(AgeError.DAMAGED) from None
        yield plain
        if last:
            return
        at += size
        i += 1


# Recipient types other age tools write: a file for one of them is not a bundle.
_OTHER_RECIPIENTS = {b"X25519", b"ssh-ed25519", b"ssh-rsa", b"mlkem768x25519", b"piv-p256"}


def _parse_header(data: bytes) -> _Header:
    start = MAGIC + b"\n"
    if not data.startswith(start):
        if len(data) <= len(start) and start.startswith(data):
            raise AgeError(AgeError.CUT)
        differing = sum(a != b for a, b in zip(data[: len(start)], start, strict=False))
        # One altered byte of the first line is a damaged age file, not another kind of file.
        raise AgeError(AgeError.DAMAGED if differing <= 1 else AgeError.NOT_AGE)
    end = data.find(b"\n---", 0, _MAX_HEADER)
    line_end = data.find(b"\n", end + 4, _MAX_HEADER) if end >= 0 else -1
    if end < 0 or line_end < 0:
        raise AgeError(AgeError.CUT if len(data) < _MAX_HEADER else AgeError.DAMAGED)
    lines = data[len(MAGIC) + 1 : end].split(b"\n")
    stanza = lines[0].split(b" ") if lines else []
    if len(stanza) < 2 or stanza[0] != b"->":
        raise AgeError(AgeError.DAMAGED)
    if stanza[1] in _OTHER_RECIPIENTS:
        raise AgeError(AgeError.OTHER_RECIPIENT)
    if stanza[1] != b"scrypt":
        raise AgeError(AgeError.DAMAGED)
    if len(stanza) != 4 or len(lines) != 2 or data[end + 4 : end + 5] != b" ":
        raise AgeError(AgeError.DAMAGED)
    factor = stanza[3]
    if not factor.isdigit() or factor.startswith(b"0") or len(factor) > 2:
        raise AgeError(AgeError.DAMAGED)
    salt = _unb64(stanza[2], 16)
    wrapped = _unb64(lines[1], 32)
    mac = _unb64(data[end + 5 : line_end], 32)
    return _Header(salt, int(factor), wrapped, mac, data[: end + 4], line_end + 1)


def _scrypt(passphrase: str, salt: bytes, factor: int) -> bytes:
    kdf = Scrypt(salt=_SALT_LABEL + salt, length=32, n=2**factor, r=8, p=1)
    return kdf.derive(passphrase.encode("utf-8"))


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _chunk_nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes, size: int) -> bytes:
    """Strict unpadded base64 of exactly `size` bytes (a flipped bit rarely survives it)."""
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise AgeError(AgeError.DAMAGED) from None
    if len(raw) != size or _b64(raw) != text:
        raise AgeError(AgeError.DAMAGED)
    return raw
