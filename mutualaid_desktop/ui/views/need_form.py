"""The need editor beside the needs table, with buttons for the next workflow step."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import Category, NeedStatus, Recurrence, Urgency
from mutualaid_desktop.domain.workflow import allowed_next_statuses
from mutualaid_desktop.i18n import N_, _, format_date
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets import form as form_widgets
from mutualaid_desktop.ui.widgets.contact_picker import ContactPicker
from mutualaid_desktop.ui.widgets.form import ErrorForm
from mutualaid_desktop.ui.widgets.optional_date import OptionalDate

if TYPE_CHECKING:
    from mutualaid_desktop.domain.need import Need

# (The pydantic models load inside the methods that use them, after the first paint.)

# What the button for each target status says.
STEP_LABELS = {
    NeedStatus.NEW: N_("Reopen"),
    NeedStatus.SCHEDULED: N_("Schedule"),
    NeedStatus.FULFILLED: N_("Mark fulfilled"),
    NeedStatus.UNMET: N_("Mark unmet"),
    NeedStatus.CANCELLED: N_("Cancel need"),
}


CHOOSE_CONTACT = N_("Choose who this need is for: type part of their name and pick them.")


def confirm_past_date(parent: QWidget, due: date) -> bool:
    """Ask once whether a need is really due on a day already past."""
    answer = QMessageBox.question(
        parent,
        _("Needed by a past date?"),
        _("This need is due {day}, which is already past. Save it with that date?").format(
            day=format_date(due, "long")
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class NeedForm(QWidget):
    saved = Signal(str)
    open_contact = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.need: Need | None = None
        self.is_new = True
        self._loaded: dict[str, Any] = {}  # the form as loaded: what "unsaved" compares with
        self._past_ok: date | None = None  # a past due date the organizer confirmed

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        self.form = ErrorForm()
        self.form.validate = self.problems
        outer.addLayout(self.form)
        f = self.form

        contact_row = QWidget()
        row = QHBoxLayout(contact_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.contact_edit = ContactPicker(session)
        self.open_contact_button = QPushButton(_("Open"))
        self.open_contact_button.setAccessibleName(_("Open this need's contact"))
        self.open_contact_button.clicked.connect(
            lambda: (
                self.need and self.need.contact_id and self.open_contact.emit(self.need.contact_id)
            )
        )
        row.addWidget(self.contact_edit, 1)
        row.addWidget(self.open_contact_button)
        f.add("contact_id", _("C&ontact:"), contact_row, _("Contact"))

        self.category = f.add("category", _("&Category:"), QComboBox())
        for c in Category:
            self.category.addItem(c.label, c)
        self.description = f.add("description", _("&Description:"), QPlainTextEdit())
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(64)
        self.quantity = f.add("quantity", _("&Quantity:"), QSpinBox())
        self.quantity.setRange(1, 1000)
        self.urgency = f.add("urgency", _("&Urgency:"), QComboBox())
        for u in Urgency:
            self.urgency.addItem(u.label, u)
        self.due = OptionalDate(_("By"), _("Needed by"))
        f.add("needed_by", _("Needed by:"), self.due)
        self.recurrence = f.add("recurrence", _("&Repeats:"), QComboBox())
        for r in Recurrence:
            self.recurrence.addItem(r.label, r)
        self.source = f.add("source", _("Source:"), QLineEdit())
        self.source.setPlaceholderText(_("phone, sign-up form, referral…"))
        self.volunteer = f.add(
            "assigned_volunteer_id", _("&Volunteer:"), QComboBox(), _("Assigned volunteer")
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("needStatus")
        f.add("status", _("Status:"), self.status_label)
        outer.addWidget(self.form.general)

        # Two to a row: four steps side by side cut their words off on a 1280-pixel
        # laptop, in Spanish ("Marcar como no cumplida") even more.
        self.step_row = QGridLayout()
        self.step_buttons: dict[NeedStatus, QPushButton] = {}
        for status, label in STEP_LABELS.items():
            button = QPushButton(_(label))
            button.setObjectName(f"step_{status.value}")
            button.clicked.connect(lambda _=False, s=status: self.move_to(s))
            self.step_buttons[status] = button
        self._place_steps(())
        outer.addLayout(self.step_row)
        outer.addStretch(1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(_("Re&vert"))
        self.delete_button = QPushButton(_("Delete…"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        # Filled by the view (new_need or load) once the window has painted.
        for button in self.step_buttons.values():
            button.hide()
        self.delete_button.setEnabled(False)
        self.open_contact_button.setProperty("navigates", True)
        self._writable = not session.read_only_reason
        read_only.lock(session, self)  # shows the record; its buttons say why they are off

    def reload_volunteers(self) -> None:
        current = self.volunteer.currentData()
        self.volunteer.clear()
        self.volunteer.addItem(_("— nobody yet —"), None)
        for vid, name in listing.volunteers(self.session.store):
            self.volunteer.addItem(name, vid)
        self.volunteer.setCurrentIndex(max(0, self.volunteer.findData(current)))

    # -- contact picking ------------------------------------------------------

    @property
    def contact_id(self) -> str:
        return self.contact_edit.contact_id

    @contact_id.setter
    def contact_id(self, value: str) -> None:
        self.contact_edit.contact_id = value

    def set_contact(self, contact_id: str) -> None:
        self.contact_edit.set_contact(contact_id)

    # -- loading ----------------------------------------------------------------

    @property
    def record(self) -> Need | None:
        return self.need

    def new_need(self, contact_id: str = "") -> None:
        from mutualaid_desktop.domain import Need

        self.load(Need(contact_id=contact_id or "-", category=Category.GROCERIES), new=True)
        if contact_id:
            self.set_contact(contact_id)
            self.category.setFocus()
        else:
            self.set_contact("")
            self.contact_edit.setFocus()
        self._loaded = self.form_data()

    def load(self, need: Need, new: bool = False) -> None:
        self.need = need
        self.is_new = new
        self.form.clear_problems()
        self.form.general.hide()
        self.set_contact(need.contact_id)
        self.title.setText(
            _("New need")
            if new
            else _("{category} for {name}").format(
                category=need.category.label, name=self.contact_edit.text()
            )
        )
        self.category.setCurrentIndex(self.category.findData(need.category))
        self.description.setPlainText(need.description)
        self.quantity.setValue(need.quantity)
        self.urgency.setCurrentIndex(self.urgency.findData(need.urgency))
        self.due.set_value(need.needed_by)
        self.recurrence.setCurrentIndex(self.recurrence.findData(need.recurrence))
        self.source.setText(need.source)
        self.volunteer.setCurrentIndex(max(0, self.volunteer.findData(need.assigned_volunteer_id)))
        self.status_label.setText(f"<b>{need.status.label}</b>")
        allowed = () if new or not self._writable else allowed_next_statuses(need.status)
        self._place_steps(allowed)
        self.delete_button.setEnabled(not new and self._writable)
        self.open_contact_button.setEnabled(not new)
        self._loaded = self.form_data()
        self._past_ok = None

    def _place_steps(self, allowed: Iterable[NeedStatus]) -> None:
        """The buttons of the steps allowed now, two to a row, in the steps' order."""
        allowed = set(allowed)
        for button in self.step_buttons.values():
            self.step_row.removeWidget(button)
            button.hide()
        shown = [b for s, b in self.step_buttons.items() if s in allowed]
        for i, button in enumerate(shown):
            self.step_row.addWidget(button, i // 2, i % 2)
            button.show()

    def revert(self) -> None:
        if self.need is None:
            return
        if self.is_new:
            self.new_need(self.contact_id)
            return
        from mutualaid_desktop.domain import Need

        fresh = self.session.store.get(Need, self.need.id)
        if fresh is not None:
            self.load(fresh)

    def form_data(self) -> dict[str, Any]:
        assert self.need is not None
        data = self.need.model_dump()
        data.update(
            contact_id=self.contact_id,
            category=self.category.currentData(),
            description=self.description.toPlainText(),
            quantity=self.quantity.value(),
            urgency=self.urgency.currentData(),
            needed_by=self.due.value(),
            recurrence=self.recurrence.currentData(),
            source=self.source.text(),
            assigned_volunteer_id=self.volunteer.currentData(),
        )
        return data

    def is_dirty(self) -> bool:
        """Whether the form holds edits that are not saved."""
        return self.need is not None and self.form_data() != self._loaded

    def edited_data(self) -> dict[str, Any]:
        """The fields the organizer changed, over the need as stored now."""
        data = self.form_data()
        if self.is_new or self.need is None:
            return data
        from mutualaid_desktop.domain import Need

        stored = self.session.store.get(Need, self.need.id)
        changed = {k: v for k, v in data.items() if v != self._loaded.get(k)}
        return data if stored is None else stored.model_dump() | changed

    def problems(self) -> dict[str, str]:
        """What keeps the form from being saved now ({} when nothing)."""
        from mutualaid_desktop.domain import Need, parse_model
        from mutualaid_desktop.errors import ValidationFailed

        if not self.contact_id:
            return {"contact_id": _(CHOOSE_CONTACT)}
        try:
            parse_model(Need, self.form_data())
        except ValidationFailed as error:
            return error.problems
        return {}

    def _past_date_confirmed(self) -> bool:
        """A due date in the past is asked about once; True to go on saving."""
        due = self.due.value()
        if due is None or due >= date.today() or due == self._past_ok:
            return True
        if due == self._loaded.get("needed_by"):
            return True  # it was already saved like that
        if confirm_past_date(self, due):
            self._past_ok = due
            return True
        ErrorForm.reveal(self.due.edit)
        return False

    def save(self) -> bool:
        if self.need is None:
            return False
        self.form.general.hide()
        if not self.contact_id:
            self.form.show_problems({"contact_id": _(CHOOSE_CONTACT)})
            return False
        if not self._past_date_confirmed():
            return False
        from mutualaid_desktop.domain import Need, parse_model

        try:
            need = parse_model(Need, self.edited_data())
            text = (
                _("Add need ({category})") if self.is_new else _("Edit need ({category})")
            ).format(category=need.category.label)
            saved = (
                self.session.create(need, text) if self.is_new else self.session.save(need, text)
            )
        except Exception as exc:
            self.form.report(exc, self)
            return False
        self.load(saved)
        self.saved.emit(saved.id)
        return True

    def leave(self) -> bool:
        """Before the editor shows something else: save, or ask; False to stay here."""
        return form_widgets.leave_record(self, _("This need"), _("Its due date is in the past."))

    def move_to(self, target: NeedStatus) -> None:
        if self.need is None or self.is_new:
            return
        # Unsaved edits go in first, so the step does not throw them away.
        if self.is_dirty() and not self.save():
            return
        try:
            moved = self.session.move_need(self.need, target)
        except Exception as exc:
            show_error(self, exc)
            return
        self.load(moved)
        self.saved.emit(moved.id)
