"""How the window reports problems.

A UserError is a plain message saying what to do. Anything else is a bug: it
is logged with its traceback (scrubbed of people's data, see logs.py) and
shown in a dialog whose details the user can copy into a message to the
developers. `install_excepthook` routes anything
that escapes a slot to the same place instead of killing the program.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.logs import describe_exception, log_file

log = logging.getLogger(__name__)


def show_user_error(parent: QWidget | None, error: UserError, title: str = "") -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or "Mutual Aid Desktop")
    box.setText(str(error))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("userErrorDialog")
    box.exec()


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    # Scrubbed of names, phones and quoted values: the details are meant to be sent on.
    details = describe_exception(exc)
    log.error("unexpected error\n%s", details)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Something went wrong"))
    box.setText(
        _(
            "Mutual Aid Desktop ran into a problem it did not expect. Your saved data is safe. "
            "Please send the details below to whoever supports your group."
        )
    )
    box.setInformativeText(_("The log file is {path}").format(path=log_file()))
    box.setDetailedText(details)  # selectable and copyable
    box.setObjectName("bugDialog")
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The one place every error reaches the screen."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, UserError):
        show_user_error(parent, exc)
    else:
        show_bug(parent, exc)


def install_excepthook() -> None:
    """Show, rather than lose, exceptions that escape Qt slots."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        show_error(parent, exc)

    sys.excepthook = hook
