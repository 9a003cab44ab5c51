"""A driver's profile: seats, accessibility, weekly hours, days off, area, most rides."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.contact_picker import ContactPicker
from mutualaid_desktop.ui.widgets.form import ErrorForm
from mutualaid_desktop.ui.widgets.optional_date import date_edit


def weekdays() -> list[str]:
    """Monday to Sunday in the program's language (the order of `weekday` in the domain)."""
    locale = QLocale()
    return [_capitalized(locale.standaloneDayName(day)) for day in range(1, 8)]


def _capitalized(word: str) -> str:
    return word[:1].upper() + word[1:]


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


def _time(edit: Any) -> time:
    t = edit.time()
    return time(t.hour(), t.minute())


class DriverDialog(QDialog):
    def __init__(
        self, session: Session, profile_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from mutualaid_desktop.domain import DriverProfile

        self.session = session
        existing = session.store.get(DriverProfile, profile_id) if profile_id else None
        self.profile = existing or DriverProfile(contact_id="-")
        self.setWindowTitle(_("Driver") if existing else _("New driver"))
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        layout.addLayout(self.form)
        f = self.form
        self.driver = f.add("contact_id", _("&Driver:"), ContactPicker(session, _("Driver")))
        if existing:
            self.driver.set_contact(existing.contact_id)
            self.driver.setEnabled(False)
        self.seats = f.add("seats", _("&Seats for riders:"), QSpinBox())
        self.seats.setRange(1, 15)
        self.seats.setValue(self.profile.seats)
        self.wheelchair = f.add(
            "wheelchair_accessible", _("Access:"), QCheckBox(_("Takes a wheelchair"))
        )
        self.wheelchair.setChecked(self.profile.wheelchair_accessible)
        self.most = f.add("max_rides_per_day", _("Most rides a &day:"), QSpinBox())
        self.most.setRange(1, 50)
        self.most.setValue(self.profile.max_rides_per_day)
        self.area = f.add(
            "area_zips", _("Area (ZIPs):"), QLineEdit(", ".join(self.profile.area_zips))
        )
        self.active = f.add("active", "", QCheckBox(_("Driving at the moment")))
        self.active.setChecked(self.profile.active)

        layout.addWidget(
            QLabel(_("<b>Every week</b> (an end before the start runs past midnight)"))
        )
        self.slots = QTableWidget(0, 3)
        self.slots.setHorizontalHeaderLabels([_("Day"), _("From"), _("To")])
        self.slots.setAccessibleName(_("Weekly hours"))
        layout.addWidget(self.slots)
        for slot in self.profile.availability:
            self._add_slot(slot.weekday, slot.start, slot.end)
        row = QHBoxLayout()
        add_slot = QPushButton(_("Add hours"))
        remove_slot = QPushButton(_("Remove"))
        add_slot.clicked.connect(lambda: self._add_slot(0, time(9), time(12)))
        remove_slot.clicked.connect(lambda: self.slots.removeRow(self.slots.currentRow()))
        row.addWidget(add_slot)
        row.addWidget(remove_slot)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(QLabel(_("<b>Single days</b> (off, or free at other hours)")))
        self.days = QTableWidget(0, 4)
        self.days.setHorizontalHeaderLabels([_("Date"), _("Free?"), _("From"), _("To")])
        self.days.setAccessibleName(_("Single days"))
        layout.addWidget(self.days)
        for e in self.profile.exceptions:
            self._add_day(e.date, e.available, e.start or time(9), e.end or time(17))
        row = QHBoxLayout()
        add_day = QPushButton(_("Add a day"))
        remove_day = QPushButton(_("Remove"))
        add_day.clicked.connect(lambda: self._add_day(date.today(), False, time(9), time(17)))
        remove_day.clicked.connect(lambda: self.days.removeRow(self.days.currentRow()))
        row.addWidget(add_day)
        row.addWidget(remove_day)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.form.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if session.read_only_reason:  # shown for reading: every field locked, Close only
            read_only.lock(session, self)
            close = buttons.button(QDialogButtonBox.StandardButton.Cancel)
            close.setEnabled(True)
            close.setText(_("Close"))
            close.setToolTip("")

    def _add_slot(self, weekday: int, start: time, end: time) -> None:
        row = self.slots.rowCount()
        self.slots.insertRow(row)
        day = QComboBox()
        day.addItems(weekdays())
        day.setCurrentIndex(weekday)
        self.slots.setCellWidget(row, 0, day)
        self.slots.setCellWidget(row, 1, _time_edit(start))
        self.slots.setCellWidget(row, 2, _time_edit(end))

    def _add_day(self, when: date, free: bool, start: time, end: time) -> None:
        row = self.days.rowCount()
        self.days.insertRow(row)
        edit = date_edit(_("Date"))
        edit.setDate(QDate(when.year, when.month, when.day))
        self.days.setCellWidget(row, 0, edit)
        box = QCheckBox()
        box.setChecked(free)
        self.days.setCellWidget(row, 1, box)
        self.days.setCellWidget(row, 2, _time_edit(start))
        self.days.setCellWidget(row, 3, _time_edit(end))

    def data(self) -> dict[str, Any]:
        slots = []
        for r in range(self.slots.rowCount()):
            day: Any = self.slots.cellWidget(r, 0)
            slots.append(
                {
                    "weekday": day.currentIndex(),
                    "start": _time(self.slots.cellWidget(r, 1)),
                    "end": _time(self.slots.cellWidget(r, 2)),
                }
            )
        days = []
        for r in range(self.days.rowCount()):
            when: Any = self.days.cellWidget(r, 0)
            free: Any = self.days.cellWidget(r, 1)
            d = when.date()
            is_free = free.isChecked()
            days.append(
                {
                    "date": date(d.year(), d.month(), d.day()),
                    "available": is_free,
                    "start": _time(self.days.cellWidget(r, 2)) if is_free else None,
                    "end": _time(self.days.cellWidget(r, 3)) if is_free else None,
                }
            )
        zips = [z.strip() for z in self.area.text().replace(";", ",").split(",") if z.strip()]
        return self.profile.model_dump() | {
            "contact_id": self.driver.contact_id,
            "seats": self.seats.value(),
            "wheelchair_accessible": self.wheelchair.isChecked(),
            "max_rides_per_day": self.most.value(),
            "area_zips": zips,
            "active": self.active.isChecked(),
            "availability": slots,
            "exceptions": days,
        }

    def save(self) -> bool:
        from mutualaid_desktop.domain import Contact, DriverProfile, Role, parse_model

        self.form.clear_problems()
        if not self.driver.contact_id:
            self.form.show_problems(
                {"contact_id": _("Choose who drives: type part of their name.")}
            )
            return False
        try:
            profile = parse_model(DriverProfile, self.data())
            store = self.session.store

            def write() -> None:
                store.save(profile)
                contact = store.require(Contact, profile.contact_id)
                if Role.DRIVER not in contact.roles:
                    store.update(Contact, contact.id, roles=[*contact.roles, Role.DRIVER])

            driver = store.require(Contact, profile.contact_id).name
            self.session.change(
                _("Save the driver profile of {name}").format(name=driver), write, "rides"
            )
        except Exception as exc:
            self.form.report(exc, self)
            return False
        self.profile = profile
        self.accept()
        return True
