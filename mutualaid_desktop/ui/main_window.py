"""The main window: sidebar navigation, global search, menus and status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mutualaid_desktop import __version__
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.coming import coming_view
from mutualaid_desktop.ui.views.contacts import ContactsView
from mutualaid_desktop.ui.views.needs import NeedsView
from mutualaid_desktop.ui.views.settings import SettingsView
from mutualaid_desktop.ui.views.today import TodayView

if TYPE_CHECKING:
    from mutualaid_desktop.ui.app import Controller

PAGES = ["today", "contacts", "needs", "deliveries", "rides", "print", "sync", "settings"]
TITLES = {
    "today": "Today",
    "contacts": "Contacts",
    "needs": "Needs",
    "deliveries": "Deliveries",
    "rides": "Rides",
    "print": "Print",
    "sync": "Sync",
    "settings": "Settings",
}


class MainWindow(QMainWindow):
    def __init__(self, session: Session, controller: Controller | None = None) -> None:
        super().__init__()
        self.session = session
        self.controller = controller
        self.setObjectName("mainWindow")
        self.setMinimumSize(QSize(900, 560))

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setFixedWidth(150)
        self.sidebar.setStyleSheet("QListWidget#sidebar::item { padding: 7px 6px; }")
        for key in PAGES:
            item = QListWidgetItem(TITLES[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)

        self.today = TodayView(session)
        self.contacts = ContactsView(session)
        self.needs = NeedsView(session)
        self.settings_view = SettingsView(session)
        self.views: dict[str, QWidget] = {
            "today": self.today,
            "contacts": self.contacts,
            "needs": self.needs,
            "deliveries": coming_view("deliveries"),
            "rides": coming_view("rides"),
            "print": coming_view("print"),
            "sync": coming_view("sync"),
            "settings": self.settings_view,
        }
        self.stack = QStackedWidget()
        for key in PAGES:
            self.stack.addWidget(self.views[key])
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self._page_changed)

        self.search = QLineEdit()
        self.search.setObjectName("globalSearch")
        self.search.setPlaceholderText("Search contacts and needs (Ctrl+K): name, phone, address…")
        self.search.setAccessibleName("Search contacts and needs")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(380)
        self.search.textChanged.connect(self._search_changed)
        self._search_count_timer = QTimer(self)
        self._search_count_timer.setSingleShot(True)
        self._search_count_timer.setInterval(250)
        self._search_count_timer.timeout.connect(self._update_search_counts)
        self.search.returnPressed.connect(self._search_enter)
        toolbar = QToolBar("Search")
        toolbar.setObjectName("searchBar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

        self.db_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(200)
        self._counts_timer.timeout.connect(self.update_counts)
        session.changed.connect(lambda _t: self._counts_timer.start())

        self._build_menus()
        self._connect_views()
        self.update_title()

    # -- menus ----------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        shortcuts: list[QKeySequence] | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts(shortcuts)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action("&New record", self.new_record, QKeySequence.StandardKey.New)
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        if self.controller is not None:
            file_menu.addAction(
                self._action("New &database…", self.controller.new_database, "Ctrl+Shift+N")
            )
            file_menu.addAction(
                self._action(
                    "&Open database…",
                    self.controller.choose_database,
                    QKeySequence.StandardKey.Open,
                )
            )
            self.recent_menu = file_menu.addMenu("Open &recent")
            self.recent_menu.aboutToShow.connect(self._fill_recent)
            file_menu.addAction(self._action("Load &demo data…", self.controller.load_demo))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("&Print…", lambda: self.show_page("print"), QKeySequence.StandardKey.Print)
        )
        file_menu.addSeparator()
        # Some platforms (and the offscreen test platform) define no Quit key: use Ctrl+Q there.
        quit_key = QKeySequence(QKeySequence.StandardKey.Quit)
        quit_action = self._action(
            "&Quit", self.close, quit_key if not quit_key.isEmpty() else "Ctrl+Q"
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.session.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.session.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        find = self._action(
            "&Find…",
            self.focus_search,
            shortcuts=[QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("Ctrl+K")],
        )
        edit_menu.addAction(find)
        save = self._action("&Save record", self.save_record, QKeySequence.StandardKey.Save)
        edit_menu.addAction(save)

        go_menu = bar.addMenu("&Go")
        for i, key in enumerate(PAGES, start=1):
            go_menu.addAction(
                self._action(TITLES[key], lambda _=False, k=key: self.show_page(k), f"Ctrl+{i}")
            )

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&About Mutual Aid Desktop", self.about))
        if self.controller is not None:
            help_menu.addAction(
                self._action("Open the &log folder", self.controller.open_log_folder)
            )
        # Escape in the search field goes back to the table.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self._search_escape)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        if self.controller is None:
            return
        recent = self.controller.recent_files()
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        controller = self.controller
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: controller.open_database(p))

    def _connect_views(self) -> None:
        self.contacts.add_need.connect(self.add_need_for)
        self.contacts.show_need.connect(self.open_need)
        self.contacts.message.connect(self.show_message)
        if self.controller is not None:
            self.contacts.load_demo.connect(self.controller.load_demo)
        self.needs.open_contact.connect(self.open_contact)
        self.needs.message.connect(self.show_message)
        self.needs.go_contacts.connect(lambda: self.show_page("contacts"))
        self.today.open_need.connect(self.open_need)
        self.today.show_overdue.connect(self._show_overdue)
        self.today.show_urgency.connect(self._show_urgency)
        self.settings_view.message.connect(self.show_message)

    # -- navigation -------------------------------------------------------------

    def show_page(self, key: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(key))

    def current_page(self) -> str:
        return PAGES[max(0, self.sidebar.currentRow())]

    def _page_changed(self, row: int) -> None:
        key = PAGES[row]
        self.stack.setCurrentIndex(row)
        if key == "contacts":
            self.contacts.model.refresh_if_stale()
        elif key == "needs":
            self.needs.model.refresh_if_stale()
        if key == "today":
            self.today.reload()
        elif key == "settings":
            self.settings_view.reload()
        self.new_action.setEnabled(key in ("contacts", "needs"))

    def open_contact(self, contact_id: str) -> None:
        self.show_page("contacts")
        self.contacts.open_contact(contact_id)

    def open_need(self, need_id: str) -> None:
        self.show_page("needs")
        self.needs.open_need(need_id)

    def add_need_for(self, contact_id: str) -> None:
        self.show_page("needs")
        self.needs.new_need(contact_id)

    def _show_overdue(self) -> None:
        self.show_page("needs")
        self.needs.show_overdue()

    def _show_urgency(self, urgency: str) -> None:
        self.show_page("needs")
        self.needs.status_filter.setCurrentIndex(0)
        self.needs.urgency_filter.setCurrentIndex(self.needs.urgency_filter.findData(urgency))

    def new_record(self) -> None:
        page = self.current_page()
        if page == "needs":
            self.needs.new_need()
        else:
            self.show_page("contacts")
            self.contacts.new_contact()

    def save_record(self) -> None:
        page = self.current_page()
        if page == "contacts":
            self.contacts.form.save()
        elif page == "needs":
            self.needs.form.save()
        elif page == "settings":
            self.settings_view.save()

    # -- search -------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        page = self.current_page()
        if page not in ("contacts", "needs"):
            self.show_page("contacts")
            page = "contacts"
        # Both lists follow the search. The visible one updates at once; the hidden
        # one reloads when shown, and its sidebar count waits for a pause in typing.
        for key, view in (("contacts", self.contacts), ("needs", self.needs)):
            view.model.set_filter(refresh=key == page, text=text)
        self._update_search_counts(visible_only=True)
        self._search_count_timer.start()

    def _update_search_counts(self, visible_only: bool = False) -> None:
        text = self.search.text()
        page = self.current_page()
        for key, view in (("contacts", self.contacts), ("needs", self.needs)):
            item = self.sidebar.item(PAGES.index(key))
            if not text:
                item.setText(TITLES[key])
            elif key == page:
                item.setText(f"{TITLES[key]} ({view.model.rowCount():,})")
            elif not visible_only:
                item.setText(f"{TITLES[key]} ({view.model.match_count():,})")

    def _search_enter(self) -> None:
        view = self.contacts if self.current_page() == "contacts" else self.needs
        if view.model.rowCount():
            view.table.view.setFocus()
            view.table.view.selectRow(0)

    def _search_escape(self) -> None:
        if self.search.text():
            self.search.clear()
        else:
            view = self.contacts if self.current_page() == "contacts" else self.needs
            view.table.view.setFocus()

    # -- status -------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def update_title(self) -> None:
        path = self.session.path
        name = path.name if path else "in memory"
        org = self.session.store.organization().name
        self.setWindowTitle(f"{org} — Mutual Aid Desktop")
        self.db_label.setText(f"Database: {name}")
        self.db_label.setToolTip(str(path) if path else "")

    def update_counts(self) -> None:
        c = listing.counts(self.session.store)
        self.counts_label.setText(
            f"{c['contacts']:,} contacts · {c['open_needs']:,} open needs of {c['needs']:,} · "
            f"{c['delivery_runs']:,} runs · {c['rides']:,} rides"
        )

    def reload_all(self) -> None:
        """Show a freshly opened or bulk-changed database (hidden views load when shown)."""
        self.contacts.reload()
        self.needs.reload()
        if self.today.isVisible():
            self.today.reload()
        self.update_title()
        self._counts_timer.start()  # the status bar counts can wait for the first paint

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Mutual Aid Desktop",
            f"<h3>Mutual Aid Desktop {__version__}</h3>"
            "<p>Contacts, needs, deliveries and rides for mutual-aid organizers, offline.</p>",
        )

    # -- window state ---------------------------------------------------------------

    def restore_state(self, settings: QSettings) -> None:
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        for name, splitter in (
            ("contacts", self.contacts.splitter),
            ("needs", self.needs.splitter),
        ):
            state = settings.value(f"window/{name}_splitter")
            if state is None or not splitter.restoreState(state):
                splitter.setSizes([640, 470])
            header = settings.value(f"window/{name}_header")
            view = self.contacts if name == "contacts" else self.needs
            if header is not None:
                view.table.view.horizontalHeader().restoreState(header)
        page = settings.value("window/page", "today")
        self.show_page(page if page in PAGES else "today")

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/page", self.current_page())
        for name, view in (("contacts", self.contacts), ("needs", self.needs)):
            settings.setValue(f"window/{name}_splitter", view.splitter.saveState())
            settings.setValue(
                f"window/{name}_header", view.table.view.horizontalHeader().saveState()
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._counts_timer.stop()
        self._search_count_timer.stop()
        if self.controller is not None:
            self.controller.window_closing(self)
        super().closeEvent(event)
