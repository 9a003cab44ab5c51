"""Undo that says what it undoes, for every change, where it was made; redo; and a
failed write never reported as done."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop.deliveries import planning
from mutualaid_desktop.domain import Contact, Need, NeedStatus, Outcome, Recurrence, Ride, Stop
from mutualaid_desktop.store.connection import connect
from mutualaid_desktop.ui import errors as ui_errors
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views import deliveries as deliveries_view
from tests.gui.test_rides import open_view as open_rides
from tests.gui.test_window_safety import shown_contact


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every error dialog's sentence, instead of the dialog."""
    shown: list[str] = []
    monkeypatch.setattr(ui_errors, "show_user_error", lambda p, e, t="": shown.append(str(e)))
    return shown


def open_deliveries(window: MainWindow):
    window.show_page("deliveries")
    view = window.views["deliveries"]
    assert view.runs.count() > 0
    view.runs.setCurrentRow(0)
    return view


def stops_state(window: MainWindow) -> list[tuple[Any, ...]]:
    return window.session.store.conn.execute(
        "SELECT id, run_id, seq, outcome, _cl % 2 FROM stops ORDER BY id"
    ).fetchall()


def undo_text(window: MainWindow) -> str:
    return window.undo_action.text().replace("&", "")


def test_undo_from_another_view_shows_that_view_first(window: MainWindow, qtbot, confirm) -> None:
    """Today: Ctrl+Z in Deliveries silently deleted a contact added earlier in Contacts."""
    window.show_page("contacts")
    view = window.contacts
    view.new_contact()
    qtbot.keyClicks(view.form.name, "Dana Whitfield")
    qtbot.mouseClick(view.form.save_button, Qt.MouseButton.LeftButton)
    added = view.form.contact.id
    assert undo_text(window) == "Undo Add contact Dana Whitfield"
    open_deliveries(window)
    window.undo_action.trigger()
    assert window.current_page() == "contacts"  # shown first: the organizer sees what goes
    assert window.session.store.get(Contact, added) is None
    assert "Undone: Add contact Dana Whitfield" in window.statusBar().currentMessage()
    assert window.redo_action.text().replace("&", "") == "Redo Add contact Dana Whitfield"
    window.redo_action.trigger()
    assert window.session.store.require(Contact, added).name == "Dana Whitfield"


def test_plan_routes_is_undone_by_name_and_redone(window: MainWindow, confirm) -> None:
    view = open_deliveries(window)
    before = stops_state(window)
    view.plan_day()
    planned = stops_state(window)
    assert planned != before
    day = view.chosen_day()
    assert undo_text(window) == f"Undo Plan routes for {day:%a %-d %b}"
    edit_menu = next(m for m in window.menuBar().actions() if m.text() == "&Edit").menu()
    assert window.undo_action in edit_menu.actions()
    window.show_page("today")
    window.undo_action.trigger()
    assert window.current_page() == "deliveries"
    assert stops_state(window) == before
    window.redo_action.trigger()
    assert stops_state(window) == planned


