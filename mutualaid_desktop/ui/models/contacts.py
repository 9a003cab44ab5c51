"""The contacts table model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from mutualaid_desktop.domain.enums import ContactStatus, Role
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.models.paged import Column, PagedTableModel
from mutualaid_desktop.ui.session import Session

_ROLE_LABELS = {r.value: r.label for r in Role}
_STATUS_LABELS = {s.value: s.label for s in ContactStatus}


class ContactsModel(PagedTableModel):
    columns = (
        Column("Name", "name", "name", width=26),
        Column("Phone", "phone", "phone", width=15),
        Column("Address", "address", "address", width=30),
        Column("ZIP", "zip", "zip", width=6),
        Column("People", "size", "size", align_right=True, width=6),
        Column("Roles", "roles", "roles", width=16),
        Column("Languages", "languages", "languages", width=16),
        Column("Tags", "tags", "tags", width=12),
    )

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filter = listing.ContactFilter()
        self._order = listing.OrderedIds()
        # Connected before any view: the cache is dropped before views reload.
        session.changed.connect(self._records_changed)

    def _records_changed(self, table: str) -> None:
        if table in ("", "contacts"):
            self._order.clear()

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
            lambda: listing.contact_ids(store, base, self.sort_key, self.descending),
        )
        return self._order.narrow(ordered, listing.contact_matches(store, self.filter.text))

    def fetch_rows(self, rowids: Sequence[int]) -> dict[int, Any]:
        return listing.contact_rows(self.session.store, rowids)

    def match_count(self) -> int:
        return listing.contact_count(self.session.store, self.filter)

    def rowid_of(self, record_id: str) -> int | None:
        return listing.rowid_of(self.session.store, "contacts", record_id)

    def display(self, row: Any, column: Column) -> str:
        if column.attr == "roles":
            return ", ".join(_ROLE_LABELS.get(r, r) for r in row.roles.split(", ") if r)
        return super().display(row, column)
