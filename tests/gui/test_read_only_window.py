"""A database that can only be read (a read-only file or folder): the window keeps looking,
searching, printing, exporting and copying, and leaves no control that writes enabled.

The database is made read-only the way an organizer meets it (chmod), with root's
override of file permissions dropped (`as_ordinary_user`), so the file itself would
refuse a write; and the file is compared byte for byte afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QMenuBar,
)

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.ui import errors as ui_errors
from mutualaid_desktop.ui.app import Controller
from mutualaid_desktop.ui.dialogs import backups as backup_dialogs
from mutualaid_desktop.ui.dialogs.deleted import DeletedDialog
from mutualaid_desktop.ui.dialogs.driver import DriverDialog
from mutualaid_desktop.ui.main_window import PAGES, MainWindow
from tests.unit.sync.exchange import body_of, deliver, sync

# What a read-only window keeps: looking, searching, printing, exporting, copying, and
# going elsewhere. Anything else found enabled writes, or leads only to a write.
READING = {
    # File
    "New database…",
    "Open database…",
    "Open recent",
    "Export to a spreadsheet…",
    "Funder report…",
    "Open needs for the group chat…",
    "Back up now",  # the copy goes to the backups folder; the database is only read
    "Save a copy…",
    "Print…",
    "Lock the window",
    "Quit",
    # Edit, Go, Help
    "Recently deleted…",  # to look: its Restore button is off
    "Find…",
    "About Mutual Aid Desktop",
    "Open the log folder",
    *("Today", "Contacts", "Needs", "Deliveries", "Rides", "Print", "Sync", "Settings"),
    # in the views
    "Open",  # a need's household, a possible duplicate
    "Clear filters",
    "Go to contacts",
    "Preview",
    "Save PDF…",
    "Open in viewer",
    "Copy message",
    "Driver's profile…",  # shown for reading (test below)
    "Compute again",
}


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(ui_errors, "show_user_error", lambda p, e, t="": shown.append(str(e)))
    return shown


@pytest.fixture
def read_only_db(demo_db: Path) -> Path:
    """The demo database with a trusted organizer and a conflict to review, made read-only."""
    with Store.open(demo_db) as store:
        sam = Store.create(None, organizer="Sam")
        sync(store, sam)
        contact = store.select(Contact, "share_scope = 'group'", limit=1)[0]
        store.update(Contact, contact.id, notes="Back door, ring twice")
        sam.update(Contact, contact.id, notes="Front door")
        deliver(body_of(sam), sam, store)
    demo_db.chmod(0o444)
    return demo_db


@pytest.fixture
def read_only_window(
    controller: Controller, read_only_db: Path, qtbot, as_ordinary_user
) -> MainWindow:
    assert controller.open_database(read_only_db)
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    return window


def _leaves(menu: QMenu | QMenuBar) -> list[QAction]:
    out: list[QAction] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        sub = action.menu()
        if sub is not None:
            sub.aboutToShow.emit()  # Open recent fills itself when opened
            if action.text().replace("&", "") in READING:
                continue
            out.extend(_leaves(sub))
        else:
            out.append(action)
    return out


def _writing_controls_enabled(window: MainWindow, menus: list[QMenu]) -> list[str]:
    """Every enabled button and menu entry of the window that is not a reading one."""
    cards = {id(card) for card, _u in window.today.urgency_cards} | {id(window.today.overdue_card)}
    found = []
    for button in window.findChildren(QAbstractButton):
        text = button.text().replace("&", "")
        # Qt's own buttons (a line edit's clear button, a tab bar's arrows) have no text;
        # the Today cards open a list.
        if not text or id(button) in cards:
            continue
        if button.isEnabled() and text not in READING:
            found.append(f"button {text!r} ({type(button.window()).__name__})")
    for menu in [window.menuBar(), *menus]:
        for action in _leaves(menu):
            text = action.text().replace("&", "").split("\t")[0]
            if action.isEnabled() and text not in READING:
                found.append(f"menu entry {text!r}")
    return found


def test_a_read_only_window_leaves_no_control_that_writes_enabled(
    read_only_window: MainWindow, read_only_db: Path, qtbot, errors_shown, tmp_path: Path
) -> None:
    window = read_only_window
    before = read_only_db.read_bytes()
    assert window.banner.isVisibleTo(window)
    for page in PAGES:  # every view built and loaded
        window.show_page(page)
        qtbot.wait(50)
    contacts, needs = window.contacts, window.needs
    qtbot.waitUntil(lambda: contacts.form.contact is not None, timeout=3000)
    window.show_page("needs")
    qtbot.waitUntil(lambda: needs.form.need is not None, timeout=3000)
    deliveries = window.view("deliveries")
    deliveries.reload()
    assert deliveries.runs.count() and deliveries.stops.topLevelItemCount()
    rides = window.view("rides")
    rides.reload()
    assert rides.unassigned.topLevelItemCount()
    driver_ride = _a_driver_ride(rides)
    sync_view = window.view("sync")
    sync_view.reload()
    assert sync_view.peers.rowCount() == 1 and sync_view.conflicts.rowCount() == 1

    stop = deliveries.stops.topLevelItem(0)
    menus = [
        deliveries.stop_menu(stop.data(0, Qt.ItemDataRole.UserRole)),
        rides.ride_menu(driver_ride[0]),
        rides.ride_menu(rides.current_ride()),
    ]
    assert _writing_controls_enabled(window, menus) == []

    # The editors take no typing; the gestures that write do nothing (and say nothing).
    settings = window.settings_view
    assert settings.name.isReadOnly() and not settings.sharing.isEnabled()
    assert settings.packing.name.isReadOnly()
    for field in settings.packing.findChildren(QLineEdit):
        assert field.isReadOnly() or not field.isEnabled()
    spins = settings.packing.lines.findChildren(QAbstractSpinBox)
    assert spins and all(spin.isReadOnly() for spin in spins)
    assert settings.packing.lines.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert deliveries.stops.dragDropMode() == QAbstractItemView.DragDropMode.NoDragDrop
    window.show_page("deliveries")
    deliveries.stops.setCurrentItem(deliveries.stops.topLevelItem(0))
    qtbot.keyClick(deliveries.stops, Qt.Key.Key_D)
    qtbot.keyClick(deliveries.stops, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    window.show_page("rides")
    qtbot.keyClick(rides.unassigned, Qt.Key.Key_Delete)
    assert errors_shown == []

    # Looking, printing, backing up and copying still work, and the file is as it was.
    window.show_page("print")
    printing = window.view("print")
    printing.generate()
    qtbot.waitUntil(lambda: bool(printing.pdf), timeout=30000)
    window.show_page("contacts")
    qtbot.keyClicks(window.search, contacts.form.contact.name[:4])
    qtbot.waitUntil(lambda: contacts.model.rowCount() >= 1, timeout=3000)
    window.back_up_now()
    copy = backup_dialogs.save_copy(window, tmp_path / "copy.sqlite")
    assert copy is not None and errors_shown == []
    window.close()
    window.session.close()
    assert read_only_db.read_bytes() == before


def _a_driver_ride(rides) -> tuple[str, str]:
    """(ride id, status) of a ride on a driver's day, the day moved on until one is found."""
    for _day in range(14):
        for i in range(rides.driver.count()):
            rides.driver.setCurrentIndex(i)
            item = rides.driver_rides.topLevelItem(0)
            if item is not None:
                return item.data(0, Qt.ItemDataRole.UserRole)
        rides.day.setDate(rides.day.date().addDays(1))
    raise AssertionError("no driver has a ride in the demo's next two weeks")


def test_a_read_only_database_shows_a_driver_and_recently_deleted_without_writing(
    read_only_window: MainWindow, qtbot
) -> None:
    window = read_only_window
    rides = window.view("rides")
    rides.reload()
    profile = window.session.store.conn.execute(
        "SELECT id FROM driver_profiles WHERE _cl % 2 = 1 LIMIT 1"
    ).fetchone()[0]
    dialog = DriverDialog(window.session, profile, window)
    qtbot.addWidget(dialog)
    assert dialog.seats.isReadOnly() and dialog.area.isReadOnly()
    enabled = [
        b.text().replace("&", "") for b in dialog.findChildren(QAbstractButton) if b.isEnabled()
    ]
    assert enabled == ["Close"]
    for widget in dialog.findChildren(QComboBox):
        assert not widget.isEnabled()
    for widget in dialog.findChildren(QAbstractSpinBox):
        assert widget.isReadOnly()
    deleted = DeletedDialog(window.session, window)
    qtbot.addWidget(deleted)
    assert not deleted.restore_button.isEnabled()
