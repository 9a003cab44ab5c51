"""Sharing nobody is surprised by: new households take the group's choice, the editor
says where it comes from, and the households kept home can be listed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mutualaid_desktop.domain import ORGANIZATION_ID, Contact, Organization, ShareScope
from mutualaid_desktop.store.listing import ContactFilter, contact_count
from mutualaid_desktop.sync.shared import shared_rows
from mutualaid_desktop.ui.main_window import MainWindow


def add_household(window: MainWindow, qtbot, name: str) -> Contact:
    window.contacts.new_contact()
    form = window.contacts.form
    qtbot.keyClicks(form.name, name)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    return window.session.store.select(Contact, "name = ?", [name])[0]


def test_households_added_in_the_window_reach_the_group_when_it_shares(
    window: MainWindow, qtbot
) -> None:
    store = window.session.store
    store.update(Organization, ORGANIZATION_ID, default_share_scope=ShareScope.GROUP)
    window.show_page("contacts")
    window.contacts.new_contact()
    form = window.contacts.form
    assert form.scope.currentData() == ShareScope.GROUP
    assert form.consent.value() is not None
    assert "consent is recorded" in form.sharing_hint.text()
    added = [add_household(window, qtbot, f"Household {i} Ortega") for i in range(3)]
    shared = {row["id"] for table, row in shared_rows(store) if table == "contacts"}
    assert {c.id for c in added} <= shared
    assert all(c.share_scope is ShareScope.GROUP and c.consent_at for c in added)


def test_a_group_that_keeps_households_home_says_so_in_the_editor(
    window: MainWindow, qtbot
) -> None:
    window.show_page("contacts")
    window.contacts.new_contact()
    form = window.contacts.form
    assert form.scope.currentData() == ShareScope.LOCAL
    assert "not chosen" in form.sharing_hint.text()  # never silently
    window.session.store.update(Organization, ORGANIZATION_ID, default_share_scope=ShareScope.LOCAL)
    window.contacts.new_contact()
    assert "keeps new households on this laptop" in form.sharing_hint.text()
    kept = add_household(window, qtbot, "Kept Home Nguyen")
    assert kept.share_scope is ShareScope.LOCAL


def test_the_contacts_view_lists_the_households_kept_home(window: MainWindow, qtbot) -> None:
    view = window.contacts
    window.show_page("contacts")
    store = window.session.store
    view.sharing_filter.setCurrentIndex(view.sharing_filter.findData("local"))
    expected = contact_count(store, ContactFilter(sharing="local"))
    assert expected == store.count(Contact, "status = 'active' AND share_scope = 'local'")
    assert expected > 0
    assert view.model.rowCount() == expected
    view.clear_filters()
    assert view.sharing_filter.currentData() == ""


def test_settings_change_the_default_for_new_households(window: MainWindow, qtbot) -> None:
    window.show_page("settings")
    settings = window.settings_view
    settings.sharing.setCurrentIndex(settings.sharing.findData(ShareScope.GROUP))
    settings.save()
    assert window.session.store.organization().default_share_scope is ShareScope.GROUP


def test_first_run_asks_how_new_households_are_shared(qapp, qtbot, monkeypatch) -> None:
    from mutualaid_desktop.ui.app import Controller
    from mutualaid_desktop.ui.dialogs.welcome import WelcomeDialog

    def fake_exec(self: WelcomeDialog) -> int:
        assert self.sharing_choice is ShareScope.GROUP  # the choice is put in front of them
        self.name.setText("Rosa")
        self.sharing_buttons[ShareScope.LOCAL].setChecked(True)
        self.new_passphrase.plain.setChecked(True)  # encryption has its own tests
        return 1

    monkeypatch.setattr(WelcomeDialog, "exec", fake_exec)
    controller = Controller(qapp)
    assert controller.start(None)
    try:
        store = controller.session.store
        assert store.organization().default_share_scope is ShareScope.LOCAL
    finally:
        controller.window.controller = None
        controller.window.close()
        controller.session.close()


def test_search_says_still_indexing_until_the_background_rebuild_is_done(
    window: MainWindow, qtbot
) -> None:
    from mutualaid_desktop.store import search

    store = window.session.store
    name = store.select(Contact, limit=1)[0].name
    with store.transaction():
        search.mark_stale(store.conn, {"contacts"})  # as a large import leaves it
    window.show_page("contacts")
    window.search.setText(name)
    view = window.contacts
    assert view.model.rowCount() == 0
    assert view.table.currentWidget().objectName() == "stillIndexing"
    window.session.finish_indexing()
    assert window.indexing_label.isVisibleTo(window)
    qtbot.waitUntil(lambda: not window.indexing_label.isVisibleTo(window), timeout=20_000)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5_000)
    assert view.table.currentWidget() is view.table.view
