"""A table model that reads its rows from SQLite one page at a time.

The model holds only the ordered list of matching rowids (integers); rows are
fetched in pages of PAGE when they scroll into sight and a bounded number of
pages is kept. Opening, sorting and filtering 20,000 rows costs about as much
as 20. Subclasses say which columns exist and how to ask the core for ids and
rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ItemIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    attr: str  # attribute of the row object
    sort: str  # sort key understood by the core listing
    align_right: bool = False
    width: int = 0  # preferred width in characters (0: let the view decide)


class PagedTableModel(QAbstractTableModel):
    PAGE = 250
    MAX_PAGES = 40
    RawRole = Qt.ItemDataRole.UserRole + 1  # the unformatted value
    IdRole = Qt.ItemDataRole.UserRole + 2  # the record's uuid

    columns: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, Any]] = OrderedDict()
        self.sort_key = self.columns[0].sort if self.columns else ""
        self.descending = False

    # -- to implement ------------------------------------------------------

    def query_ids(self) -> list[int]:
        raise NotImplementedError

    def fetch_rows(self, rowids: Sequence[int]) -> dict[int, Any]:
        raise NotImplementedError

    def display(self, row: Any, column: Column) -> str:
        value = getattr(row, column.attr)
        return "" if value is None else str(value)

    # -- loading -----------------------------------------------------------

    def refresh(self) -> None:
        """Ask the core again (after a change, a new filter or a new sort)."""
        ids = self.query_ids()
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def invalidate_rows(self) -> None:
        """Same ids, fresh values (after an edit that does not change the order)."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1)
            )

    def row_at(self, row: int) -> Any | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self.fetch_rows(self._ids[page_no * self.PAGE : (page_no + 1) * self.PAGE])
            self._pages[page_no] = page
            if len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def row_of_id(self, record_id: str) -> int | None:
        """Where a record is in the current order (None when filtered out)."""
        for page_no, page in self._pages.items():
            for rowid, row in page.items():
                if row.id == record_id:
                    start = page_no * self.PAGE
                    return start + self._ids[start : start + self.PAGE].index(rowid)
        rowid = self.rowid_of(record_id)
        if rowid is None:
            return None
        try:
            return self._ids.index(rowid)
        except ValueError:
            return None

    def rowid_of(self, record_id: str) -> int | None:
        return None

    # -- Qt model API --------------------------------------------------------

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {self.display(row, column)}"
        if role == self.RawRole:
            return getattr(row, column.attr)
        if role == self.IdRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = self.columns[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
