"""The window's language: chosen per user in Settings (System, English, Español), kept
in the window's QSettings under KEY (start-up reads it: app.create_app) and, on a
change, applied by building the window again in the new language (what is typed is
saved first).

Qt widgets keep the text they were given, so a switch rebuilds the main window
rather than re-translating every label in place: one path, the same one start-up
takes, with nothing left in the old language.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from mutualaid_desktop import i18n

if TYPE_CHECKING:
    from mutualaid_desktop.ui.main_window import MainWindow

KEY = "language"  # "" (or absent): the system's language; else a code of i18n.LANGUAGES


def saved_language(settings: QSettings) -> str | None:
    """The language this user chose (None: follow the system)."""
    value = settings.value(KEY, "")
    return i18n.language_code(value) if isinstance(value, str) else None


def _apply(code: str | None) -> str:
    """Speak `code` (None: the system's language) from now on; returns the code in use."""
    from mutualaid_desktop.ui import app

    # app.apply_language also switches Qt's own words (standard buttons, file
    # dialogs) and number formats; start-up applies the saved choice through it.
    apply_language = getattr(app, "apply_language", None)
    instance = QApplication.instance()
    if apply_language is not None and isinstance(instance, QApplication):
        return str(apply_language(instance, code))
    return i18n.use_language(code)


def choices() -> list[tuple[str, str | None]]:
    """(label, code) for the Settings menu; None follows the system."""
    system = i18n.LANGUAGES.get(i18n.system_language(), i18n.LANGUAGES[i18n.SOURCE_LANGUAGE])
    return [
        (i18n._("Same as the system ({language})").format(language=system), None),
        *((name, code) for code, name in i18n.LANGUAGES.items()),
    ]


def _main_window(widget: QWidget) -> Any:
    """The main window `widget` is in, and its controller (None, None outside one)."""
    window = widget.window()
    controller = getattr(window, "controller", None)
    if controller is None or getattr(controller, "window", None) is not window:
        return None, None
    return window, controller


def settings_for(widget: QWidget) -> QSettings:
    """The QSettings of the window `widget` is in (the user's, when it has no controller)."""
    _window, controller = _main_window(widget)
    if controller is not None:
        return controller.settings  # type: ignore[no-any-return]
    from mutualaid_desktop.ui.app import make_settings

    return make_settings()


def switch_language(widget: QWidget, code: str | None) -> bool:
    """Keep `code` (None: the system's) for this user and show the window in it.

    The page being edited is saved first, as when leaving it; False (nothing changed)
    when it cannot be and the organizer chose to keep editing.
    """
    window, controller = _main_window(widget)
    if window is not None and not window.leave_page():
        return False
    settings = settings_for(widget)
    settings.setValue(KEY, code or "")
    settings.sync()
    _apply(code)
    if window is not None:
        _rebuild(window, controller)
    return True


def _rebuild(old: MainWindow, controller: Any) -> None:
    """A new main window on the same session (its undo history too), where the old one was."""
    from mutualaid_desktop.ui.main_window import MainWindow

    session = old.session
    old.save_state(controller.settings)
    # Every receiver of the session's signals belongs to the old window (its views,
    # models, status bar); they go with it, and the new window connects its own.
    for signal in (session.changed, session.message, session.indexing, session.history.changed):
        with contextlib.suppress(RuntimeError, TypeError):  # nothing connected
            signal.disconnect()
    new = MainWindow(session, controller)
    controller.window = new
    new.reload_all()
    new.restore_state(controller.settings)  # the same size, place and page (Settings)
    new.show()
    old.controller = None
    old.close()
    old.deleteLater()
