"""Settings › Recently deleted: how long deleted records stay restorable on this laptop."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from mutualaid_desktop.store import deleted
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session


class RetentionSetting(QWidget):
    """Days a deleted household, need, run or ride can be brought back (Edit › Recently deleted)."""

    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.days = QSpinBox()
        self.days.setRange(1, deleted.MAX_RETENTION_DAYS)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Days deleted records stay restorable")
        row.addWidget(QLabel("<b>Recently deleted:</b> deleted records can be restored for"))
        row.addWidget(self.days)
        hint = QLabel("(Edit › Recently deleted…), on this laptop.")
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        self.days.editingFinished.connect(self.save)

    def reload(self) -> None:
        self.days.blockSignals(True)
        self.days.setValue(deleted.retention_days(self.session.store))
        self.days.blockSignals(False)
        self.setEnabled(not self.session.read_only_reason)

    def is_dirty(self) -> bool:
        return self.days.value() != deleted.retention_days(self.session.store)

    def save(self) -> bool:
        if not self.is_dirty():
            return True
        try:
            deleted.set_retention_days(self.session.store, self.days.value())
        except Exception as exc:
            show_error(self, exc)
            return False
        self.message.emit(f"Deleted records can be restored for {self.days.value()} days")
        return True
