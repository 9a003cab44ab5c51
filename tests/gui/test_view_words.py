"""What the views say is in a volunteer's words: labels, not internal codes; one thing
in the singular; dates as a person writes them; in Spanish too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QTreeWidgetItem

from mutualaid_desktop import i18n
from mutualaid_desktop.deliveries import planning
from mutualaid_desktop.domain import Category, Contact, Need, Outcome, Stop, Urgency
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views.deliveries import AddStopsDialog
from tests.conftest import TODAY

CODES = re.compile(r"\b\w+_\w+\b|\b(groceries|hot_meals|this_week|anytime|not_home):")


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.use_language("es")
    yield
    i18n.use_language(None)


def rows(tree) -> list[list[str]]:
    items: list[QTreeWidgetItem] = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[item.text(c) for c in range(tree.columnCount())] for item in items]


def test_add_stops_lists_needs_by_their_labels_not_their_codes(window: MainWindow) -> None:
    store = window.session.store
    dialog = AddStopsDialog(window.session, TODAY, window)
    dialog.category.setCurrentIndex(0)  # any category: every kind of need shows
    shown = rows(dialog.list)
    assert shown
    needs = {n.id: n for n in store.select(Need, "status IN ('new', 'scheduled')")}
    for i, (_name, what, _zip, urgency) in enumerate(shown):
        need = needs[dialog.list.topLevelItem(i).data(0, 256)]
        assert what.startswith(need.category.label)  # "Hot meals", not "hot_meals:"
        assert urgency == need.urgency.label  # "1-2 days", not "1-2_days"
        assert not CODES.search(what + " " + urgency), (what, urgency)
    labels = {u.label for u in Urgency}
    assert {row[3] for row in shown} <= labels


def test_counts_say_one_thing_in_the_singular(window: MainWindow) -> None:
    window.show_page("deliveries")
    view = window.views["deliveries"]
    store = window.session.store
    run_id = view.current_run_id()
    stops = planning._stops_of(store, run_id)
    for extra in stops[1:]:  # leave the run with one stop
        store.delete(Stop, extra.id)
    view.reload_day()
    view.runs.setCurrentRow(0)
    item = view.runs.currentItem()
    assert " 1 stop " in item.text().replace("·", " ") and "1 stops" not in item.text()
    assert view.summary.text().startswith("1 stop · 0 with an outcome")
    contacts = window.view("contacts")
    assert contacts.count_text(1) == "1 contact" and contacts.count_text(2) == "2 contacts"


def test_a_contacts_history_shows_outcomes_and_dates_in_words(window: MainWindow) -> None:
    store = window.session.store
    stop = next(s for s in store.select(Stop) if s.contact_id)
    planning.record_outcome(store, stop.id, Outcome.NOT_HOME)
    contact = store.require(Contact, stop.contact_id)
    window.show_page("contacts")
    view = window.views["contacts"]
    view.open_contact(contact.id)
    deliveries = rows(view.form.activity_lists["deliveries"])
    when, what, status = next(r for r in deliveries if r[2] == Outcome.NOT_HOME.label)
    assert status == "Not home"  # not "not home" nor "not_home"
    assert ", stop " in what
    assert not re.match(r"\d{4}-\d\d-\d\d", when)  # "Fri 4 Dec", not "2026-12-04"
    for r in rows(view.form.activity_lists["needs"]):
        assert not CODES.search(" ".join(r)), r


def test_the_views_speak_spanish_with_spanish_plurals(window: MainWindow, spanish) -> None:
    from mutualaid_desktop.ui.views.today import TodayView

    today = TodayView(window.session)
    today.reload()
    assert today.heading.text() == i18n.format_date(date.today(), "long")
    assert "diciembre" in i18n.format_date(date(2026, 12, 4), "long")
    cards = [card.text() for card, _code in today.urgency_cards]
    assert all(("abierta" in text) for text in cards), cards
    overdue = today.overdue_card.text()
    assert overdue.endswith("vencida") or overdue.endswith("vencidas")
    dialog = AddStopsDialog(window.session, TODAY, window)
    dialog.category.setCurrentIndex(dialog.category.findData(Category.GROCERIES.value))
    assert dialog.windowTitle() == "Añadir paradas desde necesidades abiertas"
    assert {row[1].split(":")[0] for row in rows(dialog.list)} <= {"Despensa"}
