"""Unsaved edits never vanish: the editor saves its record when the organizer leaves it
(another row, a search, another page, closing, Ctrl+Q), as a spreadsheet does; a record
that cannot be saved yet keeps the editor, or is discarded only when they say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from mutualaid_desktop.domain import Contact, Need
from mutualaid_desktop.store import Store
from mutualaid_desktop.ui.app import Controller
from mutualaid_desktop.ui.main_window import MainWindow


def contacts_view(window: MainWindow, qtbot):
    window.show_page("contacts")
    view = window.contacts
    qtbot.waitUntil(lambda: view.form.contact is not None and not view.form.is_new, timeout=3000)
    return view


def type_unit(view, qtbot, text: str = "Apt 5B") -> str:
    """Type into the shown contact's Apt / unit field, as the organizer would."""
    contact_id = view.form.contact.id
    view.form.unit.selectAll()
    qtbot.keyClicks(view.form.unit, text)
    assert view.form.is_dirty()
    return contact_id


def stored_unit(window: MainWindow, contact_id: str) -> str:
    return window.session.store.require(Contact, contact_id).address.unit


def select_row(view, row: int) -> None:
    """A click on a row of the table (the selection moves the way a click moves it)."""
    view.table.view.selectRow(row)


def test_clicking_another_row_saves_the_edit(window: MainWindow, qtbot) -> None:
    view = contacts_view(window, qtbot)
    select_row(view, 0)
    edited = type_unit(view, qtbot)
    select_row(view, 1)
    assert stored_unit(window, edited) == "Apt 5B"
    assert view.form.contact.id != edited  # and the row clicked is shown
    assert view.table.current_id() == view.form.contact.id
    assert window.session.history.next_undo().label.startswith("Edit contact")


def test_searching_keeps_the_edit_and_it_is_saved_when_leaving(window: MainWindow, qtbot) -> None:
    view = contacts_view(window, qtbot)
    select_row(view, 0)
    edited = type_unit(view, qtbot)
    qtbot.keyClicks(window.search, "zzzz nobody")
    assert view.form.contact.id == edited and view.form.unit.text() == "Apt 5B"
    window.search.clear()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # Enter goes to the first row
    select_row(view, 2)
    assert stored_unit(window, edited) == "Apt 5B"


def test_switching_views_saves_the_edit(window: MainWindow, qtbot) -> None:
    view = contacts_view(window, qtbot)
    edited = type_unit(view, qtbot)
    window.show_page("deliveries")
    assert window.current_page() == "deliveries"
    assert stored_unit(window, edited) == "Apt 5B"


@pytest.mark.parametrize("how", ["close", "quit"])
def test_closing_or_quitting_saves_the_edit(
    controller: Controller, demo_db: Path, qtbot, how: str
) -> None:
    assert controller.open_database(demo_db)
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    view = contacts_view(window, qtbot)
    edited = type_unit(view, qtbot)
    if how == "quit":
        quit_action = next(a for a in window.findChildren(QAction) if a.text() == "&Quit")
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert quit_action.shortcut().toString() == "Ctrl+Q"
    else:
        window.close()
    assert not window.isVisible()
    controller.session.close()
    with Store.open(demo_db) as store:
        assert store.require(Contact, edited).address.unit == "Apt 5B"


def test_a_record_that_cannot_be_saved_keeps_the_editor_or_is_discarded_when_asked(
    window: MainWindow, qtbot, keep_editing
) -> None:
    view = contacts_view(window, qtbot)
    select_row(view, 0)
    contact = view.form.contact
    view.form.name.clear()
    qtbot.keyClicks(view.form.phones, ", 12")  # a phone number too short to be one
    keep_editing.answer = True
    select_row(view, 1)
    assert keep_editing == [f"{contact.name}: Name cannot be empty."]
    # Still on the record, with the typing and the reason beside the field.
    assert view.form.contact.id == contact.id and view.form.phones.text().endswith("12")
    assert view.form.form.message("name") and view.form.form.message("phones")
    assert view.table.current_id() == contact.id
    window.show_page("needs")  # leaving the page asks too
    assert window.current_page() == "contacts"
    window.close()  # and closing the window
    assert window.isVisible()

    keep_editing.answer = False  # now discard
    select_row(view, 1)
    assert view.form.contact.id != contact.id
    assert window.session.store.require(Contact, contact.id) == contact  # nothing half-saved


def test_a_new_contact_is_created_when_leaving_it(window: MainWindow, qtbot) -> None:
    view = contacts_view(window, qtbot)
    before = window.session.store.count(Contact)
    view.new_contact()
    qtbot.keyClicks(view.form.name, "Dana Whitfield")
    select_row(view, 0)
    assert window.session.store.count(Contact) == before + 1
    assert window.session.store.select(Contact, "name = 'Dana Whitfield'")


def test_a_need_edit_is_saved_when_switching_views(window: MainWindow, qtbot) -> None:
    window.show_page("needs")
    view = window.needs
    qtbot.waitUntil(lambda: view.form.need is not None and not view.form.is_new, timeout=3000)
    need_id = view.form.need.id
    view.form.description.setFocus()
    qtbot.keyClicks(view.form.description, " - bring the big box")
    window.show_page("contacts")
    stored = window.session.store.require(Need, need_id)
    assert "bring the big box" in stored.description


def test_group_settings_are_saved_when_leaving_settings(window: MainWindow, qtbot) -> None:
    window.show_page("settings")
    settings = window.settings_view
    settings.name.selectAll()
    qtbot.keyClicks(settings.name, "Northside Pantry")
    window.show_page("today")
    assert window.session.store.organization().name == "Northside Pantry"


def test_an_edit_saved_keeps_what_another_window_changed_meanwhile(
    window: MainWindow, qtbot
) -> None:
    view = contacts_view(window, qtbot)
    select_row(view, 0)
    contact_id = type_unit(view, qtbot)
    with Store.open(window.session.path) as other:  # another window edits the notes
        other.update(Contact, contact_id, notes="Gate code 4411")
    window.session.check_other_writers()
    assert view.form.unit.text() == "Apt 5B"  # the refresh left the typing alone
    assert view.form.save()
    stored = window.session.store.require(Contact, contact_id)
    assert (stored.address.unit, stored.notes) == ("Apt 5B", "Gate code 4411")
