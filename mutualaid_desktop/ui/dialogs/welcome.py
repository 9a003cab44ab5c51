"""First run: a short welcome that creates the database (and offers demo data)."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import ShareScope
from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.passphrase import NewPassphrase
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
        lock = QGroupBox(_("A passphrase for the data"))
        lock_layout = QVBoxLayout(lock)
        why = QLabel(
            _(
                "The file is encrypted with it, so a lost or taken laptop does not give "
                "away the people in it. You type it each time the program starts."
            )
        )
        why.setWordWrap(True)
        lock_layout.addWidget(why)
        self.new_passphrase = NewPassphrase()
        lock_layout.addWidget(self.new_passphrase)
        layout.addWidget(lock)
        self.org.textChanged.connect(self._user_words)
        self.name.textChanged.connect(self._user_words)
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
        # Wide enough that the wrapped sentences leave it short of a 1280x720 screen.
        width = 680
        self.resize(width, layout.totalHeightForWidth(width))

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.hint.setText(
                "<span style='color:#c0392b'>{}</span>".format(
                    _("Please enter your name: it is recorded with your changes.")
                )
            )
            self.name.setFocus()
            return
        problem = self.new_passphrase.problem()
        if problem:
            self.hint.setText(f"<span style='color:#c0392b'>{html.escape(problem)}</span>")
            self.new_passphrase.field.setFocus()
            return
        self.accept()

    def _user_words(self) -> None:
        # A passphrase made of the names on this screen is among the first guessed.
        self.new_passphrase.user_words = tuple((self.org.text() + " " + self.name.text()).split())

    @property
    def passphrase(self) -> str | None:
        """The new database's passphrase, or None for an unencrypted database."""
        return self.new_passphrase.passphrase if self.new_passphrase.encrypt else None

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
