"""The needs table model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.models.paged import Column, PagedTableModel
from mutualaid_desktop.ui.session import Session


class NeedsModel(PagedTableModel):
    columns = (
        Column("Urgency", "urgency", "urgency", width=10),
        Column("Category", "category", "category", width=16),
        Column("Contact", "contact", "contact", width=24),
        Column("Description", "description", "description", width=30),
        Column("Qty", "quantity", "urgency", align_right=True, width=4),
        Column("Status", "status", "status", width=10),
        Column("Needed by", "needed_by", "needed_by", width=11),
        Column("Volunteer", "assigned", "contact", width=18),
    )

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filter = listing.NeedFilter()
        self._order = listing.OrderedIds()
        # Connected before any view: the cache is dropped before views reload.
        session.changed.connect(self._records_changed)

    def _records_changed(self, table: str) -> None:
        if table in ("", "needs", "contacts"):
            self._order.clear()
        self.today_iso = ""

    def set_filter(self, refresh: bool = True, **changes: Any) -> None:
        """Change what is shown; with refresh=False the next `refresh_if_stale` reloads."""
        self.filter = replace(self.filter, **changes)
        if refresh:
            self.refresh()
        else:
            self.stale = True

    def query_ids(self) -> list[int]:
        store = self.session.store
        base = replace(self.filter, text="")
        ordered = self._order.get(
            (base, self.sort_key, self.descending),
            lambda: listing.need_ids(store, base, self.sort_key, self.descending),
        )
        return self._order.narrow(ordered, listing.need_matches(store, self.filter.text))

    def fetch_rows(self, rowids: Sequence[int]) -> dict[int, Any]:
        return listing.need_rows(self.session.store, rowids)

    def match_count(self) -> int:
        return listing.need_count(self.session.store, self.filter)

    def rowid_of(self, record_id: str) -> int | None:
        return listing.rowid_of(self.session.store, "needs", record_id)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == _FOREGROUND:
            if self.columns[index.column()].attr != "needed_by" or not self.today_iso:
                return None
            row = self.row_at(index.row())
            overdue = (
                row is not None
                and row.needed_by
                and row.needed_by < self.today_iso
                and row.status in ("New", "Scheduled")
            )
            return _OVERDUE if overdue else None
        if role == _FONT:
            if index.column() != 0:
                return None
            row = self.row_at(index.row())
            return _BOLD if row is not None and row.urgency == "Today" else None
        return super().data(index, role)


_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_OVERDUE = QBrush(QColor("#c0392b"))
_BOLD = QFont()
_BOLD.setBold(True)
