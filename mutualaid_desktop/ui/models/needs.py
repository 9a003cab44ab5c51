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
        self.today_iso = ""

    def set_filter(self, **changes: Any) -> None:
        self.filter = replace(self.filter, **changes)
        self.refresh()

    def query_ids(self) -> list[int]:
        return listing.need_ids(self.session.store, self.filter, self.sort_key, self.descending)

    def fetch_rows(self, rowids: Sequence[int]) -> dict[int, Any]:
        return listing.need_rows(self.session.store, rowids)

    def rowid_of(self, record_id: str) -> int | None:
        return listing.rowid_of(self.session.store, "needs", record_id)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole) and index.isValid():
            row = self.row_at(index.row())
            if row is None:
                return None
            overdue = (
                self.today_iso
                and row.needed_by
                and row.needed_by < self.today_iso
                and row.status in ("New", "Scheduled")
            )
            if (
                role == Qt.ItemDataRole.ForegroundRole
                and overdue
                and self.columns[index.column()].attr == "needed_by"
            ):
                return QBrush(QColor("#c0392b"))
            if role == Qt.ItemDataRole.FontRole and row.urgency == "Today" and index.column() == 0:
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)
