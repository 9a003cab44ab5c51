"""First run: a short welcome that creates the database (and offers demo data)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import ShareScope
from mutualaid_desktop.i18n import N_, _
from mutualaid_desktop.ui.widgets.buttons import ok_cancel

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


class WelcomeDialog(QDialog):
    """Ask for the group's name and the organizer's name before creating the database."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Mutual Aid Desktop"))
        self.setObjectName("welcomeDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>{}</h2><p>{}</p><p>{}</p>".format(
                _("Welcome"),
                _(
                    "Mutual Aid Desktop keeps your group's contacts, needs, deliveries and rides "
                    "on this laptop and prints the sheets for distribution day. It never needs "
                    "the internet."
                ),
                _("Your data will be kept in {path}.").format(path=f"<tt>{db_path}</tt>"),
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.org = QLineEdit()
        self.org.setPlaceholderText(_("e.g. Eastside Mutual Aid"))
        self.org.setAccessibleName(_("Group name"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Rosa"))
        self.name.setAccessibleName(_("Your name"))
        form.addRow(_("Your group's &name:"), self.org)
        form.addRow(_("&Your name:"), self.name)
        layout.addLayout(form)
        sharing = QLabel(_("<b>New households</b> (changeable later in Settings):"))
        layout.addWidget(sharing)
        self.sharing = QButtonGroup(self)
        self.sharing_buttons: dict[ShareScope, QRadioButton] = {}
        for scope, text, explained in SHARING_CHOICES:
            button = QRadioButton(_(text))
            button.setObjectName(f"share_{scope.value}")
            self.sharing.addButton(button)
            self.sharing_buttons[scope] = button
            layout.addWidget(button)
            under = QLabel(_(explained))
            under.setWordWrap(True)
            under.setContentsMargins(24, 0, 0, 4)  # indented under the button it explains
            layout.addWidget(under)
        self.sharing_buttons[ShareScope.GROUP].setChecked(True)
        self.demo = QCheckBox(
            _("Fill it with &demo data (fictitious households, to try things out)")
        )
        layout.addWidget(self.demo)
        self.hint = QLabel(
            _(
                "Your name is recorded with the changes you make, so organizers can tell who "
                "did what."
            )
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = ok_cancel(self, _("&Start"), self._accept)
        layout.addWidget(buttons)
        self.resize(560, 440)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.hint.setText(
                "<span style='color:#c0392b'>{}</span>".format(
                    _("Please enter your name: it is recorded with your changes.")
                )
            )
            self.name.setFocus()
            return
        self.accept()

    @property
    def values(self) -> tuple[str, str, bool]:
        return self.org.text().strip(), self.name.text().strip(), self.demo.isChecked()

    @property
    def sharing_choice(self) -> ShareScope:
        return next(s for s, b in self.sharing_buttons.items() if b.isChecked())


if __name__ == "__main__":  # preview: python -m mutualaid_desktop.ui.dialogs.welcome
    app = QApplication(sys.argv)
    dialog = WelcomeDialog(Path("~/.local/share/MutualAidDesktop/mutualaid.sqlite"))
    dialog.show()
    sys.exit(app.exec())
