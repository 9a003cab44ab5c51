"""Settings › Language of the window: the organizer's choice, kept for them, shows every
view in that language at once, without losing what they typed or their undo history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton

from mutualaid_desktop import i18n
from mutualaid_desktop.ui import language
from mutualaid_desktop.ui.app import Controller, make_settings
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views.settings import SettingsView


@pytest.fixture(autouse=True)
def back_to_english() -> Iterator[None]:
    yield
    language._apply(None)  # the tests' system language (LANGUAGE=en)


def settings_page(window: MainWindow) -> SettingsView:
    window.show_page("settings")
    view = window.views["settings"]
    assert isinstance(view, SettingsView)
    return view


def choose(view: SettingsView, name: str) -> bool:
    index = view.language.findText(name)
    assert index >= 0, [view.language.itemText(i) for i in range(view.language.count())]
    view.language.setCurrentIndex(index)
    return view.choose_language(view.language.currentData())


def texts(window: MainWindow, key: str) -> list[str]:
    view = window.view(key)
    found = [b.text() for b in view.findChildren(QPushButton)]
    return found + [label.text() for label in view.findChildren(QLabel)]


def test_choosing_spanish_shows_the_views_in_spanish(
    controller: Controller, window: MainWindow, qtbot
) -> None:
    assert "&New contact" in texts(window, "contacts")
    assert choose(settings_page(window), "Español")

    spanish = controller.window
    assert spanish is not None and spanish is not window
    qtbot.addWidget(spanish)
    assert i18n.current_language() == "es"
    # The new window opens where the organizer was: on Settings, saying what they chose.
    assert spanish.current_page() == "settings"
    assert settings_page(spanish).language.currentText() == "Español"
    assert "&Nuevo contacto" in texts(spanish, "contacts")
    assert "Nueva &necesidad" in texts(spanish, "needs")
    assert "Nueva &ruta…" in texts(spanish, "deliveries")
    assert "&Emparejar el día…" in texts(spanish, "rides")
    assert "&Vista previa" in texts(spanish, "print")
    assert "&Escribir un paquete…" in texts(spanish, "sync")
    assert "&Guardar configuración" in texts(spanish, "settings")
    spanish.show_page("today")
    assert "Necesidades vencidas" in [b.title() for b in spanish.today.findChildren(QGroupBox)]
    # Counts say their noun in the singular for one, in Spanish too.
    contacts = spanish.view("contacts")
    assert contacts.count_text(1) == "1 contacto"  # type: ignore[attr-defined]
    assert contacts.count_text(2) == "2 contactos"  # type: ignore[attr-defined]
    assert not window.isVisible()


def test_the_choice_is_kept_for_the_user_and_read_at_start_up(
    controller: Controller, window: MainWindow
) -> None:
    assert choose(settings_page(window), "Español")
    assert make_settings().value(language.KEY) == "es"
    assert language.saved_language(make_settings()) == "es"

    assert controller.window is not None
    assert choose(settings_page(controller.window), "El mismo del sistema (English)")
    assert make_settings().value(language.KEY) == ""
    assert language.saved_language(make_settings()) is None
    assert i18n.current_language() == "en"  # the system's (LANGUAGE=en)
    assert "&Save settings" in texts(controller.window, "settings")


def test_what_was_typed_in_settings_is_saved_before_the_switch(
    controller: Controller, window: MainWindow, qtbot
) -> None:
    view = settings_page(window)
    view.name.setText("Westside Pantry")
    assert choose(view, "Español")
    assert window.session.store.organization().name == "Westside Pantry"
    new = controller.window
    assert new is not None and new is not window
    qtbot.addWidget(new)
    assert settings_page(new).name.text() == "Westside Pantry"
    # The same session: Edit › Undo still knows the edit, in the window's language.
    assert new.session.history.next_undo() is not None
    assert new.undo_action.isEnabled()
    new.undo()
    assert new.session.store.organization().name == "Eastside Mutual Aid"


def test_an_edit_that_cannot_be_saved_keeps_the_window_and_its_language(
    window: MainWindow, keep_editing
) -> None:
    view = settings_page(window)
    view.region.setText("U")  # a country is two letters: cannot be saved
    keep_editing.answer = True  # they stay to correct it
    assert not choose(view, "Español")
    assert keep_editing and "settings" in keep_editing[0].lower()
    assert window.controller is not None and window.controller.window is window
    assert i18n.current_language() == "en"
    assert view.language.currentData() is None  # the menu says what is in force
    assert view.region.text() == "U"  # what they typed is still there to correct
    assert window.session.store.organization().phone_region == "US"


def test_the_new_window_follows_the_session_and_the_old_one_is_gone(
    controller: Controller, window: MainWindow, qtbot, request
) -> None:
    store = window.session.store
    assert choose(settings_page(window), "Español")
    new = controller.window
    assert new is not None
    qtbot.addWidget(new)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(window)  # the old window is gone, not hidden
    # pytest-qt would close it at the end of the test: it is already deleted.
    request.node.qt_widgets = [w for w in request.node.qt_widgets if w[0]() is not window]
    # A change after the switch reaches the new window, and nothing of the old one
    # answers the session's signals any more (a deleted window would raise here).
    org = store.organization()
    new.session.save(org.model_copy(update={"name": "Grupo Este"}), "Editar")
    new.update_counts()
    assert store.organization().name == "Grupo Este"
    assert new.session.undo() is not None
    assert store.organization().name == org.name
    new.show_page("contacts")
    assert "contactos" in new.view("contacts").count_label.text()  # type: ignore[attr-defined]
