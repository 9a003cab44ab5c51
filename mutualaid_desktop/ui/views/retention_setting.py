"""Settings › Recently deleted: how long deleted records stay restorable on this laptop."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from mutualaid_desktop.i18n import _, ngettext
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
        self.days.valueChanged.connect(self._update_suffix)
        self._update_suffix(self.days.value())
        self.days.setAccessibleName(_("Days deleted records stay restorable"))
        row.addWidget(QLabel(_("<b>Recently deleted:</b> deleted records can be restored for")))
        row.addWidget(self.days)
        hint = QLabel(_("(Edit › Recently deleted…), on this laptop."))
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        self.days.editingFinished.connect(self.save)

    def _update_suffix(self, days: int) -> None:
        self.days.setSuffix(ngettext(" day", " days", days))

    def reload(self) -> None:
        self.days.blockSignals(True)
        self.days.setValue(deleted.retention_days(self.session.store))
        self._update_suffix(self.days.value())  # signals are blocked: "30 days", not "30 day"
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
        days = self.days.value()
        self.message.emit(
            ngettext(
                "Deleted records can be restored for {n} day",
                "Deleted records can be restored for {n} days",
                days,
            ).format(n=days)
        )
        return True
