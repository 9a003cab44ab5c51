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

from mutualaid_desktop.i18n import _, current_language, format_date, ngettext
from mutualaid_desktop.store.today import today_summary
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.chart import WeeklyBars

URGENCY_COLORS = ["#c0392b", "#e67e22", "#2980b9", "#7f8c8d"]


def _tree(headers: list[tuple[str, int]], name: str) -> QTreeWidget:
    """A read-only list with columns of fixed width (in characters): measuring
    every row's contents at each reload costs more than it gives."""
    tree = QTreeWidget()
    tree.setHeaderLabels([h for h, _width in headers])
    char = tree.fontMetrics().averageCharWidth()
    for i, (_header, width) in enumerate(headers[:-1]):
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
        overdue_box = QGroupBox(_("Overdue needs"))
        self.overdue = _tree(
            [(_("Needed by"), 12), (_("Contact"), 22), (_("Need"), 16), (_("Urgency"), 9)],
            _("Overdue needs"),
        )
        self.overdue.itemActivated.connect(
            lambda item: self.open_need.emit(item.data(0, Qt.ItemDataRole.UserRole))
        )
        QVBoxLayout(overdue_box).addWidget(self.overdue)
        runs_box = QGroupBox(_("Today's delivery runs"))
        self.runs_box = runs_box
        self.runs = _tree(
            [(_("Run"), 22), (_("Driver"), 20), (_("Stops"), 8), (_("Done"), 6)],
            _("Today's delivery runs"),
        )
        QVBoxLayout(runs_box).addWidget(self.runs)
        rides_box = QGroupBox(_("Today's rides"))
        self.rides = _tree(
            [(_("Time"), 6), (_("Rider"), 20), (_("To"), 26), (_("Driver"), 18), (_("Status"), 10)],
            _("Today's rides"),
        )
        QVBoxLayout(rides_box).addWidget(self.rides)
        chart_box = QGroupBox(_("Needs opened and fulfilled, last 12 weeks"))
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
        self.heading.setText(format_date(self.day, "long"))
        for (card, _code), (label, count) in zip(
            self.urgency_cards, s.open_by_urgency.items(), strict=True
        ):
            card.setText(
                ngettext("{n}\nopen · {urgency}", "{n}\nopen · {urgency}", count).format(
                    n=f"{count:,}", urgency=label.lower()
                )
            )
            card.setAccessibleName(
                ngettext(
                    "{n} open need, urgency {urgency}", "{n} open needs, urgency {urgency}", count
                ).format(n=count, urgency=label)
            )
        overdue = s.overdue_count
        self.overdue_card.setText(
            ngettext("{n}\noverdue", "{n}\noverdue", overdue).format(n=f"{overdue:,}")
        )
        self.overdue_card.setAccessibleName(
            ngettext("{n} overdue need", "{n} overdue needs", overdue).format(n=overdue)
        )
        self.overdue.clear()
        for n in s.overdue:
            needed_by = format_date(date.fromisoformat(n.needed_by[:10])) if n.needed_by else ""
            item = QTreeWidgetItem([needed_by, n.contact, n.category, n.urgency])
            item.setData(0, Qt.ItemDataRole.UserRole, n.id)
            self.overdue.addTopLevelItem(item)
        if not s.overdue:
            self.overdue.addTopLevelItem(QTreeWidgetItem(["", _("Nothing overdue"), "", ""]))
        self.runs.clear()
        if s.runs_day and s.runs_day != self.day:
            self.runs_box.setTitle(
                _("No runs today · next: {day}").format(day=format_date(s.runs_day, "day"))
            )
        else:
            self.runs_box.setTitle(_("Today's delivery runs"))
        for r in s.runs:
            self.runs.addTopLevelItem(
                QTreeWidgetItem([r.name, r.driver, str(r.stops), str(r.done)])
            )
        if not s.runs:
            self.runs.addTopLevelItem(QTreeWidgetItem([_("No delivery runs today"), "", "", ""]))
        self.rides.clear()
        for ride in s.rides:
            self.rides.addTopLevelItem(
                QTreeWidgetItem(
                    [ride.time, ride.rider, ride.destination, ride.driver or "—", ride.status]
                )
            )
        if not s.rides:
            self.rides.addTopLevelItem(QTreeWidgetItem(["", _("No rides today"), "", "", ""]))

        from babel.dates import format_date as babel_date

        # The axis has room for day and month only ("7 Sep", "7 sept").
        language = current_language()
        weeks = [
            (babel_date(w.week_start, "d MMM", locale=language), w.opened, w.fulfilled)
            for w in s.weeks
        ]
        self.chart.set_weeks(weeks)
