"""The contacts view: validation beside fields, duplicate warning, archive, filters."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mutualaid_desktop.domain import Contact, ContactStatus
from mutualaid_desktop.ui.main_window import MainWindow


def test_validation_message_appears_beside_the_field(window: MainWindow, qtbot) -> None:
    window.show_page("contacts")
    window.contacts.new_contact()
    form = window.contacts.form
    before = window.session.store.count(Contact)
    qtbot.keyClicks(form.name, "Dana Whitfield")
    qtbot.keyClicks(form.phones, "12")
    form.adults.setValue(0)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "phone" in form.form.message("phones").lower()
    assert window.session.store.count(Contact) == before  # nothing saved

    form.phones.clear()
    qtbot.keyClicks(form.phones, "713-555-0199")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.form.message("phones") == ""
    assert "at least one person" in form.form.message("adults")
    assert window.session.store.count(Contact) == before

    form.adults.setValue(2)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.form.message("phones") == ""
    assert window.session.store.count(Contact) == before + 1


def test_duplicate_warning_while_typing(window: MainWindow, qtbot) -> None:
    store = window.session.store
    existing = store.select(Contact, "json_array_length(phones) > 0", limit=1)[0]
    window.show_page("contacts")
    window.contacts.new_contact()
    form = window.contacts.form
    # The same number typed another way.
    digits = existing.phones[0].e164[2:]
    qtbot.keyClicks(form.phones, f"{digits[:3]}.{digits[3:6]}.{digits[6:]}")
    qtbot.waitUntil(lambda: form.duplicate_banner.isVisibleTo(form), timeout=2000)
    assert existing.name in form.duplicate_banner.findChildren(type(form.title))[1].text()
    open_button = form.duplicate_banner.findChildren(type(form.save_button))[0]
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert form.contact is not None and form.contact.id == existing.id
    assert not form.is_new


def test_similar_name_at_same_address_warns(window: MainWindow, qtbot) -> None:
    store = window.session.store
    existing = store.select(Contact, "address_street != ''", limit=1)[0]
    window.contacts.new_contact()
    form = window.contacts.form
    form.name.setText(existing.name.upper() + "x")
    form.street.setText(existing.address.street)
    form.postal_code.setText(existing.address.postal_code)
    form.check_duplicates()
    assert form.duplicate_banner.isVisibleTo(form)


def test_archive_hides_from_active_and_undo_restores(window: MainWindow, qtbot) -> None:
    view = window.contacts
    window.show_page("contacts")
    view.table.view.selectRow(0)
    contact = view.form.contact
    assert contact is not None
    before = view.model.rowCount()
    qtbot.mouseClick(view.form.archive_button, Qt.MouseButton.LeftButton)
    assert window.session.store.require(Contact, contact.id).status is ContactStatus.ARCHIVED
    assert view.model.rowCount() == before - 1
    view.status_filter.setCurrentIndex(view.status_filter.findData("archived"))
    assert view.model.rowCount() == 1
    window.undo_action.trigger()
    assert window.session.store.require(Contact, contact.id).status is ContactStatus.ACTIVE


def test_delete_contact_asks_and_can_be_undone(window: MainWindow, qtbot, confirm) -> None:
    view = window.contacts
    window.show_page("contacts")
    view.table.view.selectRow(0)
    contact = view.form.contact
    assert contact is not None
    qtbot.mouseClick(view.form.delete_button, Qt.MouseButton.LeftButton)
    assert contact.name in confirm[-1]
    assert view.model.row_of_id(contact.id) is None
    window.undo_action.trigger()
    assert view.model.row_of_id(contact.id) is not None


def test_filters_by_language_and_zip(window: MainWindow, qtbot) -> None:
    view = window.contacts
    window.show_page("contacts")
    # The menus fill right after the table first paints.
    qtbot.waitUntil(lambda: view.language_filter.count() > 1, timeout=2000)
    store = window.session.store
    lang_index = view.language_filter.findText("Vietnamese")
    assert lang_index > 0
    view.language_filter.setCurrentIndex(lang_index)
    expected = store.count(
        Contact,
        "status = 'active' AND "
        "EXISTS (SELECT 1 FROM json_each(languages) WHERE value = 'Vietnamese')",
    )
    assert view.model.rowCount() == expected
    view.zip_filter.setText("99999")
    assert view.model.rowCount() == 0
    assert view.table.currentWidget() is view.table.no_match
    view.clear_filters()
    assert view.model.rowCount() == store.count(Contact, "status = 'active'")
