"""Real flows through the window, driven like an organizer would."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mutualaid_desktop.domain import Contact, Need, NeedStatus
from mutualaid_desktop.ui.main_window import MainWindow


def test_create_find_need_fulfil_delete_undo(window: MainWindow, qtbot, confirm) -> None:
    store = window.session.store
    window.show_page("contacts")
    window.contacts.new_contact()
    form = window.contacts.form
    # QTest types ASCII only; accented letters arrive as an input method would insert them.
    form.name.insert("Zoë Ñúñez-Østergaard")
    qtbot.keyClicks(form.phones, "(713) 555-0142")
    qtbot.keyClicks(form.street, "4410 Gulfton St")
    qtbot.keyClicks(form.postal_code, "77081")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    created = [c for c in store.select(Contact, "name = ?", ["Zoë Ñúñez-Østergaard"])]
    assert len(created) == 1
    contact = created[0]
    assert contact.phones[0].e164 == "+17135550142"

    # Find it by typing part of the name without accents.
    window.search.setFocus()
    qtbot.keyClicks(window.search, "nunez oster")
    model = window.contacts.model
    assert model.rowCount() == 1
    assert model.row_at(0).id == contact.id

    # Add a need from the contact's page.
    window.contacts.table.select_id(contact.id)
    qtbot.mouseClick(window.contacts.form.need_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "needs"
    need_form = window.needs.form
    assert need_form.contact_id == contact.id
    need_form.description.setPlainText("Diapers size 4 and wipes")
    need_form.category.setCurrentIndex(need_form.category.findText("Baby supplies"))
    qtbot.mouseClick(need_form.save_button, Qt.MouseButton.LeftButton)
    needs = store.select(Need, "contact_id = ?", [contact.id])
    assert len(needs) == 1 and needs[0].status is NeedStatus.NEW

    # Move it along the workflow: only the allowed steps are offered.
    assert need_form.step_buttons[NeedStatus.SCHEDULED].isVisibleTo(need_form)
    assert not need_form.step_buttons[NeedStatus.NEW].isVisibleTo(need_form)
    qtbot.mouseClick(need_form.step_buttons[NeedStatus.SCHEDULED], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(need_form.step_buttons[NeedStatus.FULFILLED], Qt.MouseButton.LeftButton)
    assert store.require(Need, needs[0].id).status is NeedStatus.FULFILLED
    assert not any(b.isVisibleTo(need_form) for b in need_form.step_buttons.values())

    # Delete asks first; Undo brings it back.
    qtbot.mouseClick(need_form.delete_button, Qt.MouseButton.LeftButton)
    assert confirm and "Delete" in confirm[-1]
    assert store.get(Need, needs[0].id) is None
    window.undo_action.trigger()
    assert store.get(Need, needs[0].id) is not None
    window.redo_action.trigger()
    assert store.get(Need, needs[0].id) is None
