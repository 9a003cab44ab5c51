"""The Sync view: identity and digest, bundles written and imported, questions, conflicts.

Each real bundle write or read pays the passphrase's key stretching (about two
seconds), so only the round trip and the wrong passphrase use real files; the
tests of the questions hand the view a bundle body directly, as the core's
merge tests do.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from mutualaid_desktop.domain import Contact, ShareScope
from mutualaid_desktop.errors import Cancelled
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.clock import hlc_from_ms
from mutualaid_desktop.sync import bundle
from mutualaid_desktop.sync.bundle import ExportResult, export_bundle, peers
from mutualaid_desktop.sync.conflicts import count_open, open_conflicts
from mutualaid_desktop.sync.envelope import WRONG_PASSPHRASE, OpenedBundle
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.importer import Incoming
from mutualaid_desktop.sync.shared import sync_state
from mutualaid_desktop.ui import session as session_module
from mutualaid_desktop.ui.app import Controller
from mutualaid_desktop.ui.dialogs.sync import PassphraseDialog, TrustDialog
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.sync import SyncView
from tests.unit.sync.exchange import body_of, deliver, sync

PASS = "rhubarb under the old bridge"
SLOW = 30000  # ms: a bundle read or write runs scrypt


class Organizer:
    """Answers the view's questions in place of the person at the keyboard, and notes them."""

    def __init__(self, view: SyncView, monkeypatch: pytest.MonkeyPatch, **answers: Any) -> None:
        self.asked: list[tuple[str, Any]] = []
        self.told: list[str] = []
        self.answers = {"passphrase": [PASS], "trust": True, "merge": True, "clock": True}
        self.answers.update(answers)
        self.previews: list[list[str]] = []

        def passphrase(confirm: bool, note: str = "") -> str | None:
            self.asked.append(("passphrase", (confirm, note)))
            queue = self.answers["passphrase"]
            return queue.pop(0) if queue else None

        def trust(sender) -> bool:
            self.asked.append(("trust", sender.fingerprint))
            return bool(self.answers["trust"])

        def merge(sender) -> bool:
            self.asked.append(("merge", sender.organizer))
            return bool(self.answers["merge"])

        def clock(error) -> bool:
            self.asked.append(("clock", error.ahead_ms))
            return bool(self.answers["clock"])

        def confirm(incoming, changes, warnings) -> bool:
            self.asked.append(("preview", incoming.sender.organizer))
            self.previews.append([*changes.lines(), *warnings])
            return True

        monkeypatch.setattr(view, "ask_passphrase", passphrase)
        monkeypatch.setattr(view, "ask_trust", trust)
        monkeypatch.setattr(view, "ask_merge_groups", merge)
        monkeypatch.setattr(view, "ask_accept_clock", clock)
        monkeypatch.setattr(view, "confirm_import", confirm)
        monkeypatch.setattr(view, "inform", lambda title, text: self.told.append(text))

    def questions(self) -> list[str]:
        return [kind for kind, _ in self.asked]


def sync_view(window: MainWindow) -> SyncView:
    window.show_page("sync")
    view = window.views["sync"]
    assert isinstance(view, SyncView)
    return view


def wait_for_digest(qtbot, view: SyncView, store: Store) -> None:
    expected = sync_state(store)
    qtbot.waitUntil(lambda: view.digest.text() == expected, timeout=SLOW)


