"""Conflicts everyone can see: both laptops list them, "current" is what is in force now,
and the command line lists and settles them."""

from __future__ import annotations

import contextlib
import io
from datetime import date
from pathlib import Path

from mutualaid_desktop import cli
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.conflicts import open_conflicts
from mutualaid_desktop.sync.shared import sync_state
from tests.unit.sync.exchange import body_of, deliver, sync

TODAY = date(2026, 11, 27)


def clash(rosa: Store, sam: Store) -> Contact:
    """Rosa and Sam edit one household's notes without seeing each other's edit."""
    sync(rosa, sam)
    sync(sam, rosa)
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.update(Contact, contact.id, notes="Rosa: gate code 4411")
    sam.update(Contact, contact.id, notes="Sam: call after 5")
    return contact


def demo_pair(tmp: Path | None = None) -> tuple[Store, Store]:
    rosa = Store.create(tmp / "rosa.sqlite" if tmp else None, organizer="Rosa")
    sam = Store.create(tmp / "sam.sqlite" if tmp else None, organizer="Sam")
    build_demo(rosa, households=8, seed=4, today=TODAY)
    return rosa, sam


def test_both_laptops_list_the_conflict_whichever_saw_both_sides_first() -> None:
    rosa, sam = demo_pair()
    contact = clash(rosa, sam)
    sync(sam, rosa)  # Rosa sees both sides first and records it
    sync(rosa, sam)  # Sam's laptop learns of it from Rosa's bundle
    for store in (rosa, sam):
        [conflict] = open_conflicts(store)
        assert conflict.row_id == contact.id
        assert {conflict.current.text(), conflict.other.text()} == {
            "Rosa: gate code 4411",
            "Sam: call after 5",
        }
    assert open_conflicts(rosa)[0].id == open_conflicts(sam)[0].id
    sync(sam, rosa)  # nothing recorded twice
    assert len(open_conflicts(rosa)) == 1


def test_the_current_value_shown_is_always_the_one_in_force() -> None:
    rosa, sam = demo_pair()
    contact = clash(rosa, sam)
    sync(sam, rosa)
    sam.update(Contact, contact.id, notes="Sam: moved to apt 4")
    deliver(body_of(sam), sam, rosa)
    [conflict] = open_conflicts(rosa)
    assert rosa.require(Contact, contact.id).notes == "Sam: moved to apt 4"
    assert conflict.current.text() == "Sam: moved to apt 4"
    assert conflict.current.by == "Sam"


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_lists_and_settles_conflicts(tmp_path: Path) -> None:
    rosa, sam = demo_pair(tmp_path)
    contact = clash(rosa, sam)
    sync(sam, rosa)
    [conflict] = open_conflicts(rosa)
    rosa.close()
    code, out, err = run("conflicts", "--db", tmp_path / "rosa.sqlite")
    assert code == 0, err
    [line] = out.strip().splitlines()
    fields = line.split("\t")
    assert fields[0] == conflict.id and fields[1] == "contacts"
    assert contact.name in fields[2] and fields[3] == "notes"
    assert "gate code 4411" in line and "call after 5" in line
    assert "Rosa" in line and "Sam" in line and "2026-11-27" in line
    code, out, err = run(
        "conflicts", "resolve", "--db", tmp_path / "rosa.sqlite", conflict.id[:8], "theirs"
    )
    assert code == 0, err
    with Store.open(tmp_path / "rosa.sqlite") as again:
        assert open_conflicts(again) == []
        kept = again.require(Contact, contact.id).notes
        assert kept == conflict.other.values["notes"]
        sync(again, sam)
        assert sync_state(again) == sync_state(sam)
    code, out, err = run("conflicts", "--db", tmp_path / "rosa.sqlite")
    assert code == 0 and "No conflicts" in out
    code, _, err = run("conflicts", "resolve", "--db", tmp_path / "rosa.sqlite", "zzzz", "mine")
    assert code == 1 and "zzzz" in err
