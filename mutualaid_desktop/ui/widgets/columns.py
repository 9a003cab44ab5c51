"""Column titles read whole: every column at least as wide as its title, and the
columns end inside the list, at any window size and in any language.

Views set their columns' widths for the English words and a wide screen; Spanish
titles are longer and a 1366×768 laptop is narrower. Rather than each view
measuring, the window applies this to every list it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView


def header_of(view: QAbstractItemView) -> QHeaderView | None:
    if isinstance(view, QTreeView):
        return view.header()
    if isinstance(view, QTableView):
        return view.horizontalHeader()
    return None


class _Fit(QObject):
    """Fits `view`'s columns whenever the list changes size or its columns change.

    The widths a view (or the organizer, dragging a border) sets are its preferred
    ones; each fit starts again from them, so a narrow moment (the window before
    its first layout) never leaves the columns narrow for good.
    """

    def __init__(self, view: QAbstractItemView, header: QHeaderView) -> None:
        super().__init__(view)
        self._view, self._header = view, header
        self._preferred: dict[int, int] = {}
        self._applied: dict[int, int] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        view.installEventFilter(self)
        header.sectionCountChanged.connect(self._timer.start)
        header.geometriesChanged.connect(self._timer.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        return False

    def fit(self) -> None:
        """Widen a column whose title is cut; then, if the columns run past the list's
        right edge, narrow the widest ones (never below their title) to make room."""
        header = self._header
        if header.isHidden() or not self._view.isVisible():
            return
        shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
        if not shown:
            return
        automatic = (QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)
        stretched = shown[-1] if header.stretchLastSection() else None
        movable = [
            i for i in shown if i != stretched and header.sectionResizeMode(i) not in automatic
        ]
        need = {i: header.sectionSizeHint(i) for i in shown}
        target = {}
        for i in movable:
            size = header.sectionSize(i)
            if self._applied.get(i) != size:  # set by the view or the organizer
                self._preferred[i] = size
            target[i] = max(self._preferred.get(i, size), need[i])
        others = sum(header.sectionSize(i) for i in shown if i not in target and i != stretched)
        room = self._view.viewport().width() - others - (need[stretched] if stretched else 0)
        overflow = sum(target.values()) - room
        # Each column gives up room in proportion to what it has beyond its title:
        # an address can give much, a count of people nothing.
        spare = {i: target[i] - need[i] for i in target}
        total_spare = sum(spare.values())
        if overflow > 0 and total_spare > 0:
            share = min(1.0, overflow / total_spare)
            for i in target:
                target[i] -= int(spare[i] * share + 0.999)
        for i, size in target.items():
            if header.sectionSize(i) != size:
                header.resizeSection(i, size)
            self._applied[i] = size


def keep_titles_whole(view: QAbstractItemView) -> None:
    """Keep `view`'s column titles whole from now on (once per view)."""
    header = header_of(view)
    if header is None or view.property("titlesKeptWhole"):
        return
    view.setProperty("titlesKeptWhole", True)
    _Fit(view, header).fit()
