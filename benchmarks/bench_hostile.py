"""What a hostile or mistaken file costs `mutualaid bundle import` before it is refused.

Issue 11: every such file is refused with exit 1 and one sentence, in seconds,
under a few hundred MB. Each import runs as its own process; its wall time and
peak resident memory (from wait4) are printed beside two floors measured in the
same run: the program starting and refusing a missing file, and the import of
an honest small bundle (which pays the key stretching every bundle pays).
Usage: python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import isolate_home, row

isolate_home()

from mutualaid_desktop.domain import Contact  # noqa: E402
from mutualaid_desktop.store import Store  # noqa: E402
from mutualaid_desktop.sync import age  # noqa: E402
from mutualaid_desktop.sync.bundle import build_body  # noqa: E402
from mutualaid_desktop.sync.envelope import seal  # noqa: E402
from mutualaid_desktop.sync.identity import identity, sign  # noqa: E402
from mutualaid_desktop.sync.shared import canonical  # noqa: E402

PASS = "quarry wobbly anthem stucco maverick"


# The child reports its own peak (VmHWM of its address space, made fresh by exec):
# rusage would also count the memory of this benchmark, which it was forked from.
_CHILD = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            print('PEAK', int(line.split()[1]) // 1024, file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "sys.argv = ['mutualaid', *sys.argv[1:]]\n"
    "runpy.run_module('mutualaid_desktop', run_name='__main__')\n"
)


def run_import(db: Path, pw: Path, bundle: Path | str) -> tuple[int, str, float, float]:
    """(exit code, the refusal's sentence, seconds, peak MB) of one import process."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "bundle", "import", "--db", str(db), str(bundle),
         "--passphrase-file", str(pw)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    lines = proc.stderr.strip().splitlines()
    peak = next((float(x.split()[1]) for x in lines if x.startswith("PEAK ")), float("nan"))
    said = next((x for x in lines if not x.startswith("PEAK ")), "")
    return proc.returncode, said, seconds, peak


def signed_raw(store: Store, body: bytes) -> bytes:
    me = identity(store)
    header: dict[str, object] = {
        "format": "mutualaid-bundle",
        "format_version": 2,
        "sender_organizer": me.organizer,
        "sender_key": base64.b64encode(me.public_key).decode(),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "body_bytes": len(body),
    }
    header["signature"] = base64.b64encode(sign(store, canonical(header))).decode()
    return age.encrypt(gzip.compress(canonical(header) + b"\n" + body), PASS)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    db = work / "sam.sqlite"
    Store.create(db, organizer="Sam").close()
    pw = work / "pw.txt"
    pw.write_text(PASS + "\n", encoding="utf-8")
    files: dict[str, Path | str] = {}
    with Store.create(None, organizer="Rosa") as rosa:
        rosa.insert(Contact(name="Ana Ruiz", adults=1))
        honest = seal(rosa, build_body(rosa), PASS)
        (work / "honest.bundle").write_bytes(honest)
        costly = work / "costly.bundle"
        costly.write_bytes(honest.replace(b" 18\n", b" 22\n", 1))
        files["scrypt work factor raised to 2^22"] = costly
        filler = random.Random(5).randbytes(200_000).hex().encode()
        deep = b'{"f":"' + filler + b'","rows":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        (work / "deep.bundle").write_bytes(signed_raw(rosa, deep))
        files["JSON nested 100,000 deep, signed"] = work / "deep.bundle"
    squeeze = zlib.compressobj(9, wbits=31)
    head = canonical({"format": "mutualaid-bundle", "format_version": 2}) + b"\n"
    zeros = bytes(1024 * 1024)
    inner = b"".join(
        [squeeze.compress(head), *(squeeze.compress(zeros) for _ in range(1024)), squeeze.flush()]
    )
    bomb = work / "bomb.bundle"
    bomb.write_bytes(age.encrypt(inner, PASS))
    files[f"{bomb.stat().st_size / 1e6:.1f} MB inflating to 1 GB"] = bomb
    files["/dev/zero"] = "/dev/zero"
    fifo = work / "pipe.bundle"
    os.mkfifo(fifo)
    files["a pipe nobody writes to"] = fifo

    code, said, t_missing, mb_missing = run_import(db, pw, work / "missing.bundle")
    print("What hostile files cost `mutualaid bundle import` (one process each)\n")
    row("file", "seconds, MB", "exit; sentence")
    row("-" * 44, "-" * 14, "-" * 22)
    row("floor: a missing file", f"{t_missing:.2f}, {mb_missing:.0f}", f"{code}; {said[:60]}")
    code, said, t_honest, mb_honest = run_import(db, pw, work / "honest.bundle")
    row(
        "floor: an honest bundle (refused: untrusted)",
        f"{t_honest:.2f}, {mb_honest:.0f}",
        f"{code}",
    )
    for label, path in files.items():
        code, said, seconds, mb = run_import(db, pw, path)
        row(label, f"{seconds:.2f}, {mb:.0f}", f"{code}; {said[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