def imports(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM sync_imports").fetchone()[0])


def shared_contact(store: Store, name: str) -> Contact:
    consent = datetime.now(UTC)
    return store.insert(Contact(name=name, share_scope=ShareScope.GROUP, consent_at=consent))


def test_view_shows_this_laptops_fingerprint_and_digest(window: MainWindow, qtbot) -> None:
    view = sync_view(window)
    store = window.session.store
    assert view.fingerprint.text() == identity(store).fingerprint
    assert len(view.fingerprint.text().split("-")) == 8
    assert view.fingerprint.font().pointSize() >= 16  # big enough to read aloud
    assert view.fingerprint.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert "Rosa" in view.organizer.text()
    wait_for_digest(qtbot, view, store)
    assert view.compute_button.isEnabled()
    # No organizers and no conflicts yet: the page says how to start.
    assert view.pages.currentWidget() is view.empty
    words = " ".join(label.text() for label in view.empty.findChildren(QLabel))
    assert "USB stick" in words and "compare fingerprints in person" in words

    # An edit made elsewhere in the window makes the digest follow.
    contact = store.select(Contact, limit=1)[0]
    window.session.update(Contact, contact.id, "Edit notes", notes="Rings twice")
    wait_for_digest(qtbot, view, store)


def test_write_then_import_through_the_view_ends_with_the_same_data(
    controller: Controller, demo_db: Path, tmp_path: Path, qtbot, monkeypatch
) -> None:
    # Rosa writes a bundle from her demo database (a view of its own)...
    rosa = Session(Store.open(demo_db))
    source = SyncView(rosa)
    qtbot.addWidget(source)
    source.reload()
    told_rosa = Organizer(source, monkeypatch)
    stick = tmp_path / "stick"
    stick.mkdir()
    suggested: list[str] = []

    def save_as(parent, title, start, filters):
        suggested.append(Path(start).name)
        return str(stick / "rosa-today"), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(source.exported, timeout=SLOW) as written:
        assert source.write_bundle() is not None
    result: ExportResult = written.args[0]
    assert result.path == stick / "rosa-today.bundle" and result.path.exists()
    assert suggested[0].startswith("Rosa-") and suggested[0].endswith(".bundle")
    assert told_rosa.asked == [("passphrase", (True, ""))]  # typed twice, the first time
    assert source.passphrase == PASS
    assert f"({result.rows:,} records" in told_rosa.told[0]
    assert "safe to remove the stick" in told_rosa.told[0]
    assert "safe to remove the stick" in source.status.text()

    # ...and Sam, on a new laptop, imports it through the window.
    sam_db = tmp_path / "sam.sqlite"
    Store.create(sam_db, organizer="Sam").close()
    assert controller.open_database(sam_db)
    window = controller.window
    qtbot.addWidget(window)
    view = sync_view(window)
    sam = window.session.store
    assert view.pages.currentWidget() is view.empty
    told_sam = Organizer(view, monkeypatch)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a: (str(result.path), "Bundles (*.bundle)")
    )
    with qtbot.waitSignal(view.imported, timeout=SLOW):
        assert view.import_bundle() is not None
    rosa_fp = identity(rosa.store).fingerprint
    assert told_sam.questions() == ["passphrase", "trust", "preview"]
    assert told_sam.asked[1] == ("trust", rosa_fp)
    shared = rosa.store.count(Contact, "share_scope = 'group'")
    assert f"Contacts: {shared} new" in told_sam.previews[0]
    assert told_sam.told[0].startswith("Imported ")
    assert f"Contacts: {shared} new" in told_sam.told[0]
    assert "saved in" in told_sam.told[0]  # where the backup taken before it is

    assert sync_state(sam) == sync_state(rosa.store)
    wait_for_digest(qtbot, view, sam)
    assert [p.fingerprint for p in peers(sam)] == [rosa_fp]
    assert view.pages.currentIndex() == 1
    assert view.peers.rowCount() == 1
    assert view.peers.item(0, 0).text() == "Rosa"
    assert view.peers.item(0, 1).text() == rosa_fp
    assert view.no_conflicts.isVisibleTo(view)
    # The rest of the window shows what arrived.
    window.show_page("contacts")
    assert window.contacts.model.rowCount() == shared == sam.count(Contact)
    assert window.windowTitle().startswith("Eastside Mutual Aid")
    # The passphrase stayed in memory: not in the UI settings, not in the database.
    controller.settings.sync()
    settings = Path(controller.settings.fileName())
    assert not settings.exists() or PASS.encode() not in settings.read_bytes()
    assert PASS.encode() not in sam_db.read_bytes()

    # And back: Sam edits a household and writes a delta for Rosa, which her view imports.
    contact = sam.select(Contact, "share_scope = 'group'", limit=1, order_by="name")[0]
    window.session.update(Contact, contact.id, "Edit notes", notes="Use the back door")
    monkeypatch.setattr(view, "choose_contents", lambda known: known[0])  # only what's new
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: (str(stick / "sam-back.bundle"), "")
    )
    with qtbot.waitSignal(view.exported, timeout=SLOW) as written_back:
        view.write_bundle()
    back: ExportResult = written_back.args[0]
    assert back.kind == bundle.DELTA and back.rows == 1
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(back.path), ""))
    with qtbot.waitSignal(source.imported, timeout=SLOW):
        source.import_bundle()
    # The passphrase typed for writing is remembered; Sam's key is new to Rosa.
    assert told_rosa.questions() == ["passphrase", "trust", "preview"]
    assert rosa.store.require(Contact, contact.id).notes == "Use the back door"
    assert sync_state(rosa.store) == sync_state(sam)
    rosa.close()

    # Edit › Undo takes Sam's whole import back as one step, in the background when it is
    # large (the threshold lowered here: the demo is small), and Redo brings it again.
    monkeypatch.setattr(session_module, "BACKGROUND_STEP", 100)
    window.undo_action.trigger()  # first the notes edited since
    assert sam.require(Contact, contact.id).notes != "Use the back door"
    assert window.undo_action.text() == "&Undo Import the bundle from Rosa"
    # Undoing it deletes what it brought, on the other laptops too at the next bundle:
    # asked first, and No (the default) changes nothing.
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(parent, title, text, buttons, default):  # type: ignore[no-untyped-def]
        asked.append(text)
        assert default == QMessageBox.StandardButton.No
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    window.undo_action.trigger()
    assert sam.count(Contact) == shared and "other laptops" in asked[-1]
    answer[0] = QMessageBox.StandardButton.Yes
    window.undo_action.trigger()
    assert window._step_job is not None
    qtbot.waitUntil(lambda: not window._step_job.running, timeout=SLOW)
    assert window.current_page() == "sync"
    # The household whose notes were edited (and put back) since is kept, and named: its
    # stamps moved, and what holds only stamps cannot tell an edit put back from none.
    assert [c.id for c in sam.select(Contact)] == [contact.id]
    message = window.statusBar().currentMessage()
    assert message.startswith("Undone: Import the bundle from Rosa.")
    assert f"Kept as changed since: contact {contact.name}: edited since." in message
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: not window._step_job.running, timeout=SLOW)
    assert sam.count(Contact) == shared
    assert window.undo_action.text() == "&Undo Import the bundle from Rosa"
    answer[0] = QMessageBox.StandardButton.No
    window.undo_action.trigger()  # after a redo, undoing it again asks again
    assert len(asked) == 3 and sam.count(Contact) == shared