def test_reorder_outcome_and_removing_a_stop_are_each_undoable(
    window: MainWindow, qtbot, confirm
) -> None:
    view = open_deliveries(window)
    before = stops_state(window)
    view.stops.setFocus()
    view.stops.setCurrentItem(view.stops.items()[0])
    qtbot.keyClick(view.stops, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert undo_text(window).startswith("Undo Reorder the stops of")
    view.stops.setCurrentItem(view.stops.items()[0])
    stop_id = view.stops.items()[0].data(0, Qt.ItemDataRole.UserRole)
    qtbot.keyClick(view.stops, Qt.Key.Key_D)
    assert window.session.store.require(Stop, stop_id).outcome is Outcome.DELIVERED
    assert undo_text(window).startswith("Undo Outcome delivered for stop 1")
    view.stops.setCurrentItem(view.stops.items()[1])
    view.remove_stop()
    assert undo_text(window).startswith("Undo Remove stop 2")
    for _ in range(3):
        window.undo_action.trigger()
    assert stops_state(window) == before


def test_keyed_in_outcomes_stay_open_say_whats_wrong_and_can_be_cleared(
    window: MainWindow, qtbot
) -> None:
    view = open_deliveries(window)
    store = window.session.store
    run_id = view.current_run_id()
    # A stop for a one-off need: delivering it closes the need.
    need = store.insert(Need(contact_id=store.select(Contact, limit=1)[0].id, category="groceries"))
    with_need = planning.add_stops(store, run_id, [need.id])[0]
    assert need.recurrence is Recurrence.NONE
    dialog = deliveries_view.OutcomeDialog(window.session, run_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.keyClicks(dialog.entry, f"{with_need.seq}d")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter records the outcome; the dialog waits for the next
    assert store.require(Stop, with_need.id).outcome is Outcome.DELIVERED
    assert store.require(Need, with_need.need_id).status is NeedStatus.FULFILLED
    assert dialog.entry.text() == "" and dialog.entry.hasFocus()

    qtbot.keyClicks(dialog.entry, "99d")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.feedback.isHidden()
    assert "no stop 99" in dialog.feedback.text()
    assert dialog.entry.text() == "99d"  # kept, to correct
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Backspace)
    assert dialog.feedback.isHidden()  # the message goes once they type

    dialog.entry.clear()
    qtbot.keyClicks(dialog.entry, f"{with_need.seq}c")  # that one was wrong
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert store.require(Stop, with_need.id).outcome is None
    assert store.require(Need, with_need.need_id).status is NeedStatus.SCHEDULED
    assert undo_text(window) == f"Undo Key in stop {with_need.seq}: cleared"
    window.undo_action.trigger()
    assert store.require(Stop, with_need.id).outcome is Outcome.DELIVERED
    window.undo_action.trigger()
    assert store.require(Stop, with_need.id).outcome is None
    dialog.close()


def test_assigning_a_ride_and_accepting_a_match_are_undoable(
    window: MainWindow, monkeypatch
) -> None:
    view = open_rides(window, placeable=True)
    store = window.session.store
    ride_id = view.current_ride()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.candidates.setCurrentItem(view.candidates.topLevelItem(0))
    driver = view.candidates.topLevelItem(0).text(0)
    assert view.assign_selected()
    assert undo_text(window).startswith("Undo Give the ride of") and driver in undo_text(window)
    window.show_page("contacts")
    window.undo_action.trigger()
    assert window.current_page() == "rides"
    assert store.require(Ride, ride_id).driver_id is None

    from mutualaid_desktop.ui.views import rides as rides_view

    def accept_all(self) -> int:
        return 1

    monkeypatch.setattr(rides_view.MatchDialog, "exec", accept_all)
    view.match()
    assigned = store.count(Ride, "driver_id IS NOT NULL")
    assert undo_text(window).startswith("Undo Match the rides of")
    window.undo_action.trigger()
    assert store.count(Ride, "driver_id IS NOT NULL") < assigned


def test_settling_a_conflict_is_undone_and_the_conflict_is_open_again(
    window: MainWindow, qtbot
) -> None:
    from mutualaid_desktop.sync.conflicts import open_conflicts

    store = window.session.store
    contact = store.select(Contact, limit=1)[0]
    store.conn.execute(
        "INSERT INTO conflicts (id, tbl, row_id, grp, kept_value, kept_hlc, kept_origin, "
        "lost_value, lost_hlc, lost_origin, recorded_at) VALUES "
        "('c1', 'contacts', ?, 'notes', ?, 1, ?, '{\"notes\": \"Back door\"}', 1, 'x', 'now')",
        (contact.id, f'{{"notes": "{contact.notes}"}}', store.replica_id),
    )
    store.conn.commit()
    window.show_page("sync")
    sync = window.views["sync"]
    sync.reload()
    assert sync.settle(open_conflicts(store)[0], "other")
    assert store.require(Contact, contact.id).notes == "Back door"
    assert not open_conflicts(store)
    assert undo_text(window).startswith("Undo Keep the other notes of")
    window.show_page("contacts")
    window.undo_action.trigger()
    assert window.current_page() == "sync"
    assert store.require(Contact, contact.id).notes == contact.notes
    assert [c.id for c in open_conflicts(store)] == ["c1"]
    assert sync.conflicts.rowCount() == 1  # and the page shows it to settle again


def test_a_delete_that_fails_is_not_reported_as_done(
    window: MainWindow, qtbot, confirm, errors_shown
) -> None:
    view = window.contacts
    contact = shown_contact(window, qtbot).contact
    history = window.session.history.labels()
    blocker = connect(window.session.path)  # the program's SQLite build, whose locks it sees
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    window.session.store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        view.delete_current()
    finally:
        blocker.rollback()
        blocker.close()
    assert errors_shown == ["Another program is writing to this database; try again in a moment."]
    assert "Deleted" not in window.statusBar().currentMessage()
    assert window.session.store.require(Contact, contact.id)
    assert window.session.history.labels() == history  # nothing to undo: nothing happened


def test_an_undo_that_fails_leaves_the_history_as_it_was(
    window: MainWindow, qtbot, confirm, errors_shown
) -> None:
    view = window.contacts
    contact = shown_contact(window, qtbot).contact
    view.delete_current()
    label = f"Undo Delete contact {contact.name}"
    assert undo_text(window) == label
    pages = window.session.store.conn.execute("PRAGMA page_count").fetchone()[0]
    window.session.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    window.session.store.conn.execute("PRAGMA cache_size = 1")
    filler = "x" * 4000
    try:
        for _ in range(3):  # use up what free pages there are
            try:
                with window.session.store.transaction():
                    window.session.store.conn.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?)", (filler[:8] + str(_), filler)
                    )
            except Exception:
                break
        window.undo_action.trigger()
    finally:
        window.session.store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert errors_shown and errors_shown[-1].startswith("The disk is full")
    assert window.session.store.get(Contact, contact.id) is None
    assert undo_text(window) == label  # still there to undo
    assert "Undone" not in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert window.session.store.require(Contact, contact.id)
