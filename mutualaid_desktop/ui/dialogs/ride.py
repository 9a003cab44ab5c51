"""A ride request: who, from where and when, to where, and the way back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import Mobility
from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.contact_picker import ContactPicker
from mutualaid_desktop.ui.widgets.form import ErrorForm


def _datetime_edit(value: datetime, accessible: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(
        QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
    )
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setAccessibleName(accessible)
    return edit


def _value(edit: QDateTimeEdit) -> datetime:
    d, t = edit.date(), edit.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class RideDialog(QDialog):
    def __init__(self, session: Session, when: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New ride request"))
        self.session = session
        self._coords: tuple[float | None, float | None] = (None, None)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        layout.addLayout(self.form)
        f = self.form
        self.rider = f.add("rider_id", _("&Rider:"), ContactPicker(session, _("Rider")))
        self.pickup = f.add("pickup_address", _("&Pickup address:"), QLineEdit())
        self.pickup_at = f.add(
            "pickup_at", _("Pickup &time:"), _datetime_edit(when, _("Pickup time"))
        )
        self.destination = f.add("destination", _("&Destination:"), QLineEdit())
        appointment = QWidget()
        row = QHBoxLayout(appointment)
        row.setContentsMargins(0, 0, 0, 0)
        self.has_appointment = QCheckBox(_("At"))
        self.has_appointment.setChecked(True)
        self.appointment = _datetime_edit(when + timedelta(minutes=45), _("Appointment time"))
        self.has_appointment.toggled.connect(self.appointment.setEnabled)
        row.addWidget(self.has_appointment)
        row.addWidget(self.appointment)
        f.add("appointment_at", _("Appointment:"), appointment)
        self.party = f.add("party_size", _("Party si&ze:"), QSpinBox())
        self.party.setRange(1, 15)
        needs = QWidget()
        row = QHBoxLayout(needs)
        row.setContentsMargins(0, 0, 0, 0)
        self.mobility = {m: QCheckBox(m.label) for m in Mobility}
        for box in self.mobility.values():
            row.addWidget(box)
        f.add("mobility", _("Needs:"), needs)
        self.notes = f.add("notes", _("Notes:"), QLineEdit())
        back = QWidget()
        row = QHBoxLayout(back)
        row.setContentsMargins(0, 0, 0, 0)
        self.with_return = QCheckBox(_("Book the way back at"))
        self.return_at = _datetime_edit(when + timedelta(hours=2), _("Return pickup time"))
        self.with_return.toggled.connect(self.return_at.setEnabled)
        self.return_at.setEnabled(False)
        row.addWidget(self.with_return)
        row.addWidget(self.return_at)
        f.add("return", _("Return trip:"), back)
        layout.addWidget(self.form.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rider.chosen.connect(self._rider_chosen)
        self.saved: list[str] = []

    def _rider_chosen(self, contact_id: str) -> None:
        from mutualaid_desktop.domain import Contact

        contact = self.session.store.get(Contact, contact_id)
        if contact is not None:
            self.pickup.setText(contact.address.one_line())
            self._coords = (contact.address.lat, contact.address.lon)

    def data(self) -> dict[str, Any]:
        lat, lon = self._coords
        return {
            "rider_id": self.rider.contact_id,
            "pickup_address": self.pickup.text(),
            "pickup_lat": lat,
            "pickup_lon": lon,
            "pickup_at": _value(self.pickup_at),
            "destination": self.destination.text(),
            "appointment_at": _value(self.appointment)
            if self.has_appointment.isChecked()
            else None,
            "party_size": self.party.value(),
            "mobility": [m for m, box in self.mobility.items() if box.isChecked()],
            "notes": self.notes.text(),
        }

    def save(self) -> bool:
        from mutualaid_desktop.domain import Ride, parse_model

        self.form.clear_problems()
        if not self.rider.contact_id:
            self.form.show_problems({"rider_id": _("Choose the rider: type part of their name.")})
            return False
        try:
            ride = parse_model(Ride, self.data())
            back = None
            if self.with_return.isChecked():
                back = parse_model(
                    Ride,
                    {
                        **self.data(),
                        "pickup_address": ride.destination,
                        "pickup_lat": None,
                        "pickup_lon": None,
                        "destination": ride.pickup_address,
                        "pickup_at": _value(self.return_at),
                        "appointment_at": None,
                        "outbound_ride_id": ride.id,
                    },
                )
            store = self.session.store

            def write() -> None:
                store.insert(ride)
                if back is not None:
                    store.insert(back)

            from mutualaid_desktop.domain import Contact

            rider = store.require(Contact, ride.rider_id).name
            self.session.change(
                (
                    _("New ride request for {name} and the way back")
                    if back
                    else _("New ride request for {name}")
                ).format(name=rider),
                write,
                "rides",
            )
            self.saved = [ride.id] + ([back.id] if back else [])
        except Exception as exc:
            self.form.report(exc, self)
            return False
        self.accept()
        return True
