"""What the Contacts and Needs views share: filters above, a paged table and its
editor side by side, a count below; loading on first show, the editor after the
table's first paint.

Unsaved edits never vanish: the editor saves its record when the organizer
leaves it (another row, a new record, another page, closing), as a spreadsheet
does. A record that cannot be saved yet keeps the editor, and the organizer
chooses to keep editing or to discard the changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.ui.models.paged import SearchableTableModel
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.table_view import RecordTable


def filter_combo(name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    """A filter menu: (label, value) items, the first meaning "any"; `name` is what
    it filters by, as a screen reader says it ("Filter by status")."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def zip_field() -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(_("ZIP"))
    field.setAccessibleName(_("Filter by ZIP"))
    field.setMaximumWidth(80)
    field.setClearButtonEnabled(True)
    return field


class RecordListView(QWidget):
    """Base of a list view; subclasses build the model, table, form and filters."""

    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._dirty = True  # loads on first show
        self._switching = False  # the program moves the selection: the editor stays
        self._leaving = False  # the editor is saving its record to show another

    def _lay_out(
        self,
        name: str,
        model: SearchableTableModel,
        table: RecordTable,
        form: QWidget,
        filters: list[QWidget],
        new_button: QWidget,
    ) -> None:
        self.model = model
        self.table = table
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        for widget in filters:
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(new_button)
        layout.addLayout(row)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName(f"{name}Splitter")
        self.splitter.addWidget(table)
        self.splitter.addWidget(form)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.count_label = QLabel()
        # A fixed width: a count that changes as you type must not re-lay out the view.
        self.count_label.setFixedWidth(self.count_label.fontMetrics().horizontalAdvance("0" * 24))
        layout.addWidget(self.count_label)
        table.painted.connect(self.finish_loading)
        model.modelReset.connect(self._update_count)

    # -- loading ------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read everything (a new database, or after a bulk change), now or when shown."""
        self._dirty = True
        if self.isVisible():
            self._reload_now()

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self._reload_now()
        super().showEvent(event)

    def _reload_now(self) -> None:
        # The table first; the editor fills in right after the first paint.
        self._dirty = False
        self.before_load()
        self.model.refresh()
        self.table.call_after_paint()

    def before_load(self) -> None:
        """Hook: anything the query needs (today's date, say)."""

    def finish_loading(self) -> None:
        """Hook, after the first paint: fill menus and the editor."""

    def ready_to_finish(self) -> bool:
        return not self._dirty and not self.session.store.closed

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(self.count_text(n))

    def count_text(self, n: int) -> str:
        """ "1 household", "3 needs": the count below the table (subclasses)."""
        return ngettext("{n} record", "{n} records", n).format(n=f"{n:,}")

    def set_search(self, text: str) -> None:
        self.model.set_filter(text=text)

    # -- the record in the editor ------------------------------------------------

    def _show(self, record_id: str) -> None:
        """Show `record_id` in the editor, once the record there is saved (or discarded)."""
        if not record_id or self._switching:
            return
        form = self.form  # type: ignore[attr-defined]
        shown = form.record
        if shown is not None and not form.is_new and shown.id == record_id:
            if not form.is_dirty():
                self._load(record_id)  # fresh from the database
            return
        if not self.leave():
            self._reselect()
            return
        self._load(record_id)

    def _load(self, record_id: str) -> None:
        """Load the record into the editor (subclasses)."""
        raise NotImplementedError

    def leave(self) -> bool:
        """Save the record in the editor before something else is shown; False to stay."""
        self._leaving = True
        try:
            with self.quietly():
                return bool(self.form.leave())  # type: ignore[attr-defined]
        finally:
            self._leaving = False

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Selection changes made by the program, not the organizer: the editor stays."""
        was = self._switching
        self._switching = True
        try:
            yield
        finally:
            self._switching = was

    def _reselect(self) -> None:
        """The table points at the record still in the editor."""
        form = self.form  # type: ignore[attr-defined]
        with self.quietly():
            if form.record is None or form.is_new or not self.table.select_id(form.record.id):
                self.table.clear_current()

    def _after_save(self, record_id: str) -> None:
        """The table shows the saved record; it selects it unless the organizer chose another."""
        with self.quietly():
            self.table.refresh_keep_selection()
            if not self._leaving:
                self.table.select_id(record_id)
        self.message.emit(self.saved_message(record_id))

    def saved_message(self, record_id: str) -> str:
        return _("Saved")

    def confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
