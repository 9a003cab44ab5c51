"""The main window: sidebar navigation, global search, menus and status bar."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop import __version__
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store import listing
from mutualaid_desktop.store.changes import Undone
from mutualaid_desktop.store.search import StillIndexing
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.history import Entry
from mutualaid_desktop.ui.lock import WindowLock
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.views.today import TodayView
from mutualaid_desktop.ui.widgets.columns import keep_titles_whole

if TYPE_CHECKING:
    from mutualaid_desktop.ui.app import Controller
    from mutualaid_desktop.ui.views.contacts import ContactsView
    from mutualaid_desktop.ui.views.needs import NeedsView
    from mutualaid_desktop.ui.views.settings import SettingsView

KEPT_SHOWN = 5  # records an undo kept (changed since) named in the status bar; then a count
PAGES = ["today", "contacts", "needs", "deliveries", "rides", "print", "sync", "settings"]
# Translated where shown (`title`): the language may change while the program runs.
TITLES = {
    "today": N_("Today"),
    "contacts": N_("Contacts"),
    "needs": N_("Needs"),
    "deliveries": N_("Deliveries"),
    "rides": N_("Rides"),
    "print": N_("Print"),
    "sync": N_("Sync"),
    "settings": N_("Settings"),
}


def title(key: str) -> str:
    """The name of page `key` in the program's language."""
    return _(TITLES[key])


def number(n: int) -> str:
    """`n` as the program's language writes it ("20,000", "20.000")."""
    return QLocale().toString(n)


def _count_title(key: str, count: int | None) -> str:
    """A list's sidebar name with how many records match the search (None: still indexing)."""
    if count is None:
        return _("{page} (indexing…)").format(page=title(key))
    return f"{title(key)} ({number(count)})"


def read_only_banner(reason: str) -> QLabel:
    """The line over every page when the database can only be read (hidden otherwise)."""
    banner = QLabel(
        _(
            "Read-only: {reason}. You can look, search and print; to make changes, use "
            "File › Save a copy… and open the copy."
        ).format(reason=reason)
    )
    banner.setObjectName("readOnlyBanner")
    banner.setWordWrap(True)
    banner.setFrameShape(QFrame.Shape.StyledPanel)
    banner.setStyleSheet(
        "#readOnlyBanner { background: #fff3cd; color: #5a4500; padding: 6px 10px; }"
    )
    banner.setVisible(bool(reason))
    return banner


