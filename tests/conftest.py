"""Shared fixtures: every test gets its own program home, so nothing touches the user's files."""

from __future__ import annotations

import ctypes
import os

# The suite reads English sentences, whatever language the machine speaks (and
# so do the command lines it starts).
os.environ["LANGUAGE"] = "en"

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import time_machine

from mutualaid_desktop.store import Store

REPO = Path(__file__).resolve().parent.parent
# shared/ sits beside the checkout (CI's clone, /work/main), or beside the
# folder of worktrees (an engineer's /work/wt/issueN).
SIGNUP_CSV = next(
    (
        p / "shared" / "data" / "signup_form_export.csv"
        for p in (REPO.parent, REPO.parent.parent)
        if (p / "shared" / "data" / "signup_form_export.csv").exists()
    ),
    REPO.parent / "shared" / "data" / "signup_form_export.csv",
)

# Every test runs on this day. Demo data is centred on "today" and views open on
# today or tomorrow, so a suite on the real date passes on some weekdays only
# (CI runs on whatever day it is). A Friday; the clock still ticks from noon UTC,
# which is the same date in every time zone from UTC-11 to UTC+11.
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True, scope="session")
def pinned_today() -> Iterator[date]:
    """date.today(), datetime.now() and time.time() start from noon on TODAY and tick on.

    Session-wide, so fixtures of every scope (a module's laptops) share the same day.
    """
    with time_machine.travel(datetime.combine(TODAY, time(12), tzinfo=UTC), tick=True):
        yield TODAY


@pytest.fixture(autouse=True)
def program_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MUTUALAID_HOME points at a fresh folder: data, state, logs and backups live there."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MUTUALAID_HOME", str(home))
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test may create a database file."""
    return tmp_path / "test.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A new, empty database on disk (WAL, foreign keys on)."""
    s = Store.create(db_path, organizer="Test Organizer", org_name="Test Group")
    yield s
    s.close()


@pytest.fixture
def memory_store() -> Iterator[Store]:
    """A new, empty in-memory database, for fast tests that need no file."""
    s = Store.create(None, organizer="Test Organizer")
    yield s
    s.close()


@pytest.fixture
def as_ordinary_user() -> Iterator[None]:
    """File permissions apply to this test as to an organizer (not root).

    Root writes to read-only files and folders regardless, so a test of a
    read-only place run as root (CI containers) would prove nothing: drop the
    capabilities that let it, for the main thread, and take them back after.
    """
    if os.name != "posix" or os.geteuid() != 0:
        yield
        return
    header, data = _capabilities()
    saved = data[0].effective
    data[0].effective &= ~(1 << _CAP_DAC_OVERRIDE | 1 << _CAP_DAC_READ_SEARCH | 1 << _CAP_FOWNER)
    if _LIBC.capset(ctypes.byref(header), data) != 0:
        pytest.fail(f"could not drop root's file capabilities (errno {ctypes.get_errno()})")
    try:
        yield
    finally:
        header, data = _capabilities()
        data[0].effective = saved
        _LIBC.capset(ctypes.byref(header), data)


_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3
_LIBC = ctypes.CDLL(None, use_errno=True)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _capabilities() -> tuple[_CapHeader, ctypes.Array[_CapData]]:
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
    data = (_CapData * 2)()
    if _LIBC.capget(ctypes.byref(header), data) != 0:
        pytest.fail(f"capget failed (errno {ctypes.get_errno()})")
    return header, data
