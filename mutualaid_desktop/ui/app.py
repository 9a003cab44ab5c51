"""Starting the window: first run, opening databases, recent files, demo data."""

from __future__ import annotations

import contextlib
import gc
import html
import logging
import os
import sys
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, Qt, QTimer, QTranslator, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from mutualaid_desktop import config, files, i18n
from mutualaid_desktop.errors import UserError, WrongPassphrase
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.connection import DatabaseKey, is_encrypted
from mutualaid_desktop.ui.dialogs.sharing import ask_default_sharing
from mutualaid_desktop.ui.dialogs.unlock import UnlockDialog
from mutualaid_desktop.ui.dialogs.welcome import WelcomeDialog
from mutualaid_desktop.ui.errors import install_excepthook, show_error
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.ops import Job, Progress, run_job
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets import wheel

log = logging.getLogger(__name__)
MAX_RECENT = 8


def make_settings() -> QSettings:
    """QSettings for UI state; under MUTUALAID_HOME when set (tests, portable use)."""
    home = os.environ.get("MUTUALAID_HOME")
    if home:
        settings = QSettings(str(Path(home) / "ui.ini"), QSettings.Format.IniFormat)
    else:
        settings = QSettings(config.APP_AUTHOR, config.APP_NAME)
    # Made 0600 before Qt first writes it (Qt keeps an existing file's mode): it lists
    # the databases opened recently.
    where = Path(settings.fileName())
    if where.is_absolute():  # a file, not the Windows registry
        with contextlib.suppress(OSError):
            files.program_folder(where.parent)
            files.create_private(where)
    return settings


