"""The Deliveries view: runs of a day, reordering, outcomes by keyboard, adding stops."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mutualaid_desktop.deliveries import planning
from mutualaid_desktop.domain import Outcome, Stop
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.views import deliveries as view_module


def open_view(window: MainWindow):
    window.show_page("deliveries")
    view = window.views["deliveries"]
    assert view.runs.count() > 0  # the demo plans tomorrow's runs
    view.runs.setCurrentRow(0)
    return view


def test_reorder_with_the_keyboard_and_set_outcomes(window: MainWindow, qtbot) -> None:
    view = open_view(window)
    store = window.session.store
    run_id = view.current_run_id()
    before = [s.id for s in planning._stops_of(store, run_id)]
    assert len(before) >= 2
    view.stops.setFocus()
    view.stops.setCurrentItem(view.stops.items()[0])
    qtbot.keyClick(view.stops, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    after = [s.id for s in planning._stops_of(store, run_id)]
    assert after == [before[1], before[0], *before[2:]]

    view.stops.setCurrentItem(view.stops.items()[0])
    qtbot.keyClick(view.stops, Qt.Key.Key_N)
    assert store.require(Stop, after[0]).outcome is Outcome.NOT_HOME
    # The cursor moved on to the next stop, ready for the next key.
    assert view.stops.currentItem().data(0, Qt.ItemDataRole.UserRole) == after[1]


def test_paper_round_trip_dialog(window: MainWindow) -> None:
    view = open_view(window)
    store = window.session.store
    run_id = view.current_run_id()
    dialog = view_module.OutcomeDialog(window.session, run_id, window)
    dialog.entry.setText("2 d")
    assert dialog.enter()
    second = next(s for s in planning._stops_of(store, run_id) if s.seq == 2)
    assert store.require(Stop, second.id).outcome is Outcome.DELIVERED
    dialog.entry.setText("99d")
    assert not dialog.enter()
    assert "no stop 99" in dialog.feedback.text()
    dialog.entry.setText("3x")
    assert not dialog.enter()


def test_new_run_and_add_stops(window: MainWindow, monkeypatch) -> None:
    view = open_view(window)
    monkeypatch.setattr(view_module.NewRunDialog, "exec", lambda self: 1)
    count = view.runs.count()
    view.new_run()
    assert view.runs.count() == count + 1
    new_id = view.current_run_id()

    def take_all(self) -> int:
        self._take(only_ticked=False)
        return 1

    monkeypatch.setattr(view_module.AddStopsDialog, "exec", take_all)
    view.add_stops()
    view.runs.setCurrentRow(view.runs.count() - 1)
    stops = planning._stops_of(window.session.store, new_id)
    assert stops and [s.seq for s in stops] == list(range(1, len(stops) + 1))


def test_a_stops_box_can_be_changed(window: MainWindow) -> None:
    from mutualaid_desktop.deliveries import packing_rules

    view = open_view(window)
    store = window.session.store
    stop_id = view.stops.items()[0].data(0, Qt.ItemDataRole.UserRole)
    baby = next(b for b in packing_rules.box_types(store) if b.name == "Baby")
    view._set_box(stop_id, box_type_id=baby.id)
    view._set_box(stop_id, boxes=3)
    stop = store.require(Stop, stop_id)
    assert stop.box_type_id == baby.id and stop.boxes == 3
    assert view.stops.items()[0].text(3) == "Baby"


def test_a_stop_whose_slip_leaves_an_item_out_is_flagged_until_a_substitute_is_set(
    window: MainWindow,
) -> None:
    from mutualaid_desktop.domain import Contact, Item

    view = open_view(window)
    store = window.session.store
    first = store.require(Stop, view.stops.items()[0].data(0, Qt.ItemDataRole.UserRole))
    window.session.update(Contact, first.contact_id, "Allergy", allergies="huevo; kiwi")
    standard = store.conn.execute("SELECT id FROM box_types WHERE name = 'Standard'").fetchone()
    planning.set_box(store, first.id, standard[0])  # a box with eggs in it
    view.reload_day()
    view.runs.setCurrentRow(0)
    item = view.stops.items()[0]
    assert item.text(1).startswith("⚠ ")
    tip = item.toolTip(1)
    assert "check by hand: “kiwi”" in tip
    assert "No eggs: egg allergy; no substitute defined" in tip
    assert "to check before printing" in view.summary.text()

    # Settings › Items: eggs get a substitute; the flag for them goes.
    window.show_page("settings")
    editor = window.views["settings"].packing.items_editor
    eggs = next(i for i in store.select(Item) if i.name == "Eggs")
    tofu = next(i for i in store.select(Item) if i.name == "Tofu")
    rows = [editor.list.item(r) for r in range(editor.list.count())]
    editor.list.setCurrentItem(next(r for r in rows if r.data(Qt.ItemDataRole.UserRole) == eggs.id))
    editor.candidates.setCurrentIndex(editor.candidates.findData(tofu.id))
    editor._add_substitute()
    assert editor.save()
    assert store.require(Item, eggs.id).substitutes == [tofu.id]
    view = open_view(window)
    tip = view.stops.items()[0].toolTip(1)
    assert "No eggs" not in tip and "kiwi" in tip


def test_a_right_to_left_driver_name_keeps_the_counts_beside_it_in_order(
    window: MainWindow,
) -> None:
    from mutualaid_desktop.domain import Contact, DeliveryRun

    view = open_view(window)
    store = window.session.store
    run = store.require(DeliveryRun, view.current_run_id())
    assert run.driver_id
    window.session.update(Contact, run.driver_id, "Rename", name="חנה אברהם")
    view.reload_day()
    text = next(
        view.runs.item(r).text()
        for r in range(view.runs.count())
        if view.runs.item(r).data(Qt.ItemDataRole.UserRole) == run.id
    )
    # The name is a unit of its own direction, so "· 25 stops" stays after it on screen.
    assert "\n\u2068חנה אברהם\u2069 · " in text
