"""Locking the window: after some idle minutes, or on Ctrl+L, every window of the program is
covered and nothing shows until the database's passphrase is typed again.

The work in progress stays as it was under the cover (a half-typed form, an
open dialog, a running import): locking hides, it does not close. A database
without a passphrase cannot be locked; the idle time (Settings) is this
laptop's own choice, kept with the window's other settings, not in the
group's data.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QToolTip,
    QWidget,
)

from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.dialogs.unlock import UnlockDialog

SETTING = "security/lock_minutes"
DEFAULT_MINUTES = 10
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


_copied: list[str] = []  # the last text the program put on the clipboard


def copy_text(text: str) -> None:
    """Put `text` on the clipboard, remembered so that locking can take it off again."""
    _copied[:] = [text]
    QGuiApplication.clipboard().setText(text)


def _clear_our_clipboard() -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is None:
        return
    # ownsClipboard() answers on X11 only: elsewhere, compare with what we copied.
    if clipboard.ownsClipboard() or (_copied and clipboard.text() == _copied[0]):
        clipboard.clear()
    _copied.clear()


def idle_minutes() -> int:
    """Minutes without use before the window locks (0: never)."""
    from mutualaid_desktop.ui.app import make_settings

    value = make_settings().value(SETTING, DEFAULT_MINUTES)
    try:
        return max(0, int(str(value)))
    except ValueError:
        return DEFAULT_MINUTES


class _Curtain(QWidget):
    """An opaque cover over one window (the lock keeps it sized and on top)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setAttribute(Qt.WidgetAttribute.WA_NoMousePropagation)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.label = QLabel(_("Locked. Type the passphrase to go on."), self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit()
        self.show()

    def fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
            self.label.setGeometry(self.rect())
        self.raise_()

    def paintEvent(self, _event: QEvent) -> None:
        QPainter(self).fillRect(self.rect(), self.palette().window())


class WindowLock(QObject):
    """The lock of one main window: the idle timer, Ctrl+L, the covers and the unlock dialog."""

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.curtains: list[_Curtain] = []
        self.dialog: UnlockDialog | None = None
        self.action = QAction(_("&Lock the window"), window)
        self.action.setObjectName("lockAction")
        self.action.setShortcut(QKeySequence("Ctrl+L"))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(self.lock_now)
        window.addAction(self.action)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._idle)
        self.set_idle_minutes(idle_minutes())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- state --------------------------------------------------------------------

    @property
    def session(self):
        return self.window.session  # type: ignore[attr-defined]

    @property
    def can_lock(self) -> bool:
        return bool(self.session.store.encrypted)

    @property
    def locked(self) -> bool:
        return bool(self.curtains)

    def set_idle_minutes(self, minutes: int) -> None:
        self.timer.stop()
        self.minutes = minutes
        if minutes > 0:
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()

    # -- locking ------------------------------------------------------------------

    def _idle(self) -> None:
        if self.can_lock and not self.locked:
            self.lock()

    def lock_now(self) -> None:
        if not self.can_lock:
            QMessageBox.information(
                self.window,
                _("This database has no passphrase"),
                _(
                    "This database is not encrypted, so there is no passphrase to unlock the "
                    "window with. Use your computer's own screen lock, or encrypt the database "
                    "(mutualaid encrypt) so the program can lock itself."
                ),
            )
            return
        self.lock()

    def lock(self) -> None:
        """Cover every window of the program and ask for the passphrase."""
        if self.locked:
            return
        self.timer.stop()
        QToolTip.hideText()
        _clear_our_clipboard()  # a copied driver message names riders
        for widget in QApplication.topLevelWidgets():
            self._cover(widget)
        self.window.menuBar().setEnabled(False)
        self.locked_changed.emit(True)
        self.dialog = UnlockDialog(
            _("Mutual Aid Desktop is locked"),
            _(
                "The window was locked to keep the data private. Type the database's "
                "passphrase to go on."
            ),
            self._check,
            None,
            cancel_text=_("&Quit the program"),
        )
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self.unlock)
        self.dialog.rejected.connect(self._quit)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _cover(self, widget: QWidget) -> None:
        if (
            widget.isVisible()
            and widget.isWindow()
            and widget is not self.dialog
            and self._curtain_of(widget) is None
            and widget.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
        ):
            curtain = _Curtain(widget)  # (its making sends events that come back here)
            self.curtains.append(curtain)
            # A covered window may go (a message box closed and deleted), its cover with it.
            curtain.destroyed.connect(lambda _obj=None, c=curtain: self._forget(c))

    def _curtain_of(self, widget: QObject) -> _Curtain | None:
        return next((c for c in self.curtains if c.parentWidget() is widget), None)

    def _forget(self, curtain: _Curtain) -> None:
        self.curtains[:] = [c for c in self.curtains if c is not curtain]

    def _check(self, passphrase: str) -> str:
        key = self.session.store.key
        if key is not None and key.matches(passphrase):
            return ""
        return _("That is not the passphrase of this database; try again.")

    def unlock(self) -> None:
        self.unlock_covers()
        self.window.menuBar().setEnabled(True)
        self.dialog = None
        self.set_idle_minutes(self.minutes)
        self.locked_changed.emit(False)

    def unlock_covers(self) -> None:
        curtains, self.curtains = self.curtains, []
        for curtain in curtains:
            curtain.hide()
            curtain.deleteLater()

    def _quit(self) -> None:
        # Everything saved is on disk; the cover stays until the program has gone.
        QApplication.closeAllWindows()
        QApplication.quit()

    # -- watching for use ---------------------------------------------------------------

    def stop(self) -> None:
        """The window is closing: stop watching, and put away the dialog and the covers."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.accepted.disconnect(self.unlock)
            dialog.rejected.disconnect(self._quit)
            dialog.close()
            dialog.deleteLater()
        self.unlock_covers()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and watched is self.window:
            self.stop()
        elif kind in _INPUT:
            if not self.locked and self.minutes > 0:
                self.timer.start()  # restarts the countdown
        elif self.locked and isinstance(watched, QWidget) and watched.isWindow():
            if kind == QEvent.Type.Show:
                # A window that opens while locked (a message from a background job) is covered.
                self._cover(watched)
            elif kind in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
                curtain = self._curtain_of(watched)
                if curtain is not None:
                    curtain.fit()  # the same size, and above a widget added later
        return False

    def settings_box(self) -> QGroupBox:
        """The Settings section for the idle time (saved at once, on this laptop only)."""
        box = QGroupBox(_("Locking (this laptop)"))
        box.setObjectName("lockSettings")
        form = QFormLayout(box)
        minutes = QSpinBox()
        minutes.setObjectName("lockMinutes")
        minutes.setRange(0, 240)
        minutes.setSuffix(_(" minutes"))
        minutes.setSpecialValueText(_("never"))
        minutes.setValue(self.minutes)
        minutes.setAccessibleName(_("Lock after minutes without use"))
        minutes.setMaximumWidth(160)
        form.addRow(_("Lock the window &after:"), minutes)
        note = QLabel(
            _(
                "without use (Ctrl+L locks it at once). The data stays hidden until the "
                "database's passphrase is typed again."
            )
            if self.can_lock
            else _("This database is not encrypted, so the window cannot lock itself.")
        )
        note.setWordWrap(True)
        form.addRow(note)
        minutes.setEnabled(self.can_lock)

        def save(value: int) -> None:
            from mutualaid_desktop.ui.app import make_settings

            make_settings().setValue(SETTING, value)
            self.set_idle_minutes(value)

        minutes.valueChanged.connect(save)
        return box
