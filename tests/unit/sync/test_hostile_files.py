"""Hostile or mistaken files given to `mutualaid bundle import`: each is refused with one
sentence, exit 1, the database unchanged, without running away.

Each import runs as its own process with its address space capped, so a
reading that tried to hold a gigabyte fails the test instead of the machine,
and with a timeout, so one that waits forever on a pipe fails instead of
hanging. (Time and peak memory are measured by benchmarks/bench_hostile.py.)
"""

from __future__ import annotations

import gzip
import hashlib
import os
import resource
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from mutualaid_desktop.store import Store
from mutualaid_desktop.sync import age
from mutualaid_desktop.sync.bundle import build_body
from mutualaid_desktop.sync.envelope import seal
from mutualaid_desktop.sync.shared import canonical

PASS = "maple syrup at the food bank"
ADDRESS_SPACE = 1536 * 1024 * 1024  # what an import may map at most, libraries included


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    os.environ["MUTUALAID_HOME"] = str(home)
    db = root / "sam.sqlite"
    Store.create(db, organizer="Sam").close()
    pw = root / "pw.txt"
    pw.write_text(PASS + "\n", encoding="utf-8")
    return root, db, pw


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def refused(setup: tuple[Path, Path, Path], bundle: Path | str) -> str:
    root, db, pw = setup
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = subprocess.run(
        [sys.executable, "-m", "mutualaid_desktop", "bundle", "import", "--db", str(db),
         str(bundle), "--passphrase-file", str(pw)],
        capture_output=True, text=True, timeout=120, preexec_fn=_limit,
        env={**os.environ, "MUTUALAID_HOME": str(root / "home")},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    return lines[0]


def test_dev_zero_is_refused_at_once(setup: tuple[Path, Path, Path]) -> None:
    assert "not a file but a device or a pipe" in refused(setup, "/dev/zero")


def test_a_pipe_with_no_writer_is_refused_without_waiting(setup: tuple[Path, Path, Path]) -> None:
    fifo = setup[0] / "sam.bundle"
    os.mkfifo(fifo)
    assert "not a file but a device or a pipe" in refused(setup, fifo)


def test_a_megabyte_that_inflates_to_a_gigabyte_is_refused(
    setup: tuple[Path, Path, Path],
) -> None:
    squeeze = zlib.compressobj(9, wbits=31)
    head = canonical({"format": "mutualaid-bundle", "format_version": 2}) + b"\n"
    zeros = bytes(1024 * 1024)
    inner = b"".join(
        [squeeze.compress(head), *(squeeze.compress(zeros) for _ in range(1024)), squeeze.flush()]
    )
    bomb = setup[0] / "bomb.bundle"
    bomb.write_bytes(age.encrypt(inner, PASS))
    assert bomb.stat().st_size < 1_100_000
    assert "too large to be a bundle" in refused(setup, bomb)


def test_a_raised_scrypt_work_factor_is_refused_before_key_stretching(
    setup: tuple[Path, Path, Path],
) -> None:
    with Store.create(None, organizer="Rosa") as rosa:
        data = seal(rosa, build_body(rosa), PASS)
    costly = setup[0] / "costly.bundle"
    costly.write_bytes(data.replace(b" 18\n", b" 22\n", 1))
    assert "2^22" in refused(setup, costly)


def test_deep_nesting_is_refused(setup: tuple[Path, Path, Path]) -> None:
    import base64
    import random

    from mutualaid_desktop.sync.identity import identity, sign

    with Store.create(None, organizer="Rosa") as rosa:
        filler = random.Random(5).randbytes(200_000).hex().encode()
        body = b'{"f":"' + filler + b'","rows":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        me = identity(rosa)
        header = {
            "format": "mutualaid-bundle",
            "format_version": 2,
            "sender_organizer": "Rosa",
            "sender_key": base64.b64encode(me.public_key).decode(),
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body_bytes": len(body),
        }
        header["signature"] = base64.b64encode(sign(rosa, canonical(header))).decode()
    deep = setup[0] / "deep.bundle"
    deep.write_bytes(age.encrypt(gzip.compress(canonical(header) + b"\n" + body), PASS))
    assert "not a Mutual Aid Desktop bundle" in refused(setup, deep)
