"""The contacts table model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mutualaid_desktop.domain.enums import Role
from mutualaid_desktop.i18n import N_
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.models.paged import Column, SearchableTableModel
from mutualaid_desktop.ui.session import Session


class ContactsModel(SearchableTableModel):
    columns = (
        Column(N_("Name"), "name", "name", width=26),
        Column(N_("Phone"), "phone", "phone", width=15),
        Column(N_("Address"), "address", "address", width=30),
        Column(N_("ZIP"), "zip", "zip", width=6),
        Column(N_("People"), "size", "size", align_right=True, width=6),
        Column(N_("Roles"), "roles", "roles", width=16),
        Column(N_("Languages"), "languages", "languages", width=16),
        Column(N_("Tags"), "tags", "tags", width=12),
    )

    table = "contacts"
    watches = ("contacts",)
    filter: listing.ContactFilter

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(session, listing.ContactFilter(), parent)

    def ordered_ids(self, base_filter: Any) -> list[int]:
        return listing.contact_ids(self.session.store, base_filter, self.sort_key, self.descending)

    def matches(self, text: str) -> set[int] | None:
        return listing.contact_matches(self.session.store, text)

    def match_count(self) -> int:
        return listing.contact_count(self.session.store, self.filter)

    def fetch_rows(self, rowids: Sequence[int]) -> dict[int, Any]:
        return listing.contact_rows(self.session.store, rowids)

    def display(self, row: Any, column: Column) -> str:
        if column.attr == "roles":
            labels = {r.value: r.label for r in Role}  # in the language of the moment
            return ", ".join(labels.get(r, r) for r in row.roles.split(", ") if r)
        return super().display(row, column)
