"""Edit › Recently deleted: households, needs, runs and rides to bring back.

Listed for the retention period set in Settings; restoring brings back what
the deletion took along, and is itself undoable.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.i18n import _, format_date, ngettext
from mutualaid_desktop.store import deleted
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session

KEY = Qt.ItemDataRole.UserRole


class DeletedDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Recently deleted"))
        self.setObjectName("deletedDialog")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.list = QTreeWidget()
        self.list.setHeaderLabels([_("Deleted"), _("What"), _("Record"), _("With it"), _("By")])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName(_("Recently deleted records"))
        for i, width in enumerate((130, 140, 300, 150)):
            self.list.setColumnWidth(i, width)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(_("&Restore"))
        self.restore_button.setDefault(True)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.restore_button.clicked.connect(self.restore_selected)
        self.list.itemDoubleClicked.connect(lambda *_: self.restore_selected())
        self.list.currentItemChanged.connect(lambda *_: self._update_button())
        self.resize(900, 460)
        self.reload()

    def reload(self) -> None:
        store = self.session.store
        days = deleted.retention_days(store)
        found = deleted.recently_deleted(store)
        self.intro.setText(
            (
                ngettext(
                    "Deleted in the last day (the number is set in Settings): select one and "
                    "Restore, and it comes back with what was deleted along with it.",
                    "Deleted in the last {n} days (the number is set in Settings): select one "
                    "and Restore, and it comes back with what was deleted along with it.",
                    days,
                )
                if found
                else ngettext(
                    "Nothing was deleted in the last day.",
                    "Nothing was deleted in the last {n} days.",
                    days,
                )
            ).format(n=days)
        )
        self.list.clear()
        for d in found:
            item = QTreeWidgetItem(
                [
                    _when(d.deleted_at),
                    d.kind,
                    d.what[0].upper() + d.what[1:],
                    d.along_text(),
                    d.by,
                ]
            )
            item.setData(0, KEY, (d.table, d.id, d.what))
            self.list.addTopLevelItem(item)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._update_button()

    def _update_button(self) -> None:
        self.restore_button.setEnabled(
            self.list.currentItem() is not None and not self.session.read_only_reason
        )

    def restore_selected(self) -> bool:
        item = self.list.currentItem()
        if item is None or not self.restore_button.isEnabled():  # a read-only database
            return False
        table, record_id, what = item.data(0, KEY)
        store = self.session.store
        try:
            self.session.change(
                _("Restore {record}").format(record=what),
                lambda: deleted.restore_deleted(store, table, record_id),
            )
        except Exception as exc:
            show_error(self, exc)
            self.reload()
            return False
        parent = self.parent()
        if parent is not None and hasattr(parent, "show_message"):
            parent.show_message(_("Restored {record}. Undo with Ctrl+Z.").format(record=what))
        self.reload()
        return True


def _when(moment: datetime) -> str:
    """ "Fri 4 Dec 14:05" in the program's language, in local time."""
    local = moment.astimezone()
    return f"{format_date(local)} {local:%H:%M}"
