"""The window and privacy: a passphrase on first run, asked when opening, the lock, and
nothing about a household where others can see it (title, recent files, temp files)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop import config, files
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.connection import DatabaseKey, is_encrypted
from mutualaid_desktop.ui.app import Controller, make_settings
from mutualaid_desktop.ui.dialogs.unlock import UnlockDialog
from mutualaid_desktop.ui.dialogs.welcome import WelcomeDialog
from mutualaid_desktop.ui.lock import SETTING, copy_text
from mutualaid_desktop.ui.main_window import MainWindow
from tests.conftest import TODAY
from tests.recognisable import NAME, PASSPHRASE, household, traces_in


@pytest.fixture
def encrypted_db(tmp_path: Path) -> Path:
    path = tmp_path / "locked.sqlite"
    key = DatabaseKey.new(PASSPHRASE)
    store = Store.create(path, organizer="Rosa", org_name="Eastside", key=key)
    build_demo(store, households=12, seed=3, today=TODAY)
    store.insert(household())
    store.close()
    return path


@pytest.fixture
def locked_window(controller: Controller, encrypted_db: Path, qtbot) -> Iterator[MainWindow]:
    assert controller.open_database(encrypted_db, PASSPHRASE)
    assert controller.window is not None
    qtbot.addWidget(controller.window)
    controller.window.show()
    yield controller.window
    controller.window.lock.stop()


def welcome(monkeypatch: pytest.MonkeyPatch, fill) -> list[str]:
    """Run the first-run dialog through `fill(dialog)`; returns the hints it showed."""
    hints: list[str] = []

    def fake_exec(self: WelcomeDialog) -> int:
        self.org.setText("Southside Pantry")
        self.name.setText("Rosa")
        for _typed in fill(self):
            self._accept()
            hints.append(self.hint.text())
            if self.result():
                return 1
        return 0

    monkeypatch.setattr(WelcomeDialog, "exec", fake_exec)
    return hints


def test_first_run_asks_for_a_passphrase_rates_it_and_encrypts(qapp, monkeypatch) -> None:
    seen: dict[str, object] = {}

    def fill(dialog: WelcomeDialog):
        fields = dialog.new_passphrase
        warning = dialog.findChild(object, "forgottenWarning")
        seen["warning"] = warning.text()
        fields.field.setText("southside")  # one word, and the group's own name
        seen["weak"] = (fields.meter.value(), fields.meter.format())
        yield
        fields.field.setText(PASSPHRASE)
        fields.again.setText(PASSPHRASE + " ")
        seen["strong"] = (fields.meter.value(), fields.meter.format())
        yield
        fields.again.setText(PASSPHRASE)
        yield

    hints = welcome(monkeypatch, fill)
    controller = Controller(qapp)
    assert controller.start(None)
    try:
        assert "Too easy to guess" in hints[0] and "for example" in hints[0]  # and a strong one
        assert "same passphrase again" in hints[1]
        assert "cannot recover" in str(seen["warning"]) or "recover" in str(seen["warning"])
        assert seen["weak"][0] < 2 and "weak" in str(seen["weak"][1])
        assert seen["strong"][0] >= 3
        path = config.default_db_path()
        assert is_encrypted(path)
        assert NAME.encode() not in path.read_bytes()
        assert controller.session.store.encrypted
    finally:
        controller.window.controller = None
        controller.window.close()
        controller.session.close()


def test_first_run_can_choose_not_to_encrypt(qapp, monkeypatch) -> None:
    def fill(dialog: WelcomeDialog):
        dialog.new_passphrase.plain.setChecked(True)
        assert not dialog.new_passphrase.field.isEnabled()
        yield

    welcome(monkeypatch, fill)
    controller = Controller(qapp)
    assert controller.start(None)
    try:
        assert config.default_db_path().read_bytes().startswith(b"SQLite format 3")
        assert not controller.session.store.encrypted
    finally:
        controller.window.controller = None
        controller.window.close()
        controller.session.close()


def test_opening_an_encrypted_database_asks_again_after_a_wrong_passphrase(
    controller: Controller, encrypted_db: Path, monkeypatch
) -> None:
    messages: list[str] = []

    def fake_exec(self: UnlockDialog) -> int:
        for typed in ("plum orbit lantern eighteen", PASSPHRASE):
            self.field.setText(typed)
            self._try()
            messages.append(self.message.text())
        return self.result()

    monkeypatch.setattr(UnlockDialog, "exec", fake_exec)
    assert controller.open_database(encrypted_db)
    assert "does not open locked.sqlite" in messages[0]
    assert controller.session is not None and controller.session.store.encrypted
    assert controller.session.store.count(Contact) > 0


def test_cancelling_the_passphrase_opens_nothing(
    controller: Controller, encrypted_db: Path, monkeypatch
) -> None:
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: 0)
    assert not controller.open_database(encrypted_db)
    assert controller.session is None


def distinct_colours(window: MainWindow) -> int:
    image = window.grab().toImage()
    step = 7
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_ctrl_l_covers_every_window_until_the_passphrase_and_keeps_the_work(
    locked_window: MainWindow, qtbot
) -> None:
    window = locked_window
    window.show_page("contacts")
    window.contacts.new_contact()
    window.contacts.form.name.setText("Half typed name")
    lock = window.lock
    shown = distinct_colours(window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert lock.locked
    assert lock.dialog is not None and lock.dialog.isVisible()
    curtain = lock.curtains[0]
    assert curtain.parentWidget() is window and curtain.geometry() == window.rect()
    assert distinct_colours(window) < shown / 4  # a plain cover with one line on it
    assert not window.menuBar().isEnabled()
    window.resize(window.width() + 40, window.height() + 30)
    assert curtain.geometry() == window.rect()  # the cover follows the window

    lock.dialog.field.setText("plum orbit lantern eighteen")
    lock.dialog._try()
    assert lock.locked and "not the passphrase" in lock.dialog.message.text()
    lock.dialog.field.setText(PASSPHRASE)
    lock.dialog._try()
    assert not lock.locked
    assert window.menuBar().isEnabled()
    assert window.contacts.form.name.text() == "Half typed name"


def test_the_window_locks_itself_when_idle_and_clears_what_it_copied(
    locked_window: MainWindow, qtbot
) -> None:
    lock = locked_window.lock
    assert lock.minutes == 10  # the default
    copy_text("Pick up Zephyrine at 9:00")  # as the Rides view copies a driver's message
    lock.timer.setInterval(50)
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)
    assert QGuiApplication.clipboard().text() != "Pick up Zephyrine at 9:00"


def test_a_window_that_opens_while_locked_is_covered(locked_window: MainWindow, qtbot) -> None:
    lock = locked_window.lock
    lock.lock()
    box = QMessageBox(QMessageBox.Icon.Information, "Imported", "3 new contacts", parent=None)
    box.show()
    qtbot.waitUntil(lambda: any(c.parentWidget() is box for c in lock.curtains), timeout=2000)
    box.close()


def test_the_idle_time_is_set_in_settings(locked_window: MainWindow) -> None:
    locked_window.show_page("settings")
    spin = locked_window.settings_view.findChild(object, "lockMinutes")
    spin.setValue(3)
    assert locked_window.lock.timer.interval() == 3 * 60_000
    assert int(make_settings().value(SETTING)) == 3
    spin.setValue(0)  # never
    assert not locked_window.lock.timer.isActive()


def test_a_plain_database_cannot_lock_and_says_why(window: MainWindow, qtbot, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    window.lock.lock_now()
    assert not window.lock.locked
    assert "not encrypted" in said[0]


def test_title_recent_files_and_status_name_no_household(
    controller: Controller, locked_window: MainWindow, encrypted_db: Path
) -> None:
    window = locked_window
    window.search.setText("quixwell")
    window.show_page("contacts")
    assert window.contacts.model.rowCount() == 1
    contact = window.session.store.select(Contact, "name = ?", [NAME])[0]
    window.open_contact(contact.id)
    assert window.contacts.form.name.text() == NAME
    seen = " ".join([window.windowTitle(), window.db_label.text(), *controller.recent_files()])
    assert traces_in(seen) == []
    assert controller.recent_files() == [str(encrypted_db)]


def test_open_in_viewer_writes_a_private_file_removed_at_exit(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    window.show_page("print")
    view = window.views["print"]
    view.sheet.setCurrentIndex(view.sheet.findData("routes"))
    job = view.generate()
    with qtbot.waitSignal(job.done, timeout=60000):
        pass
    view.open_pdf()
    pdf = Path(opened[0])
    assert pdf.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert stat.S_IMODE(pdf.parent.stat().st_mode) == 0o700
    files.remove_run_temp_folder()  # what the program does when it exits (atexit)
    assert not pdf.parent.exists()


def test_the_bug_dialog_shows_no_household_data(qapp, monkeypatch) -> None:
    from mutualaid_desktop.ui import errors

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.detailedText()))
    try:
        raise ValueError(f"cannot place {NAME!r} at '4417 Quillfeather Lane'")
    except ValueError as exc:
        errors.show_bug(None, exc)
    assert shown and "ValueError" in shown[0]
    assert traces_in(shown[0]) == []


def test_the_windows_own_files_are_private_whatever_the_umask(
    controller: Controller, encrypted_db: Path, program_home: Path, qtbot
) -> None:
    old = os.umask(0o022)
    try:
        assert controller.open_database(encrypted_db, PASSPHRASE)
        window = controller.window
        qtbot.addWidget(window)
        window.show_page("settings")
        window.settings_view.findChild(object, "lockMinutes").setValue(5)
        controller.window_closing(window)  # saves the window's state and recent files
        window.lock.stop()
    finally:
        os.umask(old)
    written = {p.name for p in program_home.rglob("*") if p.is_file()}
    assert "ui.ini" in written
    for path in [program_home, *program_home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_the_lock_speaks_the_programs_language(
    controller: Controller, encrypted_db: Path, qapp, qtbot
) -> None:
    from mutualaid_desktop.ui.app import apply_language

    apply_language(qapp, "es")
    try:
        assert controller.open_database(encrypted_db, PASSPHRASE)
        window = controller.window
        assert window is not None
        qtbot.addWidget(window)
        window.show()
        assert window.lock.action.text() == "&Bloquear la ventana"
        window.lock.lock()
        dialog = window.lock.dialog
        assert dialog is not None
        assert dialog.windowTitle() == "Mutual Aid Desktop está bloqueado"
        assert dialog.field.accessibleName() == "Frase de acceso"
        dialog.field.setText("plum orbit lantern eighteen")
        dialog._try()
        assert dialog.message.text() == (
            "Esa no es la frase de acceso de esta base de datos; inténtelo de nuevo."
        )
        dialog.field.setText(PASSPHRASE)
        dialog._try()
        assert not window.lock.locked
        window.lock.stop()
    finally:
        apply_language(qapp, "en")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_first_run_fits_a_laptop_screen_and_speaks_its_language(qapp, qtbot, lang) -> None:
    from mutualaid_desktop.ui.app import apply_language

    apply_language(qapp, lang)
    try:
        dialog = WelcomeDialog(Path("/home/rosa/.local/share/MutualAidDesktop/mutualaid.sqlite"))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        # A 1280x720 screen less its panel and the dialog's title bar: Start stays in reach.
        assert dialog.height() <= 720 - 60
        assert dialog.width() <= 1280
        dialog.new_passphrase.field.setText("rosa")
        meter = dialog.new_passphrase.meter.format()
        box = dialog.new_passphrase.parentWidget()
        if lang == "es":
            assert box.title() == "Una frase de acceso para los datos"
            assert meter == "Solidez: muy débil"
            assert dialog.new_passphrase.advice.text().startswith("Demasiado fácil de adivinar")
        else:
            assert meter == "Strength: very weak"
    finally:
        apply_language(qapp, "en")
