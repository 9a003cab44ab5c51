"""The Deliveries view: a day's runs, their stops in order, planning and outcomes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.deliveries import packing_rules, planning
from mutualaid_desktop.domain.enums import Category, Outcome, Urgency
from mutualaid_desktop.i18n import _, format_date, ngettext
from mutualaid_desktop.sheets.text import isolate
from mutualaid_desktop.store import listing
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.optional_date import date_edit, day_bar

KEYS = {Qt.Key.Key_D: "d", Qt.Key.Key_N: "n", Qt.Key.Key_B: "b", Qt.Key.Key_R: "r"}


class StopList(QTreeWidget):
    """A run's stops; drag a row (or Ctrl+Up/Down) to change the order, D/N/B/R for outcomes."""

    reordered = Signal(list)  # stop ids in the new order
    outcome_key = Signal(str, str)  # stop id, key

    def __init__(self, writable: bool = True) -> None:
        super().__init__()
        self.writable = writable  # False: a read-only database, the order and outcomes stay
        self.setHeaderLabels(
            ["#", _("Household"), _("Address"), _("Box"), _("Boxes"), _("Outcome")]
        )
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(
            QAbstractItemView.DragDropMode.InternalMove
            if writable
            else QAbstractItemView.DragDropMode.NoDragDrop
        )
        self.setAccessibleName(_("Stops of the run, in order"))
        for i, width in enumerate((40, 200, 220, 110, 50)):
            self.setColumnWidth(i, width)

    def ids(self) -> list[str]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self.items()]

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self.reordered.emit(self.ids())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        key = Qt.Key(event.key())
        if not self.writable:
            super().keyPressEvent(event)
            return
        if (
            item is not None
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and key in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            order = self.ids()
            i = order.index(item.data(0, Qt.ItemDataRole.UserRole))
            j = i - 1 if key == Qt.Key.Key_Up else i + 1
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
                self.reordered.emit(order)
            return
        if item is not None and key in KEYS and not event.modifiers():
            self.outcome_key.emit(item.data(0, Qt.ItemDataRole.UserRole), KEYS[key])
            return
        super().keyPressEvent(event)


class DeliveriesView(QWidget):
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._loaded = False
        self.to_check: dict[str, list[str]] = {}  # stop id -> what to look at before printing
        self.day = date_edit(_("Distribution day"))
        self.new_run_button = QPushButton(_("New &run…"))
        self.plan_button = QPushButton(_("&Plan routes for the day"))
        self.outcomes_button = QPushButton(_("&Key in outcomes…"))
        self.delete_run_button = QPushButton(_("Delete run…"))
        top = day_bar(
            self.day,
            self.new_run_button,
            self.plan_button,
            self.outcomes_button,
            self.delete_run_button,
        )

        self.runs = QListWidget()
        self.runs.setWordWrap(True)  # a long driver name wraps instead of hiding the boxes
        self.runs.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-measured at each width
        self.runs.setAccessibleName(_("Delivery runs of the day"))
        self.stops = StopList(writable=not session.read_only_reason)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addWidget(self.stops, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("&Add stops…"))
        self.order_button = QPushButton(_("&Order this run"))
        self.remove_button = QPushButton(_("Remove stop…"))
        for b in (self.add_button, self.order_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        hint = QLabel(_("Drag stops (or Ctrl+↑/↓) to reorder · D N B R set the outcome"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        buttons.addWidget(hint)
        column.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.runs)
        splitter.addWidget(right)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.day.dateChanged.connect(self.reload_day)
        self.runs.currentRowChanged.connect(lambda _r: self.show_run())
        self.new_run_button.clicked.connect(self.new_run)
        self.plan_button.clicked.connect(self.plan_day)
        self.outcomes_button.clicked.connect(self.key_in)
        self.add_button.clicked.connect(self.add_stops)
        self.order_button.clicked.connect(self.order_run)
        self.remove_button.clicked.connect(self.remove_stop)
        self.delete_run_button.clicked.connect(self.delete_run)
        self.stops.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.stops.customContextMenuRequested.connect(self._stop_menu)
        self.stops.reordered.connect(self._reorder)
        self.stops.outcome_key.connect(self._outcome)
        session.changed.connect(self._on_changed)
        read_only.writes(session, self.new_run_button, *self._run_buttons())
        if session.read_only_reason:
            hint.setText(_("A read-only database: the order and outcomes stay as they are"))

    def _run_buttons(self) -> tuple[QPushButton, ...]:
        """The buttons that change the day's runs (on when the day has one)."""
        return (
            self.add_button,
            self.order_button,
            self.remove_button,
            self.plan_button,
            self.outcomes_button,
            self.delete_run_button,
        )

    # -- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        if not self._loaded:
            self._loaded = True
            store = self.session.store
            day = listing.next_distribution_day(store, date.today()) or (
                date.today() + timedelta(days=1)
            )
            self.day.blockSignals(True)
            self.day.setDate(QDate(day.year, day.month, day.day))
            self.day.blockSignals(False)
        self.reload_day()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _day_text(self) -> str:
        return format_date(self.chosen_day())

    def _on_changed(self, table: str) -> None:
        """Show what changed (an undo, another window): the same run and stop stay selected."""
        if not self._loaded or table not in ("", "stops", "delivery_runs", "needs", "contacts"):
            return
        current = self.stops.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self.reload_day()
        self.show_run(keep)

    def show_change(self, changes: Any) -> None:
        """After an undo or redo: the day and run it touched."""
        from mutualaid_desktop.domain import DeliveryRun

        for row in changes.rows:
            state = row.after or row.before
            if row.table == "stops" and state is not None:
                run_id = state.values["run_id"]
            elif row.table == "delivery_runs":
                run_id = row.id
            else:
                continue
            run = self.session.store.get(DeliveryRun, run_id, include_deleted=True)
            if run is None:
                continue
            self.day.setDate(QDate(run.date.year, run.date.month, run.date.day))
            for i in range(self.runs.count()):
                item = self.runs.item(i)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == run_id:
                    self.runs.setCurrentRow(i)
            return

    def _run_name(self) -> str:
        item = self.runs.currentItem()
        return item.text().split("\n")[0] if item is not None else _("the run")

    def current_run_id(self) -> str | None:
        item = self.runs.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def reload_day(self) -> None:
        keep = self.current_run_id()
        self.runs.clear()
        store = self.session.store
        runs = planning.runs_of_day(store, self.chosen_day())
        self.to_check = packing_rules.to_check(store, [r.id for r in runs])
        for run in runs:
            rows = planning.stop_rows(store, run.id)
            boxes = sum(int(r["boxes"]) for r in rows)  # type: ignore[call-overload]
            driver = (
                store.conn.execute(
                    "SELECT name FROM contacts WHERE id = ?", (run.driver_id,)
                ).fetchone()
                if run.driver_id
                else None
            )
            stops = ngettext("{n} stop", "{n} stops", len(rows)).format(n=len(rows))
            load = ngettext(
                "{boxes}/{capacity} box", "{boxes}/{capacity} boxes", run.capacity_boxes
            ).format(boxes=boxes, capacity=run.capacity_boxes)
            # A right-to-left name is its own unit (Qt honours Unicode isolates): without
            # it, "חנה אברהם · 25 stops" showed as "25 · חנה אברהם stops".
            who = isolate(driver[0]) if driver else _("no driver")
            item = QListWidgetItem(f"{isolate(run.name)}\n{who} · {stops} · {load}")
            item.setData(Qt.ItemDataRole.UserRole, run.id)
            check = sum(1 for r in rows if r["id"] in self.to_check)
            if check:
                to_check = ngettext(
                    "⚠ {n} to check before printing", "⚠ {n} to check before printing", check
                ).format(n=check)
                item.setText(f"{item.text()}\n{to_check}")
                item.setToolTip(_("Open the run: the stops marked ⚠ say why"))
            if boxes > run.capacity_boxes:
                item.setForeground(QColor("#c0392b"))
                item.setToolTip(_("More boxes than this run can carry: plan routes for the day"))
            self.runs.addItem(item)
            if run.id == keep:
                self.runs.setCurrentItem(item)
        if self.runs.count() and self.runs.currentRow() < 0:
            self.runs.setCurrentRow(0)
        if not self.runs.count():
            self.stops.clear()
            self.summary.setText(_("No delivery runs on this day yet. Start with New run."))
        for b in self._run_buttons():
            read_only.enable(self.session, b, self.runs.count() > 0)

    def show_run(self, select: str | None = None) -> None:
        run_id = self.current_run_id()
        self.stops.clear()
        if not run_id:
            return
        rows = planning.stop_rows(self.session.store, run_id)
        outcomes = {o.value: o.label for o in Outcome}
        for r in rows:
            outcome = outcomes.get(str(r["outcome"] or ""), "")
            item = QTreeWidgetItem(
                [
                    str(r["seq"]),
                    str(r["name"]),
                    str(r["address_street"]),
                    str(r["box_type"]),
                    str(r["boxes"]),
                    outcome,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, r["id"])
            # Rows move between rows, never into one another.
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            if not r["located"]:
                item.setToolTip(
                    2, _("No coordinates or ZIP: this stop keeps its place when ordering")
                )
                item.setText(2, f"⚑ {r['address_street']}")
            check = self.to_check.get(str(r["id"]))
            if check:
                # Flagged before printing: the slip leaves an item out, or an allergy
                # note could not be read and prints as written.
                item.setText(1, f"⚠ {r['name']}")
                item.setToolTip(1, "\n".join(check))
                item.setForeground(1, QColor("#b35900"))
            self.stops.addTopLevelItem(item)
            if r["id"] == select:
                self.stops.setCurrentItem(item)
        done = sum(1 for r in rows if r["outcome"])
        summary = ngettext(
            "{n} stop · {done} with an outcome", "{n} stops · {done} with an outcome", len(rows)
        ).format(n=len(rows), done=done)
        flagged = [r for r in rows if r["id"] in self.to_check]
        if flagged:
            first = self.to_check[str(flagged[0]["id"])][0]
            summary += " · " + ngettext(
                "⚠ {n} to check before printing (hover a ⚠ stop for why), "
                "such as stop {seq}: {first}",
                "⚠ {n} to check before printing (hover a ⚠ stop for why), "
                "such as stop {seq}: {first}",
                len(flagged),
            ).format(n=len(flagged), seq=flagged[0]["seq"], first=first)
        self.summary.setText(summary)

    # -- actions ----------------------------------------------------------------------

    def _run(self, label: str, action: Any, done: str) -> bool:
        """`action` as one undoable change; False (and the reason shown) when it failed."""
        try:
            self.session.change(label, action, "deliveries")
        except Exception as exc:
            show_error(self, exc)
            self._on_changed("stops")  # what is on screen goes back to what is saved
            return False
        self.message.emit(done)
        return True

    def _stop_name(self, stop_id: str) -> str:
        for item in self.stops.items():
            if item.data(0, Qt.ItemDataRole.UserRole) == stop_id:
                return _("stop {n} ({name})").format(n=item.text(0), name=item.text(1))
        return _("a stop")

    def _reorder(self, order: list[str]) -> None:
        run_id = self.current_run_id()
        if run_id:
            self._run(
                _("Reorder the stops of {run}").format(run=self._run_name()),
                lambda: planning.renumber(self.session.store, run_id, order),
                _("Stops reordered"),
            )

    def _outcome(self, stop_id: str, key: str) -> None:
        outcome = planning.OUTCOME_KEYS[key]
        if self._run(
            _("Outcome {outcome} for {stop}").format(
                outcome=outcome.label.lower(), stop=self._stop_name(stop_id)
            ),
            lambda: planning.record_outcome(self.session.store, stop_id, outcome),
            _("Outcome: {outcome}").format(outcome=outcome.label),
        ):
            self.show_run(stop_id)
            # On to the next stop, as the paper reads.
            items = self.stops.items()
            ids = [it.data(0, Qt.ItemDataRole.UserRole) for it in items]
            if stop_id in ids and ids.index(stop_id) + 1 < len(items):
                self.stops.setCurrentItem(items[ids.index(stop_id) + 1])

    def _stop_menu(self, pos: Any) -> None:
        item = self.stops.itemAt(pos)
        if item is not None:
            menu = self.stop_menu(item.data(0, Qt.ItemDataRole.UserRole))
            menu.exec(self.stops.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def stop_menu(self, stop_id: str) -> QMenu:
        """Right-click a stop: its box type, its number of boxes, its outcome."""
        menu = QMenu(self)
        kinds = menu.addMenu(_("Box type"))
        for box in packing_rules.box_types(self.session.store):
            action = kinds.addAction(box.name)
            action.triggered.connect(
                lambda _=False, b=box.id: self._set_box(stop_id, box_type_id=b)
            )
        count = menu.addMenu(_("Boxes"))
        for n in range(1, 5):
            action = count.addAction(str(n))
            action.triggered.connect(lambda _=False, n=n: self._set_box(stop_id, boxes=n))
        outcomes = menu.addMenu(_("Outcome"))
        for key, outcome in planning.OUTCOME_KEYS.items():
            action = outcomes.addAction(f"{outcome.label}\t{key.upper()}")
            action.triggered.connect(lambda _=False, k=key: self._outcome(stop_id, k))
        read_only.writes_all(self.session, menu)
        return menu

    def _set_box(
        self, stop_id: str, box_type_id: str | None = None, boxes: int | None = None
    ) -> None:
        self._run(
            _("Change the box of {stop}").format(stop=self._stop_name(stop_id)),
            lambda: planning.set_box(self.session.store, stop_id, box_type_id, boxes),
            _("Box changed"),
        )

    def new_run(self) -> None:
        dialog = NewRunDialog(self.session, self.chosen_day(), self)
        if dialog.exec():
            run = dialog.run()
            if self._run(
                _("New run {run} on {day}").format(run=run.name, day=self._day_text()),
                lambda: self.session.store.insert(run),
                _("Run created"),
            ):
                self.runs.setCurrentRow(self.runs.count() - 1)

    def add_stops(self) -> None:
        run_id = self.current_run_id()
        if not run_id:
            return
        dialog = AddStopsDialog(self.session, self.chosen_day(), self)
        if dialog.exec() and dialog.chosen:
            n = len(dialog.chosen)
            self._run(
                ngettext("Add {n} stop to {run}", "Add {n} stops to {run}", n).format(
                    n=n, run=self._run_name()
                ),
                lambda: planning.add_stops(self.session.store, run_id, dialog.chosen),
                ngettext("{n} stop added", "{n} stops added", n).format(n=n),
            )

    def order_run(self) -> None:
        run_id = self.current_run_id()
        if run_id:
            self._run(
                _("Order {run} by route").format(run=self._run_name()),
                lambda: planning.order_run(self.session.store, run_id),
                _("Stops put in route order"),
            )

    def _confirmed(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def plan_day(self) -> None:
        if self._confirmed(
            _("Plan routes"),
            _(
                "Share all of the day's stops among its runs by capacity and put each in "
                "route order? The current order is replaced; Edit › Undo brings it back."
            ),
        ):
            day = self.chosen_day()
            self._run(
                _("Plan routes for {day}").format(day=self._day_text()),
                lambda: planning.plan_day(self.session.store, day),
                _("Routes planned"),
            )

    def remove_stop(self) -> None:
        item = self.stops.currentItem()
        if item is None:
            return
        stop_id = item.data(0, Qt.ItemDataRole.UserRole)
        if not self._confirmed(
            _("Remove stop"),
            _("Take {name} off this run? Edit › Undo brings it back.").format(name=item.text(1)),
        ):
            return
        from mutualaid_desktop.domain import Stop

        self._run(
            _("Remove {stop}").format(stop=self._stop_name(stop_id)),
            lambda: self.session.store.delete(Stop, stop_id),
            _("{name} taken off the run. Undo with Ctrl+Z.").format(name=item.text(1)),
        )

    def delete_run(self) -> None:
        run_id = self.current_run_id()
        if not run_id:
            return
        name = self._run_name()
        if not self._confirmed(
            _("Delete run"),
            _(
                "Delete {run} with its stops? Edit › Undo, or Edit › Recently deleted, "
                "brings it back."
            ).format(run=name),
        ):
            return
        from mutualaid_desktop.domain import DeliveryRun

        self._run(
            _("Delete run {run} on {day}").format(run=name, day=self._day_text()),
            lambda: self.session.store.delete(DeliveryRun, run_id),
            _("{run} deleted. Undo with Ctrl+Z.").format(run=name),
        )

    def key_in(self) -> None:
        run_id = self.current_run_id()
        if run_id:
            OutcomeDialog(self.session, run_id, self, self._run_name()).exec()


class NewRunDialog(QDialog):
    def __init__(self, session: Session, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New delivery run"))
        self.day = day
        self.session = session
        form = QFormLayout(self)
        runs = planning.runs_of_day(session.store, day)
        self.name = QLineEdit(_("Route {n}").format(n=len(runs) + 1))
        self.driver = QComboBox()
        self.driver.addItem(_("— no driver yet —"), None)
        for vid, name in listing.volunteers(session.store):
            self.driver.addItem(name, vid)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 500)
        self.capacity.setValue(30)
        last = session.store.conn.execute(
            """SELECT depot_street, depot_city, depot_postal_code, depot_lat, depot_lon
               FROM delivery_runs WHERE _cl % 2 = 1 ORDER BY date DESC LIMIT 1"""
        ).fetchone()
        self._depot_coords = (last[3], last[4]) if last else (None, None)
        self.street = QLineEdit(last[0] if last else "")
        self.city = QLineEdit(last[1] if last else "")
        self.zip = QLineEdit(last[2] if last else "")
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Driver:"), self.driver)
        form.addRow(_("&Capacity (boxes):"), self.capacity)
        form.addRow(_("Depot &street:"), self.street)
        form.addRow(_("Depot city:"), self.city)
        form.addRow(_("Depot ZIP:"), self.zip)
        buttons = ok_cancel(self)
        form.addRow(buttons)

    def run(self) -> Any:
        from mutualaid_desktop.domain import Address, DeliveryRun

        lat, lon = self._depot_coords
        return DeliveryRun(
            date=self.day,
            name=self.name.text().strip() or _("Route"),
            driver_id=self.driver.currentData(),
            capacity_boxes=self.capacity.value(),
            depot=Address(
                street=self.street.text(),
                city=self.city.text(),
                postal_code=self.zip.text(),
                lat=lat,
                lon=lon,
            ),
        )


class AddStopsDialog(QDialog):
    """Pick open needs to deliver: filter, tick, or take everything a rule matches."""

    def __init__(self, session: Session, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add stops from open needs"))
        self.resize(760, 520)
        self.session, self.day = session, day
        self.chosen: list[str] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.category = QComboBox()
        self.category.addItem(_("Any category"), "")
        for c in Category:
            self.category.addItem(c.label, c.value)
        self.category.setCurrentIndex(self.category.findData("groceries"))
        self.zip = QLineEdit()
        self.zip.setPlaceholderText(_("ZIP starts with…"))
        row.addWidget(QLabel(_("Needs:")))
        row.addWidget(self.category)
        row.addWidget(self.zip)
        layout.addLayout(row)
        self.list = QTreeWidget()
        self.list.setHeaderLabels([_("Household"), _("Need"), _("ZIP"), _("Urgency")])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 220)
        self.list.setColumnWidth(1, 260)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        accept = QDialogButtonBox.ButtonRole.AcceptRole
        self.add_ticked = buttons.addButton(_("Add &ticked"), accept)
        self.add_all = buttons.addButton(_("Add &all shown"), accept)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.add_ticked.clicked.connect(lambda: self._take(only_ticked=True))
        self.add_all.clicked.connect(lambda: self._take(only_ticked=False))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.category.currentIndexChanged.connect(self.refresh)
        self.zip.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        found = planning.candidate_needs(
            self.session.store, self.day, self.category.currentData(), self.zip.text(), limit=500
        )
        categories = {c.value: c.label for c in Category}
        urgencies = {u.value: u.label for u in Urgency}
        for c in found:
            need = categories.get(c.category, c.category)
            if c.description:
                need = f"{need}: {c.description}"
            urgency = urgencies.get(c.urgency, c.urgency)
            item = QTreeWidgetItem([c.name, need, c.zip, urgency])
            item.setData(0, Qt.ItemDataRole.UserRole, c.need_id)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.list.addTopLevelItem(item)
        self.add_all.setText(
            ngettext("Add &all {n} shown", "Add &all {n} shown", len(found)).format(n=len(found))
        )

    def _take(self, only_ticked: bool) -> None:
        found = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        items = [it for it in found if it is not None]
        self.chosen = [
            it.data(0, Qt.ItemDataRole.UserRole)
            for it in items
            if not only_ticked or it.checkState(0) == Qt.CheckState.Checked
        ]
        self.accept()


class OutcomeDialog(QDialog):
    """Key in a returned route sheet: the stop number and a letter, then Enter, stop after stop.

    It stays open for the next stop, says what is wrong right under the entry
    (the typing stays, to correct), and "3c" clears a wrong outcome. Each entry
    is its own undoable change.
    """

    PATTERN = re.compile(r"^\s*(\d+)\s*([dnbrcDNBRC])\s*$")

    def __init__(
        self, session: Session, run_id: str, parent: QWidget | None = None, run_name: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            _("Key in outcomes: {run}").format(run=run_name) if run_name else _("Key in outcomes")
        )
        self.setObjectName("outcomeDialog")
        self.session, self.run_id = session, run_id
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Type the stop number and d (delivered), n (not home), b (bad address) or "
                "r (refused), then Enter: “3d”, “12 n”. A wrong one? “3c” clears stop 3."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.entry = QLineEdit()
        self.entry.setAccessibleName(_("Stop number and outcome key"))
        self.feedback = QLabel()
        self.feedback.setObjectName("outcomeFeedback")
        self.feedback.setStyleSheet("color: #c0392b;")
        self.feedback.setWordWrap(True)
        self.feedback.hide()
        self.entry.returnPressed.connect(self.enter)
        self.entry.textEdited.connect(lambda _t: self.feedback.hide())
        layout.addWidget(self.entry)
        layout.addWidget(self.feedback)
        self.entered = QListWidget()
        self.entered.setAccessibleName(_("Outcomes keyed in"))
        layout.addWidget(self.entered, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # Enter in the entry records an outcome; it must never press Close.
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 440)

    def show_problem(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.show()
        self.entry.setFocus()
        self.entry.selectAll()

    def enter(self) -> bool:
        match = self.PATTERN.match(self.entry.text())
        if not match:
            self.show_problem(_("Type a stop number then d, n, b, r (or c to clear), such as 3d."))
            return False
        seq, key = int(match.group(1)), match.group(2).lower()
        clear = key == "c"
        label = _("Cleared") if clear else planning.OUTCOME_KEYS[key].label
        store = self.session.store

        def record() -> None:
            if clear:
                planning.clear_outcome(store, self.run_id, seq)
            else:
                planning.key_in_outcomes(store, self.run_id, [(seq, key)])

        try:
            self.session.change(
                _("Key in stop {n}: {outcome}").format(n=seq, outcome=label.lower()),
                record,
                "deliveries",
            )
        except Exception as exc:
            self.show_problem(str(exc))
            return False
        self.entered.insertItem(0, _("Stop {n}: {outcome}").format(n=seq, outcome=label))
        self.feedback.hide()
        self.entry.clear()
        self.entry.setFocus()
        return True
