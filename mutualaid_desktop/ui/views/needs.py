"""The Needs view: filters, the table, and the editor beside it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import Category, NeedStatus, Urgency
from mutualaid_desktop.ui.models.needs import NeedsModel
from mutualaid_desktop.ui.ops import guarded
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.need_form import NeedForm
from mutualaid_desktop.ui.views.table_view import RecordTable
from mutualaid_desktop.ui.widgets.empty_state import EmptyState

STATUS_CHOICES = [
    ("Open (new or scheduled)", ("new", "scheduled")),
    ("Overdue", ("overdue",)),
    *[(s.label, (s.value,)) for s in NeedStatus],
    ("All", ()),
]


class _NeedTable(RecordTable):
    model: NeedsModel

    def is_filtered(self) -> bool:
        f = self.model.filter
        return bool(
            f.text
            or f.category
            or f.urgency
            or f.zip
            or f.overdue_on
            or f.statuses != ("new", "scheduled")
        )


class NeedsView(QWidget):
    open_contact = Signal(str)
    message = Signal(str)
    go_contacts = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._dirty = True  # loads on first show
        self.model = NeedsModel(session, self)
        self.model.today_iso = date.today().isoformat()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        filters = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        for label, value in STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        self.category_filter = QComboBox()
        self.category_filter.setAccessibleName("Filter by category")
        self.category_filter.addItem("Any category", "")
        for c in Category:
            self.category_filter.addItem(c.label, c.value)
        self.urgency_filter = QComboBox()
        self.urgency_filter.setAccessibleName("Filter by urgency")
        self.urgency_filter.addItem("Any urgency", "")
        for u in Urgency:
            self.urgency_filter.addItem(u.label, u.value)
        self.zip_filter = QLineEdit()
        self.zip_filter.setPlaceholderText("ZIP")
        self.zip_filter.setAccessibleName("Filter by ZIP")
        self.zip_filter.setMaximumWidth(80)
        self.zip_filter.setClearButtonEnabled(True)
        for w in (self.status_filter, self.category_filter, self.urgency_filter, self.zip_filter):
            filters.addWidget(w)
        filters.addStretch(1)
        self.new_button = QPushButton("New &need")
        filters.addWidget(self.new_button)
        layout.addLayout(filters)

        empty = EmptyState(
            "No open needs",
            "Needs are requests for help: groceries, a ride, diapers, rent. Add one from a "
            "contact's page, or with New need.",
            [("New need", self.new_need), ("Go to contacts", self.go_contacts.emit)],
        )
        no_match = EmptyState(
            "No need matches",
            "Nothing matches the search and filters.",
            [("Clear filters", self.clear_filters)],
        )
        self.table = _NeedTable(self.model, empty, no_match, "needs")
        self.form = NeedForm(session)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("needsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        self.count_label = QLabel()
        # A fixed width: a count that changes as you type must not re-lay out the view.
        self.count_label.setFixedWidth(self.count_label.fontMetrics().horizontalAdvance("0" * 24))
        layout.addWidget(self.count_label)

        self.status_filter.currentIndexChanged.connect(self._status_changed)
        self.category_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(category=self.category_filter.currentData())
        )
        self.urgency_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(urgency=self.urgency_filter.currentData())
        )
        self.zip_filter.textChanged.connect(lambda t: self.model.set_filter(zip=t))
        self.new_button.clicked.connect(lambda: self.new_need())
        self.table.current_changed.connect(self._show)
        self.table.painted.connect(self.finish_loading)
        self.form.saved.connect(self._after_save)
        self.form.open_contact.connect(self.open_contact.emit)
        self.form.delete_button.clicked.connect(self.delete_current)
        self.model.modelReset.connect(self._update_count)
        session.changed.connect(self._on_changed)

    def _status_changed(self) -> None:
        value = self.status_filter.currentData()
        if value == ("overdue",):
            self.model.set_filter(statuses=("new", "scheduled"), overdue_on=date.today())
        else:
            self.model.set_filter(statuses=value, overdue_on=None)

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
        self.model.today_iso = date.today().isoformat()
        self.model.refresh()
        self.table.call_after_paint()

    def finish_loading(self) -> None:
        """Fill the volunteer menu and show the first need in the editor."""
        if self._dirty or self.session.store.closed:
            return
        self.form.reload_volunteers()
        if self.form.need is not None:
            return  # the organizer already opened or started a need
        if self.model.rowCount():
            self.table.view.selectRow(0)
        else:
            self.form.new_need()

    def _on_changed(self, table: str) -> None:
        if table in ("", "needs", "contacts"):
            if table in ("", "contacts"):
                self.form.reload_volunteers()
            self.table.refresh_keep_selection()
            current = self.table.current_id()
            if current and self.form.need and current == self.form.need.id:
                self._show(current)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(f"{n:,} need{'s' * (n != 1)}")

    def set_search(self, text: str) -> None:
        self.model.set_filter(text=text)

    def show_overdue(self) -> None:
        self.status_filter.setCurrentIndex(1)

    def clear_filters(self) -> None:
        self.status_filter.setCurrentIndex(0)
        self.category_filter.setCurrentIndex(0)
        self.urgency_filter.setCurrentIndex(0)
        self.zip_filter.clear()
        self.model.set_filter(text="")
        self.message.emit("Filters cleared")

    def _show(self, need_id: str) -> None:
        if not need_id:
            return
        from mutualaid_desktop.domain import Need

        need = self.session.store.get(Need, need_id)
        if need is not None:
            self.form.load(need)

    def open_need(self, need_id: str) -> None:
        if not self.table.select_id(need_id):
            self.status_filter.setCurrentIndex(len(STATUS_CHOICES) - 1)  # All
            self.category_filter.setCurrentIndex(0)
            self.urgency_filter.setCurrentIndex(0)
            self.zip_filter.clear()
            self.model.set_filter(text="")
            self.table.select_id(need_id)
        self._show(need_id)

    def new_need(self, contact_id: str = "") -> None:
        self.table.view.clearSelection()
        self.form.new_need(contact_id)

    def _after_save(self, need_id: str) -> None:
        self.table.refresh_keep_selection()
        if not self.table.select_id(need_id):
            self.message.emit("Saved. The need is hidden by the current filter.")
        else:
            self.message.emit("Saved")

    def delete_current(self) -> None:
        need = self.form.need
        if need is None or self.form.is_new:
            return
        answer = QMessageBox.question(
            self,
            "Delete need",
            f"Delete this {need.category.label.lower()} need? You can undo this with Edit › Undo.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from mutualaid_desktop.domain import Need

        guarded(self, lambda: self.session.delete(Need, need.id, "Delete need"))
        self.message.emit("Need deleted. Undo with Ctrl+Z.")
        if self.model.rowCount():
            self.table.view.selectRow(0)
        else:
            self.form.new_need()
