"""The window at laptop sizes: on a 1280×720 screen nothing is out of reach, and on
1366×768 every column title reads whole, on every page.

Sizes are the screen's less what a desktop takes (a panel, the title bar): about
60 pixels of height.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QScrollArea, QTableWidget

from mutualaid_desktop.domain import Need
from mutualaid_desktop.ui import language
from mutualaid_desktop.ui.app import Controller
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


def _scrolled_content(widget, page):
    """The innermost widget that scrolls with `widget`: what a scroll area holds."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QScrollArea):
            return parent.widget()
        parent = parent.parentWidget()
    return page


def _scroll_to(widget) -> None:
    """Scroll every scrolling area around `widget`, innermost first, as a user would."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


@pytest.fixture(params=["en", "es"])
def window_in(request, controller: Controller, window: MainWindow, qtbot) -> Iterator[MainWindow]:
    """The window in English, and in Spanish (whose words are longer), as the organizer
    would switch it in Settings."""
    if request.param == "en":
        yield window
        return
    window.show_page("settings")
    assert window.views["settings"].choose_language("es")  # type: ignore[attr-defined]
    spanish = controller.window
    assert spanish is not None and spanish is not window
    qtbot.addWidget(spanish)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # pytest-qt would close the English window at the end: it is already deleted.
    request.node.qt_widgets = [w for w in request.node.qt_widgets if w[0]() is not window]
    yield spanish
    language._apply(None)  # the tests' system language


def test_nothing_out_of_reach_at_1280_by_720(window_in: MainWindow, qtbot) -> None:
    window = window_in
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
        if key == "needs":  # a need open in the editor, with its step buttons
            [new] = window.session.store.select(Need, "status = 'new'", limit=1)
            window.open_need(new.id)  # a new need: every next step is a button
            qtbot.wait(20)
            steps = [b for b in page.form.step_buttons.values() if b.isVisibleTo(page)]  # type: ignore[attr-defined]
            assert len(steps) == 4
        area = page.parentWidget().parentWidget()
        assert isinstance(area, QScrollArea)
        for button in page.findChildren(QAbstractButton):
            if not button.isVisibleTo(page):
                continue
            content = _scrolled_content(button, page)
            place = QRect(button.mapTo(content, button.rect().topLeft()), button.size())
            # Inside what scrolls around it (the page, or a part of the page that
            # scrolls on its own), never squeezed away or hung off its edge.
            assert content.rect().contains(place), (key, button.text(), place, content.size())
            # Never squeezed: its words whole.
            assert button.height() >= button.sizeHint().height() - 2, (key, button.text())
            assert button.width() >= button.sizeHint().width() - 2, (key, button.text())
            _scroll_to(button)
            assert button.visibleRegion().boundingRect().height() > 0, (key, button.text())


def test_column_titles_whole_at_1366_by_768(window_in: MainWindow, qtbot, request) -> None:
    window = window_in
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
            shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
            # Every title whole; and all of them inside the list's edge whenever they
            # can be (a list narrower than its titles together scrolls sideways).
            fits = sum(header.sectionSizeHint(c) for c in shown) <= view.viewport().width()
            for col in shown:
                title = model.headerData(col, header.orientation())
                whole = header.sectionSizeHint(col)
                assert header.sectionSize(col) >= whole, (key, title)
                right = header.sectionViewportPosition(col) + whole
                assert right <= view.viewport().width() or not fits, (key, title, right)
                if request.node.callspec.params["window_in"] == "en":
                    assert fits, (key, title)  # in English, every list fits at this size


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
