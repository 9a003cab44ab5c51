"""Typing a database passphrase: a new one (twice, rated as it is typed) or an existing one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.i18n import _
from mutualaid_desktop.passphrases import FORGOTTEN, advice, strength

COLOURS = ("#c0392b", "#d35400", "#b7950b", "#27ae60", "#1e8449")


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class NewPassphrase(QWidget):
    """Passphrase and again, a strength meter with advice, the warning, and "don't encrypt"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, allow_plain: bool = True) -> None:
        super().__init__(parent)
        self.user_words: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.field = password_field(_("New passphrase"))
        self.field.setObjectName("newPassphrase")
        self.field.setPlaceholderText(_("several unusual words, e.g. plum orbit lantern seventeen"))
        self.again = password_field(_("New passphrase again"))
        self.again.setObjectName("newPassphraseAgain")
        form.addRow(_("&Passphrase:"), self.field)
        form.addRow(_("&Again:"), self.again)
        layout.addLayout(form)
        self.meter = QProgressBar()
        self.meter.setObjectName("passphraseStrength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName(_("Passphrase strength"))
        layout.addWidget(self.meter)
        self.advice = QLabel()
        self.advice.setObjectName("passphraseAdvice")
        self.advice.setWordWrap(True)
        layout.addWidget(self.advice)
        self.show_typed = QCheckBox(_("&Show what I type"))
        self.show_typed.toggled.connect(self._show_typed)
        layout.addWidget(self.show_typed)
        warning = QLabel(_("<b>Warning:</b> {text}").format(text=_(FORGOTTEN)))
        warning.setObjectName("forgottenWarning")
        warning.setWordWrap(True)
        layout.addWidget(warning)
        self.plain = QCheckBox(
            _("&Don't encrypt: this laptop's disk is already encrypted (full-disk encryption)")
        )
        self.plain.setObjectName("dontEncrypt")
        self.plain.setVisible(allow_plain)
        self.plain.toggled.connect(self._rate)
        layout.addWidget(self.plain)
        self.field.textChanged.connect(self._rate)
        self.again.textChanged.connect(self._rate)
        self._rate()

    @property
    def encrypt(self) -> bool:
        return not self.plain.isChecked()

    @property
    def passphrase(self) -> str:
        return self.field.text()

    def problem(self) -> str:
        """Why the passphrase cannot be used yet ("" when it can, or when not encrypting)."""
        if not self.encrypt:
            return ""
        text = self.field.text()
        if not text:
            return _("Choose a passphrase (or tick \u201cDon't encrypt\u201d).")
        rating = strength(text, self.user_words)
        if not rating.good:
            # A guessable passphrase protects nobody: say why, and offer a strong one.
            return advice(rating)
        if self.again.text() != text:
            return _("Type the same passphrase again in the second field.")
        return ""

    def _rate(self) -> None:
        for widget in (self.field, self.again, self.meter, self.show_typed):
            widget.setEnabled(self.encrypt)
        rating = strength(self.field.text(), self.user_words)
        self.meter.setValue(rating.score if self.field.text() else 0)
        self.meter.setFormat(
            _("Strength: {label}").format(label=_(rating.label))
            if self.field.text()
            else _("Strength")
        )
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {COLOURS[rating.score]}; }}")
        weak = self.field.text() and self.encrypt and not rating.good
        self.advice.setText(
            _("Too easy to guess: {why}.").format(why=rating.problem) if weak else ""
        )
        self.changed.emit()

    def _show_typed(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.field.setEchoMode(mode)
        self.again.setEchoMode(mode)
