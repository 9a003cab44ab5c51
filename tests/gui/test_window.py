"""The main window: navigation, search, shortcuts, first run, errors, state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop import config
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.store import Store
from mutualaid_desktop.ui import errors as ui_errors
from mutualaid_desktop.ui.app import Controller
from mutualaid_desktop.ui.dialogs.welcome import WelcomeDialog
from mutualaid_desktop.ui.main_window import PAGES, MainWindow


def test_sidebar_has_every_section_and_sync_is_built(window: MainWindow) -> None:
    from mutualaid_desktop.sync.identity import identity
    from mutualaid_desktop.ui.views.sync import SyncView

    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [
        "Today",
        "Contacts",
        "Needs",
        "Deliveries",
        "Rides",
        "Print",
        "Sync",
        "Settings",
    ]
    window.show_page("sync")
    view = window.views["sync"]
    assert window.stack.currentWidget().widget() is view  # each page in its scroll area
    assert isinstance(view, SyncView)
    assert view.fingerprint.text() == identity(window.session.store).fingerprint
    texts = " ".join(label.text() for label in view.findChildren(type(window.db_label)))
    assert "Not built yet" not in texts
    assert "compare fingerprints in person" in texts  # a new database explains how to start


def test_status_bar_names_database_and_counts(window: MainWindow) -> None:
    window.update_counts()
    assert window.db_label.text() == "Database: demo.sqlite"
    contacts = window.session.store.count(Contact)
    assert f"{contacts:,} contacts" in window.counts_label.text()


def test_search_shortcut_and_typing_filters_across_both_lists(window: MainWindow, qtbot) -> None:
    window.show_page("today")
    window.activateWindow()
    qtbot.keySequence(window, QKeySequence("Ctrl+K")) if hasattr(qtbot, "keySequence") else None
    window.focus_search()
    assert window.search.hasFocus() or window.search.isVisible()
    name = window.session.store.select(Contact, limit=1, order_by="name")[0].name
    first_word = name.split()[0]
    window.search.setText(first_word)
    assert window.current_page() == "contacts"
    assert window.contacts.model.rowCount() >= 1
    contacts_item = window.sidebar.item(PAGES.index("contacts")).text()
    assert contacts_item == f"Contacts ({window.contacts.model.rowCount():,})"
    needs_item = window.sidebar.item(PAGES.index("needs"))
    qtbot.waitUntil(lambda: needs_item.text().startswith("Needs ("), timeout=2000)
    count = int(needs_item.text().split("(")[1].rstrip(")").replace(",", ""))
    window.show_page("needs")
    assert window.needs.model.rowCount() == count
    window.search.clear()
    assert window.sidebar.item(PAGES.index("contacts")).text() == "Contacts"


def test_today_view_shows_overdue_and_opens_needs(window: MainWindow, qtbot) -> None:
    window.show_page("today")
    today = window.today
    assert today.overdue.topLevelItemCount() > 0
    total_cards = sum(
        int(card.text().split()[0].replace(",", "")) for card, _ in today.urgency_cards
    )
    open_needs = window.session.store.count(
        __import__("mutualaid_desktop.domain", fromlist=["Need"]).Need,
        "status IN ('new', 'scheduled')",
    )
    assert total_cards == open_needs
    qtbot.mouseClick(today.overdue_card, Qt.MouseButton.LeftButton)
    assert window.current_page() == "needs"
    assert window.needs.status_filter.currentText() == "Overdue"


def test_first_run_creates_database_in_data_folder(qapp, qtbot, monkeypatch) -> None:
    def fake_exec(self: WelcomeDialog) -> int:
        self.org.setText("Southside Pantry")
        self.name.setText("Rosa")
        self.new_passphrase.plain.setChecked(True)  # encryption has its own tests
        return 1

    monkeypatch.setattr(WelcomeDialog, "exec", fake_exec)
    controller = Controller(qapp)
    assert not config.default_db_path().exists()
    assert controller.start(None)
    try:
        assert config.default_db_path().exists()
        assert controller.window is not None
        assert controller.window.windowTitle().startswith("Southside Pantry")
        assert controller.session.store.organizer == "Rosa"
        # An empty table says how to start.
        controller.window.show_page("contacts")
        assert (
            controller.window.contacts.table.currentWidget()
            is controller.window.contacts.table.empty
        )
    finally:
        controller.window.controller = None
        controller.window.close()
        controller.session.close()


def test_load_demo_runs_in_background_and_fills_window(qapp, qtbot, tmp_path, monkeypatch) -> None:
    path = tmp_path / "empty.sqlite"
    Store.create(path, organizer="Rosa").close()
    controller = Controller(qapp)
    assert controller.open_database(path)
    try:
        job = controller.load_demo(households=25)
        assert job is not None
        with qtbot.waitSignal(job.done, timeout=30000):
            pass
        controller.window.show_page("contacts")
        assert controller.window.contacts.model.rowCount() > 25
        assert controller.session.store.count(Contact) > 25
    finally:
        controller.window.controller = None
        controller.window.close()
        controller.session.close()


def test_cancelling_demo_changes_nothing(qapp, qtbot, tmp_path, monkeypatch) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, exc: shown.append(exc))
    path = tmp_path / "empty.sqlite"
    Store.create(path, organizer="Rosa").close()
    controller = Controller(qapp)
    assert controller.open_database(path)
    try:
        job = controller.load_demo(households=400)
        assert job is not None
        job.cancel()
        with qtbot.waitSignal(job.error, timeout=30000):
            pass
        assert controller.session.store.count(Contact) == 0
    finally:
        controller.window.controller = None
        controller.window.close()
        controller.session.close()


def test_user_error_is_a_plain_dialog_and_bug_has_copyable_details(qtbot, monkeypatch) -> None:
    seen: list[tuple[str, str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        seen.append((box.objectName(), box.text(), box.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    ui_errors.show_error(None, UserError("Wrong passphrase. Type it again."))
    try:
        raise ValueError("boom")
    except ValueError as exc:
        ui_errors.show_error(None, exc)
    assert seen[0] == ("userErrorDialog", "Wrong passphrase. Type it again.", "")
    assert seen[1][0] == "bugDialog"
    assert "ValueError: boom" in seen[1][2]


def test_opening_a_damaged_file_says_so(qapp, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    shown: list[BaseException] = []
    monkeypatch.setattr(
        "mutualaid_desktop.ui.app.show_error", lambda parent, exc: shown.append(exc)
    )
    controller = Controller(qapp)
    assert not controller.open_database(bad)
    assert isinstance(shown[0], UserError)
    assert "not a database" in str(shown[0])


def test_window_layout_is_remembered(controller: Controller, demo_db: Path, qtbot) -> None:
    assert controller.open_database(demo_db)
    window = controller.window
    window.show_page("needs")
    window.needs.splitter.setSizes([300, 500])
    saved_sizes = window.needs.splitter.sizes()
    window.close()
    controller.window = None
    controller.session.close()
    controller.session = None
    assert controller.open_database(demo_db)
    assert controller.window.current_page() == "needs"
    restored = controller.window.needs.splitter.sizes()
    # The window may come back smaller (the screen decides); the proportions stay.
    assert abs(restored[0] / sum(restored) - saved_sizes[0] / sum(saved_sizes)) < 0.02


@pytest.mark.parametrize("key", ["New", "Find", "Print", "Undo", "Redo", "Quit"])
def test_menus_carry_standard_shortcuts(window: MainWindow, key: str) -> None:
    standard = QKeySequence(getattr(QKeySequence.StandardKey, key))
    if standard.isEmpty() and key == "Quit":
        standard = QKeySequence("Ctrl+Q")  # the program's fallback where the platform has none
    shortcuts = [s for a in window.findChildren(type(window.undo_action)) for s in a.shortcuts()]
    assert not standard.isEmpty()
    assert standard in shortcuts


def test_packing_rules_edit_scales_with_household(window: MainWindow) -> None:
    from PySide6.QtWidgets import QDoubleSpinBox

    from mutualaid_desktop.deliveries import packing_rules

    window.show_page("settings")
    editor = window.settings_view.packing
    assert editor.boxes.count() >= 5
    editor.boxes.setCurrentRow(0)
    spin = editor.lines.cellWidget(0, 3)
    assert isinstance(spin, QDoubleSpinBox)
    spin.setValue(2.0)
    editor.preview_size.setValue(3)
    item = editor.lines.item(0, 0).text()
    assert f"× {item}" in editor.preview.text()
    assert editor.save()
    saved = packing_rules.lines_of(window.session.store, editor.current_id)
    line = next(line for line in saved if line.item == item)
    assert line.qty_per_person == 2.0
