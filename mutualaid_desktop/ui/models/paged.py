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
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import listing
from mutualaid_desktop.store.search import StillIndexing

ItemIndex = QModelIndex | QPersistentModelIndex

_R = Qt.ItemDataRole
_DISPLAY, _TOOLTIP, _ALIGN = (
    int(_R.DisplayRole.value),
    int(_R.ToolTipRole.value),
    int(_R.TextAlignmentRole.value),
)
_UNUSED = frozenset(
    int(r.value)
    for r in (
        _R.DecorationRole,
        _R.BackgroundRole,
        _R.CheckStateRole,
        _R.SizeHintRole,
        _R.StatusTipRole,
        _R.WhatsThisRole,
    )
)


@dataclass(frozen=True)
class Column:
    title: str  # marked with N_(): translated where shown
    attr: str  # attribute of the row object
    sort: str  # sort key understood by the core listing
    align_right: bool = False
    width: int = 0  # preferred width in characters (0: let the view decide)


class PagedTableModel(QAbstractTableModel):
    PAGE = 100  # a screenful or three: small pages make jumps (a dragged scroll bar) cheap
    MAX_PAGES = 40
    RawRole = Qt.ItemDataRole.UserRole + 1  # the unformatted value
    IdRole = Qt.ItemDataRole.UserRole + 2  # the record's uuid

    columns: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        # page number -> {rowid: (row object, display strings per column)}
        self._pages: OrderedDict[int, dict[int, tuple[Any, tuple[str, ...]]]] = OrderedDict()
        self._align = [
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c.align_right
            else None
            for c in self.columns
        ]
        self.sort_key = self.columns[0].sort if self.columns else ""
        self.descending = False
        self.stale = True  # nothing loaded yet, or the filter changed while hidden

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
        self.stale = False
        self.endResetModel()

    def invalidate_rows(self) -> None:
        """Same ids, fresh values (after an edit that does not change the order)."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1)
            )

    def _entry(self, row: int) -> tuple[Any, tuple[str, ...]] | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            fetched = self.fetch_rows(self._ids[page_no * self.PAGE : (page_no + 1) * self.PAGE])
            page = {
                rowid: (r, tuple(self.display(r, c) for c in self.columns))
                for rowid, r in fetched.items()
            }
            self._pages[page_no] = page
            if len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        return page.get(self._ids[row])

    def row_at(self, row: int) -> Any | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def row_of_id(self, record_id: str) -> int | None:
        """Where a record is in the current order (None when filtered out)."""
        for page_no, page in self._pages.items():
            for rowid, (row, _cells) in page.items():
                if row.id == record_id:
                    start = page_no * self.PAGE
                    return start + self._ids[start : start + self.PAGE].index(rowid)
        found = self.rowid_of(record_id)
        if found is None:
            return None
        try:
            return self._ids.index(found)
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
            return _(self.columns[section].title)
        return None

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times per repaint (a dozen roles per cell): compare
        # plain ints, answer the common roles first, and everything else cheaply.
        if role in (_DISPLAY, _TOOLTIP):
            entry = self._entry(index.row())
            return entry[1][index.column()] if entry is not None else None
        if role == _ALIGN:
            return self._align[index.column()]
        if role in _UNUSED:
            return None
        if role == self.RawRole:
            row = self.row_at(index.row())
            return getattr(row, self.columns[index.column()].attr) if row is not None else None
        if role == self.IdRole:
            row = self.row_at(index.row())
            return row.id if row is not None else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            entry = self._entry(index.row())
            if entry is None:
                return None
            return f"{_(self.columns[index.column()].title)}: {entry[1][index.column()]}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort
        descending = order == Qt.SortOrder.DescendingOrder
        changed = (key, descending) != (self.sort_key, self.descending)
        self.sort_key, self.descending = key, descending
        # A view sorts once when it is set up: no query until someone looks.
        if changed and not self.stale:
            self.refresh()
        elif changed:
            self.stale = True

    def refresh_if_stale(self) -> None:
        if self.stale:
            self.refresh()


class SearchableTableModel(PagedTableModel):
    """A paged table with filters and search text, whose order is cached while typing.

    Subclasses name their `table`, the tables whose changes invalidate the
    order (`watches`), and the core listing functions they use.
    """

    table = ""
    watches: tuple[str, ...] = ()

    def __init__(self, session: Any, initial_filter: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filter = initial_filter
        self.indexing = False  # the search text waits for the index to be rebuilt
        self._order = listing.OrderedIds()
        # Connected before any view: the cache is dropped before views reload.
        session.changed.connect(self._records_changed)

    # -- to implement ------------------------------------------------------------

    def ordered_ids(self, base_filter: Any) -> list[int]:
        """Rowids matching the filter without its search text, in display order."""
        raise NotImplementedError

    def matches(self, text: str) -> set[int] | None:
        """Rowids the search text matches (None: no text)."""
        raise NotImplementedError

    def match_count(self) -> int:
        """How many rows the current filter matches, without loading them."""
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------

    def _records_changed(self, table: str) -> None:
        if table == "" or table in self.watches:
            self._order.clear()

    def set_filter(self, refresh: bool = True, **changes: Any) -> None:
        """Change what is shown; with refresh=False the next `refresh_if_stale` reloads."""
        self.filter = replace(self.filter, **changes)
        if refresh:
            self.refresh()
        else:
            self.stale = True

    def query_ids(self) -> list[int]:
        base = replace(self.filter, text="")
        ordered = self._order.get(
            (base, self.sort_key, self.descending), lambda: self.ordered_ids(base)
        )
        try:
            matched = self.matches(self.filter.text)
        except StillIndexing:
            # After a large import the index is rebuilt in the background: say so,
            # rather than answer from a half-built index.
            self.indexing = True
            return []
        self.indexing = False
        return self._order.narrow(ordered, matched)

    def rowid_of(self, record_id: str) -> int | None:
        return listing.rowid_of(self.session.store, self.table, record_id)
