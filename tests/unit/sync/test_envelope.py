"""The bundle file on the stick: unreadable to a finder, refused whole when damaged."""

from __future__ import annotations

import base64
import gzip
import json
import random
from pathlib import Path

import pyrage
import pytest

from mutualaid_desktop.store import Store
from mutualaid_desktop.sync import envelope
from mutualaid_desktop.sync.envelope import (
    DAMAGED,
    NOT_A_BUNDLE,
    TOO_LARGE,
    WRONG_PASSPHRASE,
    BundleError,
    open_sealed,
    seal,
    write_bundle,
)
from mutualaid_desktop.sync.identity import identity, sign
from mutualaid_desktop.sync.shared import canonical

PASS = "correct horse battery staple"
# Each seal or open runs scrypt (about 2 s on the CI machine), so the tests
# share one big bundle and try a sample of cuts and flips, not every byte.


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
        assert refusal(bytes(flipped)) in (DAMAGED, WRONG_PASSPHRASE, NOT_A_BUNDLE)


def test_someone_with_the_passphrase_cannot_alter_a_bundle_unnoticed(store: Store) -> None:
    plain = gzip.decompress(pyrage.passphrase.decrypt(seal(store, body(), PASS), PASS))
    header, _, text = plain.partition(b"\n")
    altered = json.loads(text)
    altered["rows"][0]["address"] = "99 Other Rd"
    forged = pyrage.passphrase.encrypt(gzip.compress(header + b"\n" + canonical(altered)), PASS)
    assert refusal(forged) == DAMAGED


def test_a_newer_format_asks_for_an_update(store: Store) -> None:
    me = identity(store)

    newer = {
        "format": "mutualaid-bundle",
        "format_version": 99,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode(),
    }
    text = canonical({"rows": []})
    signature = base64.b64encode(sign(store, canonical(newer) + b"\n" + text)).decode()
    data = pyrage.passphrase.encrypt(
        gzip.compress(canonical({**newer, "signature": signature}) + b"\n" + text), PASS
    )
    assert "update the program first" in refusal(data)


def test_other_files_and_bombs_are_refused(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert refusal(b"%PDF-1.7\n...") == NOT_A_BUNDLE
    assert refusal(b"") == DAMAGED
    monkeypatch.setattr(envelope, "MAX_PAYLOAD_BYTES", 1_000_000)
    bomb = pyrage.passphrase.encrypt(gzip.compress(b"0" * 2_000_000), PASS)
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
