"""Table models tested without any view: paging, sorting, filtering, ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mutualaid_desktop.domain import Contact, Need
from mutualaid_desktop.store import Store
from mutualaid_desktop.ui.models.contacts import ContactsModel
from mutualaid_desktop.ui.models.needs import NeedsModel
from mutualaid_desktop.ui.models.paged import PagedTableModel
from mutualaid_desktop.ui.session import Session


@pytest.fixture
def session(demo_db: Path, qapp):
    s = Session(Store.open(demo_db))
    yield s
    s.close()


def test_contacts_model_pages_rows_lazily(session: Session, monkeypatch) -> None:
    monkeypatch.setattr(PagedTableModel, "PAGE", 10)
    model = ContactsModel(session)
    model.refresh()
    total = session.store.count(Contact, "status = 'active'")
    assert model.rowCount() == total
    assert model._pages == {}  # nothing fetched until asked
    name = model.data(model.index(0, 0))
    assert isinstance(name, str) and name
    assert list(model._pages) == [0]
    model.data(model.index(total - 1, 0))
    assert len(model._pages) == 2


def test_contacts_model_sorts_by_name_both_ways(session: Session) -> None:
    model = ContactsModel(session)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == sorted(names, key=str.casefold)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    names_desc = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names_desc == sorted(names, key=str.casefold, reverse=True)


def test_contacts_model_household_size_sort_uses_raw_numbers(session: Session) -> None:
    model = ContactsModel(session)
    size_col = [c.attr for c in model.columns].index("size")
    model.sort(size_col, Qt.SortOrder.AscendingOrder)
    sizes = [
        model.data(model.index(r, size_col), PagedTableModel.RawRole)
        for r in range(model.rowCount())
    ]
    assert sizes == sorted(sizes)
    assert all(isinstance(s, int) for s in sizes)


def test_contacts_search_ignores_accents(session: Session) -> None:
    store = session.store
    contact = store.insert(Contact(name="Begoña Ibáñez-Núñez", adults=1))
    model = ContactsModel(session)
    model.set_filter(text="begona ibanez")
    ids = [model.data(model.index(r, 0), PagedTableModel.IdRole) for r in range(model.rowCount())]
    assert contact.id in ids
    assert model.row_of_id(contact.id) is not None


def test_needs_model_filters_status_and_shows_labels(session: Session) -> None:
    model = NeedsModel(session)
    model.refresh()
    open_count = session.store.count(Need, "status IN ('new', 'scheduled')")
    assert model.rowCount() <= open_count
    statuses = {model.data(model.index(r, 5)) for r in range(model.rowCount())}
    assert statuses <= {"New", "Scheduled"}
    model.set_filter(statuses=("fulfilled",))
    assert {model.data(model.index(r, 5)) for r in range(model.rowCount())} == {"Fulfilled"}


def test_needs_model_urgency_order(session: Session) -> None:
    model = NeedsModel(session)
    model.refresh()
    order = ["Today", "1–2 days", "This week", "Anytime"]
    urgencies = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    ranks = [order.index(u) for u in urgencies]
    assert ranks == sorted(ranks)


def test_deleted_contact_takes_its_needs_out_of_the_list(session: Session) -> None:
    model = NeedsModel(session)
    model.set_filter(statuses=())
    need_row = model.row_at(0)
    before = model.rowCount()
    session.delete(Contact, need_row.contact_id, "Delete contact")
    model.refresh()
    assert model.row_of_id(need_row.id) is None
    assert model.rowCount() < before
    session.undo()
    model.refresh()
    assert model.row_of_id(need_row.id) is not None


def test_overdue_needs_stay_marked_after_an_edit(session: Session) -> None:
    from datetime import date

    model = NeedsModel(session)
    model.today_iso = date.today().isoformat()
    model.set_filter(overdue_on=date.today())
    assert model.rowCount() > 0
    due_col = [c.attr for c in model.columns].index("needed_by")
    assert model.data(model.index(0, due_col), Qt.ItemDataRole.ForegroundRole) is not None
    session.changed.emit("needs")  # any edit anywhere
    model.refresh()
    assert model.data(model.index(0, due_col), Qt.ItemDataRole.ForegroundRole) is not None


def test_repainting_tables_does_not_wear_down_none(session: Session, qtbot) -> None:
    """PySide6 6.12.0 drops a reference to None whenever a model returns None through
    some paths; a long session then dies with "none_dealloc". This guards the pin."""
    import sys

    from PySide6.QtWidgets import QTableView

    model = ContactsModel(session)
    model.refresh()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 500)
    view.show()
    before = sys.getrefcount(None)
    for _ in range(100):
        view.viewport().repaint()
        view.horizontalHeader().viewport().repaint()
        view.verticalHeader().viewport().repaint()
    assert sys.getrefcount(None) >= before
