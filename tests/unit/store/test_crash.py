"""The crash harness: a writer killed again and again (SIGKILL) never loses a committed record.

The writer adds households, edits a counter and deletes every fifth household
it added, and prints each change only after the store returned from it (the
change committed). After every kill the file must pass SQLite's and the
program's checks and hold every change printed: nothing said to be saved is lost.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database

WRITER = """
import sys
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store

store = Store.open(sys.argv[1])
counter = sys.argv[2]
round_ = sys.argv[3]
n = 0
while True:
    n += 1
    added = store.insert(Contact(name=f"Household {round_}-{n}", notes="x" * (n % 300)))
    print("add", added.id, n, flush=True)
    store.update(Contact, counter, notes=f"{round_}-{n}")
    print("count", f"{round_}-{n}", flush=True)
    if n % 5 == 0:
        store.delete(Contact, added.id)
        print("delete", added.id, flush=True)
"""

KILLS = 12


@pytest.mark.slow
def test_killing_a_writer_never_loses_a_committed_record(db_path: Path, program_home: Path) -> None:
    with Store.create(db_path, organizer="Rosa") as store:
        counter = store.insert(Contact(name="Counter", notes="0-0")).id
    added: set[str] = set()
    deleted: set[str] = set()
    maybe_deleted: set[str] = set()  # killed after its delete committed, before it was said
    last_count = "0-0"
    env = {**os.environ, "MUTUALAID_HOME": str(program_home)}
    rng = random.Random(12)
    for round_ in range(1, KILLS + 1):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), counter, str(round_)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        # Let it get going, then kill it at a random moment of its work.
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        lines = [first, *proc.stdout.read().splitlines()]
        proc.stdout.close()
        for line in lines:
            if not line.strip():
                continue
            what, value, *n = line.split()
            if what == "add":
                added.add(value)
                if int(n[0]) % 5 == 0:
                    maybe_deleted.add(value)
            elif what == "delete":
                deleted.add(value)
            else:
                last_count = value
        with Store.open(db_path) as store:
            assert check_database(store) == [], round_
            live = {c.id for c in store.select(Contact)}
            missing = (added - deleted) - live
            # At most the last one added, when it was due to be deleted next.
            assert len(missing) <= 1 and missing <= maybe_deleted, (
                f"round {round_}: {len(missing)} committed households lost"
            )
            deleted |= missing
            assert not (deleted & live), f"round {round_}: a committed delete came undone"
            notes = store.require(Contact, counter).notes
            # The counter holds the last value printed, or the one written just after it.
            r, n = (int(p) for p in last_count.split("-"))
            assert notes in (last_count, f"{r}-{n + 1}", f"{round_}-1"), (notes, last_count)
    assert len(added) > KILLS  # the harness did real work
