"""The window in Spanish: its own words from the catalog, Qt's words (standard buttons)
from Qt's translations, numbers and plural forms as Spanish writes them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton

from mutualaid_desktop import i18n
from mutualaid_desktop.ui.app import Controller, apply_language
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.widgets.form import keep_editing  # before a fixture stands in for it


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    assert apply_language(qapp, "es") == "es"
    yield
    apply_language(qapp, "en")


@pytest.fixture
def spanish_window(
    controller: Controller, demo_db: Path, qapp: QApplication, qtbot
) -> Iterator[MainWindow]:
    """The window opened with the program's language set to Spanish (as at start-up)."""
    apply_language(qapp, "es")
    try:
        assert controller.open_database(demo_db)
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        yield controller.window
    finally:
        apply_language(qapp, "en")


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_menus_sidebar_and_status_bar_speak_spanish(spanish_window: MainWindow) -> None:
    window = spanish_window
    assert menu_titles(window) == ["&Archivo", "&Editar", "&Ir", "A&yuda"]
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    assert "&Abrir base de datos…" in texts and "&Salir" in texts
    # No English left in the File menu (every entry came through the catalog).
    english = {"&Open database…", "&Quit", "Load &demo data…", "&Back up now"}
    assert not english & set(texts)
    sidebar = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert sidebar[:3] == ["Hoy", "Contactos", "Necesidades"]
    assert sidebar[-1] == "Configuración"
    window.update_counts()
    counts = window.counts_label.text()
    assert "contactos" in counts and "necesidades abiertas de" in counts, counts
    assert "rutas" in counts or "1 ruta" in counts, counts
    assert window.db_label.text().startswith("Base de datos: ")


def test_table_headers_and_labels_follow_the_language(spanish_window: MainWindow) -> None:
    window = spanish_window
    window.show_page("needs")
    model = window.needs.model
    headers = [model.headerData(i, _horizontal()) for i in range(model.columnCount())]
    assert headers[:3] == ["Urgencia", "Categoría", "Contacto"]
    # The rows show the domain's labels in Spanish, never its codes ("1-2_days").
    urgencies = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert urgencies and urgencies <= {"Hoy", "1–2 días", "Esta semana", "Cuando sea"}


def test_a_dialog_speaks_spanish_down_to_qts_own_buttons(spanish_window: MainWindow, qtbot) -> None:
    """Qt's standard buttons (Cancel, Close) come from qtbase_es.qm, not the catalog."""
    from mutualaid_desktop.ui.dialogs.driver import DriverDialog

    dialog = DriverDialog(spanish_window.session, parent=spanish_window)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "Guardar"
    assert dialog.windowTitle() == "Nuevo conductor"
    day_names = dialog.slots  # the weekly hours' day menu: Spanish day names
    dialog._add_slot(0, *_nine_to_noon())
    assert day_names.cellWidget(0, 0).currentText() == "Lunes"


def test_a_message_box_speaks_spanish(spanish_window: MainWindow, qtbot) -> None:
    """A question built by the window: its words and Qt's buttons, both in Spanish."""
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["title"] = box.windowTitle()
        seen["buttons"] = sorted(b.text() for b in box.findChildren(QPushButton))
        box.reject()

    QTimer.singleShot(0, answer)
    keep_editing(spanish_window, "Este hogar", "Falta el nombre.")
    assert seen["title"] == "Aún sin guardar"
    assert seen["buttons"] == ["Descartar los cambios", "Seguir editando"]


def test_numbers_are_written_as_the_language_writes_them(spanish: None) -> None:
    assert QLocale().toString(20000) == "20.000"
    assert i18n.ngettext("{n} ride", "{n} rides", 1).format(n=1) == "1 viaje"


def test_back_to_english(qapp: QApplication, controller: Controller, demo_db) -> None:
    """Switching back removes Qt's Spanish too: no half-Spanish window afterwards."""
    apply_language(qapp, "es")
    apply_language(qapp, "en")
    assert controller.open_database(demo_db)
    assert controller.window is not None
    assert menu_titles(controller.window) == ["&File", "&Edit", "&Go", "&Help"]
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _nine_to_noon():  # type: ignore[no-untyped-def]
    from datetime import time

    return time(9), time(12)


def test_recently_deleted_and_undo_speak_spanish(spanish_window: MainWindow, qtbot) -> None:
    """What the core says about a record (its kind, its name, what went with it) and the
    Undo menu built from it, in the organizer's language and with Spanish plurals."""
    from mutualaid_desktop.domain import Contact, Need
    from mutualaid_desktop.ui.dialogs.deleted import DeletedDialog

    session = spanish_window.session
    store = session.store
    household, needs = store.conn.execute(
        "SELECT contact_id, count(*) FROM needs GROUP BY contact_id HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    name = store.require(Contact, household).name
    session.delete(Contact, household, "Eliminar el contacto")
    dialog = DeletedDialog(session, spanish_window)
    qtbot.addWidget(dialog)
    first = dialog.list.topLevelItem(0)
    assert first.text(1) == "Hogar o persona"
    assert first.text(2) == f"Contacto {name}"
    assert first.text(3).startswith(f"con {needs} necesidades"), first.text(3)
    assert "1 paradas" not in first.text(3) and "1 stop" not in first.text(3)
    assert dialog.intro.text().startswith("Eliminados en los últimos 30 días")
    assert dialog.restore_selected()
    assert store.count(Need, "contact_id = ?", [household]) == needs
    undo = spanish_window.undo_action.text().replace("&", "")
    assert undo == f"Deshacer: Restaurar contacto {name}"
