"""The questions syncing asks: the passphrase, what a bundle holds, trusting a sender, the preview.

Each is a small dialog the Sync view opens through a method of its own, so that
tests can answer for the organizer.
"""

from __future__ import annotations

import html
import sys
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.i18n import _, current_language
from mutualaid_desktop.sync.bundle import Peer
from mutualaid_desktop.ui.widgets.buttons import ok_cancel

SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def mono_font(points: int = 0) -> QFont:
    """The system's fixed-width font, larger when `points` is given (fingerprints, digests)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if points:
        font.setPointSize(points)
    return font


def when(value: datetime | str | None) -> str:
    """A stamp as the organizer reads it, in local time: "27 Nov 2026, 16:39"."""
    if value is None or value == "":
        return _("never")
    if isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        stamp = value
    local = stamp.astimezone() if stamp.tzinfo else stamp
    from babel.dates import format_date

    return f"{format_date(local, 'd MMM y', locale=current_language())}, {local:%H:%M}"


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _under_option(text: str) -> QLabel:
    """An explanation indented under the radio button it explains."""
    label = _label(text)
    label.setContentsMargins(24, 0, 0, 8)
    return label


class PassphraseDialog(QDialog):
    """The group's sync passphrase; typed twice the first time a bundle is written."""

    def __init__(
        self,
        confirm: bool,
        note: str = "",
        parent: QWidget | None = None,
        known_words: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.known_words = known_words
        self.setWindowTitle(_("Sync passphrase"))
        self.setObjectName("passphraseDialog")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        if note:
            self.note = _label(f"<b>{html.escape(note)}</b>")
            self.note.setObjectName("passphraseNote")
            layout.addWidget(self.note)
        intro = (
            _(
                "Type the passphrase your group agreed in person. Only someone who knows it can "
                "open the bundle, so a lost stick reveals nothing."
            )
            if confirm
            else _("Type the group's sync passphrase to open the bundle.")
        )
        kept = _("It stays in memory until you close this database and is never saved.")
        layout.addWidget(_label(f"{intro} {kept}"))
        form = QFormLayout()
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(_("Passphrase"))
        form.addRow(_("&Passphrase:"), self.field)
        self.again: QLineEdit | None = None
        if confirm:
            self.again = QLineEdit()
            self.again.setEchoMode(QLineEdit.EchoMode.Password)
            self.again.setAccessibleName(_("Passphrase again"))
            form.addRow(_("&Again:"), self.again)
        layout.addLayout(form)
        self.show_box = QCheckBox(_("&Show what I type"))
        self.show_box.toggled.connect(self._show_typed)
        layout.addWidget(self.show_box)
        self.mismatch = _label("")
        layout.addWidget(self.mismatch)
        # A new passphrase (typed twice) must be strong: whoever finds the stick can try
        # passphrases offline for as long as they like.
        self.strength = _label("")
        self.strength.setObjectName("passphraseStrength")
        self.suggest_button = QPushButton(_("S&uggest a strong one"))
        self.suggest_button.setToolTip(_("Five random words, made on this laptop"))
        self.suggest_button.clicked.connect(self.suggest)
        self.suggest_button.setVisible(confirm)
        layout.addWidget(self.strength)
        layout.addWidget(self.suggest_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.buttons = ok_cancel(self, _("Continue"))
        layout.addWidget(self.buttons)
        self.field.textChanged.connect(self._check)
        if self.again is not None:
            self.again.textChanged.connect(self._check)
        self._check()

    @property
    def value(self) -> str:
        return self.field.text()

    def _show_typed(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in (self.field, self.again):
            if field is not None:
                field.setEchoMode(mode)

    def suggest(self) -> None:
        """Fill both fields with a passphrase made here, shown so it can be read aloud."""
        from mutualaid_desktop.sync.passphrase import suggestion

        made = suggestion()
        self.show_box.setChecked(True)
        self.field.setText(made)
        if self.again is not None:
            self.again.setText(made)

    def _check(self) -> None:
        typed = self.field.text()
        matches = self.again is None or self.again.text() == typed
        waiting = self.again is not None and len(self.again.text()) < len(typed)
        self.mismatch.setText(
            "" if matches or waiting else _("The two passphrases are not the same yet.")
        )
        weak = None
        if self.again is not None and typed:
            from mutualaid_desktop.sync.passphrase import weakness

            weak = weakness(typed, self.known_words)
        self.strength.setText(
            _(
                "Too easy to guess: {reason}. Use four or more random words, or a suggestion."
            ).format(reason=weak)
            if weak
            else ""
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(typed) and matches and weak is None)


class ContentsDialog(QDialog):
    """A full bundle (the default) or only what one known organizer has not seen."""

    def __init__(self, peers: list[Peer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("What goes in the bundle"))
        self.setObjectName("contentsDialog")
        self.setMinimumWidth(520)
        self.peers = peers
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.full = QRadioButton(_("&Everything shared (a full bundle)"))
        self.full.setChecked(True)
        self.group.addButton(self.full, 0)
        layout.addWidget(self.full)
        layout.addWidget(
            _under_option(
                _(
                    "Any organizer of the group can import it, and it also makes up for a "
                    "bundle that went missing. Recommended."
                )
            )
        )
        self.deltas: list[QRadioButton] = []
        for i, peer in enumerate(peers, start=1):
            name = peer.organizer or peer.fingerprint
            button = QRadioButton(
                _("Only what {name} has not seen yet (smaller)").format(name=name)
            )
            self.group.addButton(button, i)
            self.deltas.append(button)
            layout.addWidget(button)
        if peers:
            layout.addWidget(
                _under_option(
                    _(
                        "Based on the last bundle you imported from them: meant for that "
                        "organizer only. If they say something is missing, write a full bundle."
                    )
                )
            )
        buttons = ok_cancel(self, _("Continue"))
        layout.addWidget(buttons)

    def chosen_peer(self) -> Peer | None:
        """The organizer the delta is for, or None for a full bundle."""
        at = self.group.checkedId()
        return self.peers[at - 1] if at > 0 else None


class TrustDialog(QDialog):
    """A first bundle from an organizer: compare the fingerprint in person before trusting it."""

    def __init__(self, organizer: str, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Compare fingerprints"))
        self.setObjectName("trustDialog")
        self.setMinimumWidth(560)
        who = html.escape(organizer or _("another organizer"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                _(
                    "This bundle was written by {who}, and this laptop has not imported one of "
                    "theirs before. Ask them to open {sync} on their laptop and read their "
                    "fingerprint aloud. Trust it only if every group matches:"
                ).format(who=f"<b>{who}</b>", sync=f"<b>{_('Sync')}</b>")
            )
        )
        self.fingerprint = QLabel(fingerprint)
        self.fingerprint.setObjectName("senderFingerprint")
        self.fingerprint.setFont(mono_font(20))
        self.fingerprint.setTextInteractionFlags(SELECTABLE)
        self.fingerprint.setAccessibleName(_("Sender's fingerprint"))
        layout.addSpacing(8)
        layout.addWidget(self.fingerprint)
        layout.addSpacing(8)
        layout.addWidget(
            _label(
                _(
                    "If it does not match, someone else may have made this file: cancel, and ask "
                    "{who} in person for a new bundle. You compare only once: later bundles "
                    "from them are recognised."
                ).format(who=who)
            )
        )
        buttons = QDialogButtonBox()
        self.trust_button = buttons.addButton(
            _("&Trust and continue"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Enter must not trust a stranger, even once Tab has moved the focus to Trust
        # (a focused button becomes the default unless told otherwise).
        self.trust_button.setAutoDefault(False)
        cancel.setDefault(True)
        cancel.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class PreviewDialog(QDialog):
    """What importing a bundle will change, before anything does."""

    def __init__(
        self,
        heading: str,
        lines: list[str],
        warnings: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import this bundle?"))
        self.setObjectName("previewDialog")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(heading))
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.changes = _label(f"<ul style='margin-left: -20px'>{items}</ul>")
        self.changes.setObjectName("previewChanges")
        self.changes.setTextInteractionFlags(SELECTABLE)
        layout.addWidget(self.changes)
        self.warnings = _label(
            "".join(f"<p><b>{_('Warning:')}</b> {html.escape(w)}</p>" for w in warnings)
        )
        self.warnings.setVisible(bool(warnings))
        layout.addWidget(self.warnings)
        layout.addWidget(
            _label(
                _(
                    "A copy of this database is saved first, and the import is all or nothing. "
                    "Conflicts are not lost: you review them on the Sync page."
                )
            )
        )
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(_("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    """A question whose safe answer, Cancel, is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button: QPushButton = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is yes_button


if __name__ == "__main__":  # preview: python -m mutualaid_desktop.ui.dialogs.sync [kind]
    app = QApplication(sys.argv)
    which = sys.argv[1] if len(sys.argv) > 1 else "trust"
    dialog: QDialog
    if which == "passphrase":
        dialog = PassphraseDialog(confirm=True)
    elif which == "preview":
        dialog = PreviewDialog(
            "A full bundle from <b>Sam</b>, written 27 Nov 2026, 16:39.",
            ["Contacts: 45 new, 2 updated", "Needs: 94 new", "Conflicts to review: 1"],
            ["The sender's clock is 12 minutes ahead of this laptop's: check the date."],
        )
    else:
        dialog = TrustDialog("Sam", "VCFC-XUZV-HPWR-TWM6-5PIK-3JRT-Q7VX-UO7X")
    dialog.show()
    sys.exit(app.exec())
