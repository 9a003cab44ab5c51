"""File › Back up now, Save a copy… and Restore from backup… (store/backup.py does the work).

Restoring shows what the backup holds beside what the database holds now,
and backs the current database up first, so a restore can itself be undone
by restoring that backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import backup
from mutualaid_desktop.ui.errors import show_error

if TYPE_CHECKING:
    from mutualaid_desktop.ui.app import Controller
    from mutualaid_desktop.ui.main_window import MainWindow
    from mutualaid_desktop.ui.ops import Job

KEY = Qt.ItemDataRole.UserRole


def back_up_now(window: MainWindow) -> Path | None:
    try:
        made = backup.make_backup(window.session.store, "manual")
    except Exception as exc:
        show_error(window, exc)
        return None
    window.show_message(_("Backed up to {path}").format(path=made))
    return made


def save_copy(window: MainWindow, target: Path | None = None) -> Path | None:
    """A copy of the open database somewhere else: a database of its own."""
    store = window.session.store
    if target is None:
        start = (
            store.path.with_name(_("{name} copy").format(name=store.path.stem) + ".sqlite")
            if store.path
            else Path()
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            window,
            _("Save a copy of the database"),
            str(start),
            _("Mutual Aid databases (*.sqlite)"),
        )
        if not chosen:
            return None
        target = Path(chosen)
    try:
        made = backup.save_copy(store, target)
    except Exception as exc:
        show_error(window, exc)
        return None
    window.show_message(
        _(
            "Saved a copy to {path}. It is a database of its own: open it with "
            "File › Open database…"
        ).format(path=made)
    )
    return made


class RestoreDialog(QDialog):
    """This database's backups, newest first, with what each holds against what is here now."""

    def __init__(self, window: MainWindow, controller: Controller) -> None:
        super().__init__(window)
        self.window_ = window
        self.controller = controller
        self.setWindowTitle(_("Restore from a backup"))
        self.setObjectName("restoreDialog")
        session = window.session
        assert session.path is not None
        self.path = session.path
        self.now = backup.counts_of(session.store)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Backups of {name}, newest first. Restoring puts the whole database back as it "
                "was then; the database as it is now is backed up first."
            ).format(name=f"<b>{self.path.name}</b>")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(
            [_("Made"), _("Why"), _("Contacts"), _("Needs"), _("Runs"), _("Rides")]
        )
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName(_("Backups of this database"))
        for i, width in enumerate((150, 190, 90, 100, 70)):  # room for Spanish headers
            self.list.setColumnWidth(i, width)
        layout.addWidget(self.list, 1)
        self.preview = QLabel()
        self.preview.setObjectName("restorePreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.other_button = QPushButton(_("Choose another &file…"))
        self.restore_button = QPushButton(_("&Restore this backup"))
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.other_button.clicked.connect(self.choose_file)
        self.restore_button.clicked.connect(lambda: self.restore(self.chosen()))
        self.list.currentItemChanged.connect(lambda *_: self.show_preview(self.chosen()))
        self.resize(760, 460)
        self.infos: dict[str, backup.BackupInfo] = {}
        self.fill(backup.list_backups(self.path))

    def fill(self, found: list[backup.BackupInfo], select: Path | None = None) -> None:
        self.list.clear()
        for info in found:
            self.infos[str(info.path)] = info
            item = QTreeWidgetItem(
                [
                    info.when(),
                    info.reason_text(),
                    *(QLocale().toString(info.counts.get(t, 0)) for t, _word in backup.COUNTED),
                ]
            )
            item.setData(0, KEY, str(info.path))
            item.setToolTip(0, str(info.path))
            self.list.addTopLevelItem(item)
            if select is not None and info.path == select:
                self.list.setCurrentItem(item)
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        if not found:
            self.preview.setText(
                _(
                    "There are no backups of this database yet. One is made when you close the "
                    "window after changes, daily while it is open, and before every import; "
                    "File › Back up now makes one at once."
                )
            )
        self.restore_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> backup.BackupInfo | None:
        item = self.list.currentItem()
        return self.infos.get(item.data(0, KEY)) if item is not None else None

    def show_preview(self, info: backup.BackupInfo | None) -> None:
        self.restore_button.setEnabled(info is not None)
        if info is None:
            return
        words = {
            "contacts": _("Contacts"),
            "needs": _("Needs"),
            "delivery_runs": _("Runs"),
            "rides": _("Rides"),
        }
        number = QLocale().toString
        rows = "".join(
            f"<tr><td>{words.get(t, word.capitalize())}</td>"
            f"<td align='right'>{number(info.counts.get(t, 0))}</td>"
            f"<td align='right'>{number(self.now.get(t, 0))}</td></tr>"
            for t, word in backup.COUNTED
        )
        holds = _("The backup of {when} ({why}) holds:").format(
            when=f"<b>{info.when()}</b>", why=info.reason_text()
        )
        self.preview.setText(
            f"<p>{holds}</p>"
            "<table cellspacing='0' cellpadding='3'><tr><th></th>"
            f"<th align='right'>&nbsp;&nbsp;{_('in the backup')}</th>"
            f"<th align='right'>&nbsp;&nbsp;{_('now')}</th>"
            f"</tr>{rows}</table><p>"
            + _("Changes made after it are replaced. The database as it is now is backed up first.")
            + "</p>"
        )

    def choose_file(self) -> None:
        start = str(backup.backup_dir_of(self.path) or self.path.parent)
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), start, _("Backups (*.sqlite);;All files (*)")
        )
        if not chosen:
            return
        info = backup.read_info(Path(chosen))
        if info is None:
            self.preview.setText(
                _("{name} is not a Mutual Aid Desktop backup.").format(name=Path(chosen).name)
            )
            return
        self.fill([info, *self.infos.values()], select=info.path)

    def restore(self, info: backup.BackupInfo | None) -> Job | None:
        """Start restoring `info` in the background (ui/app.py); this dialog closes and
        the progress dialog takes its place."""
        if info is None:
            return None
        job = self.controller.restore(info.path)
        if job is not None:
            self.accept()
        return job
