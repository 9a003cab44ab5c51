"""The hybrid logical clock: stamps only ever go up, across wall-clock jumps and restarts."""

from __future__ import annotations

import types
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store import clock as clock_module
from mutualaid_desktop.store.clock import HybridClock, hlc_from_ms, wall_ms_of

NOV_2026_MS = 1_795_000_000_000  # late November 2026, in Unix milliseconds


class FakeWall:
    """A wall clock the test moves by hand."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamp_carries_the_wall_clock_time() -> None:
    wall = FakeWall(NOV_2026_MS)
    clock = HybridClock(wall_ms=wall)
    assert wall_ms_of(clock.now()) == NOV_2026_MS
    wall.ms += 1500
    assert wall_ms_of(clock.now()) == NOV_2026_MS + 1500


def test_stamps_keep_rising_when_the_wall_clock_goes_backwards() -> None:
    wall = FakeWall(NOV_2026_MS)
    clock = HybridClock(wall_ms=wall)
    first = clock.now()
    wall.ms -= 3_600_000  # the laptop's clock is set back an hour
    second = clock.now()
    third = clock.now()
    assert first < second < third
    wall.ms = NOV_2026_MS + 10  # and forward again: back to wall time
    fourth = clock.now()
    assert fourth > third
    assert wall_ms_of(fourth) == NOV_2026_MS + 10


def test_many_stamps_in_the_same_millisecond_are_distinct_and_ordered() -> None:
    clock = HybridClock(wall_ms=FakeWall(NOV_2026_MS))
    stamps = [clock.now() for _ in range(1000)]
    assert stamps == sorted(set(stamps))
    assert all(wall_ms_of(s) == NOV_2026_MS for s in stamps)  # the counter absorbs the burst


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, hlc_from_ms(NOV_2026_MS) * 2),
    walls=st.lists(st.integers(0, NOV_2026_MS * 2), min_size=1, max_size=60),
    observed=st.lists(st.integers(0, hlc_from_ms(NOV_2026_MS * 2)), max_size=10),
)
def test_clock_is_strictly_monotonic(start: int, walls: list[int], observed: list[int]) -> None:
    wall = FakeWall(0)
    clock = HybridClock(last=start, wall_ms=wall)
    previous = start
    for i, ms in enumerate(walls):
        if i < len(observed):
            clock.observe(observed[i])
            previous = max(previous, observed[i])
        wall.ms = ms
        stamp = clock.now()
        assert stamp > previous
        assert stamp >= hlc_from_ms(ms)  # never behind the wall clock either
        assert stamp < 2**63  # fits SQLite's INTEGER
        previous = stamp


def test_observe_moves_past_a_stamp_from_the_future() -> None:
    clock = HybridClock(wall_ms=FakeWall(NOV_2026_MS))
    remote = hlc_from_ms(NOV_2026_MS + 86_400_000) + 7  # another laptop, a day ahead
    clock.observe(remote)
    assert clock.now() > remote
    clock.observe(hlc_from_ms(1))  # an old stamp does not pull the clock back
    assert clock.now() > remote


def test_ahead_ms_tells_how_far_a_stamp_is_in_the_future() -> None:
    clock = HybridClock(wall_ms=FakeWall(NOV_2026_MS))
    assert clock.ahead_ms(hlc_from_ms(NOV_2026_MS + 300_000)) == 300_000
    assert clock.ahead_ms(hlc_from_ms(NOV_2026_MS - 5)) == -5


def _newest_stamp(store: Store) -> int:
    return int(store.conn.execute("SELECT max(_updated) FROM contacts").fetchone()[0])


def test_persisted_clock_survives_close_and_reopen_even_if_time_went_back(
    db_path: Path, monkeypatch
) -> None:
    with Store.create(db_path, organizer="Test Organizer") as store:
        home = store.insert(Contact(name="Ana"))
        store.update(Contact, home.id, notes="first session")
        before = _newest_stamp(store)
        assert store.persisted_hlc() >= before

    # The laptop's clock is wrong by a whole day when the program starts again.
    day_ago_ns = (wall_ms_of(before) - 86_400_000) * 1_000_000
    monkeypatch.setattr(clock_module, "time", types.SimpleNamespace(time_ns=lambda: day_ago_ns))
    with Store.open(db_path) as store:
        assert store.clock.last >= before
        store.update(Contact, home.id, notes="second session")
        after = _newest_stamp(store)
        store.insert(Contact(name="Bea"))
        assert _newest_stamp(store) > after > before
