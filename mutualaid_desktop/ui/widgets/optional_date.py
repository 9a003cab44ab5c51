"""A date that may be absent: a check box and a date field that it enables."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from mutualaid_desktop.i18n import _


def date_edit(accessible: str) -> QDateEdit:
    """A date field with a calendar, showing dates as 2026-12-31."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(accessible)
    return edit


def day_bar(day: QDateEdit, *buttons: QWidget) -> QHBoxLayout:
    """The row over a day's work: "Day:", the date, then the day's actions, left-aligned."""
    row = QHBoxLayout()
    row.addWidget(QLabel(_("Day:")))
    row.addWidget(day)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class OptionalDate(QWidget):
    def __init__(self, label: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.check.setAccessibleName(_("{field}: set").format(field=accessible))
        self.edit = date_edit(accessible)
        self.check.toggled.connect(self.edit.setEnabled)
        row.addWidget(self.check)
        row.addWidget(self.edit)
        row.addStretch(1)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None, default: date | None = None) -> None:
        shown = value or default or date.today()
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
