"""A small paired bar chart: needs opened against needs fulfilled, per week.

Drawn with QPainter because Qt Charts is not part of PySide6-Essentials and a
dozen bars do not justify another 100 MB dependency.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from mutualaid_desktop.i18n import _

OPENED = QColor("#e67e22")
FULFILLED = QColor("#27ae60")


class WeeklyBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: list[tuple[str, int, int]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(_("Needs opened and fulfilled per week"))

    def sizeHint(self) -> QSize:
        return QSize(420, 170)

    def set_weeks(self, weeks: Sequence[tuple[str, int, int]]) -> None:
        """(label, opened, fulfilled) per week, oldest first."""
        self._weeks = list(weeks)
        line = _("{week}: {opened} opened, {fulfilled} fulfilled")
        described = "; ".join(
            line.format(week=w, opened=o, fulfilled=f) for w, o, f in self._weeks[-4:]
        )
        self.setAccessibleDescription(described)
        line = _("Week of {week}: {opened} opened, {fulfilled} fulfilled")
        self.setToolTip(
            "\n".join(line.format(week=w, opened=o, fulfilled=f) for w, o, f in self._weeks)
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = painter.fontMetrics()
        legend_h = metrics.height() + 6
        label_h = metrics.height() + 4
        area = QRectF(self.rect()).adjusted(8, legend_h, -8, -label_h)
        # Legend
        x = 8.0
        # Its own words, not a need status's ("Fulfilled" is one need: "Cumplida").
        for color, text in ((OPENED, _("Needs opened")), (FULFILLED, _("Needs fulfilled"))):
            painter.fillRect(QRectF(x, 4, 10, 10), color)
            painter.setPen(text_color)
            width = metrics.horizontalAdvance(text) + 4
            painter.drawText(
                QRectF(x + 14, 0, width, legend_h), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += 14 + width + 12
        if not self._weeks:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, _("No needs recorded yet"))
            return
        top = max(max(o, f) for _week, o, f in self._weeks) or 1
        slot = area.width() / len(self._weeks)
        bar = max(2.0, slot * 0.35)
        for i, (label, opened, fulfilled) in enumerate(self._weeks):
            left = area.left() + i * slot + (slot - 2 * bar) / 2
            for j, (value, color) in enumerate(((opened, OPENED), (fulfilled, FULFILLED))):
                h = area.height() * value / top
                painter.fillRect(QRectF(left + j * bar, area.bottom() - h, bar - 1, h), color)
            if i % 2 == len(self._weeks) % 2 or slot > metrics.horizontalAdvance(label) + 4:
                painter.setPen(text_color)
                painter.drawText(
                    QRectF(area.left() + i * slot - 10, area.bottom() + 2, slot + 20, label_h),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )
