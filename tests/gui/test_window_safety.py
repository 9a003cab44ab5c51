"""The window with the database in trouble or in company: read-only places, a full disk,
another writer, the mouse wheel, the forms, backups, restore and recently deleted."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from mutualaid_desktop.domain import Contact, Need
from mutualaid_desktop.store import Store
from mutualaid_desktop.store import backup as backup_module
from mutualaid_desktop.store.backup import list_backups, make_backup
from mutualaid_desktop.ui import errors as ui_errors
from mutualaid_desktop.ui.app import Controller
from mutualaid_desktop.ui.dialogs import backups as backup_dialogs
from mutualaid_desktop.ui.dialogs.deleted import DeletedDialog
from mutualaid_desktop.ui.main_window import MainWindow


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(ui_errors, "show_user_error", lambda p, e, t="": shown.append(str(e)))
    return shown


def shown_contact(window: MainWindow, qtbot):
    window.show_page("contacts")
    form = window.contacts.form
    qtbot.waitUntil(lambda: form.contact is not None and not form.is_new, timeout=3000)
    return form


# -- read-only, full disk, other writers ------------------------------------------------


def test_a_read_only_database_opens_with_a_banner_and_refuses_edits_in_one_sentence(
    controller: Controller, demo_db: Path, qtbot, errors_shown, as_ordinary_user
) -> None:
    demo_db.chmod(0o444)
    before = demo_db.read_bytes()
    assert controller.open_database(demo_db)
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    assert window.banner.isVisibleTo(window)
    assert "Read-only: the file is read-only" in window.banner.text()
    assert not window.undo_action.isEnabled()
    form = shown_contact(window, qtbot)  # looking works
    assert form.unit.isReadOnly() and not form.save_button.isEnabled()
    window.contacts.toggle_archive()  # and a change says why it cannot be made
    assert len(errors_shown) == 1 and errors_shown[0].startswith("This database is read-only")
    assert "damaged" not in errors_shown[0]
    window.show_page("deliveries")
    window.close()
    controller.session.close()
    assert demo_db.read_bytes() == before


def test_a_full_disk_says_so_in_the_window_and_keeps_the_typing(
    window: MainWindow, qtbot, errors_shown
) -> None:
    form = shown_contact(window, qtbot)
    store = window.session.store
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    form.notes.setPlainText("A long note. " * 1500)  # within the 20,000-character cap
    try:
        assert not form.save()
    finally:
        store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert errors_shown and errors_shown[0].startswith("The disk is full")
    assert form.notes.toPlainText().startswith("A long note.")
    assert form.save()  # once there is room again


def test_the_window_notices_another_writer_and_refreshes(window: MainWindow, qtbot) -> None:
    window.show_page("contacts")
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=3000)
    shown = view.model.rowCount()
    with Store.open(window.session.path) as other:  # a command-line import, say
        other.insert_many([Contact(name=f"Arrived elsewhere {i}") for i in range(25)])
    qtbot.waitUntil(lambda: view.model.rowCount() == shown + 25, timeout=5000)
    qtbot.waitUntil(lambda: f"{shown + 25:,} contacts" in window.counts_label.text(), timeout=3000)


# -- the mouse wheel ----------------------------------------------------------------------


def wheel(widget, steps: int = -3) -> None:
    event = QWheelEvent(
        QPointF(5, 5),
        QPointF(widget.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_mouse_wheel_never_changes_a_field_you_did_not_click(window: MainWindow, qtbot) -> None:
    form = shown_contact(window, qtbot)
    window.show()
    form.name.setFocus()
    preferred, adults = form.preferred.currentIndex(), form.adults.value()
    scrolled = form.scroll_area.verticalScrollBar()
    scrolled.setValue(0)
    wheel(form.preferred)
    wheel(form.adults)
    assert (form.preferred.currentIndex(), form.adults.value()) == (preferred, adults)
    assert scrolled.value() > 0 or scrolled.maximum() == 0  # the page scrolled instead
    assert not form.is_dirty()
    qtbot.mouseClick(form.adults, Qt.MouseButton.LeftButton)  # clicked: now it is theirs
    form.adults.setFocus()
    wheel(form.adults, steps=1)
    assert form.adults.value() != adults


# -- forms ----------------------------------------------------------------------------------


def test_a_new_contact_opens_at_the_top_with_the_cursor_in_name(window: MainWindow, qtbot) -> None:
    form = shown_contact(window, qtbot)
    window.show()
    window.activateWindow()
    form.scroll_area.verticalScrollBar().setValue(form.scroll_area.verticalScrollBar().maximum())
    window.contacts.new_contact()
    assert form.scroll_area.verticalScrollBar().value() == 0
    assert QApplication.focusWidget() is form.name


def test_saving_goes_to_the_first_field_in_error_and_messages_clear_when_fixed(
    window: MainWindow, qtbot
) -> None:
    form = shown_contact(window, qtbot)
    window.show()
    window.activateWindow()
    window.contacts.new_contact()
    qtbot.keyClicks(form.name, "Dana Whitfield")
    qtbot.keyClicks(form.phones, "12")
    qtbot.keyClicks(form.email, "not an email")
    assert not form.save()
    assert QApplication.focusWidget() is form.phones  # the first in the form's order
    assert form.form.message("phones") and form.form.message("email")
    form.email.clear()
    qtbot.keyClicks(form.email, "dana@example.org")  # fixed: its message goes
    qtbot.waitUntil(lambda: form.form.message("email") == "", timeout=2000)
    assert form.form.message("phones")  # the other one stays until it is fixed too
    form.phones.clear()
    qtbot.keyClicks(form.phones, "713-555-0199")
    qtbot.waitUntil(lambda: not form.form.has_problems(), timeout=2000)

    form.adults.setValue(0)  # "at least one person", further down the form
    bar = form.scroll_area.verticalScrollBar()
    bar.setValue(0)
    form.name.setFocus()
    assert not form.save()
    assert form.form.message("adults")
    assert QApplication.focusWidget() is form.adults
    top = form.adults.mapTo(form.scroll_area.viewport(), QPoint(0, 0)).y()
    assert 0 <= top < form.scroll_area.viewport().height()  # scrolled into view
    form.adults.setValue(2)
    qtbot.waitUntil(lambda: form.form.message("adults") == "", timeout=2000)
    assert form.save()


def test_a_need_due_in_the_past_asks_once(window: MainWindow, qtbot, monkeypatch) -> None:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    window.show_page("needs")
    form = window.needs.form
    qtbot.waitUntil(lambda: form.need is not None and not form.is_new, timeout=3000)
    need_id = form.need.id
    past = date.today() - timedelta(days=3)
    form.due.set_value(past)
    assert form.save()
    assert len(asked) == 1 and "already past" in asked[0]
    assert window.session.store.require(Need, need_id).needed_by == past
    form.source.setText("phone call")
    assert form.save()
    assert len(asked) == 1  # asked once, not at every save


# -- backups, copies, restore ------------------------------------------------------------


def test_closing_after_changes_backs_up_and_closing_without_does_not(
    controller: Controller, demo_db: Path, qtbot
) -> None:
    assert controller.open_database(demo_db)
    controller.window.close()
    controller.session.close()
    assert list_backups(demo_db) == []
    assert controller.open_database(demo_db)
    window = controller.window
    form = shown_contact(window, qtbot)
    qtbot.keyClicks(form.unit, "Apt 5B")
    assert form.save()
    window.close()
    controller.session.close()
    assert [b.reason for b in list_backups(demo_db)] == ["on-close"]


def test_back_up_now_and_save_a_copy(window: MainWindow, tmp_path: Path, qtbot) -> None:
    form = shown_contact(window, qtbot)
    contact_id = form.contact.id
    qtbot.keyClicks(form.unit, "Apt 5B")  # typed, not saved yet
    window.back_up_now()  # File › Back up now: the backup holds what the editor shows
    made = list_backups(window.session.path)[0].path
    assert str(made) in window.statusBar().currentMessage()
    with Store.open(made, read_only=True) as backed_up:
        assert backed_up.require(Contact, contact_id).address.unit.endswith("Apt 5B")
    copy = backup_dialogs.save_copy(window, tmp_path / "for Sam.sqlite")
    assert copy is not None
    with Store.open(copy) as other:
        assert other.count(Contact) == window.session.store.count(Contact)
        assert other.meta()["database_id"] != window.session.store.meta()["database_id"]


def test_restore_from_backup_shows_what_it_holds_and_puts_it_back(
    window: MainWindow, controller: Controller, qtbot, monkeypatch
) -> None:
    store = window.session.store
    kept = sorted(c.name for c in store.select(Contact))
    make_backup(store, "manual")
    form = shown_contact(window, qtbot)
    window.contacts.delete_current = window.contacts.delete_current  # (no dialog needed)
    for contact in store.select(Contact, limit=5):
        window.session.delete(Contact, contact.id, "Delete contact")
    dialog = backup_dialogs.RestoreDialog(window, controller)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItemCount() == 1
    preview = dialog.preview.text()
    assert f"<td align='right'>{len(kept):,}</td><td align='right'>{len(kept) - 5:,}</td>" in (
        preview
    )
    # The long part runs in the background, the window answering meanwhile (a slow disk).
    slow_copy = backup_module._copy_for_restore

    def slowly(*args):
        time.sleep(1.0)
        return slow_copy(*args)

    monkeypatch.setattr(backup_module, "_copy_for_restore", slowly)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    job = dialog.restore(dialog.chosen())
    assert job is not None and job.running
    qtbot.waitUntil(lambda: job.dialog.isVisible(), timeout=3000)  # the progress shows
    assert controller.window is window  # still showing the database as it is
    qtbot.waitUntil(lambda: controller.restored is not None, timeout=30000)
    timer.stop()
    assert len(ticks) >= 20  # the event loop kept running through the second's copy
    new_window = controller.window
    assert new_window is not window
    assert sorted(c.name for c in new_window.session.store.select(Contact)) == kept
    reasons = [b.reason for b in list_backups(new_window.session.path)]
    assert "before-restore" in reasons
    message = new_window.statusBar().currentMessage()
    assert message.startswith("Restored the backup of ") and message.count(".") == 1 + str(
        list_backups(new_window.session.path)[0].path
    ).count(".")
    # What the window shows is the backup's.
    new_window.show_page("contacts")
    qtbot.waitUntil(lambda: new_window.contacts.model.rowCount() == len(kept), timeout=3000)
    new_window.update_counts()
    assert f"{len(kept):,} contacts" in new_window.counts_label.text()
    del form


def test_a_damaged_backup_is_refused_in_one_sentence_and_nothing_changes(
    window: MainWindow, controller: Controller, qtbot, errors_shown, tmp_path: Path
) -> None:
    store = window.session.store
    contacts = store.count(Contact)
    made = make_backup(store, "manual")
    data = bytearray(made.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 8192] = bytes(8192)  # two pages in the middle overwritten
    made.write_bytes(bytes(data))
    before = window.session.path.read_bytes()
    dialog = backup_dialogs.RestoreDialog(window, controller)
    qtbot.addWidget(dialog)
    job = dialog.restore(dialog.chosen())
    assert job is not None
    qtbot.waitUntil(lambda: not job.running and job.exception is not None, timeout=30000)
    assert len(errors_shown) == 1 and errors_shown[0].count(". ") == 0
    assert "damaged" in errors_shown[0] or "did not check out" in errors_shown[0]
    assert controller.window is window and not window.session.store.closed
    assert window.session.store.count(Contact) == contacts
    assert controller.restored is None
    assert window.session.path.read_bytes() == before


# -- recently deleted -----------------------------------------------------------------------


def test_recently_deleted_survives_closing_and_restores_what_went_with_it(
    controller: Controller, demo_db: Path, qtbot
) -> None:
    assert controller.open_database(demo_db)
    session = controller.session
    store = session.store
    household = store.conn.execute(
        "SELECT contact_id FROM needs WHERE _cl % 2 = 1 GROUP BY contact_id "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    needs = store.count(Need, "contact_id = ?", [household])
    name = store.require(Contact, household).name
    session.delete(Contact, household, f"Delete contact {name}")
    controller.window.close()
    session.close()

    assert controller.open_database(demo_db)  # the program was closed and opened again
    window = controller.window
    qtbot.addWidget(window)
    dialog = DeletedDialog(window.session, window)
    qtbot.addWidget(dialog)
    first = dialog.list.topLevelItem(0)
    assert first.text(1) == "Household or person" and name in first.text(2)
    assert f"{needs} need" in first.text(3)
    assert dialog.restore_selected()
    restored = window.session.store
    assert restored.require(Contact, household).name == name
    assert restored.count(Need, "contact_id = ?", [household]) == needs
    assert window.undo_action.text().replace("&", "") == f"Undo Restore contact {name}"
    assert dialog.list.topLevelItemCount() == 0


def test_recently_deleted_keeps_them_for_the_days_set_in_settings(
    window: MainWindow, qtbot
) -> None:
    from mutualaid_desktop.store import deleted

    store = window.session.store
    contact = store.select(Contact, limit=1)[0]
    window.session.delete(Contact, contact.id, "Delete contact")
    assert deleted.retention_days(store) == 30
    window.show_page("settings")
    setting = window.settings_view.retention
    setting.days.setValue(7)
    setting.days.editingFinished.emit()
    assert deleted.retention_days(store) == 7
    assert [d.id for d in deleted.recently_deleted(store)] == [contact.id]
    with time_machine.travel(date.today() + timedelta(days=8), tick=False):
        assert deleted.recently_deleted(store) == []
        assert ("contacts", contact.id) in deleted.expired(store)  # for the purge (issue 13)
        dialog = DeletedDialog(window.session, window)
        qtbot.addWidget(dialog)
        assert dialog.list.topLevelItemCount() == 0
        assert "last 7 days" in dialog.intro.text()


def test_a_bundle_import_through_the_sync_view_is_undone_from_the_edit_menu(
    window: MainWindow, qtbot, monkeypatch, confirm
) -> None:
    from mutualaid_desktop.domain import ShareScope
    from mutualaid_desktop.sync.envelope import OpenedBundle
    from mutualaid_desktop.sync.identity import identity
    from mutualaid_desktop.sync.importer import Incoming
    from tests.gui.test_sync import SLOW, Organizer, sync_view
    from tests.unit.sync.exchange import body_of

    store = window.session.store
    with Store.create(None, organizer="Sam") as sam:  # a laptop with a household to share
        sam.insert(
            Contact(name="Cai Moreno", share_scope=ShareScope.GROUP, consent_at=datetime.now(UTC))
        )
        body = body_of(sam)
        incoming = Incoming(OpenedBundle(body, identity(sam)), "x" * 64, "sam.bundle")
    view = sync_view(window)
    Organizer(view, monkeypatch)
    with qtbot.waitSignal(view.imported, timeout=SLOW):
        assert view.review(incoming) is not None
    assert store.count(Contact, "name = 'Cai Moreno'") == 1
    assert window.undo_action.text().replace("&", "") == "Undo Import the bundle from Sam"
    window.show_page("contacts")
    window.undo_action.trigger()
    assert "other laptops" in confirm[-1]  # asked first: the next bundle deletes it there
    assert window.current_page() == "sync"
    assert store.count(Contact, "name = 'Cai Moreno'") == 0
    window.redo_action.trigger()
    assert store.count(Contact, "name = 'Cai Moreno'") == 1


def test_a_deleted_run_is_in_recently_deleted_with_its_stops(
    window: MainWindow, qtbot, confirm
) -> None:
    from mutualaid_desktop.domain import DeliveryRun, Stop

    window.show_page("deliveries")
    view = window.views["deliveries"]
    run_id = view.current_run_id()
    stops = window.session.store.count(Stop, "run_id = ?", [run_id])
    assert stops > 0
    view.delete_run()
    assert window.session.store.get(DeliveryRun, run_id) is None
    dialog = DeletedDialog(window.session, window)
    qtbot.addWidget(dialog)
    first = dialog.list.topLevelItem(0)
    assert first.text(1) == "Delivery run" and f"{stops} stop" in first.text(3)
    assert dialog.restore_selected()
    assert window.session.store.count(Stop, "run_id = ?", [run_id]) == stops


def test_the_daily_backup_runs_once_a_day_after_changes(window: MainWindow, qtbot) -> None:
    from mutualaid_desktop.ui.ops import QuietJob

    session = window.session
    session.daily_backup()  # nothing changed since the window opened
    qtbot.waitUntil(lambda: not QuietJob._running, timeout=10000)
    assert list_backups(session.path) == []
    session.update(Contact, session.store.select(Contact, limit=1)[0].id, "Edit", notes="x")
    session.daily_backup()
    qtbot.waitUntil(lambda: not QuietJob._running, timeout=10000)
    assert [b.reason for b in list_backups(session.path)] == ["daily"]
    session.update(Contact, session.store.select(Contact, limit=1)[0].id, "Edit", notes="y")
    session.daily_backup()  # the last one is less than a day old
    qtbot.waitUntil(lambda: not QuietJob._running, timeout=10000)
    assert len(list_backups(session.path)) == 1
    with time_machine.travel(date.today() + timedelta(days=2), tick=False):
        session.daily_backup()
        qtbot.waitUntil(lambda: not QuietJob._running, timeout=10000)
        assert len(list_backups(session.path)) == 2
