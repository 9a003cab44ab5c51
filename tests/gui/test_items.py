"""Settings › Items: delete that asks first and explains what keeps an item, substitutes
moved both ways, and contents guessed from names shown until an organizer confirms them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop.domain import Item
from mutualaid_desktop.ui.main_window import MainWindow


def open_items(window: MainWindow):
    window.show_page("settings")
    editor = window.views["settings"].packing.items_editor
    editor.reload()
    return editor


def choose(editor, item_id: str) -> None:
    rows = [editor.list.item(r) for r in range(editor.list.count())]
    editor.list.setCurrentItem(next(r for r in rows if r.data(Qt.ItemDataRole.UserRole) == item_id))


def by_name(window: MainWindow, name: str) -> Item:
    return next(i for i in window.session.store.select(Item) if i.name == name)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a, **k: said.append(text)
    )
    return said


def test_an_item_box_types_pack_stays_and_says_where(
    window: MainWindow, told: list[str], confirm: list[str]
) -> None:
    editor = open_items(window)
    rice = by_name(window, "Rice")
    choose(editor, rice.id)
    editor.delete_item()
    assert told and told[0].startswith("Rice is packed in the box types ")
    assert "Standard" in told[0] and told[0].endswith("remove it there first.")
    assert confirm == []  # nothing asked: it cannot go
    assert window.session.store.get(Item, rice.id) is not None


def test_a_substitute_stays_and_says_what_it_replaces(
    window: MainWindow, told: list[str], confirm: list[str]
) -> None:
    editor = open_items(window)
    water = by_name(window, "Sunflower seed butter")  # in no box; replaces peanut butter
    choose(editor, water.id)
    editor.delete_item()
    assert told == [
        "Sunflower seed butter replaces Peanut butter for households that may not have it: "
        "remove it from that item's substitutes first."
    ]
    assert window.session.store.get(Item, water.id) is not None


def test_an_unused_item_is_deleted_after_asking_and_comes_back_with_undo(
    window: MainWindow, told: list[str], confirm: list[str]
) -> None:
    editor = open_items(window)
    editor.new_item()
    editor.name.setText("Dates")
    assert editor.save()
    dates = by_name(window, "Dates")
    editor.delete_item()
    assert confirm == ["Delete the item Dates? Edit › Undo brings it back."]
    assert told == []
    assert window.session.store.get(Item, dates.id) is None
    assert "Dates" not in [editor.list.item(r).text() for r in range(editor.list.count())]
    window.session.undo()
    assert window.session.store.get(Item, dates.id) is not None


def test_substitutes_move_down_as_well_as_up(window: MainWindow) -> None:
    editor = open_items(window)
    milk = by_name(window, "Milk")
    choose(editor, milk.id)
    first, second = milk.substitutes
    editor.substitutes.setCurrentRow(0)
    editor._move(1)
    assert editor._substitute_ids() == [second, first]
    editor._move(1)  # already last: stays
    assert editor._substitute_ids() == [second, first]
    assert editor.save()
    assert window.session.store.require(Item, milk.id).substitutes == [second, first]
    editor.substitutes.setCurrentRow(1)
    editor._move(-1)
    assert editor._substitute_ids() == [first, second]


def test_guessed_contents_show_until_an_organizer_saves_them(window: MainWindow) -> None:
    store = window.session.store
    # As an upgrade leaves them: contents read from the names, nobody has confirmed them.
    store.conn.execute("UPDATE items SET contents_guessed = 1 WHERE name IN ('Milk', 'Rice')")
    store.conn.commit()
    editor = open_items(window)
    texts = [editor.list.item(r).text() for r in range(editor.list.count())]
    assert sorted(t for t in texts if t.startswith("⚠ ")) == ["⚠ Milk (milk)", "⚠ Rice"]
    assert not editor.to_confirm.isHidden()
    assert editor.to_confirm.text().startswith("⚠ 2 items with contents guessed from the name")
    milk = by_name(window, "Milk")
    choose(editor, milk.id)
    assert not editor.guessed_note.isHidden()
    assert "Read from its name, not yet confirmed" in editor.guessed_note.text()
    assert editor.save()
    assert store.require(Item, milk.id).contents_guessed is False
    assert editor.guessed_note.isHidden()
    assert editor.to_confirm.text().startswith("⚠ 1 item with contents guessed")
    choose(editor, by_name(window, "Eggs").id)
    assert editor.guessed_note.isHidden()
