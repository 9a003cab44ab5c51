"""The window at laptop sizes: on a 1280×720 screen nothing is out of reach, and on
1366×768 every column title reads whole, on every page.

Sizes are the screen's less what a desktop takes (a panel, the title bar): about
60 pixels of height.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QScrollArea, QTableWidget

from mutualaid_desktop.ui.main_window import PAGES, MainWindow
from mutualaid_desktop.ui.widgets.columns import header_of, keep_titles_whole

DESKTOP = 60


def _visit_every_page(window: MainWindow, qtbot, width: int, height: int) -> None:
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    for key in PAGES:
        window.show_page(key)
        qtbot.wait(20)


def _scroll_to(widget) -> None:
    """Scroll every scrolling area around `widget`, innermost first, as a user would."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


def test_nothing_out_of_reach_at_1280_by_720(window: MainWindow, qtbot) -> None:
    height = 720 - DESKTOP
    _visit_every_page(window, qtbot, 1280, height)
    # The tallest page (Settings) must not make the window taller than the screen,
    # which is what cut the bottom row of buttons off every page.
    assert window.minimumSizeHint().height() <= height
    assert window.height() <= height
    for key in PAGES:
        window.show_page(key)
        qtbot.wait(20)
        page = window.views[key]
        area = page.parentWidget().parentWidget()
        assert isinstance(area, QScrollArea)
        for button in page.findChildren(QAbstractButton):
            if not button.isVisibleTo(page):
                continue
            place = QRect(button.mapTo(page, button.rect().topLeft()), button.size())
            # Inside the page (which scrolls where the window is short), never
            # squeezed away or hung off its edge.
            assert page.rect().contains(place), (key, button.text(), place, page.size())
            assert button.height() >= button.sizeHint().height() - 2, (key, button.text())
            _scroll_to(button)
            assert button.visibleRegion().boundingRect().height() > 0, (key, button.text())


def test_column_titles_whole_at_1366_by_768(window: MainWindow, qtbot) -> None:
    _visit_every_page(window, qtbot, 1366, 768 - DESKTOP)
    for key in PAGES:
        window.show_page(key)
        qtbot.wait(50)
        page = window.views[key]
        for view in page.findChildren(QAbstractItemView):
            header = header_of(view)
            if header is None or not view.isVisibleTo(page) or header.isHidden():
                continue
            model = view.model()
            for col in range(header.count()):
                if header.isSectionHidden(col):
                    continue
                title = model.headerData(col, header.orientation())
                whole = header.sectionSizeHint(col)
                assert header.sectionSize(col) >= whole, (key, title)
                right = header.sectionViewportPosition(col) + whole
                assert right <= view.viewport().width(), (key, title, right)


def test_a_wider_list_gives_the_room_back(qtbot) -> None:
    """Columns narrowed for a small window widen again, to the widths the view chose,
    when it grows; a title is never cut on the way."""
    table = QTableWidget(3, 4)
    table.setHorizontalHeaderLabels(["Name", "Address", "People", "Needed by"])
    table.horizontalHeader().setStretchLastSection(True)
    qtbot.addWidget(table)
    table.setColumnWidth(0, 180)
    table.setColumnWidth(1, 300)
    table.setColumnWidth(2, 20)  # narrower than its title
    keep_titles_whole(table)
    table.resize(900, 300)
    table.show()
    qtbot.waitExposed(table)
    qtbot.wait(20)
    header = table.horizontalHeader()
    assert [table.columnWidth(c) for c in (0, 1)] == [180, 300]
    assert table.columnWidth(2) >= header.sectionSizeHint(2)
    table.resize(360, 300)
    qtbot.wait(20)
    narrowed = [table.columnWidth(c) for c in range(3)]
    assert narrowed[1] < 300 and narrowed[0] < 180
    assert all(table.columnWidth(c) >= header.sectionSizeHint(c) for c in range(4))
    table.resize(900, 300)
    qtbot.wait(20)
    assert [table.columnWidth(c) for c in (0, 1)] == [180, 300]
