"""Spreadsheets through the window: the import wizard, Undo, Cancel, exports and the digest."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from mutualaid_desktop.domain import Contact
from mutualaid_desktop.exchange.columns import Field
from mutualaid_desktop.exchange.importing import Action
from mutualaid_desktop.ui.dialogs import spreadsheets
from tests.conftest import SIGNUP_CSV


def _contacts(window) -> int:
    return window.session.store.count(Contact)


def _open_wizard(window, qtbot, monkeypatch) -> spreadsheets.ImportDialog:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(SIGNUP_CSV), ""))
    window.import_action.trigger()
    dialog = window.findChild(spreadsheets.ImportDialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def _wait_for(qtbot, job) -> None:
    qtbot.waitUntil(lambda: not job.running, timeout=60000)


def test_the_signup_sheet_imports_through_the_window_and_undoes_in_one_step(
    window, qtbot, monkeypatch
):
    before = _contacts(window)
    dialog = _open_wizard(window, qtbot, monkeypatch)
    assert "307 rows, 16 columns, UTF-8" in dialog.file_label.text()
    assert dialog.mapping()[1] is Field.NAME
    samples = dialog.columns.item(1, 2).text()
    assert "JOSÉ Ødegaard" in samples
    dialog.set_field("Preferred language", Field.IGNORE)  # the organizer's change

    _wait_for(qtbot, dialog.preview())
    assert dialog.pages.currentIndex() == 1
    summary = dialog.summary.text()
    assert "<b>300</b> households to add" in summary
    assert "<b>6</b> rows to merge" in summary
    assert "<b>1</b> row skipped (1 blank)" in summary
    # The organizer decides one probable duplicate is the same household after all: skip it.
    dialog.only_check.setChecked(True)
    model = dialog.model
    probable = next(
        i
        for i in range(model.rowCount())
        if model.row_at(i).match and not model.row_at(i).match.exact
    )
    assert model.data(model.index(probable, 0)) == "Add as new"
    assert model.setData(model.index(probable, 0), Action.SKIP.value, Qt.ItemDataRole.EditRole)
    assert "<b>299</b> households to add" in dialog.summary.text()
    assert dialog.import_button.text() == "Import 299 households"

    _wait_for(qtbot, dialog.start_import())
    assert _contacts(window) == before + 299
    names = {c.name for c in window.session.store.select(Contact)}
    assert {"JOSÉ Ødegaard", "Nguyễn Thị Warsame", "Fatima כהן"} <= names
    assert all(
        not c.languages for c in window.session.store.select(Contact, "name = 'Amina Petrova'")
    )
    assert "Added: 299 households" in window.statusBar().currentMessage()

    assert window.undo_action.text() == "&Undo Import signup_form_export.csv"
    window.undo_action.trigger()
    assert _contacts(window) == before
    window.redo_action.trigger()
    assert _contacts(window) == before + 299


def test_cancel_while_importing_leaves_the_database_as_it_was(window, qtbot, monkeypatch):
    before = _contacts(window)
    dialog = _open_wizard(window, qtbot, monkeypatch)
    _wait_for(qtbot, dialog.preview())
    job = dialog.start_import()
    job.cancel()
    _wait_for(qtbot, job)
    assert _contacts(window) == before
    assert dialog.isVisible()  # still there, to import after all or close
    assert not window.undo_action.isEnabled() or "Import" not in window.undo_action.text()


def test_a_changed_mapping_is_offered_again_next_time(window, qtbot, monkeypatch):
    dialog = _open_wizard(window, qtbot, monkeypatch)
    assert "Check what each column" in dialog.mapping_note.text()
    dialog.set_field("Anything else we should know? (delivery notes)", Field.NOTES)
    _wait_for(qtbot, dialog.preview())
    _wait_for(qtbot, dialog.start_import())
    again = spreadsheets.ImportDialog(window.session, SIGNUP_CSV, window)
    qtbot.addWidget(again)
    assert "as the last time" in again.mapping_note.text()
    assert again.mapping()[13] is Field.NOTES


def test_a_sheet_without_a_name_column_cannot_go_on(window, qtbot, tmp_path):
    path = tmp_path / "colours.csv"
    path.write_text("Colour,Size\nred,2\n", encoding="utf-8")
    dialog = spreadsheets.ImportDialog(window.session, path, window)
    qtbot.addWidget(dialog)
    assert "No column is mapped to the name" in dialog.mapping_problem.text()
    assert not dialog.next_button.isEnabled()
    dialog.set_field("Colour", Field.NAME)
    assert dialog.next_button.isEnabled() and dialog.mapping_problem.text() == ""


def test_an_unreadable_file_says_why(window, qtbot, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    dialog = spreadsheets.ImportDialog(window.session, path, window)
    qtbot.addWidget(dialog)
    assert "photo.xlsx" in dialog.mapping_problem.text()
    assert not dialog.next_button.isEnabled()


def test_the_digest_is_copied_without_names(window, qtbot):
    dialog = spreadsheets.copy_digest(window)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert text.startswith("Open needs, ")
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == text
    for contact in window.session.store.select(Contact):
        assert contact.name not in text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_from_the_menu(window, monkeypatch, tmp_path, suffix):
    out = tmp_path / f"contacts{suffix}"
    monkeypatch.setattr(spreadsheets.ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(
        spreadsheets.ExportDialog,
        "__init__",
        _with_format(spreadsheets.ExportDialog.__init__, suffix),
    )
    spreadsheets.export_records(window)
    assert out.exists()
    assert f"Saved {_contacts(window)} contacts" in window.statusBar().currentMessage()


def _with_format(init, suffix):
    def patched(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.fmt.setCurrentIndex(self.fmt.findData(suffix))

    return patched


def test_the_funder_report_from_the_menu(window, monkeypatch, tmp_path):
    out = tmp_path / "report.pdf"
    monkeypatch.setattr(spreadsheets.ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    spreadsheets.funder_report(window)
    assert Path(out).read_bytes().startswith(b"%PDF")
    assert "households served" in window.statusBar().currentMessage()


def test_the_last_page_says_households_stay_home_when_no_column_is_read_as_consent(
    window, qtbot, monkeypatch
):
    dialog = _open_wizard(window, qtbot, monkeypatch)
    _wait_for(qtbot, dialog.preview())
    assert "consent column" not in dialog.summary.text()
    dialog._go(0)
    dialog.set_field("Can we share your info with other volunteers in the network?", Field.IGNORE)
    _wait_for(qtbot, dialog.preview())
    assert "300 households stay on this laptop: the sheet has no consent column" in (
        dialog.summary.text()
    )


def test_a_large_import_is_undone_in_the_background_keeping_what_was_edited_since(
    window, qtbot, monkeypatch
):
    """Undoing an import of thousands of households runs as a job with progress and Cancel
    (the limit is lowered here so the sign-up sheet counts as large); a household someone
    edited since is kept, and the status bar names it; Redo brings the rest back."""
    from mutualaid_desktop.store import Store
    from mutualaid_desktop.ui import session as session_module

    monkeypatch.setattr(session_module, "BACKGROUND_STEP", 100)
    store = window.session.store
    before = _contacts(window)
    known = {c.id for c in store.select(Contact)}
    dialog = _open_wizard(window, qtbot, monkeypatch)
    _wait_for(qtbot, dialog.preview())
    _wait_for(qtbot, dialog.start_import())
    added = _contacts(window) - before
    assert added == 300
    assert window.undo_action.text() == "&Undo Import signup_form_export.csv"
    # Another window edits seven of the imported households afterwards.
    edited = [c for c in store.select(Contact, order_by="name") if c.id not in known][:7]
    with Store.open(window.session.path) as other:
        for contact in edited:
            other.update(Contact, contact.id, notes="Call before coming")
    window.session.check_other_writers()

    window.undo_action.trigger()
    job = window._step_job
    assert job.dialog.windowTitle() == "Import signup_form_export.csv"
    _wait_for(qtbot, job)
    assert _contacts(window) == before + 7  # only the households edited since are left
    assert {store.require(Contact, c.id).notes for c in edited} == {"Call before coming"}
    message = window.statusBar().currentMessage()
    assert message.startswith("Undone: Import signup_form_export.csv. Kept as changed since: ")
    assert f"contact {edited[0].name}: edited since; " in message
    assert message.count(": edited since") == 5  # five named, not a wall of them
    assert message.endswith("edited since and 2 more.")
    assert window.redo_action.text() == "&Redo Import signup_form_export.csv"
    assert window.contacts.model.rowCount() == before + 7  # the list shows them at once

    window.redo_action.trigger()
    _wait_for(qtbot, window._step_job)
    assert _contacts(window) == before + added
    assert "Redone: Import signup_form_export.csv." in window.statusBar().currentMessage()
    assert window.undo_action.text() == "&Undo Import signup_form_export.csv"


def test_cancelling_a_large_undo_changes_nothing_and_keeps_it_undoable(window, qtbot, monkeypatch):
    from mutualaid_desktop.ui import session as session_module

    monkeypatch.setattr(session_module, "BACKGROUND_STEP", 100)
    before = _contacts(window)
    dialog = _open_wizard(window, qtbot, monkeypatch)
    _wait_for(qtbot, dialog.preview())
    _wait_for(qtbot, dialog.start_import())
    imported = _contacts(window)
    assert imported > before
    window.undo_action.trigger()
    window._step_job.cancel()  # before its first report: it stops at the first
    _wait_for(qtbot, window._step_job)
    assert _contacts(window) == imported
    assert window.undo_action.text() == "&Undo Import signup_form_export.csv"
    window.undo_action.trigger()
    _wait_for(qtbot, window._step_job)
    assert _contacts(window) == before
