"""Choose a contact by typing part of a name or phone: the search suggests, you pick."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.session import Session


class ContactPicker(QLineEdit):
    chosen = Signal(str)  # contact id

    def __init__(
        self, session: Session, accessible: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.contact_id = ""
        self._choices: dict[str, str] = {}
        self.setPlaceholderText(_("Type part of a name or phone"))
        self.setAccessibleName(accessible or _("Contact"))
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._picked)
        self.setCompleter(completer)
        self.textEdited.connect(self._suggest)

    def _suggest(self, text: str) -> None:
        self.contact_id = ""
        if len(text.strip()) < 2:
            self._model.setStringList([])
            return
        store = self.session.store
        ids = listing.contact_ids(store, listing.ContactFilter(text=text))[:15]
        rows = listing.contact_rows(store, ids)
        self._choices = {}
        lines = []
        for rowid in ids:
            r = rows[rowid]
            line = f"{r.name} — {r.phone or r.address}"
            self._choices[line] = r.id
            lines.append(line)
        self._model.setStringList(lines)

    def _picked(self, line: str) -> None:
        contact_id = self._choices.get(line, "")
        self.set_contact(contact_id)
        if self.contact_id:
            self.chosen.emit(self.contact_id)

    def set_contact(self, contact_id: str) -> None:
        from mutualaid_desktop.domain import Contact

        contact = self.session.store.get(Contact, contact_id) if contact_id else None
        self.contact_id = contact_id if contact else ""
        self.setText(contact.name if contact else "")
