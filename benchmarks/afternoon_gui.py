"""An afternoon in the window: hundreds of edits, leaves, deletes, undos, redos, plans,
outcomes and restores, driven through the widgets, checked against a ledger the script
keeps on its own. Nothing the organizer saw saved may be missing at the end.

    python benchmarks/afternoon_gui.py [--steps 400] [--seed 1] [--shots DIR]

Run it under Xvfb to look at it (`--shots` saves a screenshot of the whole screen
every so often, and of each dialog it opens). Exit 1 lists what was lost.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MUTUALAID_HOME", tempfile.mkdtemp(prefix="mutualaid-afternoon-"))

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.backup import list_backups
from mutualaid_desktop.ui import errors as ui_errors
from mutualaid_desktop.ui.app import Controller, create_app
from mutualaid_desktop.ui.dialogs.backups import RestoreDialog
from mutualaid_desktop.ui.dialogs.deleted import DeletedDialog
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views.contacts import ContactsView
from mutualaid_desktop.ui.views.deliveries import DeliveriesView, OutcomeDialog


@dataclass
class Ledger:
    """What the database must hold, by the script's own account."""

    notes: dict[str, str] = field(default_factory=dict)  # contact id -> note typed last
    deleted: set[str] = field(default_factory=set)
    history: list[tuple[str, str, object]] = field(default_factory=list)  # what undo takes back
    undone: list[tuple[str, str, object]] = field(default_factory=list)  # what redo brings back

    def did(self, kind: str, key: str, before: object) -> None:
        self.history.append((kind, key, before))
        self.undone.clear()

    def snapshot(self) -> tuple[dict[str, str], set[str]]:
        return dict(self.notes), set(self.deleted)


