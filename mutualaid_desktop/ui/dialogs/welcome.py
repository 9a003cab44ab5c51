"""First run: a short welcome that creates the database (and offers demo data)."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import ShareScope
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.passphrase import NewPassphrase

SHARING_CHOICES = (
    (
        ShareScope.GROUP,
        "&Shared with the organizers' group",
        "Ask each household's consent when they sign up: it is recorded as given, and "
        "you can change it for anyone.",
    ),
    (
        ShareScope.LOCAL,
        "&Kept on the laptop that records them",
        "Until someone records their consent; other organizers do not see them.",
    ),
)


class WelcomeDialog(QDialog):
    """Ask for the group's name and the organizer's name before creating the database."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Mutual Aid Desktop")
        self.setObjectName("welcomeDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Welcome</h2>"
            "<p>Mutual Aid Desktop keeps your group's contacts, needs, deliveries and rides on "
            "this laptop and prints the sheets for distribution day. It never needs the "
            "internet.</p>"
            f"<p>Your data will be kept in <tt>{db_path}</tt>.</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.org = QLineEdit()
        self.org.setPlaceholderText("e.g. Eastside Mutual Aid")
        self.org.setAccessibleName("Group name")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Rosa")
        self.name.setAccessibleName("Your name")
        form.addRow("Your group's &name:", self.org)
        form.addRow("&Your name:", self.name)
        layout.addLayout(form)
        sharing = QLabel("<b>New households</b> (changeable later in Settings):")
        layout.addWidget(sharing)
        self.sharing = QButtonGroup(self)
        self.sharing_buttons: dict[ShareScope, QRadioButton] = {}
        for scope, text, explained in SHARING_CHOICES:
            button = QRadioButton(text)
            button.setObjectName(f"share_{scope.value}")
            self.sharing.addButton(button)
            self.sharing_buttons[scope] = button
            layout.addWidget(button)
            under = QLabel(explained)
            under.setWordWrap(True)
            under.setContentsMargins(24, 0, 0, 4)  # indented under the button it explains
            layout.addWidget(under)
        self.sharing_buttons[ShareScope.GROUP].setChecked(True)
        lock = QGroupBox("A passphrase for the data")
        lock_layout = QVBoxLayout(lock)
        lock_layout.addWidget(
            QLabel(
                "The file is encrypted with it, so a lost or taken laptop does not give away "
                "the people in it. You type it each time the program starts."
            )
        )
        self.new_passphrase = NewPassphrase()
        lock_layout.addWidget(self.new_passphrase)
        layout.addWidget(lock)
        self.org.textChanged.connect(self._user_words)
        self.name.textChanged.connect(self._user_words)
        self.demo = QCheckBox("Fill it with &demo data (fictitious households, to try things out)")
        layout.addWidget(self.demo)
        self.hint = QLabel(
            "Your name is recorded with the changes you make, so organizers can tell who did what."
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = ok_cancel(self, "&Start", self._accept)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.hint.setText(
                "<span style='color:#c0392b'>Please enter your name: "
                "it is recorded with your changes.</span>"
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
        return next(s for s, b in self.sharing_buttons.items() if b.isChecked())


if __name__ == "__main__":  # preview: python -m mutualaid_desktop.ui.dialogs.welcome
    app = QApplication(sys.argv)
    dialog = WelcomeDialog(Path("~/.local/share/MutualAidDesktop/mutualaid.sqlite"))
    dialog.show()
    sys.exit(app.exec())
