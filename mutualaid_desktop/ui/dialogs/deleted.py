"""Edit › Recently deleted: households, needs, runs and rides to bring back.

Listed for the retention period set in Settings; restoring brings back what
the deletion took along, and is itself undoable.
"""

from __future__ import annotations

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

from mutualaid_desktop.store import deleted
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session

KEY = Qt.ItemDataRole.UserRole


class DeletedDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Recently deleted")
        self.setObjectName("deletedDialog")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Deleted", "What", "Record", "With it", "By"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName("Recently deleted records")
        for i, width in enumerate((130, 140, 300, 150)):
            self.list.setColumnWidth(i, width)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore")
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
            f"Deleted in the last {days} days (the number is set in Settings): select one and "
            "Restore, and it comes back with what was deleted along with it."
            if found
            else f"Nothing was deleted in the last {days} days."
        )
        self.list.clear()
        for d in found:
            item = QTreeWidgetItem(
                [
                    d.deleted_at.astimezone().strftime("%a %-d %b %H:%M"),
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
        if item is None:
            return False
        table, record_id, what = item.data(0, KEY)
        store = self.session.store
        try:
            self.session.change(
                f"Restore {what}", lambda: deleted.restore_deleted(store, table, record_id)
            )
        except Exception as exc:
            show_error(self, exc)
            self.reload()
            return False
        parent = self.parent()
        if parent is not None and hasattr(parent, "show_message"):
            parent.show_message(f"Restored {what}. Undo with Ctrl+Z.")
        self.reload()
        return True