class Afternoon:
    def __init__(self, db: Path, seed: int, shots: Path | None) -> None:
        self.rng = random.Random(seed)
        self.db = db
        self.shots = shots
        self.app = create_app()
        self.controller = Controller(self.app)
        assert self.controller.open_database(db)
        self.window.resize(1366, 740)
        self.window.show()
        self.ledger = Ledger()
        self.backups: dict[Path, tuple[dict[str, str], set[str]]] = {}
        self.counts: dict[str, int] = {}
        self.token = 0
        QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
        # Any error dialog is something that went wrong this afternoon: note it, do not wait.
        self.errors: list[str] = []
        ui_errors.show_user_error = lambda parent, error, title="": self.errors.append(str(error))
        ui_errors.show_bug = lambda parent, exc: self.errors.append(f"bug: {exc!r}")

    @property
    def window(self) -> MainWindow:
        assert self.controller.window is not None
        return self.controller.window

    @property
    def store(self) -> Store:
        store: Store = self.window.session.store
        return store

    def pump(self, ms: int = 30) -> None:
        QTest.qWait(ms)

    def shot(self, name: str) -> None:
        if self.shots is None:
            return
        self.pump(150)
        target = self.shots / f"{len(list(self.shots.iterdir())):03d}-{name}.png"
        subprocess.run(["import", "-window", "root", str(target)], check=False)

    def shot_dialog(self, name: str, close: object) -> None:
        """Screenshot a modal dialog once it is up, then close it."""

        def take() -> None:
            self.shot(name)
            close()  # type: ignore[operator]

        QTimer.singleShot(400, take)

    # -- the organizer's moves ------------------------------------------------------

    def contacts(self) -> ContactsView:
        self.window.show_page("contacts")
        view = self.window.contacts
        self.pump()
        return view

    def edit_a_note(self) -> None:
        view = self.contacts()
        rows = view.model.rowCount()
        if not rows:
            return
        view.table.view.selectRow(self.rng.randrange(rows))
        self.pump()
        form = view.form
        if form.contact is None or form.is_new:
            return
        self.token += 1
        text = f"note {self.token}"
        form.notes.setFocus()
        form.notes.selectAll()
        QTest.keyClicks(form.notes, text)
        before = self.store.require(Contact, form.contact.id).notes
        contact_id = form.contact.id
        self.leave_somehow()
        if form.is_dirty():  # clicked the row it was on: still editing it, so leave the page
            self.window.show_page("today")
            self.pump()
        self.ledger.notes[contact_id] = text
        self.ledger.did("note", contact_id, before)

    def leave_somehow(self) -> None:
        """Leave the record the way people do: another row, a search, another page."""
        how = self.rng.choice(["row", "search", "page", "new", "save"])
        view = self.window.contacts
        if how == "row" and view.model.rowCount() > 1:
            view.table.view.selectRow(self.rng.randrange(view.model.rowCount()))
        elif how == "search":
            QTest.keyClicks(self.window.search, "a")
            self.pump()
            self.window.search.clear()
            self.pump()
            view.table.view.selectRow(0)
        elif how == "page":
            self.window.show_page(self.rng.choice(["needs", "deliveries", "today", "rides"]))
        elif how == "new":
            view.new_contact()
        else:
            QTest.keySequence(self.window, "Ctrl+S")
        self.pump()

    def delete_a_household(self) -> None:
        view = self.contacts()
        if view.model.rowCount() < 5:
            return
        view.table.view.selectRow(self.rng.randrange(view.model.rowCount()))
        self.pump()
        if view.form.contact is None or view.form.is_new:
            return
        contact_id = view.form.contact.id
        view.delete_current()
        self.pump()
        self.ledger.deleted.add(contact_id)
        self.ledger.did("delete", contact_id, None)

    def undo(self) -> None:
        if not self.ledger.history:
            return
        kind, key, before = self.ledger.history.pop()
        now = self.ledger.notes.get(key) if kind == "note" else None
        self.window.undo_action.trigger()
        self.pump()
        if kind == "note":
            self.ledger.notes[key] = str(before)
        elif kind == "delete":
            self.ledger.deleted.discard(key)
        else:  # undoing a restore deletes it again
            self.ledger.deleted.add(key)
        self.ledger.undone.append((kind, key, now))

    def redo(self) -> None:
        if not self.ledger.undone:
            return
        kind, key, after = self.ledger.undone.pop()
        before = self.ledger.notes.get(key) if kind == "note" else None
        self.window.redo_action.trigger()
        self.pump()
        if kind == "note":
            self.ledger.notes[key] = str(after)
        elif kind == "delete":
            self.ledger.deleted.add(key)
        else:
            self.ledger.deleted.discard(key)
        self.ledger.history.append((kind, key, before))

    def plan_and_key_in(self) -> None:
        """Deliveries: plan the day, reorder, outcomes; recorded, but not in the ledger's
        undo mirror, so the mirror's history restarts after it."""
        self.window.show_page("deliveries")
        view = self.window.views["deliveries"]
        assert isinstance(view, DeliveriesView)
        self.pump()
        if not view.runs.count():
            return
        view.plan_day()
        self.pump()
        if self.shots is not None and self.rng.random() < 0.3:
            self.shot("deliveries-planned")
        run_id = view.current_run_id()
        if run_id and view.stops.items():
            dialog = OutcomeDialog(self.window.session, run_id, self.window, "the run")
            dialog.show()
            for entry in ("1d", "2n", "99d", "1c", "3d"):
                dialog.entry.setText(entry)
                dialog.enter()
            if self.shots is not None and self.rng.random() < 0.3:
                self.shot("key-in-outcomes")
            dialog.close()
        self.counts["plans"] = self.counts.get("plans", 0) + 1
        self.ledger.history.clear()  # undo now first takes back the delivery steps
        self.ledger.undone.clear()

    def back_up(self) -> None:
        """File › Back up now (what the editor holds is saved first)."""
        before = {b.path for b in list_backups(self.db)}
        self.window.back_up_now()
        made = {b.path for b in list_backups(self.db)} - before
        assert len(made) == 1
        self.backups[made.pop()] = self.ledger.snapshot()

    def restore(self) -> None:
        kept = sorted(p for p in self.backups if p.exists())  # rotation keeps some
        if not kept:
            return
        path = self.rng.choice(kept)
        dialog = RestoreDialog(self.window, self.controller)
        dialog.fill(list_backups(self.db), select=path)
        if self.shots is not None:
            dialog.show()
            self.shot("restore-dialog")
        assert dialog.chosen() is not None and dialog.chosen().path == path  # type: ignore[union-attr]
        assert dialog.restore(dialog.chosen()) is not None  # in the background
        for _ in range(3000):
            if self.controller.restored is not None:
                break
            self.pump(10)
        assert self.controller.restored is not None, "the restore did not finish"
        self.pump(100)
        notes, deleted = self.backups[path]
        self.ledger = Ledger(notes=dict(notes), deleted=set(deleted))
        self.counts["restores"] = self.counts.get("restores", 0) + 1

    def recently_deleted(self) -> None:
        self.window.leave_page()  # as Edit › Recently deleted… does
        dialog = DeletedDialog(self.window.session, self.window)
        item = dialog.list.currentItem()
        if item is not None:
            table, record_id, _ = item.data(0, 256)
            if table == "contacts" and record_id in self.ledger.deleted:
                if self.shots is not None:
                    dialog.show()
                    self.shot("recently-deleted")
                dialog.restore_selected()
                self.ledger.deleted.discard(record_id)
                self.ledger.did("undelete", record_id, None)
        dialog.close()

    # -- the checks ---------------------------------------------------------------------

    def lost(self) -> list[str]:
        problems = []
        with Store.open(self.db, read_only=True) as truth:  # another connection, from outside
            for contact_id, note in self.ledger.notes.items():
                if contact_id in self.ledger.deleted:
                    continue
                found = truth.get(Contact, contact_id)
                if found is None:
                    problems.append(f"contact {contact_id} is gone")
                elif found.notes != note:
                    problems.append(f"contact {contact_id}: {found.notes!r} instead of {note!r}")
            for contact_id in self.ledger.deleted:
                if truth.get(Contact, contact_id) is not None:
                    problems.append(f"contact {contact_id} should be deleted")
        return problems

    def run(self, steps: int) -> list[str]:
        moves = [
            (self.edit_a_note, 40),
            (self.undo, 14),
            (self.redo, 6),
            (self.delete_a_household, 6),
            (self.plan_and_key_in, 3),
            (self.back_up, 3),
            (self.restore, 2),
            (self.recently_deleted, 3),
        ]
        actions, weights = zip(*moves, strict=True)
        problems: list[str] = []
        for step in range(steps):
            move = self.rng.choices(actions, weights)[0]
            move()
            self.counts[move.__name__] = self.counts.get(move.__name__, 0) + 1
            if step % 50 == 49:
                problems += [f"after step {step + 1}: {p}" for p in self.lost()]
                self.shot(f"step-{step + 1}")
        self.window.close()
        self.controller.session.close()  # type: ignore[union-attr]
        problems += self.lost()
        return problems + [f"error shown: {e}" for e in self.errors]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--shots", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="afternoon-"))
    db = work / "afternoon.sqlite"
    with Store.create(db, organizer="Rosa", org_name="Eastside Mutual Aid") as store:
        build_demo(store, households=args.households, seed=args.seed, today=date.today())
        # Chosen at first run, as an organizer does: the window asks otherwise, and waits.
        from mutualaid_desktop.domain import ORGANIZATION_ID, Organization, ShareScope

        store.update(Organization, ORGANIZATION_ID, default_share_scope=ShareScope.GROUP)
    if args.shots is not None:
        shutil.rmtree(args.shots, ignore_errors=True)
        args.shots.mkdir(parents=True)
    QApplication.instance() or create_app()
    started = time.perf_counter()
    afternoon = Afternoon(db, args.seed, args.shots)
    problems = afternoon.run(args.steps)
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{k} {v}" for k, v in sorted(afternoon.counts.items()))
    print(f"{args.steps} steps in {seconds:.0f} s: {counts}")
    print(f"contacts edited {len(afternoon.ledger.notes)}, deleted {len(afternoon.ledger.deleted)}")
    if problems:
        print(f"LOST {len(problems)}:")
        for p in problems[:40]:
            print(f"  {p}")
        return 1
    print("Nothing lost: every saved edit, delete, undo, redo and restore is in the file.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
