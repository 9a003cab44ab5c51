"""Settings: the organization profile (shared with the group) and this organizer's name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
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
        layout = QVBoxLayout(self)
        box = QGroupBox("Organization (shared with the organizers' group)")
        layout.addWidget(box)
        self.form = ErrorForm()
        box.setLayout(self.form)
        self.name = self.form.add("name", "Group &name:", QLineEdit())
        self.phone = self.form.add("support_phone", "Driver support &phone:", QLineEdit())
        self.page = self.form.add("page_size", "&Paper size:", QComboBox())
        for size in PageSize:
            self.page.addItem(size.label, size)
        self.privacy = self.form.add(
            "privacy_default",
            "Names on printouts:",
            QComboBox(),
            "Default privacy level for printouts",
        )
        for level in PrivacyLevel:
            self.privacy.addItem(level.label, level)
        self.region = self.form.add(
            "phone_region",
            "Phone country code:",
            QLineEdit(),
            "Country for phone numbers without a country code",
        )
        self.maps = self.form.add(
            "map_links", "Maps on route sheets:", QComboBox(), "Maps site the QR codes open"
        )
        for links in MapLinks:
            self.maps.addItem(links.label, links)
        self.maps.setToolTip("The route sheets' QR codes open this maps site on any phone")
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
            "Two letters, such as US or CA: numbers typed without +country "
            "are read as this country's."
        )
        self.sharing = self.form.add(
            "default_share_scope",
            "New &households:",
            QComboBox(),
            "Whom new households are shared with",
        )
        self.sharing.addItem("Not chosen yet (kept on this laptop)", None)
        self.sharing.addItem(
            "Shared with the organizers' group (consent asked at sign-up)", ShareScope.GROUP
        )
        self.sharing.addItem("Kept on the laptop that records them", ShareScope.LOCAL)
        self.save_button = QPushButton("&Save settings")
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button)
        rules = QGroupBox("Packing rules: box types and what goes in them")
        rules_layout = QVBoxLayout(rules)
        self.packing = PackingRulesEditor(session)
        self.packing.message.connect(self.message.emit)
        rules_layout.addWidget(self.packing)
        layout.addWidget(rules, 1)
        self.retention = RetentionSetting(session)
        self.retention.message.connect(self.message.emit)
        layout.addWidget(self.retention)
        self.purge_rule = PurgeRule(session)
        layout.addWidget(self.purge_rule)
        self.organizer = QLabel()
        self.organizer.setWordWrap(True)
        layout.addWidget(self.organizer)

    def reload(self) -> None:
        org = self.session.store.organization()
        self.name.setText(org.name)
        self.phone.setText(org.support_phone)
        self.page.setCurrentIndex(self.page.findData(org.page_size))
        self.privacy.setCurrentIndex(self.privacy.findData(org.privacy_default))
        self.region.setText(org.phone_region)
        self.sharing.setCurrentIndex(max(0, self.sharing.findData(org.default_share_scope)))
        self.maps.setCurrentIndex(self.maps.findData(org.map_links))
        automatic = Organization(phone_region=org.phone_region)
        for combo, chosen, region in (
            (self.distances, org.distance_unit, automatic.distances()),
            (self.lengths, org.length_unit, automatic.lengths()),
        ):
            combo.setItemText(0, _("As this computer's region ({unit})").format(unit=region.label))
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
        store = self.session.store
        self.organizer.setText(
            f"You are <b>{store.organizer or 'unnamed'}</b> in this database "
            f"({store.path or 'in memory'}). Changes you make are recorded under this name."
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
            self.session.save(updated, "Edit the group's settings")
        except ValidationFailed as error:
            self.form.show_problems(error.problems)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.form.clear_problems()
        self.reload()
        self.saved.emit()
        self.message.emit("Settings saved")
        return True

    def leave(self) -> bool:
        """Leaving Settings saves what was changed, as every editor does; False to stay."""
        if not self.retention.save() or not self.packing.leave():
            return False
        if not self.is_dirty() or self.save():
            return True
        if form_widgets.keep_editing(self, "The group's settings", self.form.first_message()):
            return False
        self.reload()
        return True
