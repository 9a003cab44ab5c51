"""The mouse wheel scrolls the page; it changes a menu or a number only after you clicked it.

Scrolling a long form used to turn "SMS" into "Email" and 3 adults into 1 as
the pointer passed over them. Menus and number fields no longer take the
focus from the wheel, and a wheel over one that has no focus scrolls what
holds it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox

_GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(watched, _GUARDED):
            return False
        if kind == QEvent.Type.Polish:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        elif kind == QEvent.Type.Wheel and not watched.hasFocus():
            parent = watched.parentWidget()
            while parent is not None and not isinstance(parent, QAbstractScrollArea):
                parent = parent.parentWidget()
            if parent is not None:
                QCoreApplication.sendEvent(parent.viewport(), event)  # scroll what holds it
            return True
        return False


def install(app: QApplication) -> None:
    """Guard every menu and number field of the application (once)."""
    if app.property("wheelGuard"):
        return
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    app.setProperty("wheelGuard", True)
