"""Settings: the organization profile (shared with the group), this organizer's name,
and the window's language (this user's own)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain import (
    DistanceUnit,
    LengthUnit,
    MapLinks,
    Organization,
    PageSize,
    PrivacyLevel,
    ShareScope,
)
from mutualaid_desktop.domain.validation import parse_model
from mutualaid_desktop.errors import ValidationFailed
from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui import language, read_only
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.packing_rules import PackingRulesEditor
from mutualaid_desktop.ui.views.purge_rule import PurgeRule
from mutualaid_desktop.ui.views.retention_setting import RetentionSetting
from mutualaid_desktop.ui.widgets import form as form_widgets
from mutualaid_desktop.ui.widgets.form import ErrorForm


class SettingsView(QWidget):
    message = Signal(str)
    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # On a laptop screen the page scrolls rather than squeezing the packing rules
        # to one line (or cutting the labels of a longer language).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.addLayout(self._language_row())
        box = QGroupBox(_("Organization (shared with the organizers' group)"))
        layout.addWidget(box)
        self.form = ErrorForm()
        box.setLayout(self.form)
        self.name = self.form.add("name", _("Group &name:"), QLineEdit())
        self.phone = self.form.add("support_phone", _("Driver support &phone:"), QLineEdit())
        self.page = self.form.add("page_size", _("&Paper size:"), QComboBox())
        for size in PageSize:
            self.page.addItem(size.label, size)
        self.privacy = self.form.add(
            "privacy_default",
            _("Names on printouts:"),
            QComboBox(),
            _("Default privacy level for printouts"),
        )
        for level in PrivacyLevel:
            self.privacy.addItem(level.label, level)
        self.region = self.form.add(
            "phone_region",
            _("Phone country code:"),
            QLineEdit(),
            _("Country for phone numbers without a country code"),
        )
        self.maps = self.form.add(
            "map_links", _("Maps on route sheets:"), QComboBox(), _("Maps site the QR codes open")
        )
        for links in MapLinks:
            self.maps.addItem(links.label, links)
        self.maps.setToolTip(_("The route sheets' QR codes open this maps site on any phone"))
        self.distances = self.form.add(
            "distance_unit", _("&Distances in:"), QComboBox(), _("Unit of distances")
        )
        self.lengths = self.form.add(
            "length_unit", _("Printer &offsets in:"), QComboBox(), _("Unit of printer offsets")
        )
        for combo, units in ((self.distances, DistanceUnit), (self.lengths, LengthUnit)):
            combo.addItem("", None)  # "as this computer's region", named in reload()
            for unit in units:
                combo.addItem(unit.label, unit)
        self.region.setMaxLength(2)
        self.region.setToolTip(
            _(
                "Two letters, such as US or CA: numbers typed without +country "
                "are read as this country's."
            )
        )
        self.sharing = self.form.add(
            "default_share_scope",
            _("New &households:"),
            QComboBox(),
            _("Whom new households are shared with"),
        )
        self.sharing.addItem(_("Not chosen yet (kept on this laptop)"), None)
        self.sharing.addItem(
            _("Shared with the organizers' group (consent asked at sign-up)"), ShareScope.GROUP
        )
        self.sharing.addItem(_("Kept on the laptop that records them"), ShareScope.LOCAL)
        self.save_button = QPushButton(_("&Save settings"))
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button)
        rules = QGroupBox(_("Packing rules: box types and what goes in them"))
        rules_layout = QVBoxLayout(rules)
        self.packing = PackingRulesEditor(session)
        self.packing.message.connect(self.message.emit)
        rules_layout.addWidget(self.packing)
        rules.setMinimumHeight(380)
        layout.addWidget(rules, 1)
        self.retention = RetentionSetting(session)
        self.retention.message.connect(self.message.emit)
        layout.addWidget(self.retention)
        self.purge_rule = PurgeRule(session)
        layout.addWidget(self.purge_rule)
        self.organizer = QLabel()
        self.organizer.setWordWrap(True)
        layout.addWidget(self.organizer)
        read_only.lock(session, box)  # the group's settings; the packing rules lock themselves
        read_only.writes(session, self.save_button)

    def _language_row(self) -> QHBoxLayout:
        """This user's language for the window (not the group's: it stays on this laptop)."""
        row = QHBoxLayout()
        self.language = QComboBox()
        self.language.setObjectName("language")
        for name, code in language.choices():
            self.language.addItem(name, code)
        label = QLabel(_("&Language of the window:"))
        label.setBuddy(self.language)
        row.addWidget(label)
        row.addWidget(self.language)
        hint = QLabel(_("(for you on this laptop; printouts for a household use its language)"))
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        self.language.activated.connect(
            lambda _i: self.choose_language(self.language.currentData())
        )
        return row

    def choose_language(self, code: str | None) -> bool:
        """Show the window in `code` (None: the system's), saving this page's edits first."""
        if code == language.saved_language(language.settings_for(self)):
            return True
        if not language.switch_language(self, code):
            self._show_language()  # they stayed to finish an edit: the menu says so
            return False
        return True

    def _show_language(self) -> None:
        chosen = language.saved_language(language.settings_for(self))
        self.language.setCurrentIndex(max(0, self.language.findData(chosen)))

    def reload(self) -> None:
        self._show_language()
        org = self.session.store.organization()
        self.name.setText(org.name)
        self.phone.setText(org.support_phone)
        self.page.setCurrentIndex(self.page.findData(org.page_size))
        self.privacy.setCurrentIndex(self.privacy.findData(org.privacy_default))
        self.region.setText(org.phone_region)
        self.sharing.setCurrentIndex(max(0, self.sharing.findData(org.default_share_scope)))
        self.maps.setCurrentIndex(self.maps.findData(org.map_links))
        region_distances, region_lengths = org.region_units()
        for combo, chosen, region in (
            (self.distances, org.distance_unit, region_distances),
            (self.lengths, org.length_unit, region_lengths),
        ):
            combo.setItemText(0, _("As this computer's region ({unit})").format(unit=region.label))
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
        store = self.session.store
        self.organizer.setText(
            _(
                "You are <b>{name}</b> in this database ({path}). Changes you make are "
                "recorded under this name."
            ).format(name=store.organizer or _("unnamed"), path=store.path or _("in memory"))
        )
        self.form.clear_problems()
        self.packing.reload()
        self.retention.reload()
        self.purge_rule.reload()

    def _edited(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "support_phone": self.phone.text(),
            "page_size": self.page.currentData(),
            "privacy_default": self.privacy.currentData(),
            "phone_region": self.region.text().upper(),
            "default_share_scope": self.sharing.currentData(),
            "map_links": self.maps.currentData(),
            "distance_unit": self.distances.currentData(),
            "length_unit": self.lengths.currentData(),
        }

    def is_dirty(self) -> bool:
        org = self.session.store.organization()
        return any(getattr(org, k) != v for k, v in self._edited().items())

    def save(self) -> bool:
        org = self.session.store.organization()
        data = org.model_dump() | self._edited()
        try:
            updated = parse_model(Organization, data)
            self.session.save(updated, _("Edit the group's settings"))
        except ValidationFailed as error:
            self.form.show_problems(error.problems)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.form.clear_problems()
        self.reload()
        self.saved.emit()
        self.message.emit(_("Settings saved"))
        return True

    def leave(self) -> bool:
        """Leaving Settings saves what was changed, as every editor does; False to stay."""
        if not self.retention.save() or not self.packing.leave():
            return False
        if not self.is_dirty() or self.save():
            return True
        if form_widgets.keep_editing(self, _("The group's settings"), self.form.first_message()):
            return False
        self.reload()
        return True
