"""First run: a short welcome that creates the database (and offers demo data)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import ShareScope
from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.sharing_choice import SharingChoice


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
        self.sharing = SharingChoice(self)
        self.sharing_buttons = self.sharing.buttons
        layout.addWidget(self.sharing)
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
        return self.sharing.choice


if __name__ == "__main__":  # preview: python -m mutualaid_desktop.ui.dialogs.welcome
    app = QApplication(sys.argv)
    dialog = WelcomeDialog(Path("~/.local/share/MutualAidDesktop/mutualaid.sqlite"))
    dialog.show()
    sys.exit(app.exec())