class Controller:
    """Owns the open session and its window; switches databases."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.settings = make_settings()
        self.session: Session | None = None
        self.window: MainWindow | None = None
        self._jobs: list[Job] = []
        self.restored: Any = None  # the last restore done (store/backup.py, Restored)

    # -- opening ------------------------------------------------------------------

    def start(self, db_path: Path | None, passphrase: str | None = None) -> bool:
        """Open `db_path` (or the default database), welcoming a first-time user.

        `passphrase` (from --passphrase-file) opens an encrypted database without asking.
        """
        path = Path(db_path) if db_path else config.default_db_path()
        if path.exists():
            return self.open_database(path, passphrase)
        return self.create_database(path)

    def create_database(self, path: Path, parent: QWidget | None = None) -> bool:
        if not self._leave_window():
            return False
        dialog = WelcomeDialog(path, parent)
        if not dialog.exec():
            return False
        org, name, demo = dialog.values
        passphrase = dialog.passphrase
        try:
            key = DatabaseKey.new(passphrase) if passphrase is not None else None
            store = Store.create(path, organizer=name, org_name=org or None, key=key)
            _set_default_sharing(store, dialog.sharing_choice)
        except Exception as exc:
            show_error(parent, exc)
            return False
        self._show(Session(store))
        if demo:
            self.load_demo()
        return True

    def open_database(
        self, path: Path | str, passphrase: str | None = None, key: DatabaseKey | None = None
    ) -> bool:
        """Open the database at `path`; an encrypted one with `key` (the same file reopened
        after a restore), else `passphrase`, else the passphrase asked for."""
        path = Path(path)
        if not self._leave_window():
            return False
        try:
            if is_encrypted(path):
                store = self._unlock(path, passphrase, key)
                if store is None:
                    return False
            else:
                store = Store.open(path)
        except Exception as exc:
            show_error(self.window, exc)
            return False
        session = Session(store)
        self._show(session)
        session.finish_indexing()  # an import interrupted before its index was rebuilt
        # A database from before first run asked: new households stay home until asked.
        ask_default_sharing(self.window, session)
        return True

    def _unlock(
        self, path: Path, passphrase: str | None, key: DatabaseKey | None = None
    ) -> Store | None:
        """Open the encrypted database at `path`, asking for its passphrase until it is right."""
        if key is not None:
            with contextlib.suppress(WrongPassphrase):
                return Store.open(path, key)
        opened: list[Store] = []

        def attempt(typed: str) -> str:
            try:
                opened.append(Store.open(path, DatabaseKey.for_file(path, typed)))
            except (WrongPassphrase, UserError) as wrong:
                return str(wrong)
            return ""

        if passphrase is not None and not attempt(passphrase):
            return opened[0]
        dialog = UnlockDialog(
            _("Open an encrypted database"),
            _("<b>{name}</b> is encrypted. Type its passphrase to open it.").format(
                name=html.escape(path.name)
            ),
            attempt,
            self.window,
        )
        return opened[0] if dialog.exec() and opened else None

    def _leave_window(self) -> bool:
        """The open window saves what its editor holds before another database replaces it."""
        return self.window is None or self.window.leave_page()

    def restore(self, backup: Path) -> Job | None:
        """Put `backup` in place of the open database and show it (File › Restore…).

        The long part (checking and copying the backup, backing up the database as it is)
        runs in the background with a progress dialog, the window still showing the
        database; then the database is closed, the copy swapped in (a moment) and the
        restored database shown. `restored` is set once it is shown.
        """
        from mutualaid_desktop.store.backup import finish_restore, policy_for, prepare_restore

        session = self.session
        if session is None or session.path is None or not self._leave_window():
            return None
        path = session.path
        key = session.store.key
        policy = policy_for(session.store)
        self.restored = None

        def job(progress: Progress) -> object:
            return prepare_restore(path, backup, policy, progress)

        def swap(prepared: Any) -> None:
            if self.session is not session:  # another database opened meanwhile
                return
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                session.close(backup=False)  # the swap needs the file to itself
                self.session = None
                try:
                    done = finish_restore(prepared)
                except Exception as exc:
                    self.open_database(path, key=key)  # back to the database as it was
                    show_error(self.window, exc)
                    return
                if not self.open_database(path, key=done.key or key):
                    return
            finally:
                QApplication.restoreOverrideCursor()
            self.restored = done
            if self.window is not None:
                self.window.show_message(_restored_text(done))

        parent = self.window
        assert parent is not None
        runner = run_job(parent, _("Restoring the backup"), job, swap)
        self._jobs.append(runner)
        runner.done.connect(lambda _r: self._jobs.remove(runner))
        runner.error.connect(lambda _e: self._jobs.remove(runner))
        return runner

    def _show(self, session: Session) -> None:
        old = self.window
        if old is not None:
            old.save_state(self.settings)
        self.session = session
        self.window = MainWindow(session, self)
        self.window.reload_all()
        self.window.restore_state(self.settings)  # shows the last page, which loads itself
        self.window.show()
        if old is not None:
            old.controller = None
            old.close()
            old.session.close()
        if session.path is not None:
            self._add_recent(str(session.path))

    def choose_database(self) -> None:
        start = str(self.session.path.parent) if self.session and self.session.path else ""
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            _("Open a database"),
            start,
            _("Mutual Aid databases (*.sqlite *.db)") + ";;" + _("All files (*)"),
        )
        if path:
            self.open_database(path)

    def new_database(self) -> None:
        start = str(config.data_dir() / "new-group.sqlite")
        path, _filter = QFileDialog.getSaveFileName(
            self.window,
            _("Create a new database"),
            start,
            _("Mutual Aid databases (*.sqlite)"),
        )
        if not path:
            return
        target = Path(path)
        if target.exists():
            show_error(
                self.window,
                UserError(_("{name} already exists; choose a new name.").format(name=target.name)),
            )
            return
        self.create_database(target, self.window)

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, list):
            items = [str(v) for v in value]
        else:
            items = []
        return [p for p in items if Path(p).exists()]

    def _add_recent(self, path: str) -> None:
        items = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", [path, *items][:MAX_RECENT])

    # -- long work --------------------------------------------------------------------

    def load_demo(self, households: int = 300) -> Job | None:
        """Fill the open (empty) database with demo data, in the background."""
        session = self.session
        if session is None or self.window is None:
            return None
        if session.store.count_rows("contacts") > 0:
            QMessageBox.information(
                self.window,
                _("Demo data"),
                _(
                    "This database already holds contacts. Demo data goes into a new, empty "
                    "database: use File › New database…, then load demo data there."
                ),
            )
            return None
        path = session.path
        from mutualaid_desktop.demo import build_demo  # large data tables: load only when asked

        def job(progress: Progress) -> object:
            if path is None:  # in-memory database: same thread is the only option
                return build_demo(session.store, households, progress=progress)
            # SQLite connections belong to one thread: the job opens its own.
            with session.store.reopen() as store:
                return build_demo(store, households, progress=progress)

        def done(_summary: object) -> None:
            session.store.reload_replica_state()
            session.history.clear()
            session.notify_all()
            if self.window is not None:
                self.window.reload_all()
                self.window.show_message(
                    _("Demo data loaded: fictitious households, drivers and rides.")
                )

        runner = run_job(self.window, _("Creating demo data"), job, done)
        self._jobs.append(runner)
        runner.done.connect(lambda _r: self._jobs.remove(runner))
        runner.error.connect(lambda _e: self._jobs.remove(runner))
        return runner

    def open_log_folder(self) -> None:
        folder = config.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def window_closing(self, window: MainWindow) -> None:
        if window is self.window:
            window.save_state(self.settings)
            self.settings.sync()


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(config.APP_NAME)
    app.setOrganizationName(config.APP_AUTHOR)
    app.setApplicationDisplayName("Mutual Aid Desktop")
    # Ties the windows to the launcher (Wayland's app id; X11 uses StartupWMClass).
    app.setDesktopFileName("org.mutualaid.Desktop")
    app.setWindowIcon(QIcon(str(config.resources_dir() / "icons" / "org.mutualaid.Desktop.svg")))
    app.setStyle("Fusion")  # follows the system's light or dark colour scheme in Qt 6
    wheel.install(app)
    language = make_settings().value("language")
    apply_language(app, language if isinstance(language, str) and language else None)
    return app


def apply_language(app: QApplication, lang: str | None = None) -> str:
    """Speak `lang` (None: the system's language) in the program's own words and in
    Qt's (the standard buttons, the file and print dialogs, context menus); returns
    the code in use. Windows built afterwards use it."""
    global _qt_translator
    code = i18n.use_language(lang)
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if code != i18n.SOURCE_LANGUAGE:
        translator = QTranslator(app)
        # Where Qt says, else beside PySide6 (the frozen build keeps that layout).
        folders = [
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            str(Path(PySide6.__file__).parent / "Qt" / "translations"),
        ]
        if any(translator.load(f"qtbase_{code}", folder) for folder in folders):
            app.installTranslator(translator)
            _qt_translator = translator
        else:
            log.warning("Qt's own %s translations are missing from %s", code, folders)
    # Numbers and the calendar's names as the system writes them in that language
    # (es_MX keeps its decimal point), else as the language usually does.
    system = QLocale.system()
    locale = system if system.name().split("_")[0] == code else QLocale(code)
    QLocale.setDefault(locale)
    app.setLayoutDirection(locale.textDirection())
    return code


_qt_translator: QTranslator | None = None


def run(db_path: Path | None, passphrase: str | None = None) -> int:
    """Open the window on `db_path` (or the default database); returns the exit code."""
    app = create_app()
    install_excepthook()
    files.remove_stale_temp_folders()
    controller = Controller(app)
    if not controller.start(db_path, passphrase):
        return 0
    # Once the window has painted and its first page has loaded, not before: the first
    # paint does not wait for a collection.
    QTimer.singleShot(1500, settle_heap)
    code = app.exec()
    if controller.session is not None:
        controller.session.close()
    return code


def settle_heap() -> None:
    """Put what start-up loaded (modules, Qt's wrappers, the window) out of the cycle
    collector's sight: it lives until the program ends.

    Otherwise every full collection walks it all while holding Python's lock: 50-130 ms
    in which the window could not answer, each time a sheet was made in the background.
    """
    gc.collect()
    gc.freeze()


def _restored_text(done: Any) -> str:
    """What a restore did, in one sentence."""
    counts = done.backup.counts_text()
    if done.saved_before:
        return _(
            "Restored the backup of {when} ({counts}); the database as it was is saved in {path}."
        ).format(when=done.backup.when(), counts=counts, path=done.saved_before)
    return _("Restored the backup of {when} ({counts}).").format(
        when=done.backup.when(), counts=counts
    )


def _set_default_sharing(store: Store, scope: Any) -> None:
    from mutualaid_desktop.domain import ORGANIZATION_ID, Organization

    store.update(Organization, ORGANIZATION_ID, default_share_scope=scope)
