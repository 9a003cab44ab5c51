"""The bundle file on the stick: unreadable to a finder, refused whole when damaged."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import zlib
from pathlib import Path

import pyrage
import pytest

from mutualaid_desktop.store import Store
from mutualaid_desktop.sync import age, envelope
from mutualaid_desktop.sync.envelope import (
    ALTERED,
    DAMAGED,
    NEWER,
    NOT_A_BUNDLE,
    NOT_OURS,
    OTHER_RECIPIENT,
    TOO_LARGE,
    UNSIGNED,
    WRONG_PASSPHRASE,
    BundleError,
    open_sealed,
    seal,
    write_bundle,
)
from mutualaid_desktop.sync.identity import identity, sign
from mutualaid_desktop.sync.shared import canonical

PASS = "correct horse battery staple"
# Each seal or open runs scrypt (about a second), so the tests share one big
# bundle and try a sample of cuts and flips, not every byte.


@pytest.fixture(scope="module")
def store() -> Store:
    return Store.create(None, organizer="Rosa Díaz")


@pytest.fixture(scope="module")
def big(store: Store) -> bytes:
    return seal(store, body(600_000), PASS)


def body(size: int = 0) -> dict[str, object]:
    rng = random.Random(7)
    # Random hex barely compresses, so the file really spans several 64 KiB chunks.
    filler = [rng.randbytes(32).hex() for _ in range(size // 64)]
    return {
        "group": "eastside-group-1",
        "rows": [{"name": "María Ñúñez", "address": "12 Elm St"}],
        "f": filler,
    }


def refusal(data: bytes, passphrase: str = PASS) -> str:
    with pytest.raises(BundleError) as caught:
        open_sealed(data, passphrase)
    return caught.value.message


def test_round_trip_names_the_signer(store: Store, big: bytes) -> None:
    opened = open_sealed(big, PASS)
    assert opened.body["rows"] == [{"name": "María Ñúñez", "address": "12 Elm St"}]
    assert opened.sender.fingerprint == identity(store).fingerprint
    assert opened.sender.organizer == "Rosa Díaz"


def test_a_finder_learns_nothing(big: bytes) -> None:
    data = big
    assert data.startswith(b"age-encryption.org/v1\n-> scrypt ")
    # Needles long enough that random ciphertext cannot hold them by chance
    # (a 3-byte one turns up in 600 KB of it about once in 28 runs).
    for secret in ("María Ñúñez", "12 Elm St", "Rosa Díaz", "eastside-group-1"):
        assert secret.encode() not in data
    assert refusal(data, "correct horse battery stapler") == WRONG_PASSPHRASE


def test_an_empty_passphrase_is_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(BundleError, match="passphrase"):
        seal(store, body(), "")


def test_cut_off_copies_are_refused_at_every_chunk_boundary(big: bytes) -> None:
    data = big
    assert len(data) > 4 * 65536
    header = data.index(b"\n---") + 48
    cuts = [*range(0, len(data), 65536), 10, header - 5, len(data) - 1]
    cuts += random.Random(1).sample(range(header, len(data)), 2)
    for cut in cuts:
        # Past the header a cut can only be damage, never a passphrase problem.
        assert refusal(data[:cut]) == DAMAGED, cut


def test_flipped_bits_are_refused(big: bytes) -> None:
    data = big
    rng = random.Random(3)
    for position in [0, 30, 100, *rng.sample(range(len(data)), 4)]:
        flipped = bytearray(data)
        flipped[position] ^= 1 << rng.randrange(8)
        message = refusal(bytes(flipped))
        assert message in (DAMAGED, WRONG_PASSPHRASE) or "damaged" in message, position


def test_a_flipped_bit_in_the_age_header_gets_the_sentence_that_is_true(big: bytes) -> None:
    header_end = big.index(b"\n---") + 4
    stanza = big.index(b"-> scrypt ")
    salt = stanza + len("-> scrypt ") + 3
    wrapped = big.index(b"\n", stanza) + 5
    mac = header_end + 6

    def flip(position: int, bit: int = 1) -> str:
        flipped = bytearray(big)
        flipped[position] ^= bit
        return refusal(bytes(flipped))

    def still_base64(position: int) -> int:
        """A bit whose flip leaves a valid base64 letter: only the key can notice it."""
        alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return next(1 << b for b in range(7) if big[position] ^ (1 << b) in alphabet)

    # Where the header's own authentication or syntax catches it: damage, nothing else.
    assert flip(3) == DAMAGED  # "age-encryption.org" itself
    assert flip(stanza + 5) == DAMAGED  # "scrypt"
    assert flip(mac) == DAMAGED  # the header's MAC
    # Where only the passphrase could tell: the sentence names both possibilities.
    for position in (salt, wrapped):
        message = flip(position, still_base64(position))
        assert "Wrong passphrase" in message and "damaged" in message


def test_someone_with_the_passphrase_cannot_alter_a_bundle_unnoticed(store: Store) -> None:
    plain = gzip.decompress(pyrage.passphrase.decrypt(seal(store, body(), PASS), PASS))
    header, _, text = plain.partition(b"\n")
    altered = json.loads(text)
    altered["rows"][0]["address"] = "99 Other Rd"
    forged = age.encrypt(gzip.compress(header + b"\n" + canonical(altered)), PASS)
    assert refusal(forged) == ALTERED


def sealed_raw(store: Store, body_bytes: bytes, **header: object) -> bytes:
    """A bundle whose body is `body_bytes` as given, signed unless signature=''."""
    me = identity(store)
    fields = {
        "format": "mutualaid-bundle",
        "format_version": envelope.FORMAT_VERSION,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode(),
        "body_sha256": hashlib.sha256(body_bytes).hexdigest(),
        "body_bytes": len(body_bytes),
    }
    fields.update(header)
    signature = header.get("signature")
    if signature is None:
        signature = base64.b64encode(sign(store, canonical(fields))).decode()
    fields["signature"] = signature
    return age.encrypt(gzip.compress(canonical(fields) + b"\n" + body_bytes), PASS)


def test_a_newer_format_asks_for_an_update(store: Store) -> None:
    newer = sealed_raw(store, canonical({"rows": []}), format_version=99)
    assert refusal(newer) == NEWER


def test_an_unsigned_bundle_is_called_unsigned(store: Store) -> None:
    assert refusal(sealed_raw(store, canonical({"rows": []}), signature="")) == UNSIGNED


def test_a_file_made_with_age_by_hand_is_said_to_be_no_bundle(store: Store) -> None:
    # What `age -p notes.txt` writes (work factor 2^18), and a gzipped JSON file.
    assert refusal(age.encrypt(b"Volunteer phone tree, do not share\n", PASS)) == NOT_OURS
    assert refusal(age.encrypt(gzip.compress(b'{"rows": []}\n{}'), PASS)) == NOT_OURS
    other = big_header_for("X25519")
    assert refusal(other) == OTHER_RECIPIENT


def big_header_for(recipient: str) -> bytes:
    return (
        b"age-encryption.org/v1\n-> " + recipient.encode() + b" c2FsdHNhbHRzYWx0c2FsdA\n"
        b"AAAA\n--- " + b"A" * 43 + b"\n" + bytes(40)
    )


def test_pyrage_and_the_age_format_agree(store: Store, big: bytes) -> None:
    assert pyrage.passphrase.decrypt(big, PASS).startswith(b"\x1f\x8b")  # gzip inside
    assert age.work_factor(big) == age.WORK_FACTOR


def test_a_raised_work_factor_is_refused_before_any_key_stretching(big: bytes) -> None:
    costly = big.replace(b" 18\n", b" 22\n", 1)
    assert age.work_factor(costly) == 22
    message = refusal(costly)
    assert "2^22" in message and "not opened" in message


def test_a_small_file_that_inflates_to_a_gigabyte_is_refused(store: Store) -> None:
    squeeze = zlib.compressobj(9, wbits=31)
    zeros = bytes(1024 * 1024)
    head = canonical({"format": "mutualaid-bundle", "format_version": 2}) + b"\n"
    inner = b"".join(
        [squeeze.compress(head), *(squeeze.compress(zeros) for _ in range(1024)), squeeze.flush()]
    )
    bomb = age.encrypt(inner, PASS)
    assert len(bomb) < 1_100_000  # about 1 MB on the stick, 1 GB inside
    assert refusal(bomb) == TOO_LARGE


def test_deep_nesting_is_refused_without_recursion(store: Store) -> None:
    # Random filler keeps the file large enough that the size caps do not step in first.
    filler = random.Random(5).randbytes(200_000).hex().encode()
    deep = b'{"f":"' + filler + b'","rows":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert refusal(sealed_raw(store, deep)) == NOT_OURS


def test_other_files_and_bombs_are_refused(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert refusal(b"%PDF-1.7\n...") == NOT_A_BUNDLE
    assert refusal(b"") == DAMAGED
    monkeypatch.setattr(envelope, "MAX_PAYLOAD_BYTES", 1_000_000)
    bomb = age.encrypt(gzip.compress(b"0" * 2_000_000), PASS)
    assert len(bomb) < 10_000
    assert refusal(bomb) == TOO_LARGE
    monkeypatch.setattr(envelope, "MAX_FILE_BYTES", 1000)
    assert refusal(b"age-encryption.org/v1\n" + b"x" * 2000) == TOO_LARGE


def test_write_leaves_a_whole_bundle_or_the_old_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "to-sam.bundle"
    write_bundle(target, seal(store, body(), PASS))
    assert open_sealed(target.read_bytes(), PASS).body["group"] == "eastside-group-1"
    assert [p.name for p in tmp_path.iterdir()] == ["to-sam.bundle"]

    before = target.read_bytes()
    # A stick that returns other bytes than were written never replaces a good file.
    real_read = Path.read_bytes

    def failing_stick(path: Path) -> bytes:
        data = real_read(path)
        return data[:-5] if path.name.endswith(".partial") else data

    monkeypatch.setattr(Path, "read_bytes", failing_stick)
    with pytest.raises(BundleError, match="did not read back"):
        write_bundle(target, b"age-encryption.org/v1\n" + b"new bytes" * 100)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["to-sam.bundle"]

    with pytest.raises(BundleError, match="plugged in"):
        write_bundle(tmp_path / "unplugged" / "x.bundle", before)


def test_an_interrupted_write_leaves_no_partial_copy_after_the_next_one(
    store: Store, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    target = tmp_path / "to-sam.bundle"
    # A write killed between writing its copy and renaming it (a pulled plug).
    killed = subprocess.run(
        [sys.executable, "-c",
         "import os, sys; from pathlib import Path; from mutualaid_desktop.files import "
         "replace_atomically; replace_atomically(Path(sys.argv[1]), b'half a bundle', "
         "check=lambda p: os.kill(os.getpid(), 9))", str(target)],
        check=False,
    )  # fmt: skip
    assert killed.returncode == -9
    assert [p.suffix for p in tmp_path.iterdir()] == [".partial"]
    # Another write still in progress keeps its copy (it holds a lock on it).
    import fcntl

    busy = tmp_path / ".to-sam.bundle.busy.partial"
    with open(busy, "wb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        write_bundle(target, seal(store, body(), PASS))
        assert sorted(p.name for p in tmp_path.iterdir()) == [busy.name, "to-sam.bundle"]
    assert os.path.exists(busy)


# -- a group mid-upgrade -------------------------------------------------------------


def released_bundle(store: Store, work_factor: int | None = None) -> bytes:
    """A bundle as the released program (bundle format 1) wrote it: the age library
    picked the key stretching by timing the machine; its header signed the body's bytes."""
    body = canonical({"rows": []})
    me = identity(store)
    header = {
        "format": "mutualaid-bundle",
        "format_version": 1,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode(),
    }
    signature = sign(store, canonical(header) + b"\n" + body)
    header["signature"] = base64.b64encode(signature).decode()
    payload = gzip.compress(canonical(header) + b"\n" + body)
    if work_factor is None:
        return pyrage.passphrase.encrypt(payload, PASS)  # as the released program did
    if work_factor <= age.MAX_WORK_FACTOR:
        real = age.WORK_FACTOR
        age.WORK_FACTOR = work_factor  # (what this version writes is fixed; that one timed)
        try:
            return age.encrypt(payload, PASS)
        finally:
            age.WORK_FACTOR = real
    # Refused before any key stretching: the header alone says it.
    return age.encrypt(payload, PASS).replace(b" 18\n", f" {work_factor}\n".encode(), 1)


def test_a_bundle_from_a_laptop_not_yet_updated_asks_its_sender_to_update(
    store: Store,
) -> None:
    written = released_bundle(store)
    message = refusal(written)
    assert "older version" in message and "ask the sender to update" in message
    assert "Nothing was changed" in message
    # Whatever key stretching that machine chose: the same advice (up to 2^18 the file
    # opens and says its format; beyond, it is refused before any work).
    for factor in (17, 19, 22):
        said = refusal(released_bundle(store, factor))
        assert "older version" in said and "ask the sender to update" in said, factor


def test_far_more_key_stretching_than_any_version_chose_is_called_damaged(
    store: Store,
) -> None:
    message = refusal(released_bundle(store, 30))
    assert "2^30" in message and "not written by Mutual Aid Desktop" in message
    assert "older version" not in message
