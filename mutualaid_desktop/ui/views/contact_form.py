"""The contact editor beside the contacts table."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import (
    ContactKind,
    ContactMethod,
    ContactStatus,
    DietaryFlag,
    Role,
    ShareScope,
)
from mutualaid_desktop.i18n import N_, _, format_date
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets import form as form_widgets
from mutualaid_desktop.ui.widgets.form import ErrorForm
from mutualaid_desktop.ui.widgets.optional_date import OptionalDate

if TYPE_CHECKING:
    from mutualaid_desktop.domain.contact import Contact, Phone

# The pydantic models are imported inside the methods that use them: they load
# after the window's first paint instead of before it.


# The contact's history, in tabs: (key, title).
ACTIVITY_TABS = (("needs", N_("Needs")), ("deliveries", N_("Deliveries")), ("rides", N_("Rides")))


def _when(text: str) -> str:
    """An activity line's ISO date (and time) as a person reads it: "Fri 4 Dec 09:30"."""
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{format_date(day)} {text[11:16]}".strip()


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


class ContactForm(QWidget):
    """Edit one contact; validation messages appear beside the fields."""

    saved = Signal(str)  # contact id
    open_contact = Signal(str)
    add_need = Signal(str)
    show_need = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: Contact | None = None
        self.is_new = True
        self._loading = False
        self._loaded: dict[str, Any] = {}  # the form as loaded: what "unsaved" compares with

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)

        self.duplicate_banner = QFrame()
        self.duplicate_banner.setObjectName("duplicateBanner")
        self.duplicate_banner.setStyleSheet(
            "#duplicateBanner { background: #fff3cd; border: 1px solid #e0c060; "
            "border-radius: 4px; }"
            "#duplicateBanner QLabel { color: #5a4500; }"
        )
        self._banner_layout = QVBoxLayout(self.duplicate_banner)
        self.duplicate_banner.hide()
        outer.addWidget(self.duplicate_banner)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area = scroll
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 6, 0)
        self.form = ErrorForm()
        self.form.validate = self.problems
        column.addLayout(self.form)

        f = self.form
        self.name = f.add("name", _("&Name:"), QLineEdit())
        self.kind = f.add("kind", _("Kind:"), QComboBox())
        for kind in ContactKind:
            self.kind.addItem(kind.label, kind)
        roles = QWidget()
        row = QHBoxLayout(roles)
        row.setContentsMargins(0, 0, 0, 0)
        self.role_boxes: dict[Role, QCheckBox] = {}
        for role in Role:
            box = QCheckBox(role.label)
            box.setAccessibleName(_("Role {role}").format(role=role.label))
            self.role_boxes[role] = box
            row.addWidget(box)
        row.addStretch(1)
        f.add("roles", _("Roles:"), roles)
        self.phones = f.add("phones", _("&Phones:"), QLineEdit(), _("Phones, separated by commas"))
        self.phones.setPlaceholderText("(713) 555-0142, +52 55 1234 5678")
        self.email = f.add("email", _("Email:"), QLineEdit())
        self.street = f.add("street", _("&Street:"), QLineEdit())
        self.unit = f.add("unit", _("Apt / unit:"), QLineEdit())
        self.city = f.add("city", _("City:"), QLineEdit())
        self.region = f.add("region", _("State:"), QLineEdit())
        self.postal_code = f.add("postal_code", _("ZIP:"), QLineEdit())
        self.directions = f.add("directions", _("Entrance / cross street:"), QLineEdit())
        self.driver_notes = f.add(
            "driver_notes", _("For the &driver:"), QLineEdit(), _("Notes for the driver")
        )
        self.driver_notes.setPlaceholderText(_("Gate code, dog, stairs, “call, don't text”…"))
        self.driver_notes.setToolTip(
            _("Printed on route sheets. The notes further down stay with the organizers.")
        )
        self.languages = f.add(
            "languages", _("Languages:"), QLineEdit(), _("Languages, separated by commas")
        )
        people = QWidget()
        row = QHBoxLayout(people)
        row.setContentsMargins(0, 0, 0, 0)
        self.adults, self.children_count, self.seniors = QSpinBox(), QSpinBox(), QSpinBox()
        for label, spin in (
            (_("Adults"), self.adults),
            (_("Children"), self.children_count),
            (_("Seniors"), self.seniors),
        ):
            spin.setRange(0, 50)
            spin.setAccessibleName(label)
            row.addWidget(QLabel(label))
            row.addWidget(spin)
        row.addStretch(1)
        f.add("adults", _("Household:"), people, _("Household composition"))
        diet = QWidget()
        grid = QGridLayout(diet)
        grid.setContentsMargins(0, 0, 0, 0)
        self.diet_boxes: dict[DietaryFlag, QCheckBox] = {}
        for flag in DietaryFlag:
            box = QCheckBox(flag.label)
            box.setAccessibleName(_("Diet {diet}").format(diet=flag.label))
            self.diet_boxes[flag] = box
        # Three columns while the words are short; two for longer ones ("Alergia a
        # frutos secos"), so the editor never needs scrolling sideways.
        widest = max(box.sizeHint().width() for box in self.diet_boxes.values())
        columns = 3 if widest <= 20 * self.fontMetrics().averageCharWidth() else 2
        for i, box in enumerate(self.diet_boxes.values()):
            grid.addWidget(box, i // columns, i % columns)
        f.add("dietary", _("Diet:"), diet)
        self.allergies = f.add("allergies", _("Allergies:"), QLineEdit())
        self.accessibility = f.add("accessibility", _("Accessibility:"), QLineEdit())
        self.preferred = f.add(
            "preferred_contact", _("Contact by:"), QComboBox(), _("Preferred contact method")
        )
        for method in ContactMethod:
            self.preferred.addItem(method.label, method)
        self.consent = OptionalDate(_("Consent given on"), _("Consent date"))
        f.add("consent_at", _("Consent:"), self.consent)
        self.scope = f.add("share_scope", _("Share with:"), QComboBox(), _("Share scope"))
        for scope in ShareScope:
            self.scope.addItem(scope.label, scope)
        self.sharing_hint = QLabel()
        self.sharing_hint.setObjectName("sharingHint")
        self.sharing_hint.setWordWrap(True)
        f.addRow("", self.sharing_hint)
        self.tags = f.add("tags", _("Tags:"), QLineEdit(), _("Tags, separated by commas"))
        self.notes = f.add("notes", _("Private notes:"), QPlainTextEdit(), _("Notes"))
        self.notes.setToolTip(_("For the organizers only: never printed on a sheet."))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        column.addWidget(self.form.general)

        self.activity = QTabWidget()
        self.activity.setObjectName("contactActivity")
        self.activity_lists: dict[str, QTreeWidget] = {}
        for key, title in ACTIVITY_TABS:
            tree = QTreeWidget()
            tree.setHeaderLabels([_("When"), _("What"), _("Status")])
            tree.setRootIsDecorated(False)
            tree.setAccessibleName(_("{what} of this contact").format(what=_(title)))
            tree.setMinimumHeight(110)
            tree.itemActivated.connect(self._activity_activated)
            self.activity_lists[key] = tree
            self.activity.addTab(tree, _(title))
        column.addWidget(self.activity)
        column.addStretch(1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(_("Re&vert"))
        self.need_button = QPushButton(_("Add &need"))
        self.archive_button = QPushButton(_("Archive"))
        self.delete_button = QPushButton(_("Delete…"))
        for b in (self.save_button, self.revert_button, self.need_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.delete_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.need_button.clicked.connect(
            lambda: self.contact and self.add_need.emit(self.contact.id)
        )

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(250)
        self._dup_timer.timeout.connect(self.check_duplicates)
        for edit in (self.name, self.phones, self.street, self.postal_code):
            edit.textEdited.connect(self._dup_timer.start)
        # Filled by the view (new_contact or load) once the window has painted.
        for b in (self.archive_button, self.delete_button, self.need_button):
            b.setEnabled(False)
        self.activity.hide()
        self._writable = not session.read_only_reason
        read_only.lock(session, self)  # shows the record; its buttons say why they are off

    # -- loading --------------------------------------------------------------

    @property
    def record(self) -> Contact | None:
        return self.contact

    def new_contact(self) -> None:
        """An empty contact, shown from its top with the cursor in Name."""
        from mutualaid_desktop.domain import Contact
        from mutualaid_desktop.domain.base import utc_now

        scope, consent = self.session.store.organization().new_household_sharing(utc_now())
        self.load(Contact(name=_("New contact"), share_scope=scope, consent_at=consent), new=True)
        self.name.clear()
        self._loaded = self.form_data()
        self.scroll_area.verticalScrollBar().setValue(0)
        self.name.setFocus()

    def load(self, contact: Contact, new: bool = False) -> None:
        self._loading = True
        self.contact = contact
        self.is_new = new
        self.form.clear_problems()
        self.form.general.hide()
        self.duplicate_banner.hide()
        # A new household's sharing is said at the top, not only far down the form.
        self.title.setText(
            _("New contact  ·  shared with: {scope}").format(
                scope=contact.share_scope.label.lower()
            )
            if new
            else f"{contact.name}  ·  {contact.code}"
        )
        self.name.setText(contact.name)
        self.kind.setCurrentIndex(self.kind.findData(contact.kind))
        for role, box in self.role_boxes.items():
            box.setChecked(role in contact.roles)
        self.phones.setText(", ".join(p.original for p in contact.phones))
        self.email.setText(contact.email)
        a = contact.address
        for edit, value in (
            (self.street, a.street),
            (self.unit, a.unit),
            (self.city, a.city),
            (self.region, a.region),
            (self.postal_code, a.postal_code),
        ):
            edit.setText(value)
        self.directions.setText(contact.directions)
        self.driver_notes.setText(contact.driver_notes)
        self.languages.setText(", ".join(contact.languages))
        self.adults.setValue(contact.adults)
        self.children_count.setValue(contact.children)
        self.seniors.setValue(contact.seniors)
        for flag, box in self.diet_boxes.items():
            box.setChecked(flag in contact.dietary)
        self.allergies.setText(contact.allergies)
        self.accessibility.setText(contact.accessibility)
        self.preferred.setCurrentIndex(self.preferred.findData(contact.preferred_contact))
        self.consent.set_value(contact.consent_at.date() if contact.consent_at else None)
        self.scope.setCurrentIndex(self.scope.findData(contact.share_scope))
        self.sharing_hint.setText(self._sharing_hint(new))
        self.tags.setText(", ".join(contact.tags))
        self.notes.setPlainText(contact.notes)
        archived = contact.status is ContactStatus.ARCHIVED
        self.archive_button.setText(_("Unarchive") if archived else _("Archive"))
        for b in (self.archive_button, self.delete_button, self.need_button):
            b.setEnabled(not new and self._writable)
        self.activity.setVisible(not new)
        if not new:
            self._load_activity(contact.id)
        self._loaded = self.form_data()
        self._loading = False

    def _sharing_hint(self, new: bool) -> str:
        """Where a new household's sharing comes from, so it never stays home unnoticed."""
        if not new:
            return ""
        chosen = self.session.store.organization().default_share_scope
        if chosen is ShareScope.GROUP:
            return _(
                "The group shares new households: ask them before saving; consent is recorded "
                "as given today."
            )
        if chosen is ShareScope.LOCAL:
            return _("The group keeps new households on this laptop until consent is recorded.")
        return _(
            "Kept on this laptop: the group has not chosen how new households are shared "
            "(Settings › New households)."
        )

    def _load_activity(self, contact_id: str) -> None:
        activity = listing.contact_activity(self.session.store, contact_id)
        for key, tree in self.activity_lists.items():
            tree.clear()
            for line in activity[key]:
                item = QTreeWidgetItem([_when(line.when), line.what, line.status])
                item.setData(0, Qt.ItemDataRole.UserRole, line.id)
                tree.addTopLevelItem(item)
            tree.resizeColumnToContents(0)
            index = list(self.activity_lists).index(key)
            title = _(dict(ACTIVITY_TABS)[key])
            self.activity.setTabText(index, f"{title} ({len(activity[key])})")

    def _activity_activated(self, item: QTreeWidgetItem) -> None:
        if self.sender() is self.activity_lists["needs"]:
            self.show_need.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def revert(self) -> None:
        if self.contact is not None:
            if self.is_new:
                self.new_contact()
            else:
                from mutualaid_desktop.domain import Contact

                fresh = self.session.store.get(Contact, self.contact.id)
                if fresh is not None:
                    self.load(fresh)

    # -- saving ---------------------------------------------------------------

    def form_data(self) -> dict[str, Any]:
        assert self.contact is not None
        old_phones = {p.original: p for p in self.contact.phones}
        phones: list[dict[str, Any]] = []
        for text in _split(self.phones.text()):
            known: Phone | None = old_phones.get(text)
            phones.append(known.model_dump() if known else {"original": text})
        given = self.consent.value()
        consent = datetime.combine(given, time(12), tzinfo=UTC) if given else None
        data = self.contact.model_dump()
        data.update(
            name=self.name.text(),
            kind=self.kind.currentData(),
            roles=[r for r, b in self.role_boxes.items() if b.isChecked()],
            phones=phones,
            email=self.email.text().strip(),
            address={
                **self.contact.address.model_dump(),
                "street": self.street.text(),
                "unit": self.unit.text(),
                "city": self.city.text(),
                "region": self.region.text(),
                "postal_code": self.postal_code.text(),
            },
            directions=self.directions.text(),
            driver_notes=self.driver_notes.text(),
            languages=_split(self.languages.text()),
            adults=self.adults.value(),
            children=self.children_count.value(),
            seniors=self.seniors.value(),
            dietary=[f for f, b in self.diet_boxes.items() if b.isChecked()],
            allergies=self.allergies.text(),
            accessibility=self.accessibility.text(),
            preferred_contact=self.preferred.currentData(),
            consent_at=consent,
            share_scope=self.scope.currentData(),
            tags=_split(self.tags.text()),
            notes=self.notes.toPlainText(),
        )
        if (
            self.contact.address.street != self.street.text()
            or self.contact.address.postal_code != self.postal_code.text()
        ):
            # A moved household: the old coordinates would send the driver astray.
            data["address"]["lat"] = None
            data["address"]["lon"] = None
        return data

    def is_dirty(self) -> bool:
        """Whether the form holds edits that are not saved."""
        return self.contact is not None and self.form_data() != self._loaded

    def edited_data(self) -> dict[str, Any]:
        """What to save: the fields the organizer changed, over the record as stored now
        (so a value another window or an import changed meanwhile is not put back)."""
        data = self.form_data()
        changed = {k: v for k, v in data.items() if v != self._loaded.get(k)}
        if self.is_new or self.contact is None:
            return data
        from mutualaid_desktop.domain import Contact

        stored = self.session.store.get(Contact, self.contact.id)
        return data if stored is None else stored.model_dump() | changed

    def problems(self) -> dict[str, str]:
        """What keeps the form from being saved now ({} when nothing)."""
        from mutualaid_desktop.domain import Contact, parse_model
        from mutualaid_desktop.errors import ValidationFailed

        try:
            parse_model(Contact, self.form_data())
        except ValidationFailed as error:
            return error.problems
        return {}

    def save(self) -> bool:
        """Validate and save; problems are shown beside their fields."""
        if self.contact is None:
            return False
        self.form.general.hide()
        from mutualaid_desktop.domain import Contact, parse_model

        try:
            contact = parse_model(Contact, self.edited_data())
            if self.is_new:
                label = _("Add contact {name}").format(name=contact.name)
                saved = self.session.create(contact, label)
            else:
                label = _("Edit contact {name}").format(name=contact.name)
                saved = self.session.save(contact, label)
        except Exception as exc:
            self.form.report(exc, self)
            return False
        self.load(saved)
        self.saved.emit(saved.id)
        return True

    def leave(self) -> bool:
        """Before the editor shows something else: save, or ask; False to stay here."""
        name = (
            (self.name.text().strip() or _("The new contact"))
            if self.is_new or self.contact is None
            else self.contact.name
        )
        return form_widgets.leave_record(self, name)

    # -- duplicates -----------------------------------------------------------

    def _open_existing(self, contact_id: str) -> None:
        """The household is already there: its record replaces the new one being typed."""
        if self.is_new:
            self.new_contact()  # the draft was the duplicate; nothing of it is kept
        self.open_contact.emit(contact_id)

    def check_duplicates(self) -> None:
        if not self.is_new or self._loading:
            return
        from mutualaid_desktop.exchange.dedupe import find_duplicates

        found = find_duplicates(
            self.session.store,
            name=self.name.text(),
            phones=_split(self.phones.text()),
            street=self.street.text(),
            postal_code=self.postal_code.text(),
        )
        while self._banner_layout.count():
            item = self._banner_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not found:
            self.duplicate_banner.hide()
            return
        self._banner_layout.addWidget(QLabel(_("<b>This may already be in your contacts:</b>")))
        for dup in found:
            row = QHBoxLayout()
            label = QLabel(f"{dup.name}: {dup.reason}")
            label.setWordWrap(True)
            button = QPushButton(_("Open"))
            button.setProperty("navigates", True)
            button.setAccessibleName(_("Open existing contact {name}").format(name=dup.name))
            button.clicked.connect(lambda _=False, cid=dup.id: self._open_existing(cid))
            row.addWidget(label, 1)
            row.addWidget(button)
            holder = QWidget()
            holder.setLayout(row)
            self._banner_layout.addWidget(holder)
        self.duplicate_banner.show()
