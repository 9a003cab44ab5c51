"""The Contacts view: filters, the table, and the editor beside it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QPushButton,
    QWidget,
)

from mutualaid_desktop.domain.enums import ContactStatus, Role
from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.dialogs.sharing import ask_default_sharing
from mutualaid_desktop.ui.models.contacts import ContactsModel
from mutualaid_desktop.ui.ops import guarded
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.contact_form import ContactForm
from mutualaid_desktop.ui.views.record_list import RecordListView, filter_combo, zip_field
from mutualaid_desktop.ui.views.table_view import RecordTable
from mutualaid_desktop.ui.widgets.empty_state import EmptyState


class _ContactTable(RecordTable):
    model: ContactsModel

    def is_filtered(self) -> bool:
        f = self.model.filter
        return bool(
            f.text or f.role or f.tag or f.language or f.zip or f.sharing or f.status != "active"
        )


class ContactsView(RecordListView):
    add_need = Signal(str)
    show_need = Signal(str)
    load_demo = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.status_filter = filter_combo(
            _("Filter by status"),
            [
                (ContactStatus.ACTIVE.label, "active"),
                (ContactStatus.ARCHIVED.label, "archived"),
                (_("All statuses"), ""),
            ],
        )
        self.role_filter = filter_combo(
            _("Filter by role"), [(_("Any role"), ""), *[(r.label, r.value) for r in Role]]
        )
        self.tag_filter = filter_combo(_("Filter by tag"), [(_("Any tag"), "")])
        self.language_filter = filter_combo(_("Filter by language"), [(_("Any language"), "")])
        self.zip_filter = zip_field()
        # Households kept on this laptop only never reach the other organizers: they
        # can be listed to record their consent (writing a bundle counts them).
        self.sharing_filter = filter_combo(
            _("Filter by sharing"),
            [
                (_("Shared or not"), ""),
                (_("This laptop only"), "local"),
                (_("Shared with the group"), "group"),
            ],
        )
        self.new_button = QPushButton(_("&New contact"))
        self.new_button.setAccessibleName(_("New contact"))
        empty = EmptyState(
            _("No contacts yet"),
            _(
                "Contacts are the households you help and the volunteers and drivers who "
                "help. Add the first one, or load demo data to try the program out."
            ),
            [(_("Add a contact"), self.new_contact), (_("Load demo data…"), self.load_demo.emit)],
        )
        no_match = EmptyState(
            _("No contact matches"),
            _("Nothing matches the search and filters. Clear them to see everyone."),
            [(_("Clear filters"), self.clear_filters)],
        )
        model = ContactsModel(session, self)
        self.form = ContactForm(session)
        self._lay_out(
            "contacts",
            model,
            _ContactTable(model, empty, no_match, "contacts", _("Contacts")),
            self.form,
            [
                self.status_filter,
                self.role_filter,
                self.tag_filter,
                self.language_filter,
                self.zip_filter,
                self.sharing_filter,
            ],
            self.new_button,
        )
        self.model: ContactsModel
        self.table: _ContactTable

        self.status_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(status=self.status_filter.currentData())
        )
        self.role_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(role=self.role_filter.currentData())
        )
        self.tag_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(tag=self.tag_filter.currentData() or "")
        )
        self.language_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(language=self.language_filter.currentData() or "")
        )
        self.zip_filter.textChanged.connect(lambda t: self.model.set_filter(zip=t))
        self.sharing_filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(sharing=self.sharing_filter.currentData() or "")
        )
        self.new_button.clicked.connect(self.new_contact)
        read_only.writes(session, self.new_button, *empty.buttons)  # add, demo data
        self.table.current_changed.connect(self._show)
        self.form.saved.connect(self._after_save)
        self.form.open_contact.connect(self.open_contact)
        self.form.add_need.connect(self.add_need.emit)
        self.form.show_need.connect(self.show_need.emit)
        self.form.archive_button.clicked.connect(self.toggle_archive)
        self.form.delete_button.clicked.connect(self.delete_current)
        session.changed.connect(self._on_changed)

    def finish_loading(self) -> None:
        """Fill the filter menus and show the first contact in the editor."""
        if not self.ready_to_finish():
            return
        choices = listing.filter_choices(self.session.store)
        for combo, key, first in (
            (self.tag_filter, "tags", _("Any tag")),
            (self.language_filter, "languages", _("Any language")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, "")
            for value in choices[key]:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        if self.form.contact is not None:
            return  # the organizer already opened or started a contact
        if self.model.rowCount():
            self.table.view.selectRow(0)
        else:
            self.form.new_contact()

    def _on_changed(self, table: str) -> None:
        form = self.form
        if table in ("", "contacts"):
            with self.quietly():
                self.table.refresh_keep_selection()
            if form.contact and not form.is_new and not form.is_dirty():
                self._load(form.contact.id)  # what another window or an undo changed
        if table in ("", "needs", "stops", "rides") and form.contact and not form.is_new:
            form._load_activity(form.contact.id)

    def clear_filters(self) -> None:
        for combo in (self.role_filter, self.tag_filter, self.language_filter, self.sharing_filter):
            combo.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.zip_filter.clear()
        self.model.set_filter(text="")
        self.message.emit(_("Filters cleared"))

    def count_text(self, n: int) -> str:
        return ngettext("{n} contact", "{n} contacts", n).format(n=f"{n:,}")

    def _load(self, contact_id: str) -> None:
        from mutualaid_desktop.domain import Contact

        contact = self.session.store.get(Contact, contact_id)
        if contact is not None:
            self.form.load(contact)

    def open_contact(self, contact_id: str) -> None:
        if not self.leave():
            return
        with self.quietly():
            if not self.table.select_id(contact_id):
                # Filtered out: clear the filters so the record can be shown in its place.
                self.clear_filters()
                self.table.select_id(contact_id)
        self._load(contact_id)

    def new_contact(self) -> None:
        if not self.leave():
            return
        # Never silently kept home: a database with no choice yet asks (once) first.
        ask_default_sharing(self, self.session, adding=True)
        with self.quietly():
            self.table.clear_current()
        self.form.new_contact()

    def toggle_archive(self) -> None:
        if self.form.contact is None or self.form.is_new or not self.leave():
            return
        contact = self.form.contact
        from mutualaid_desktop.domain import Contact

        archived = contact.status is ContactStatus.ARCHIVED
        target = ContactStatus.ACTIVE if archived else ContactStatus.ARCHIVED
        label = (_("Unarchive contact {name}") if archived else _("Archive contact {name}")).format(
            name=contact.name
        )
        done = guarded(self, lambda: self.session.update(Contact, contact.id, label, status=target))
        if done is not None:
            self.message.emit(
                (
                    _("{name} restored. Undo with Ctrl+Z.")
                    if archived
                    else _("{name} archived. Undo with Ctrl+Z.")
                ).format(name=contact.name)
            )

    def delete_current(self) -> None:
        if self.form.contact is None or self.form.is_new or not self.leave():
            return
        contact = self.form.contact
        if not self.confirm(
            _("Delete contact"),
            _(
                "Delete {name}? Their open needs and upcoming stops and rides go with them; "
                "past deliveries stay in the history. Edit › Undo brings everything back."
            ).format(name=contact.name),
        ):
            return
        from mutualaid_desktop.domain import Contact

        done = guarded(
            self,
            lambda: self.session.delete(
                Contact, contact.id, _("Delete contact {name}").format(name=contact.name)
            ),
        )
        if done is None:
            return  # not deleted: the error said why
        self.message.emit(_("Deleted {name}. Undo with Ctrl+Z.").format(name=contact.name))
        if self.model.rowCount():
            self.table.view.selectRow(0)
        else:
            self.form.new_contact()
