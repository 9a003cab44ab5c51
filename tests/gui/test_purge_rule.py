"""Settings › Retention: who would be erased is shown first, Cancel erases nothing,
confirming erases them for good (and Undo cannot bring them back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialog, QListWidget

from mutualaid_desktop.domain import Contact, Need
from mutualaid_desktop.domain.enums import Category
from mutualaid_desktop.store import deleted
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views.purge_rule import PurgeDialog, PurgeRule
from tests.recognisable import NAME, household, traces_in


def quiet_household(window: MainWindow) -> Contact:
    store = window.session.store
    long_ago = datetime.now(UTC) - timedelta(days=900)
    quiet = store.insert(household().model_copy(update={"created_at": long_ago}))
    store.insert(Need(contact_id=quiet.id, category=Category.GROCERIES, created_at=long_ago))
    return quiet


def answering(monkeypatch: pytest.MonkeyPatch, accept: bool) -> list[list[str]]:
    """The purge dialog answers `accept`; the list records the names it listed."""
    shown: list[list[str]] = []

    def fake_exec(self: PurgeDialog) -> int:
        names = self.findChild(QListWidget, "purgeList")
        shown.append([names.item(i).text() for i in range(names.count())] if names else [])
        return QDialog.DialogCode.Accepted if accept else QDialog.DialogCode.Rejected

    monkeypatch.setattr(PurgeDialog, "exec", fake_exec)
    return shown


def rule(window: MainWindow) -> PurgeRule:
    window.show_page("settings")
    found = window.settings_view.findChild(PurgeRule, "purgeRule")
    assert found is not None
    return found


def test_the_rule_lists_who_and_cancel_erases_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = quiet_household(window)
    shown = answering(monkeypatch, accept=False)
    purge_rule = rule(window)
    assert purge_rule.months.value() == 18  # the default
    assert purge_rule.review() is None
    assert len(shown) == 1 and any(NAME in line for line in shown[0])
    assert window.session.store.require(Contact, quiet.id).name == NAME


def test_confirming_erases_them_for_good_and_undo_cannot_bring_them_back(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    quiet = quiet_household(window)
    store = window.session.store
    window.session.update(Contact, quiet.id, "Edit contact", notes="Zanzibar again")
    answering(monkeypatch, accept=True)
    purge_rule = rule(window)
    purge_rule.months.setValue(24)
    job = purge_rule.review()
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=60000):
        pass
    assert store.get(Contact, quiet.id) is None
    assert deleted.recently_deleted(store) == []
    assert window.session.history.next_undo() is None  # nothing left that could write it back
    assert store.meta()["retention_inactive_months"] == "24"  # remembered on this laptop
    assert traces_in(window.statusBar().currentMessage()) == []
    assert store.path is not None
    assert traces_in(store.path.read_bytes()) == []


def test_with_nobody_inactive_it_says_so_and_erases_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = answering(monkeypatch, accept=True)
    before = window.session.store.count(Contact)
    purge_rule = rule(window)
    purge_rule.months.setValue(1200)
    assert purge_rule.review() is None
    assert shown == [[]]
    assert window.session.store.count(Contact) == before
