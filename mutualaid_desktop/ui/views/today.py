"""The Today view: what a coordinator at a distribution needs to see first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.store.today import today_summary
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.chart import WeeklyBars

URGENCY_COLORS = ["#c0392b", "#e67e22", "#2980b9", "#7f8c8d"]


def _tree(headers: list[tuple[str, int]], name: str) -> QTreeWidget:
    """A read-only list with columns of fixed width (in characters): measuring
    every row's contents at each reload costs more than it gives."""
    tree = QTreeWidget()
    tree.setHeaderLabels([h for h, _ in headers])
    char = tree.fontMetrics().averageCharWidth()
    for i, (_, width) in enumerate(headers[:-1]):
        tree.setColumnWidth(i, width * char + 16)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setAccessibleName(name)
    tree.setMinimumHeight(120)
    return tree


class TodayView(QWidget):
    open_need = Signal(str)
    show_overdue = Signal()
    show_urgency = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.day = date.today()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(self.heading)

        cards = QHBoxLayout()
        self.urgency_cards: list[tuple[QPushButton, str]] = []
        for color, urgency in zip(
            URGENCY_COLORS, ["today", "1-2_days", "this_week", "anytime"], strict=True
        ):
            card = QPushButton()
            card.clicked.connect(lambda _=False, u=urgency: self.show_urgency.emit(u))
            card.setFlat(True)
            card.setCursor(Qt.CursorShape.PointingHandCursor)
            card.setStyleSheet(
                f"QPushButton {{ border: 1px solid {color}; border-left: 6px solid {color}; "
                "border-radius: 4px; padding: 8px 12px; text-align: left; }"
            )
            card.setMinimumHeight(56)
            cards.addWidget(card)
            self.urgency_cards.append((card, ""))
        self.overdue_card = QPushButton()
        self.overdue_card.setFlat(True)
        self.overdue_card.setStyleSheet(
            "QPushButton { border: 1px solid #8e44ad; border-left: 6px solid #8e44ad; "
            "border-radius: 4px; padding: 8px 12px; text-align: left; }"
        )
        self.overdue_card.setMinimumHeight(56)
        self.overdue_card.clicked.connect(self.show_overdue.emit)
        cards.addWidget(self.overdue_card)
        layout.addLayout(cards)

        grid = QGridLayout()
        overdue_box = QGroupBox("Overdue needs")
        self.overdue = _tree(
            [("Needed by", 10), ("Contact", 22), ("Need", 16), ("Urgency", 9)], "Overdue needs"
        )
        self.overdue.itemActivated.connect(
            lambda item: self.open_need.emit(item.data(0, Qt.ItemDataRole.UserRole))
        )
        QVBoxLayout(overdue_box).addWidget(self.overdue)
        runs_box = QGroupBox("Today's delivery runs")
        self.runs_box = runs_box
        self.runs = _tree(
            [("Run", 22), ("Driver", 20), ("Stops", 6), ("Done", 6)], "Today's delivery runs"
        )
        QVBoxLayout(runs_box).addWidget(self.runs)
        rides_box = QGroupBox("Today's rides")
        self.rides = _tree(
            [("Time", 6), ("Rider", 20), ("To", 26), ("Driver", 18), ("Status", 10)],
            "Today's rides",
        )
        QVBoxLayout(rides_box).addWidget(self.rides)
        chart_box = QGroupBox("Needs opened and fulfilled, last 12 weeks")
        self.chart = WeeklyBars()
        QVBoxLayout(chart_box).addWidget(self.chart)
        grid.addWidget(overdue_box, 0, 0)
        grid.addWidget(chart_box, 0, 1)
        grid.addWidget(runs_box, 1, 0)
        grid.addWidget(rides_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid, 1)
        session.changed.connect(lambda _table: self.reload() if self.isVisible() else None)

    def reload(self) -> None:
        self.day = date.today()
        s = today_summary(self.session.store, self.day)
        self.heading.setText(self.day.strftime("%A %-d %B %Y"))
        for (card, _), (label, count) in zip(
            self.urgency_cards, s.open_by_urgency.items(), strict=True
        ):
            card.setText(f"{count:,}\nopen · {label.lower()}")
            card.setAccessibleName(f"{count} open needs, urgency {label}")
        self.overdue_card.setText(f"{s.overdue_count:,}\noverdue")
        self.overdue_card.setAccessibleName(f"{s.overdue_count} overdue needs")
        self.overdue.clear()
        for n in s.overdue:
            item = QTreeWidgetItem([n.needed_by, n.contact, n.category, n.urgency])
            item.setData(0, Qt.ItemDataRole.UserRole, n.id)
            self.overdue.addTopLevelItem(item)
        if not s.overdue:
            self.overdue.addTopLevelItem(QTreeWidgetItem(["", "Nothing overdue", "", ""]))
        self.runs.clear()
        if s.runs_day and s.runs_day != self.day:
            self.runs_box.setTitle(f"No runs today · next: {s.runs_day.strftime('%A %-d %B')}")
        else:
            self.runs_box.setTitle("Today's delivery runs")
        for r in s.runs:
            self.runs.addTopLevelItem(
                QTreeWidgetItem([r.name, r.driver, str(r.stops), str(r.done)])
            )
        if not s.runs:
            self.runs.addTopLevelItem(QTreeWidgetItem(["No delivery runs today", "", "", ""]))
        self.rides.clear()
        for ride in s.rides:
            self.rides.addTopLevelItem(
                QTreeWidgetItem(
                    [ride.time, ride.rider, ride.destination, ride.driver or "—", ride.status]
                )
            )
        if not s.rides:
            self.rides.addTopLevelItem(QTreeWidgetItem(["", "No rides today", "", "", ""]))

        self.chart.set_weeks(
            [(w.week_start.strftime("%-d %b"), w.opened, w.fulfilled) for w in s.weeks]
        )
