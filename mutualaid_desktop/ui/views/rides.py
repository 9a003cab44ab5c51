"""The Rides view: unassigned rides with the drivers who fit, the week by driver,
one driver's day with a message to send them, and matching the whole day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.domain.enums import RideStatus
from mutualaid_desktop.domain.units import format_distance
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _, format_date, ngettext
from mutualaid_desktop.rides import plan
from mutualaid_desktop.rides.matching import Proposal, load_day, match_day, options
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.lock import copy_text
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.optional_date import date_edit, day_bar

ID = Qt.ItemDataRole.UserRole


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setAccessibleName(name)
    return tree


class RidesView(QWidget):
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._loaded = False
        self.day = date_edit(_("Day"))
        self.match_button = QPushButton(_("&Match the day…"))
        self.new_ride_button = QPushButton(_("&New ride…"))
        self.new_driver_button = QPushButton(_("New dri&ver…"))
        self.delete_button = QPushButton(_("&Delete ride…"))
        self.delete_button.setToolTip(_("Delete the ride selected below (Delete key)"))
        top = day_bar(
            self.day,
            self.match_button,
            self.new_ride_button,
            self.new_driver_button,
            self.delete_button,
        )

        self.unassigned = _tree(
            [_("Time"), _("Rider"), _("To"), _("Party"), _("Needs")], _("Unassigned rides")
        )
        self.candidates = _tree(
            [_("Driver"), _("Distance"), _("Can take it?")], _("Drivers for this ride")
        )
        self.assign_button = QPushButton(_("&Assign to the selected driver"))
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        drivers_label = QLabel(_("Drivers for the selected ride (the ones who can take it first):"))
        drivers_label.setWordWrap(True)
        column.addWidget(drivers_label)
        column.addWidget(self.candidates, 1)
        column.addWidget(self.assign_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.unassigned)
        split.addWidget(right)
        split.setSizes([560, 520])

        self.week = QTableWidget()
        self.week.setAccessibleName(_("Rides this week by driver"))
        self.week.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.week.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        driver_day = QWidget()
        dd = QVBoxLayout(driver_day)
        row = QHBoxLayout()
        self.driver = QComboBox()
        self.driver.setAccessibleName(_("Driver"))
        self.copy_button = QPushButton(_("&Copy message"))
        self.edit_driver_button = QPushButton(_("&Edit driver…"))
        row.addWidget(QLabel(_("Driver:")))
        row.addWidget(self.driver, 1)
        row.addWidget(self.edit_driver_button)
        row.addWidget(self.copy_button)
        dd.addLayout(row)
        self.driver_rides = _tree(
            [_("Time"), _("Rider"), _("To"), _("Status")], _("The driver's rides")
        )
        dd.addWidget(self.driver_rides, 1)
        message_label = QLabel(
            _(
                "Message to send (right-click a ride above to confirm, complete, cancel or "
                "delete it):"
            )
        )
        message_label.setWordWrap(True)
        dd.addWidget(message_label)
        self.driver_message = QPlainTextEdit()
        self.driver_message.setReadOnly(True)
        self.driver_message.setAccessibleName(_("Message for the driver"))
        dd.addWidget(self.driver_message, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(split, _("Unassigned"))
        self.tabs.addTab(self.week, _("Week by driver"))
        self.tabs.addTab(driver_day, _("Driver's day"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self.day.dateChanged.connect(self.reload_day)
        self.unassigned.currentItemChanged.connect(lambda *_: self.show_candidates())
        self.assign_button.clicked.connect(self.assign_selected)
        self.match_button.clicked.connect(self.match)
        self.driver.currentIndexChanged.connect(lambda _i: self.show_driver_day())
        self.copy_button.clicked.connect(self.copy_message)
        self.new_ride_button.clicked.connect(self.new_ride)
        self.new_driver_button.clicked.connect(lambda: self.edit_driver(None))
        self.edit_driver_button.clicked.connect(lambda: self.edit_driver(self.driver.currentData()))
        self.candidates.itemDoubleClicked.connect(
            lambda item, _col: self.edit_driver(item.data(0, ID))
        )
        self.delete_action = QAction(_("&Delete ride…"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(lambda: self.delete_ride())
        self.delete_button.clicked.connect(lambda: self.delete_ride())
        for tree in (self.unassigned, self.driver_rides):
            tree.addAction(self.delete_action)  # the Delete key where a ride is selected
            tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            tree.customContextMenuRequested.connect(lambda pos, t=tree: self._ride_menu(t, pos))
            tree.currentItemChanged.connect(lambda *_: self._update_delete())
        self.tabs.currentChanged.connect(lambda _i: self._update_delete())
        session.changed.connect(self._on_changed)
        read_only.writes(
            session,
            self.match_button,
            self.new_ride_button,
            self.new_driver_button,
            self.assign_button,
            self.delete_button,
            self.delete_action,
        )
        if session.read_only_reason:  # a driver's profile opens for reading
            self.edit_driver_button.setText(_("Driver's &profile…"))
        self._update_delete()

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        if not self._loaded:
            self._loaded = True
            tomorrow = date.today() + timedelta(days=1)
            self.day.blockSignals(True)
            self.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
            self.day.blockSignals(False)
        self.reload_day()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _on_changed(self, table: str) -> None:
        """Show what changed (an undo, another window, a dialog's save)."""
        if self._loaded and table in ("", "rides", "driver_profiles", "contacts"):
            self.reload_day()

    def show_change(self, changes: Any) -> None:
        """After an undo or redo: the day of the ride it touched."""
        for row in changes.rows:
            state = row.after or row.before
            if row.table == "rides" and state is not None:
                day = date.fromisoformat(str(state.values["pickup_at"])[:10])
                self.day.setDate(QDate(day.year, day.month, day.day))
                return

    def _change(self, label: str, action: Any, done: str) -> Any:
        """`action` as one undoable change; None (and the reason shown) when it failed."""
        try:
            result = self.session.change(label, action, "rides")
        except Exception as exc:
            show_error(self, exc)
            return None
        self.message.emit(done)
        return True if result is None else result

    def _ride_text(self, ride_id: str) -> str:
        from mutualaid_desktop.domain import Ride
        from mutualaid_desktop.store.store import describe

        return describe(self.session.store, Ride, ride_id)

    def reload_day(self) -> None:
        day = self.chosen_day()
        store = self.session.store
        rides, _drivers, _schedule = load_day(store, day)
        self.unassigned.clear()
        for ride in rides:
            if ride.driver_id:
                continue
            item = QTreeWidgetItem(
                [
                    f"{ride.pickup_at:%H:%M}",
                    ride.rider,
                    ride.destination,
                    str(ride.party),
                    _("wheelchair") if ride.wheelchair else "",
                ]
            )
            item.setData(0, ID, ride.id)
            self.unassigned.addTopLevelItem(item)
        # Wide enough for the header in either language ("Party", "Personas").
        for i, width in enumerate((50, 180, 260, 70)):
            self.unassigned.setColumnWidth(i, width)
        first = self.unassigned.topLevelItem(0)
        if first is not None:
            self.unassigned.setCurrentItem(first)
        else:
            self.candidates.clear()
        self._fill_week(day)
        current = self.driver.currentData()
        self.driver.blockSignals(True)
        self.driver.clear()
        for did, name in listing.ride_drivers_on(store, day):
            self.driver.addItem(name, did)
        self.driver.setCurrentIndex(max(0, self.driver.findData(current)))
        self.driver.blockSignals(False)
        self.show_driver_day()

    def _fill_week(self, day: date) -> None:
        start = day - timedelta(days=day.weekday())
        grid = plan.week_by_driver(self.session.store, start)
        days = [start + timedelta(days=k) for k in range(7)]
        self.week.clear()
        self.week.setColumnCount(7)
        self.week.setRowCount(len(grid))
        self.week.setHorizontalHeaderLabels([format_date(d) for d in days])
        self.week.setVerticalHeaderLabels([name for _driver_id, name in grid])
        for r, cells in enumerate(grid.values()):
            for c, d in enumerate(days):
                cell = cells.get(d)
                if cell:
                    text = ngettext(
                        "{n} ride from {time}", "{n} rides from {time}", cell.rides
                    ).format(n=cell.rides, time=cell.first)
                    self.week.setItem(r, c, QTableWidgetItem(text))

    def current_ride(self) -> str | None:
        item = self.unassigned.currentItem()
        return item.data(0, ID) if item is not None else None

    def selected_ride(self) -> str | None:
        """The ride selected in the tab shown: an unassigned one, or one of a driver's day."""
        if self.tabs.currentIndex() == 0:
            return self.current_ride()
        if self.tabs.currentIndex() == 2:
            item = self.driver_rides.currentItem()
            return item.data(0, ID)[0] if item is not None else None
        return None

    def _update_delete(self) -> None:
        chosen = self.selected_ride() is not None
        read_only.enable(self.session, self.delete_button, chosen)
        read_only.enable(self.session, self.delete_action, chosen)

    def show_candidates(self) -> None:
        self.candidates.clear()
        ride_id = self.current_ride()
        if not ride_id:
            return
        rides, drivers, schedule = load_day(self.session.store, self.chosen_day())
        ride = next((r for r in rides if r.id == ride_id), None)
        if ride is None:
            return
        distances = self.session.store.organization().distances()
        for option in options(ride, drivers, schedule):
            away = format_distance(option.km, distances)
            item = QTreeWidgetItem([option.name, away, _("Yes") if option.ok else option.reason])
            item.setData(0, ID, option.driver_id)
            item.setToolTip(2, option.reason or _("Free, with room, nearby first"))
            self.candidates.addTopLevelItem(item)
        self.candidates.setColumnWidth(0, 200)
        best = self.candidates.topLevelItem(0)
        if best is not None:
            self.candidates.setCurrentItem(best)

    # -- actions ------------------------------------------------------------------------

    def assign_selected(self) -> bool:
        ride_id = self.current_ride()
        chosen = self.candidates.currentItem()
        if not ride_id or chosen is None:
            return False
        driver_id = chosen.data(0, ID)
        driver = chosen.text(0)
        store = self.session.store
        try:
            warnings = plan.assignment_warnings(store, ride_id, driver_id)
        except Exception as exc:
            show_error(self, exc)
            return False
        if warnings:
            answer = QMessageBox.question(
                self,
                _("Assign anyway?"),
                _("{driver}: {warnings} Assign the ride anyway?").format(
                    driver=driver, warnings=" ".join(warnings)
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        done = self._change(
            _("Give the {ride} to {driver}").format(ride=self._ride_text(ride_id), driver=driver),
            lambda: plan.assign(store, ride_id, driver_id, accept_warnings=True),
            _("Ride given to {driver}").format(driver=driver),
        )
        return done is not None

    def match(self) -> None:
        proposals = match_day(self.session.store, self.chosen_day())
        if not proposals:
            QMessageBox.information(
                self, _("Match the day"), _("Every ride of this day has a driver.")
            )
            return
        dialog = MatchDialog(proposals, self)
        if dialog.exec():
            pairs = dialog.accepted_pairs()
            self._change(
                _("Match the rides of {day}").format(day=format_date(self.chosen_day())),
                lambda: plan.accept_proposals(self.session.store, pairs),
                ngettext("{n} ride assigned", "{n} rides assigned", len(pairs)).format(
                    n=len(pairs)
                ),
            )

    def show_driver_day(self) -> None:
        driver_id = self.driver.currentData()
        self.driver_rides.clear()
        if driver_id:
            labels = {s.value: s.label for s in RideStatus}
            for r in plan.driver_rides(self.session.store, driver_id, self.chosen_day()):
                item = QTreeWidgetItem(
                    [
                        str(r["time"]),
                        str(r["rider"]),
                        str(r["destination"]),
                        labels.get(str(r["status"]), str(r["status"])),
                    ]
                )
                item.setData(0, ID, (r["id"], r["status"]))
                self.driver_rides.addTopLevelItem(item)
            self.driver_rides.setColumnWidth(1, 180)
            self.driver_rides.setColumnWidth(2, 300)
        if not driver_id:
            self.driver_message.setPlainText(_("No driver has rides on this day yet."))
            return
        try:
            text = plan.driver_message(self.session.store, driver_id, self.chosen_day())
        except UserError as error:
            text = str(error)
        self.driver_message.setPlainText(text)

    def new_ride(self) -> None:
        from datetime import datetime, time

        from mutualaid_desktop.ui.dialogs.ride import RideDialog

        dialog = RideDialog(self.session, datetime.combine(self.chosen_day(), time(9)), self)
        if dialog.exec():
            self.message.emit(_("Ride request saved"))

    def edit_driver(self, contact_id: str | None) -> None:
        """A driver's profile (by their contact id), or a new one."""
        from mutualaid_desktop.ui.dialogs.driver import DriverDialog

        profile_id = None
        if contact_id:
            row = self.session.store.conn.execute(
                "SELECT id FROM driver_profiles WHERE contact_id = ? AND _cl % 2 = 1",
                (contact_id,),
            ).fetchone()
            profile_id = row[0] if row else None
        dialog = DriverDialog(self.session, profile_id, self)
        if contact_id and profile_id is None:
            dialog.driver.set_contact(contact_id)
        if dialog.exec():
            self.message.emit(_("Driver saved"))

    def _ride_menu(self, tree: QTreeWidget, pos: Any) -> None:
        item = tree.itemAt(pos)
        if item is None:
            return
        data = item.data(0, ID)
        menu = self.ride_menu(data[0] if isinstance(data, tuple) else data)
        menu.exec(tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def ride_menu(self, ride_id: str) -> QMenu:
        """Right-click a ride: the statuses it may move to, and deleting it."""
        from mutualaid_desktop.domain import Ride
        from mutualaid_desktop.domain.workflow import next_ride_statuses

        menu = QMenu(self)
        ride = self.session.store.get(Ride, ride_id)
        if ride is None:  # deleted meanwhile (another window)
            return menu
        for target in next_ride_statuses(ride.status.value):
            if ride.driver_id is None and target != RideStatus.CANCELLED.value:
                continue  # offering or confirming needs a driver: Assign gives one
            action = menu.addAction(RideStatus(target).label)
            action.triggered.connect(lambda _=False, t=target: self.set_status(ride_id, t))
        menu.addSeparator()
        delete = menu.addAction(_("&Delete ride…"))
        delete.triggered.connect(lambda: self.delete_ride(ride_id))
        read_only.writes_all(self.session, menu)
        return menu

    def set_status(self, ride_id: str, status: str) -> bool:
        target = RideStatus(status)
        done = self._change(
            _("Mark the {ride} {status}").format(
                ride=self._ride_text(ride_id), status=target.label.lower()
            ),
            lambda: plan.set_status(self.session.store, ride_id, target),
            _("Ride marked {status}").format(status=target.label.lower()),
        )
        return done is not None

    def delete_ride(self, ride_id: str | None = None) -> bool:
        """Delete a ride (the one selected), after asking; its way back too, if they say so."""
        from mutualaid_desktop.domain import Contact, Ride

        ride_id = ride_id or self.selected_ride()
        store = self.session.store
        ride = store.get(Ride, ride_id) if ride_id else None
        if ride is None or self.session.read_only_reason:
            return False
        rider = store.get(Contact, ride.rider_id)
        name = rider.name if rider is not None else _("a rider")
        when = _("{day} at {time}").format(
            day=format_date(ride.pickup_at.date()), time=f"{ride.pickup_at:%H:%M}"
        )
        back = plan.way_back(store, ride.id)
        with_way_back = self.ask_delete(name, when, ride.destination, back)
        if with_way_back is None:
            return False
        both = back is not None and with_way_back
        label = (
            _("Delete the ride of {name} on {when} and the way back")
            if both
            else _("Delete the ride of {name} on {when}")
        ).format(name=name, when=when)
        done = self._change(
            label,
            lambda: plan.delete_ride(store, ride.id, with_way_back),
            (
                _("Deleted the ride of {name} and the way back. Undo with Ctrl+Z.")
                if both
                else _("Deleted the ride of {name}. Undo with Ctrl+Z.")
            ).format(name=name),
        )
        return done is not None

    def ask_delete(self, name: str, when: str, destination: str, back: Any) -> bool | None:
        """Ask before deleting; with a way back booked, whether it goes too.

        None: cancelled; True: delete (and the way back); False: keep the way back.
        """
        question = _("Delete the ride of {name} on {when} to {destination}?").format(
            name=name, when=when, destination=destination
        )
        after = _("Edit › Undo, or Edit › Recently deleted, brings it back.")
        if back is None:
            answer = QMessageBox.question(self, _("Delete ride"), f"{question} {after}")
            return True if answer == QMessageBox.StandardButton.Yes else None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Delete ride"))
        box.setText(question)
        box.setInformativeText(
            _(
                "A way back is booked at {time}. Delete it too, or keep it: the rider is then "
                "still picked up from {destination}. {after}"
            ).format(time=f"{back.pickup_at:%H:%M}", destination=destination, after=after)
        )
        both = box.addButton(_("Delete &both"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("&Keep the way back"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(both)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is both else False if clicked is keep else None

    def copy_message(self) -> None:
        copy_text(self.driver_message.toPlainText())  # taken off again when the window locks
        self.message.emit(_("Message copied: paste it into the group chat or a text message"))


class MatchDialog(QDialog):
    """The day's proposal: untick what you do not want, then accept the rest."""

    def __init__(self, proposals: list[Proposal], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Match the day"))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        placed = sum(1 for p in proposals if p.driver_id)
        layout.addWidget(
            QLabel(
                ngettext(
                    "{placed} of {n} ride can be placed. Nothing is saved until you accept.",
                    "{placed} of {n} rides can be placed. Nothing is saved until you accept.",
                    len(proposals),
                ).format(placed=placed, n=len(proposals))
            )
        )
        self.list = _tree(
            [_("Time"), _("Rider"), _("To"), _("Driver or reason")], _("Proposed drivers")
        )
        for p in proposals:
            item = QTreeWidgetItem(
                [
                    f"{p.ride.pickup_at:%H:%M}",
                    p.ride.rider,
                    p.ride.destination,
                    p.driver or p.reason,
                ]
            )
            item.setData(0, ID, (p.ride.id, p.driver_id))
            if p.driver_id:
                item.setCheckState(0, Qt.CheckState.Checked)
            self.list.addTopLevelItem(item)
        for i, width in enumerate((70, 180, 260)):
            self.list.setColumnWidth(i, width)
        layout.addWidget(self.list, 1)
        buttons = ok_cancel(self, _("&Accept ticked"))
        layout.addWidget(buttons)

    def accepted_pairs(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is None:
                continue
            ride_id, driver_id = item.data(0, ID)
            if driver_id and item.checkState(0) == Qt.CheckState.Checked:
                out.append((ride_id, driver_id))
        return out
