"""The needs table model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from mutualaid_desktop.domain.enums import NeedStatus, Urgency
from mutualaid_desktop.i18n import N_
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.models.paged import Column, SearchableTableModel
from mutualaid_desktop.ui.session import Session


class NeedsModel(SearchableTableModel):
    columns = (
        Column(N_("Urgency"), "urgency", "urgency", width=10),
        Column(N_("Category"), "category", "category", width=16),
        Column(N_("Contact"), "contact", "contact", width=24),
        Column(N_("Description"), "description", "description", width=30),
        Column(N_("Qty"), "quantity", "urgency", align_right=True, width=4),
        Column(N_("Status"), "status", "status", width=10),
        Column(N_("Needed by"), "needed_by", "needed_by", width=11),
        Column(N_("Volunteer"), "assigned", "contact", width=18),
    )

    table = "needs"
    watches = ("needs", "contacts")  # a need's line shows its contact's name
    filter: listing.NeedFilter

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(session, listing.NeedFilter(), parent)
        self.today_iso = ""  # needs due before this day (and still open) show in red

    def ordered_ids(self, base_filter: Any) -> list[int]:
        return listing.need_ids(self.session.store, base_filter, self.sort_key, self.descending)

    def matches(self, text: str) -> set[int] | None:
        return listing.need_matches(self.session.store, text)

    def match_count(self) -> int:
        return listing.need_count(self.session.store, self.filter)

    def fetch_rows(self, rowids: Sequence[int]) -> dict[int, Any]:
        return listing.need_rows(self.session.store, rowids)

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
                # The row holds the status's label, in the program's language.
                and row.status in (NeedStatus.NEW.label, NeedStatus.SCHEDULED.label)
            )
            return _OVERDUE if overdue else None
        if role == _FONT:
            if index.column() != 0:
                return None
            row = self.row_at(index.row())
            return _BOLD if row is not None and row.urgency == Urgency.TODAY.label else None
        return super().data(index, role)


_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_OVERDUE = QBrush(QColor("#c0392b"))
_BOLD = QFont()
_BOLD.setBold(True)
