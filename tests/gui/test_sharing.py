"""Sharing nobody is surprised by: new households take the group's choice, the editor
says where it comes from, and the households kept home can be listed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from mutualaid_desktop.domain import ORGANIZATION_ID, Contact, Organization, ShareScope
from mutualaid_desktop.store import Store
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


# -- a database from before the first-run question --------------------------------------


def test_a_database_from_before_the_choice_asks_when_it_opens(
    controller, demo_db, sharing_question, qtbot
) -> None:
    sharing_question.answers = [ShareScope.GROUP]
    assert controller.open_database(demo_db)
    window = controller.window
    qtbot.addWidget(window)
    assert sharing_question.asked == [False]  # at the start, not while adding
    assert window.session.store.organization().default_share_scope is ShareScope.GROUP
    added = add_household(window, qtbot, "Reyes Household")
    assert added.share_scope is ShareScope.GROUP and added.consent_at is not None
    assert sharing_question.asked == [False]  # answered: never asked again
    window.session.undo()  # the household
    window.session.undo()  # the choice, like any other edit
    assert window.session.store.organization().default_share_scope is None


def test_put_off_it_is_asked_once_more_when_a_household_is_added(
    controller, demo_db, sharing_question, qtbot
) -> None:
    sharing_question.answers = [None, ShareScope.LOCAL]
    assert controller.open_database(demo_db)
    window = controller.window
    qtbot.addWidget(window)
    window.show_page("contacts")
    assert window.session.store.organization().default_share_scope is None
    window.contacts.new_contact()
    assert sharing_question.asked == [False, True]
    assert window.session.store.organization().default_share_scope is ShareScope.LOCAL
    assert "keeps new households on this laptop" in window.contacts.form.sharing_hint.text()


def test_put_off_twice_the_editor_says_where_households_stay_until_the_next_opening(
    controller, demo_db, sharing_question, qtbot
) -> None:
    assert controller.open_database(demo_db)
    window = controller.window
    qtbot.addWidget(window)
    window.show_page("contacts")
    for _ in range(3):
        window.contacts.new_contact()
    assert sharing_question.asked == [False, True]  # no more than once while adding
    form = window.contacts.form
    assert "shared with: this laptop only" in form.title.text()
    assert "not chosen" in form.sharing_hint.text()
    assert controller.open_database(demo_db)  # the next time it opens
    assert sharing_question.asked == [False, True, False]


def test_a_database_with_a_choice_is_never_asked(
    controller, demo_db, sharing_question, qtbot
) -> None:
    with Store.open(demo_db) as store:
        store.update(Organization, ORGANIZATION_ID, default_share_scope=ShareScope.LOCAL)
    assert controller.open_database(demo_db)
    qtbot.addWidget(controller.window)
    controller.window.contacts.new_contact()
    assert sharing_question.asked == []


def test_the_question_offers_the_first_run_choice_and_a_way_to_put_it_off(qtbot) -> None:
    from mutualaid_desktop.ui.dialogs.sharing import DefaultSharingDialog
    from mutualaid_desktop.ui.dialogs.welcome import WelcomeDialog

    asked = DefaultSharingDialog(adding=True)
    qtbot.addWidget(asked)
    first_run = WelcomeDialog(Path("group.sqlite"))
    qtbot.addWidget(first_run)
    assert [b.text() for b in asked.choice.buttons.values()] == [
        b.text() for b in first_run.sharing_buttons.values()
    ]
    assert asked.later_button.text() == "Ask me &later"
    assert not asked.later_button.isDefault()  # Enter saves the choice shown
