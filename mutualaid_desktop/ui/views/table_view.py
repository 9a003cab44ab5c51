"""Shared parts of the list views: a table over a paged model, with an empty state."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStackedWidget, QTableView, QWidget

from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.models.paged import PagedTableModel
from mutualaid_desktop.ui.widgets.empty_state import EmptyState


class RecordTable(QStackedWidget):
    """A sortable table of records, or a message saying how to start when it is empty."""

    current_changed = Signal(str)  # record id ("" when nothing is selected)
    painted = Signal()  # the table has painted its rows (once per load)

    def __init__(
        self,
        model: PagedTableModel,
        empty: EmptyState,
        no_match: EmptyState,
        name: str,
        accessible: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView()
        self.view.setObjectName(f"{name}Table")
        self.view.setAccessibleName(accessible or name.capitalize())
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        # Fixed row heights: the view never measures 20,000 rows.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        char = self.view.fontMetrics().averageCharWidth()
        for i, column in enumerate(model.columns):
            if column.width:
                self.view.setColumnWidth(i, column.width * char + 12)
        header.setStretchLastSection(True)
        self.empty = empty
        self.no_match = no_match
        self.addWidget(self.view)
        self.addWidget(empty)
        self.addWidget(no_match)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        model.modelReset.connect(self._update_page)
        self._waiting_for_paint = False
        self.view.viewport().installEventFilter(self)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = self.model.data(current, PagedTableModel.IdRole) if current.isValid() else ""
        self.current_changed.emit(record_id or "")

    def call_after_paint(self) -> None:
        """Emit `painted` once the rows are on screen (or at once when there are none)."""
        if self.model.rowCount() == 0 or not self.isVisible():
            QTimer.singleShot(0, self.painted.emit)
        else:
            self._waiting_for_paint = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._waiting_for_paint and event.type() == QEvent.Type.Paint:
            self._waiting_for_paint = False
            # Queued: the paint finishes first, then whatever waited for it runs.
            QTimer.singleShot(0, self.painted.emit)
        return False

    def showEvent(self, event: QShowEvent) -> None:
        self.model.refresh_if_stale()
        super().showEvent(event)

    def _update_page(self) -> None:
        if self.model.rowCount() > 0:
            self.setCurrentWidget(self.view)
        elif getattr(self.model, "indexing", False):
            self.setCurrentWidget(self._indexing_page())
        elif self.is_filtered():
            self.setCurrentWidget(self.no_match)
        else:
            self.setCurrentWidget(self.empty)

    def _indexing_page(self) -> EmptyState:
        """Shown while a search waits for the index a large import is rebuilding."""
        page = getattr(self, "_indexing", None)
        if page is None:
            page = EmptyState(
                _("Still indexing for search"),
                _(
                    "The records that just arrived are being indexed (a few seconds). "
                    "The results appear by themselves when it is done."
                ),
                [],
            )
            page.setObjectName("stillIndexing")
            self._indexing = page
            self.addWidget(page)
        return page

    def is_filtered(self) -> bool:
        return False

    def current_id(self) -> str:
        index = self.view.currentIndex()
        return self.model.data(index, PagedTableModel.IdRole) or "" if index.isValid() else ""

    def select_id(self, record_id: str) -> bool:
        row = self.model.row_of_id(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def clear_current(self) -> None:
        """No row selected and none current: a click on any row then shows it."""
        self.view.selectionModel().clearCurrentIndex()
        self.view.clearSelection()

    def refresh_keep_selection(self) -> None:
        if not self.isVisible():
            self.model.stale = True  # reloads when shown
            return
        keep = self.current_id()
        self.model.refresh()
        if keep and not self.select_id(keep):
            self.current_changed.emit("")
