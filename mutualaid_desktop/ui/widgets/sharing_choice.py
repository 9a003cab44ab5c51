"""The group's choice for new households: shared with the group, or kept on this laptop."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget

from mutualaid_desktop.domain.enums import ShareScope
from mutualaid_desktop.i18n import N_, _

SHARING_CHOICES = (
    (
        ShareScope.GROUP,
        N_("&Shared with the organizers' group"),
        N_(
            "Ask each household's consent when they sign up: it is recorded as given, and "
            "you can change it for anyone."
        ),
    ),
    (
        ShareScope.LOCAL,
        N_("&Kept on the laptop that records them"),
        N_("Until someone records their consent; other organizers do not see them."),
    ),
)


class SharingChoice(QWidget):
    """Both choices as radio buttons, each explained under its button (first run, and
    the question put to a database made before the choice existed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[ShareScope, QRadioButton] = {}
        for scope, text, explained in SHARING_CHOICES:
            button = QRadioButton(_(text))
            button.setObjectName(f"share_{scope.value}")
            self.group.addButton(button)
            self.buttons[scope] = button
            layout.addWidget(button)
            under = QLabel(_(explained))
            under.setWordWrap(True)
            under.setContentsMargins(24, 0, 0, 4)  # indented under the button it explains
            layout.addWidget(under)
        self.buttons[ShareScope.GROUP].setChecked(True)

    @property
    def choice(self) -> ShareScope:
        return next(s for s, b in self.buttons.items() if b.isChecked())