class MainWindow(QMainWindow):
    def __init__(self, session: Session, controller: Controller | None = None) -> None:
        super().__init__()
        self.session = session
        self.controller = controller
        self.setObjectName("mainWindow")
        self.setMinimumSize(QSize(900, 560))

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(_("Sections"))
        self.sidebar.setFixedWidth(150)
        self.sidebar.setStyleSheet("QListWidget#sidebar::item { padding: 7px 6px; }")
        for key in PAGES:
            item = QListWidgetItem(title(key))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)

        self.today = TodayView(session)
        # Views other than Today are built (and their modules imported) when first
        # needed: the window shows sooner, and a view nobody opens costs nothing.
        self.views: dict[str, QWidget] = {"today": self.today}
        self.stack = QStackedWidget()
        for key in PAGES:
            self.stack.addWidget(_scrolling(self.today) if key == "today" else QWidget())
        for listed in self.today.findChildren(QAbstractItemView):
            keep_titles_whole(listed)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.banner = read_only_banner(read_only.reason(session))
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(central, 1)
        outer = QWidget()
        outer.setLayout(column)
        self.setCentralWidget(outer)
        self._page = ""
        self.sidebar.currentRowChanged.connect(self._page_changed)

        self.search = QLineEdit()
        self.search.setObjectName("globalSearch")
        self.search.setPlaceholderText(
            _("Search contacts and needs (Ctrl+K): name, phone, address…")
        )
        self.search.setAccessibleName(_("Search contacts and needs"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(380)
        self.search.textChanged.connect(self._search_changed)
        self._search_count_timer = QTimer(self)
        self._search_count_timer.setSingleShot(True)
        self._search_count_timer.setInterval(250)
        self._search_count_timer.timeout.connect(self._update_search_counts)
        self.search.returnPressed.connect(self._search_enter)
        toolbar = QToolBar(_("Search"))
        toolbar.setObjectName("searchBar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

        self.db_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.indexing_label = QLabel(_("Indexing for search…"))
        self.indexing_label.setObjectName("indexingLabel")
        self.indexing_label.setToolTip(
            _(
                "The records of the last import are being indexed; until then a search says "
                "“still indexing” instead of giving partial results."
            )
        )
        self.indexing_label.hide()
        self.statusBar().addPermanentWidget(self.indexing_label)
        session.indexing.connect(self.indexing_label.setVisible)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(200)
        self._counts_timer.timeout.connect(self.update_counts)
        session.changed.connect(lambda _t: self._counts_timer.start())
        session.message.connect(self.show_message)

        self._settings: QSettings | None = None
        self.lock = WindowLock(self)  # idle and Ctrl+L lock (ui/lock.py)
        self._build_menus()
        self.today.open_need.connect(self.open_need)
        self.today.show_overdue.connect(self._show_overdue)
        self.today.show_urgency.connect(self._show_urgency)
        self.update_title()

    # -- views, built on first use ------------------------------------------------

    def view(self, key: str) -> QWidget:
        existing = self.views.get(key)
        if existing is not None:
            return existing
        built = self._build_view(key)
        self.views[key] = built
        index = PAGES.index(key)
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, _scrolling(built))
        for listed in built.findChildren(QAbstractItemView):
            keep_titles_whole(listed)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        if self.sidebar.currentRow() == index:
            self.stack.setCurrentIndex(index)
        return built

    def _build_view(self, key: str) -> QWidget:
        if key == "contacts":
            from mutualaid_desktop.ui.views.contacts import ContactsView

            contacts = ContactsView(self.session)
            contacts.add_need.connect(self.add_need_for)
            contacts.show_need.connect(self.open_need)
            contacts.message.connect(self.show_message)
            if self.controller is not None:
                contacts.load_demo.connect(self.controller.load_demo)
            contacts.model.set_filter(refresh=False, text=self.search.text())
            self._restore_view_state("contacts", contacts)
            return contacts
        if key == "needs":
            from mutualaid_desktop.ui.views.needs import NeedsView

            needs = NeedsView(self.session)
            needs.open_contact.connect(self.open_contact)
            needs.message.connect(self.show_message)
            needs.go_contacts.connect(lambda: self.show_page("contacts"))
            needs.model.set_filter(refresh=False, text=self.search.text())
            self._restore_view_state("needs", needs)
            return needs
        if key == "deliveries":
            from mutualaid_desktop.ui.views.deliveries import DeliveriesView

            deliveries = DeliveriesView(self.session)
            deliveries.message.connect(self.show_message)
            return deliveries
        if key == "rides":
            from mutualaid_desktop.ui.views.rides import RidesView

            rides = RidesView(self.session)
            rides.message.connect(self.show_message)
            return rides
        if key == "print":
            from mutualaid_desktop.ui.views.print_view import PrintView

            return PrintView(self.session)
        if key == "settings":
            from mutualaid_desktop.ui.views.settings import SettingsView

            settings = SettingsView(self.session)
            settings.message.connect(self.show_message)
            settings.saved.connect(self.update_title)
            settings.layout().addWidget(self.lock.settings_box())  # type: ignore[union-attr]
            return settings
        if key == "sync":
            from mutualaid_desktop.ui.views.sync import SyncView

            sync = SyncView(self.session)
            sync.message.connect(self.show_message)
            # The import itself tells every view to reload (Session.written_elsewhere); the
            # group's name may have arrived with it.
            sync.imported.connect(lambda _result: self.update_title())
            return sync
        raise KeyError(key)

    @property
    def contacts(self) -> ContactsView:
        return self.view("contacts")  # type: ignore[return-value]

    @property
    def needs(self) -> NeedsView:
        return self.view("needs")  # type: ignore[return-value]

    @property
    def settings_view(self) -> SettingsView:
        return self.view("settings")  # type: ignore[return-value]

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
        file_menu = bar.addMenu(_("&File"))
        writing: list[QAction] = []  # off while the database can only be read
        self.new_action = self._action(
            _("&New record"), self.new_record, QKeySequence.StandardKey.New
        )
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        if self.controller is not None:
            file_menu.addAction(
                self._action(_("New &database…"), self.controller.new_database, "Ctrl+Shift+N")
            )
            file_menu.addAction(
                self._action(
                    _("&Open database…"),
                    self.controller.choose_database,
                    QKeySequence.StandardKey.Open,
                )
            )
            self.recent_menu = file_menu.addMenu(_("Open &recent"))
            self.recent_menu.aboutToShow.connect(self._fill_recent)
            writing.append(self._action(_("Load &demo data…"), self.controller.load_demo))
            file_menu.addAction(writing[-1])
        file_menu.addSeparator()
        self._build_spreadsheet_actions(file_menu)
        # Backups: one block (ui/dialogs/backups.py).
        file_menu.addAction(self._action(_("&Back up now"), self.back_up_now))
        file_menu.addAction(self._action(_("Save a &copy…"), self.save_copy))
        if self.controller is not None:
            writing.append(self._action(_("Restore from &backup…"), self.restore_backup))
            file_menu.addAction(writing[-1])
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                _("&Print…"), lambda: self.show_page("print"), QKeySequence.StandardKey.Print
            )
        )
        file_menu.addAction(self.lock.action)
        file_menu.addSeparator()
        # Some platforms (and the offscreen test platform) define no Quit key: use Ctrl+Q there.
        quit_key = QKeySequence(QKeySequence.StandardKey.Quit)
        quit_action = self._action(
            _("&Quit"), self.close, quit_key if not quit_key.isEmpty() else "Ctrl+Q"
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu(_("&Edit"))
        self.undo_action = self._action(_("&Undo"), self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(_("&Redo"), self.redo, QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.session.history.changed.connect(self._update_undo_actions)
        self._update_undo_actions()
        edit_menu.addAction(self._action(_("Recently &deleted…"), self.recently_deleted))
        edit_menu.addSeparator()
        find = self._action(
            _("&Find…"),
            self.focus_search,
            shortcuts=[QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("Ctrl+K")],
        )
        edit_menu.addAction(find)
        self.save_action = self._action(
            _("&Save record"), self.save_record, QKeySequence.StandardKey.Save
        )
        edit_menu.addAction(self.save_action)

        go_menu = bar.addMenu(_("&Go"))
        for i, key in enumerate(PAGES, start=1):
            go_menu.addAction(
                self._action(title(key), lambda _=False, k=key: self.show_page(k), f"Ctrl+{i}")
            )

        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&About Mutual Aid Desktop"), self.about))
        if self.controller is not None:
            help_menu.addAction(
                self._action(_("Open the &log folder"), self.controller.open_log_folder)
            )
        # Escape in the search field goes back to the table.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self._search_escape)
        # A read-only database: the entries that write are off and say why (ui/read_only.py).
        for menu in (file_menu, edit_menu):
            menu.setToolTipsVisible(bool(self.session.read_only_reason))
        read_only.writes(
            self.session, self.new_action, self.import_action, self.save_action, *writing
        )

    def _build_spreadsheet_actions(self, menu: QMenu) -> None:
        """Spreadsheets in and out; the dialogs' module loads on first use."""

        def spreadsheets() -> ModuleType:
            from mutualaid_desktop.ui.dialogs import spreadsheets

            return spreadsheets

        self.import_action = self._action(
            _("&Import a spreadsheet…"), lambda: spreadsheets().import_spreadsheet(self)
        )
        menu.addAction(self.import_action)
        menu.addAction(
            self._action(
                _("&Export to a spreadsheet…"), lambda: spreadsheets().export_records(self)
            )
        )
        menu.addAction(
            self._action(_("&Funder report…"), lambda: spreadsheets().funder_report(self))
        )
        menu.addAction(
            self._action(
                _("Open needs for the group &chat…"), lambda: spreadsheets().copy_digest(self)
            )
        )

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        if self.controller is None:
            return
        recent = self.controller.recent_files()
        if not recent:
            self.recent_menu.addAction(_("(none)")).setEnabled(False)
        controller = self.controller
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: controller.open_database(p))

    # -- navigation -------------------------------------------------------------

    def show_page(self, key: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(key))

    def current_page(self) -> str:
        return PAGES[max(0, self.sidebar.currentRow())]

    def leave_page(self) -> bool:
        """The page being left saves what its editor holds; False to stay on it."""
        view = self.views.get(self._page)
        leave = getattr(view, "leave", None)
        return bool(leave()) if leave is not None else True

    def _page_changed(self, row: int) -> None:
        key = PAGES[row]
        if self._page and key != self._page and not self.leave_page():
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(PAGES.index(self._page))
            self.sidebar.blockSignals(False)
            return
        self._page = key
        self.view(key)
        self.stack.setCurrentIndex(row)
        if key == "contacts":
            self.contacts.model.refresh_if_stale()
        elif key == "needs":
            self.needs.model.refresh_if_stale()
        if key == "today":
            self.today.reload()
        elif key == "settings":
            self.settings_view.reload()
        elif key in ("print", "deliveries", "rides", "sync"):
            self.views[key].reload()  # type: ignore[attr-defined]
        read_only.enable(self.session, self.new_action, key in ("contacts", "needs"))

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

    # -- undo, redo, recently deleted, backups -------------------------------------

    def _update_undo_actions(self) -> None:
        history = self.session.history
        for action, entry, verb in (
            (self.undo_action, history.next_undo(), "undo"),
            (self.redo_action, history.next_redo(), "redo"),
        ):
            action.setEnabled(entry is not None and not self.session.read_only_reason)
            if verb == "undo":
                text = _("&Undo {change}") if entry is not None else _("&Undo")
            else:
                text = _("&Redo {change}") if entry is not None else _("&Redo")
            action.setText(text.format(change=entry.label if entry is not None else ""))

    def undo(self) -> None:
        entry = self.session.history.next_undo()
        if entry is not None and entry.changes.from_peer and not self._undo_import_asked(entry):
            return
        self._step(entry, self.session.undo, _("Undone: {change}."))

    def _undo_import_asked(self, entry: Entry) -> bool:
        """Undoing a bundle's import deletes what it brought, and the next bundle this
        laptop writes deletes it on the others too: said before, with No the default."""
        created = sum(len(f.ids) for f in entry.changes.flipped if f.live)
        changed = len(entry.changes.rows)
        text = _(
            "Undo “{change}”?\n\nThe {created} records it brought are deleted on this laptop "
            "and the {changed} it changed are put back as they were. The next bundle you write "
            "carries that to the other laptops, where those records are deleted too. "
            "Deleted records can be brought back from Edit › Recently deleted."
        ).format(change=entry.label, created=f"{created:,}", changed=f"{changed:,}")
        answer = QMessageBox.question(
            self,
            _("Undo the import?"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def redo(self) -> None:
        self._step(self.session.history.next_redo(), self.session.redo, _("Redone: {change}."))

    def _step(self, entry: Entry | None, step: Callable[[], Undone | None], done_text: str) -> None:
        """Undo or redo `entry` where it was made: that page is shown first; `done_text`
        says so in the status bar ("Undone: {change}.")."""
        if entry is None or not self.leave_page():
            return
        if entry.view in PAGES and entry.view != self.current_page():
            self.show_page(entry.view)
            if self.current_page() != entry.view:
                return  # the page could not be left
        if self.session.large(entry):  # a large import's: in the background, with Cancel
            from mutualaid_desktop.ui.ops import run_job

            self._step_job = run_job(
                self,
                entry.label,
                lambda progress: self.session.step_in_job(entry, progress),
                lambda done: self._stepped(entry, done, done_text, in_job=True),
            )
            return
        try:
            done = step()
        except Exception as exc:
            from mutualaid_desktop.ui.errors import show_error

            show_error(self, exc)  # nothing was undone; the history is as it was
            return
        self._stepped(entry, done, done_text)

    def _stepped(
        self, entry: Entry, done: Undone | None, done_text: str, in_job: bool = False
    ) -> None:
        """After an undo or redo: its page shows what changed; the status bar says so."""
        if done is not None and in_job:
            self.session.stepped(entry, done)
        view = self.views.get(entry.view)
        show = getattr(view, "show_change", None)
        if show is not None and done is not None:
            show(done.inverse)
        elif hasattr(view, "reload"):
            view.reload()  # type: ignore[union-attr]
        text = done_text.format(change=entry.label)
        if done is not None and done.kept:
            shown = "; ".join(done.kept[:KEPT_SHOWN])
            if len(done.kept) > KEPT_SHOWN:
                more = len(done.kept) - KEPT_SHOWN
                shown += " " + ngettext("and {n} more", "and {n} more", more).format(n=more)
            text += " " + _("Kept as changed since: {changes}.").format(changes=shown)
        self.show_message(text)

    def recently_deleted(self) -> None:
        from mutualaid_desktop.ui.dialogs.deleted import DeletedDialog

        if self.leave_page():
            DeletedDialog(self.session, self).exec()

    def back_up_now(self) -> None:
        from mutualaid_desktop.ui.dialogs.backups import back_up_now

        if self.leave_page():  # the backup holds what the editor shows
            back_up_now(self)

    def save_copy(self) -> None:
        from mutualaid_desktop.ui.dialogs.backups import save_copy

        if self.leave_page():
            save_copy(self)

    def restore_backup(self) -> None:
        from mutualaid_desktop.ui.dialogs.backups import RestoreDialog

        if self.controller is not None and self.leave_page():
            RestoreDialog(self, self.controller).exec()

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
        for key in ("contacts", "needs"):
            built = self.views.get(key)
            if built is not None:
                built.model.set_filter(refresh=key == page, text=text)  # type: ignore[attr-defined]
        self._update_search_counts(visible_only=True)
        self._search_count_timer.start()

    def _update_search_counts(self, visible_only: bool = False) -> None:
        text = self.search.text()
        page = self.current_page()
        for key in ("contacts", "needs"):
            item = self.sidebar.item(PAGES.index(key))
            if not text:
                item.setText(title(key))
            elif key == page:
                model = self.views[key].model  # type: ignore[attr-defined]
                item.setText(_count_title(key, None if model.indexing else model.rowCount()))
            elif not visible_only:
                try:
                    item.setText(_count_title(key, self._match_count(key, text)))
                except StillIndexing:
                    item.setText(_count_title(key, None))

    def _match_count(self, key: str, text: str) -> int:
        built = self.views.get(key)
        if built is not None:
            return int(built.model.match_count())  # type: ignore[attr-defined]
        store = self.session.store
        if key == "contacts":
            return listing.contact_count(store, listing.ContactFilter(text=text))
        return listing.need_count(store, listing.NeedFilter(text=text))

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
        self.statusBar().showMessage(text, 8000)

    def update_title(self) -> None:
        path = self.session.path
        name = path.name if path else _("in memory")
        org = self.session.store.organization_name() or "Mutual Aid Desktop"
        self.setWindowTitle(f"{org} — Mutual Aid Desktop")  # two names, the same in every language
        self.db_label.setText(_("Database: {name}").format(name=name))
        self.db_label.setToolTip(str(path) if path else "")

    def update_counts(self) -> None:
        if self.session.store.closed:  # a restore or another database is taking over
            return
        c = listing.counts(self.session.store)
        self.counts_label.setText(
            " · ".join(
                (
                    ngettext("{n} contact", "{n} contacts", c["contacts"]).format(
                        n=number(c["contacts"])
                    ),
                    ngettext(
                        "{n} open need of {total}", "{n} open needs of {total}", c["open_needs"]
                    ).format(n=number(c["open_needs"]), total=number(c["needs"])),
                    ngettext("{n} run", "{n} runs", c["delivery_runs"]).format(
                        n=number(c["delivery_runs"])
                    ),
                    ngettext("{n} ride", "{n} rides", c["rides"]).format(n=number(c["rides"])),
                )
            )
        )

    def reload_all(self) -> None:
        """Show a freshly opened or bulk-changed database (hidden views load when shown)."""
        for key in ("contacts", "needs"):
            built = self.views.get(key)
            if built is not None:
                built.reload()  # type: ignore[attr-defined]
        if self.today.isVisible():
            self.today.reload()
        self.update_title()
        self._counts_timer.start()  # the status bar counts can wait for the first paint

    def about(self) -> None:
        QMessageBox.about(
            self,
            _("About Mutual Aid Desktop"),
            f"<h3>Mutual Aid Desktop {__version__}</h3><p>"
            + _("Contacts, needs, deliveries and rides for mutual-aid organizers, offline.")
            + "</p>",
        )

    # -- window state ---------------------------------------------------------------

    def restore_state(self, settings: QSettings) -> None:
        self._settings = settings
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        page = settings.value("window/page", "today")
        self.show_page(page if isinstance(page, str) and page in PAGES else "today")

    def _restore_view_state(self, name: str, view: ContactsView | NeedsView) -> None:
        settings = self._settings
        state = settings.value(f"window/{name}_splitter") if settings is not None else None
        if state is None or not view.splitter.restoreState(state):
            view.splitter.setSizes([640, 470])
        header = settings.value(f"window/{name}_header") if settings is not None else None
        if header is not None:
            view.table.view.horizontalHeader().restoreState(header)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/page", self.current_page())
        for name in ("contacts", "needs"):
            built = self.views.get(name)
            if built is None:
                continue  # never opened this time: keep what was saved before
            settings.setValue(f"window/{name}_splitter", built.splitter.saveState())  # type: ignore[attr-defined]
            header = built.table.view.horizontalHeader()  # type: ignore[attr-defined]
            settings.setValue(f"window/{name}_header", header.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.leave_page():  # an edit that cannot be saved yet: they chose to stay
            event.ignore()
            return
        self._counts_timer.stop()
        self._search_count_timer.stop()
        if self.controller is not None:
            self.controller.window_closing(self)
        super().closeEvent(event)


def _scrolling(page: QWidget) -> QScrollArea:
    """`page` fills the window and scrolls only where the window is smaller than it
    needs. Without it the tallest page (Settings) sets the window's minimum height
    for every page, and on a 1280×720 laptop the window grows past the screen and
    its bottom row of buttons is cut off."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area
