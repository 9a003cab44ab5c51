"""The age format as sync/age.py writes and reads it: interoperable, bounded, and light on
the window (key stretching lets other threads run)."""

from __future__ import annotations

import threading

import pyrage
import pytest

from mutualaid_desktop.sync import age


@pytest.mark.parametrize("size", [0, 65_537])
def test_the_age_tools_open_what_we_write_and_we_open_theirs(size: int) -> None:
    plain = bytes(i % 251 for i in range(size))
    ours = age.encrypt(plain, "pass phrase")
    assert pyrage.passphrase.decrypt(ours, "pass phrase") == plain
    assert b"".join(age.opened(ours, "pass phrase").chunks()) == plain
    theirs = pyrage.passphrase.encrypt(plain, "pass phrase")
    if age.work_factor(theirs) <= age.MAX_WORK_FACTOR:  # rage picks it by timing the machine
        assert b"".join(age.opened(theirs, "pass phrase").chunks()) == plain


def test_key_stretching_lets_the_window_thread_run() -> None:
    ticks = 0
    done = threading.Event()

    def stretch() -> None:
        age.encrypt(b"route sheet", "pass phrase")
        done.set()

    worker = threading.Thread(target=stretch)
    worker.start()
    while not done.wait(0.005):
        ticks += 1  # the "window": it gets to run while scrypt works
    worker.join()
    assert ticks >= 10, "scrypt held Python's lock: a window would freeze"
