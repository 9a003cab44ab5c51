"""The Needs view: filters, the table, and the editor beside it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QPushButton,
    QWidget,
)

from mutualaid_desktop.domain.enums import Category, NeedStatus, Urgency
from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.models.needs import NeedsModel
from mutualaid_desktop.ui.ops import guarded
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.need_form import NeedForm
from mutualaid_desktop.ui.views.record_list import RecordListView, filter_combo, zip_field
from mutualaid_desktop.ui.views.table_view import RecordTable
from mutualaid_desktop.ui.widgets.empty_state import EmptyState


def status_choices() -> list[tuple[str, tuple[str, ...]]]:
    """The status filter's items, in the program's language."""
    return [
        (_("Open (new or scheduled)"), ("new", "scheduled")),
        (_("Overdue"), ("overdue",)),
        *[(s.label, (s.value,)) for s in NeedStatus],
        (_("All statuses"), ()),
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


class NeedsView(RecordListView):
    open_contact = Signal(str)
    go_contacts = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.status_filter = filter_combo(_("Filter by status"), status_choices())
        self.category_filter = filter_combo(
            _("Filter by category"),
            [(_("Any category"), ""), *[(c.label, c.value) for c in Category]],
        )
        self.urgency_filter = filter_combo(
            _("Filter by urgency"), [(_("Any urgency"), ""), *[(u.label, u.value) for u in Urgency]]
        )
        self.zip_filter = zip_field()
        self.new_button = QPushButton(_("New &need"))
        empty = EmptyState(
            _("No open needs"),
            _(
                "Needs are requests for help: groceries, a ride, diapers, rent. Add one from "
                "a contact's page, or with New need."
            ),
            [(_("New need"), self.new_need), (_("Go to contacts"), self.go_contacts.emit)],
        )
        no_match = EmptyState(
            _("No need matches"),
            _("Nothing matches the search and filters."),
            [(_("Clear filters"), self.clear_filters)],
        )
        model = NeedsModel(session, self)
        model.today_iso = date.today().isoformat()
        self.form = NeedForm(session)
        self._lay_out(
            "needs",
            model,
            _NeedTable(model, empty, no_match, "needs", _("Needs")),
            self.form,
            [self.status_filter, self.category_filter, self.urgency_filter, self.zip_filter],
            self.new_button,
        )
        self.model: NeedsModel
        self.table: _NeedTable

        self.status_filter.currentIndexChanged.connect(self._status_changed)
        self.category_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(category=self.category_filter.currentData())
        )
        self.urgency_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(urgency=self.urgency_filter.currentData())
        )
        self.zip_filter.textChanged.connect(lambda t: self.model.set_filter(zip=t))
        self.new_button.clicked.connect(lambda: self.new_need())
        read_only.writes(session, self.new_button, empty.buttons[0])  # New need
        self.table.current_changed.connect(self._show)
        self.form.saved.connect(self._after_save)
        self.form.open_contact.connect(self.open_contact.emit)
        self.form.delete_button.clicked.connect(self.delete_current)
        session.changed.connect(self._on_changed)

    def _status_changed(self) -> None:
        value = self.status_filter.currentData()
        if value == ("overdue",):
            self.model.set_filter(statuses=("new", "scheduled"), overdue_on=date.today())
        else:
            self.model.set_filter(statuses=value, overdue_on=None)

    def before_load(self) -> None:
        self.model.today_iso = date.today().isoformat()

    def finish_loading(self) -> None:
        """Fill the volunteer menu and show the first need in the editor."""
        if not self.ready_to_finish():
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
            form = self.form
            if table in ("", "contacts") and not form.is_dirty():
                form.reload_volunteers()
            with self.quietly():
                self.table.refresh_keep_selection()
            if form.need and not form.is_new and not form.is_dirty():
                self._load(form.need.id)  # what another window or an undo changed

    def show_overdue(self) -> None:
        self.status_filter.setCurrentIndex(1)

    def clear_filters(self) -> None:
        self.status_filter.setCurrentIndex(0)
        self.category_filter.setCurrentIndex(0)
        self.urgency_filter.setCurrentIndex(0)
        self.zip_filter.clear()
        self.model.set_filter(text="")
        self.message.emit(_("Filters cleared"))

    def _load(self, need_id: str) -> None:
        from mutualaid_desktop.domain import Need

        need = self.session.store.get(Need, need_id)
        if need is not None:
            self.form.load(need)

    def open_need(self, need_id: str) -> None:
        if not self.leave():
            return
        with self.quietly():
            if not self.table.select_id(need_id):
                self.status_filter.setCurrentIndex(self.status_filter.count() - 1)  # All
                self.category_filter.setCurrentIndex(0)
                self.urgency_filter.setCurrentIndex(0)
                self.zip_filter.clear()
                self.model.set_filter(text="")
                self.table.select_id(need_id)
        self._load(need_id)

    def new_need(self, contact_id: str = "") -> None:
        if not self.leave():
            return
        with self.quietly():
            self.table.clear_current()
        self.form.new_need(contact_id)

    def saved_message(self, record_id: str) -> str:
        if self.model.row_of_id(record_id) is None:
            return _("Saved. The need is hidden by the current filter.")
        return _("Saved")

    def count_text(self, n: int) -> str:
        return ngettext("{n} need", "{n} needs", n).format(n=f"{n:,}")

    def delete_current(self) -> None:
        if self.form.need is None or self.form.is_new or not self.leave():
            return
        need = self.form.need
        if not self.confirm(
            _("Delete need"),
            _("Delete this need ({category})? You can undo this with Edit › Undo.").format(
                category=need.category.label
            ),
        ):
            return
        from mutualaid_desktop.domain import Need

        label = _("Delete need ({category})").format(category=need.category.label)
        if guarded(self, lambda: self.session.delete(Need, need.id, label)) is None:
            return  # not deleted: the error said why
        self.message.emit(_("Need deleted. Undo with Ctrl+Z."))
        if self.model.rowCount():
            self.table.view.selectRow(0)
        else:
            self.form.new_need()