def test_a_wrong_passphrase_is_asked_again_and_changes_nothing(
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    sam = Store.create(tmp_path / "sam.sqlite", organizer="Sam")
    shared_contact(sam, "Ada Obi")
    path = export_bundle(sam, tmp_path / "sam.bundle", PASS).path
    sam.close()
    view = sync_view(window)
    store = window.session.store
    before = (sync_state(store), store.count(Contact), imports(store))
    told = Organizer(view, monkeypatch, passphrase=["not the passphrase"])  # then: Cancel
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    view.import_bundle()
    qtbot.waitUntil(lambda: len(told.asked) == 2, timeout=SLOW)
    assert told.asked[0] == ("passphrase", (False, ""))
    confirm, note = told.asked[1][1]
    assert not confirm
    assert note.startswith(WRONG_PASSPHRASE)  # the one sentence, in the dialog that asks again
    assert view.passphrase is None  # a wrong one is not remembered
    assert view.status.text() == "Nothing was imported."
    assert (sync_state(store), store.count(Contact), imports(store)) == before
    assert peers(store) == []
    wait_for_digest(qtbot, view, store)


def test_the_passphrase_dialog_shows_the_error_and_wants_it_twice_at_first(qtbot) -> None:
    asking = PassphraseDialog(confirm=False, note=WRONG_PASSPHRASE)
    qtbot.addWidget(asking)
    assert WRONG_PASSPHRASE in asking.note.text()
    first = PassphraseDialog(confirm=True)
    qtbot.addWidget(first)
    ok = first.buttons.buttons()[0]
    assert first.field.echoMode() == first.field.EchoMode.Password
    assert not ok.isEnabled()
    first.field.setText("blue kettle on the stove")
    first.again.setText("blue kettel on the stove")
    assert not ok.isEnabled()
    assert "not the same" in first.mismatch.text()
    first.again.setText("blue kettle on the stove")
    assert ok.isEnabled()
    assert first.value == "blue kettle on the stove"


def test_a_weak_new_passphrase_is_refused_with_a_strong_one_suggested(qtbot) -> None:
    first = PassphraseDialog(confirm=True, known_words=("Eastside Mutual Aid", "Rosa"))
    qtbot.addWidget(first)
    ok = first.buttons.buttons()[0]
    for weak in ("foodbank2026", "eastside mutual aid 2026", "password password"):
        first.field.setText(weak)
        first.again.setText(weak)
        assert not ok.isEnabled(), weak
        assert "Too easy to guess" in first.strength.text()
    qtbot.mouseClick(first.suggest_button, Qt.MouseButton.LeftButton)
    suggested = first.value
    assert len(suggested.split()) == 5 and first.again.text() == suggested
    assert first.field.echoMode() == first.field.EchoMode.Normal  # to read it aloud
    assert ok.isEnabled() and first.strength.text() == ""
    asking = PassphraseDialog(confirm=False)  # opening a bundle never judges its passphrase
    qtbot.addWidget(asking)
    asking.field.setText("short")
    assert asking.buttons.buttons()[0].isEnabled()


def test_trust_dialog_shows_the_fingerprint_big_and_defaults_to_cancel(qtbot) -> None:
    dialog = TrustDialog("Sam", "VCFC-XUZV-HPWR-TWM6-5PIK-3JRT-Q7VX-UO7X")
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == "VCFC-XUZV-HPWR-TWM6-5PIK-3JRT-Q7VX-UO7X"
    assert dialog.fingerprint.font().pointSize() >= 18
    assert not dialog.trust_button.isDefault()
    # Tab to "Trust", then Enter: still no trust (a focused button would become the default).
    dialog.show()
    dialog.trust_button.setFocus()
    qtbot.keyClick(dialog.trust_button, Qt.Key.Key_Return)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert not dialog.trust_button.isDefault()


def test_a_trusted_organizer_can_be_removed_after_a_question(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    store = window.session.store
    sam = Store.create(None, organizer="Sam")
    deliver(body_of(sam), sam, store, merge_groups=True)
    view = sync_view(window)
    assert view.peers.rowCount() == 1
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(view, "ask_remove_trust", lambda p: asked.append(p.organizer) or answer[0])
    button = view.peers.cellWidget(0, 3)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == ["Sam"] and len(peers(store)) == 1  # No: nothing changes
    answer[0] = True
    qtbot.mouseClick(view.peers.cellWidget(0, 3), Qt.MouseButton.LeftButton)
    assert peers(store) == []
    assert view.pages.currentIndex() == 0  # back to "how to start"


def test_another_group_and_a_clock_far_ahead_are_asked_before_anything_changes(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    store = window.session.store
    cleo = Store.create(None, organizer="Cleo")
    shared_contact(cleo, "Bea Lund")
    sync(cleo, store)  # this laptop joined Cleo's group
    bo = Store.create(None, organizer="Bo")
    shared_contact(bo, "Cai Moreno")
    body = body_of(bo)
    body["created_hlc"] = hlc_from_ms(int(time.time() * 1000) + 3 * 86_400_000)
    incoming = Incoming(OpenedBundle(body, identity(bo)), file_sha256="x" * 64, name="bo.bundle")
    view = sync_view(window)

    told = Organizer(view, monkeypatch, merge=False)
    assert view.review(incoming) is None
    assert told.questions() == ["trust", "merge"]
    assert view.status.text() == "Nothing was imported."
    assert store.count(Contact, "name = 'Cai Moreno'") == 0

    told = Organizer(view, monkeypatch)
    with qtbot.waitSignal(view.imported, timeout=SLOW):
        assert view.review(incoming) is not None
    assert told.questions() == ["trust", "merge", "clock", "preview"]
    assert told.asked[2][1] > 2 * 86_400_000
    assert "Contacts: 1 new" in told.previews[0]
    assert store.count(Contact, "name = 'Cai Moreno'") == 1
    assert {p.organizer for p in peers(store)} == {"Bo", "Cleo"}
    assert view.peers.rowCount() == 2
    wait_for_digest(qtbot, view, store)


def test_a_conflict_is_listed_and_keep_other_settles_it(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    store = window.session.store
    sam = Store.create(None, organizer="Sam")
    sync(store, sam)
    contact = store.select(Contact, "share_scope = 'group'", limit=1)[0]
    store.update(Contact, contact.id, notes="Back door, ring twice")
    sam.update(Contact, contact.id, notes="Front door")  # later: it wins
    deliver(body_of(sam), sam, store)
    assert count_open(store) == 1
    view = sync_view(window)
    assert view.pages.currentIndex() == 1
    assert view.conflicts_box.title() == "Conflicts to review (1)"
    assert view.conflicts.rowCount() == 1
    assert view.conflicts.item(0, 0).text() == f"Contact {contact.name}"
    assert view.conflicts.item(0, 1).text() == "Notes"
    current, other = view.conflicts.item(0, 2).text(), view.conflicts.item(0, 3).text()
    assert current.startswith("Front door\nby Sam, ")
    assert other.startswith("Back door, ring twice\nby Rosa, ")

    keep_other = view.conflicts.cellWidget(0, 4).findChild(QPushButton, "keep_other")
    qtbot.mouseClick(keep_other, Qt.MouseButton.LeftButton)
    assert count_open(store) == 0
    assert store.require(Contact, contact.id).notes == "Back door, ring twice"
    assert open_conflicts(store) == []
    assert view.conflicts_box.title() == "Conflicts to review"
    assert view.no_conflicts.isVisibleTo(view)
    # The choice is an ordinary synced edit: Sam's laptop takes it from the next bundle.
    deliver(body_of(store), store, sam)
    assert sam.require(Contact, contact.id).notes == "Back door, ring twice"
    wait_for_digest(qtbot, view, store)


def test_a_delta_for_a_known_organizer_and_the_remembered_passphrase(
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    store = window.session.store
    cleo = Store.create(None, organizer="Cleo")
    sync(cleo, store)
    view = sync_view(window)
    view.passphrase = PASS  # typed earlier in this session
    told = Organizer(view, monkeypatch)
    offered: list[list[str]] = []

    def choose(known):
        offered.append([p.organizer for p in known])
        return known[0]

    monkeypatch.setattr(view, "choose_contents", choose)
    names: list[str] = []

    def save_as(parent, title, start, filters):
        names.append(Path(start).name)
        return str(tmp_path / Path(start).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    calls: list[dict[str, Any]] = []

    def fake_export(store, out, passphrase, for_peer=None, progress=None):
        calls.append({"out": out, "passphrase": passphrase, "for_peer": for_peer})
        return ExportResult(out, bundle.DELTA, 12, 3_400_000, 0.1)

    monkeypatch.setattr("mutualaid_desktop.ui.views.sync.export_bundle", fake_export)
    with qtbot.waitSignal(view.exported, timeout=SLOW):
        view.write_bundle()
    assert offered == [["Cleo"]]
    assert names[0].startswith("Rosa-for-Cleo-")
    assert calls[0]["for_peer"] == identity(cleo).fingerprint
    assert calls[0]["passphrase"] == PASS
    assert told.asked == []  # the passphrase was not asked again
    assert "(12 records, 3.4 MB)" in told.told[0]
    wait_for_digest(qtbot, view, store)


def test_cancelling_a_bundle_write_says_nothing_was_written(
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    view = sync_view(window)
    told = Organizer(view, monkeypatch)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "x.bundle"), ""))

    def slow_export(store, out, passphrase, for_peer=None, progress=None):
        while progress("Reading contacts", 0.1):
            time.sleep(0.01)
        raise Cancelled

    monkeypatch.setattr("mutualaid_desktop.ui.views.sync.export_bundle", slow_export)
    job = view.write_bundle()
    assert job is not None
    job.cancel()
    with qtbot.waitSignal(job.error, timeout=SLOW):
        pass
    assert view.status.text() == "No bundle was written."
    assert told.told == []
    assert not (tmp_path / "x.bundle").exists()
    wait_for_digest(qtbot, view, window.session.store)
