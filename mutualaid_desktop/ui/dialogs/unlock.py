"""Typing the passphrase of an encrypted database: to open it, or to unlock the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.passphrase import password_field


class UnlockDialog(QDialog):
    """Ask for a database's passphrase until `check` accepts it, or the user gives up.

    `check(passphrase)` returns "" when it is right, or the sentence to show
    (a wrong passphrase is asked again, with the field cleared).
    """

    def __init__(
        self,
        title: str,
        text: str,
        check: Callable[[str], str],
        parent: QWidget | None = None,
        cancel_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.setWindowTitle(title)
        self.setObjectName("unlockDialog")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = password_field(_("Passphrase"))
        self.field.setObjectName("unlockPassphrase")
        layout.addWidget(self.field)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b")
        layout.addWidget(self.message)
        self.buttons = ok_cancel(self, _("&Unlock"), self._try)
        cancel = self.buttons.button(self.buttons.StandardButton.Cancel)
        if cancel is not None and cancel_text is not None:
            cancel.setText(cancel_text)
        layout.addWidget(self.buttons)

    def _try(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:  # the key stretching takes a quarter of a second
            problem = self._check(self.field.text())
        finally:
            QGuiApplication.restoreOverrideCursor()
        if problem:
            self.message.setText(problem)
            self.field.clear()
            self.field.setFocus()
            return
        self.field.clear()
        self.message.clear()
        self.accept()
