"""Packing rules in Settings: box types, the diets they suit, and their items."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.deliveries import packing_rules
from mutualaid_desktop.domain.allergens import Allergen
from mutualaid_desktop.domain.enums import DietaryFlag
from mutualaid_desktop.domain.food import ItemTrait, contents_from_name
from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets import form as form_widgets


class PackingRulesEditor(QWidget):
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_id: str | None = None
        self._shown_row = -1
        self._shown_state: tuple[object, ...] = ()  # what is saved of the box type shown
        self.boxes = QListWidget()
        self.boxes.setAccessibleName(_("Box types"))
        self.boxes.setMaximumWidth(200)
        self.new_button = QPushButton(_("New box type"))
        self.delete_button = QPushButton(_("Delete…"))
        left = QVBoxLayout()
        left.addWidget(self.boxes, 1)
        left.addWidget(self.new_button)
        left.addWidget(self.delete_button)

        self.name = QLineEdit()
        self.name.setAccessibleName(_("Box type name"))
        diet = QWidget()
        grid = QGridLayout(diet)
        grid.setContentsMargins(0, 0, 0, 0)
        self.suits: dict[DietaryFlag, QCheckBox] = {}
        for i, flag in enumerate(DietaryFlag):
            box = QCheckBox(flag.label)
            box.setAccessibleName(_("Suits {diet}").format(diet=flag.label))
            self.suits[flag] = box
            grid.addWidget(box, i // 4, i % 4)
        self.lines = QTableWidget(0, 4)
        self.lines.setHorizontalHeaderLabels(
            [_("Item"), _("Unit"), _("Base quantity"), _("Per extra person")]
        )
        self.lines.setAccessibleName(_("Items in this box type"))
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 120), (2, 120), (3, 140)):
            self.lines.setColumnWidth(col, width)
        add_line = QPushButton(_("Add item"))
        remove_line = QPushButton(_("Remove item"))
        self.preview_size = QSpinBox()
        self.preview_size.setRange(1, 20)
        self.preview_size.setValue(4)
        self.preview_size.setAccessibleName(_("Household size for the preview"))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.save_button = QPushButton(_("Save box type"))
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Name:")))
        right.addWidget(self.name)
        right.addWidget(QLabel(_("Suits households that are:")))
        right.addWidget(diet)
        right.addWidget(self.lines, 1)
        row = QHBoxLayout()
        row.addWidget(add_line)
        row.addWidget(remove_line)
        row.addStretch(1)
        row.addWidget(QLabel(_("A household of")))
        row.addWidget(self.preview_size)
        row.addWidget(QLabel(_("people gets:")))
        right.addLayout(row)
        right.addWidget(self.preview)
        right.addWidget(self.save_button)
        boxes_page = QWidget()
        layout = QHBoxLayout(boxes_page)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.items_editor = ItemsEditor(session)
        self.items_editor.message.connect(self.message.emit)
        self.tabs = QTabWidget()
        self.tabs.addTab(boxes_page, _("Box types"))
        self.tabs.addTab(self.items_editor, _("Items: contents and substitutes"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

        self.boxes.currentRowChanged.connect(self._row_changed)
        self.new_button.clicked.connect(self.new_box)
        self.delete_button.clicked.connect(self.delete_box)
        add_line.clicked.connect(lambda: self._add_row(packing_rules.Line("", _("each"), 1, 0)))
        remove_line.clicked.connect(lambda: self.lines.removeRow(self.lines.currentRow()))
        self.save_button.clicked.connect(self.save)
        self.preview_size.valueChanged.connect(self._update_preview)
        self.lines.itemChanged.connect(self._update_preview)
        self._shown_state = self._state()
        self.preview_size.setProperty("navigates", True)  # only what the preview shows
        read_only.lock(session, self)

    def reload(self) -> None:
        self.items_editor.reload()
        keep = self.current_id
        self.boxes.clear()
        for box in packing_rules.box_types(self.session.store):
            item = QListWidgetItem(box.name)
            item.setData(Qt.ItemDataRole.UserRole, box.id)
            self.boxes.addItem(item)
            if box.id == keep:
                self.boxes.setCurrentItem(item)
        if self.boxes.currentRow() < 0 and self.boxes.count():
            self.boxes.setCurrentRow(0)

    def _row_changed(self, row: int) -> None:
        """Another box type: the one being edited is saved first (or kept, if it cannot be)."""
        if row != self._shown_row and not self.leave():
            self.boxes.blockSignals(True)
            self.boxes.setCurrentRow(self._shown_row)
            self.boxes.blockSignals(False)
            return
        self._show()

    def _state(self) -> tuple[object, ...]:
        return (
            self.name.text(),
            tuple(flag for flag, check in self.suits.items() if check.isChecked()),
            tuple(self.current_lines()),
        )

    def is_dirty(self) -> bool:
        return self._state() != self._shown_state

    def leave(self) -> bool:
        """Save the box type being edited before another is shown; False to stay on it."""
        if not self.is_dirty():
            return True
        if self.save():
            return True
        what = _("The box type {name}").format(name=self.name.text())
        if form_widgets.keep_editing(self, what, ""):
            return False
        self._shown_state = self._state()  # discarded: what is shown next replaces it
        return True

    def _show(self) -> None:
        self._shown_row = self.boxes.currentRow()
        item = self.boxes.currentItem()
        if item is None:
            self._shown_state = self._state()
            return
        from mutualaid_desktop.domain import BoxType

        box = self.session.store.get(BoxType, item.data(Qt.ItemDataRole.UserRole))
        if box is None:
            return
        self.current_id = box.id
        self.name.setText(box.name)
        for flag, check in self.suits.items():
            check.setChecked(flag in box.suits)
        self.lines.blockSignals(True)
        self.lines.setRowCount(0)
        for line in packing_rules.lines_of(self.session.store, box.id):
            self._add_row(line)
        self.lines.blockSignals(False)
        self._update_preview()
        self._shown_state = self._state()

    def _add_row(self, line: packing_rules.Line) -> None:
        row = self.lines.rowCount()
        self.lines.insertRow(row)
        name = QTableWidgetItem(line.item)
        name.setData(Qt.ItemDataRole.UserRole, line.box_item_id)
        self.lines.setItem(row, 0, name)
        self.lines.setItem(row, 1, QTableWidgetItem(line.unit))
        for col, value in ((2, line.qty_base), (3, line.qty_per_person)):
            spin = QDoubleSpinBox()
            spin.setRange(0, 100)
            spin.setSingleStep(0.25)
            spin.setValue(value)
            spin.setReadOnly(bool(self.session.read_only_reason))
            spin.valueChanged.connect(self._update_preview)
            self.lines.setCellWidget(row, col, spin)

    def current_lines(self) -> list[packing_rules.Line]:
        out = []
        for row in range(self.lines.rowCount()):
            name, unit = self.lines.item(row, 0), self.lines.item(row, 1)
            base, per = self.lines.cellWidget(row, 2), self.lines.cellWidget(row, 3)
            out.append(
                packing_rules.Line(
                    name.text() if name else "",
                    unit.text() if unit else "",
                    base.value() if isinstance(base, QDoubleSpinBox) else 0.0,
                    per.value() if isinstance(per, QDoubleSpinBox) else 0.0,
                    (name.data(Qt.ItemDataRole.UserRole) or "") if name else "",
                )
            )
        return out

    def _update_preview(self) -> None:
        size = self.preview_size.value()
        parts = [
            f"{line.quantity_for(size)} × {line.item}" for line in self.current_lines() if line.item
        ]
        self.preview.setText(", ".join(parts) or _("nothing yet"))

    def new_box(self) -> None:
        if not self.leave():
            return
        self.current_id = None
        self.boxes.clearSelection()
        self.name.setText(_("New box type"))
        self.name.setFocus()
        self.name.selectAll()
        for check in self.suits.values():
            check.setChecked(False)
        self.lines.setRowCount(0)
        self._update_preview()
        self._shown_state = ("",)  # a new box type is unsaved until saved

    def save(self) -> bool:
        from mutualaid_desktop.domain import BoxType

        store = self.session.store
        existing = store.get(BoxType, self.current_id) if self.current_id else None
        suits = [flag for flag, check in self.suits.items() if check.isChecked()]
        try:
            box = (
                existing.model_copy(update={"name": self.name.text().strip(), "suits": suits})
                if existing
                else BoxType(
                    name=self.name.text().strip() or _("Box"),
                    suits=suits,
                    sort_order=self.boxes.count(),
                )
            )
            lines = self.current_lines()
            saved = self.session.change(
                _("Save box type {name}").format(name=box.name),
                lambda: packing_rules.save_box_type(store, box, lines),
                "settings",
            )
        except Exception as exc:
            show_error(self, exc)
            return False
        self.current_id = saved.id
        self.session.changed.emit("box_types")
        self.boxes.blockSignals(True)
        self.reload()
        self.boxes.blockSignals(False)
        self._show()
        self.message.emit(_("Box type {name} saved").format(name=saved.name))
        return True

    def delete_box(self) -> None:
        if not self.current_id:
            return
        from mutualaid_desktop.domain import BoxType

        answer = QMessageBox.question(
            self,
            _("Delete box type"),
            _(
                "Delete the box type {name}? Stops already planned keep their boxes; "
                "Edit › Undo brings it back."
            ).format(name=self.name.text()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            box_id, name = self.current_id, self.name.text()
            try:
                self.session.delete(BoxType, box_id, _("Delete box type {name}").format(name=name))
            except Exception as exc:
                show_error(self, exc)
                return
            self.current_id = None
            self._shown_state = self._state()
            self.reload()


class ItemsEditor(QWidget):
    """What each item contains and is, and what replaces it for a household that may
    not have it: packing slips never list an item a household's record rules out."""

    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_id: str | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(_("Items"))
        self.list.setMaximumWidth(260)
        self.to_confirm = QLabel()
        self.to_confirm.setWordWrap(True)
        self.to_confirm.setMaximumWidth(260)
        self.to_confirm.setStyleSheet("color: #8a5a00;")
        self.name = QLineEdit()
        self.name.setAccessibleName(_("Item name"))
        self.unit = QLineEdit()
        self.unit.setAccessibleName(_("Unit"))
        self.guessed_note = QLabel()
        self.guessed_note.setWordWrap(True)
        self.guessed_note.setStyleSheet(
            "background: #fff4d6; border: 1px solid #e0b040; padding: 4px; color: #5a3c00;"
        )
        self.guessed_note.hide()
        self.allergens: dict[Allergen, QCheckBox] = {}
        contains = QWidget()
        grid = QGridLayout(contains)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, allergen in enumerate(Allergen):
            box = QCheckBox(allergen.label)
            box.setAccessibleName(_("Contains {allergen}").format(allergen=allergen.label))
            self.allergens[allergen] = box
            grid.addWidget(box, i // 5, i % 5)
        self.traits: dict[ItemTrait, QCheckBox] = {}
        kind = QWidget()
        kinds = QGridLayout(kind)
        kinds.setContentsMargins(0, 0, 0, 0)
        for i, trait in enumerate(ItemTrait):
            box = QCheckBox(trait.label)
            box.setAccessibleName(trait.label)
            self.traits[trait] = box
            kinds.addWidget(box, i // 4, i % 4)
        guess = QPushButton(_("Read from the name"))
        guess.setToolTip(_("Tick what the name says (“Peanut butter” contains peanut); check it"))
        self.substitutes = QListWidget()
        self.substitutes.setAccessibleName(_("Substitutes, first choice first"))
        self.substitutes.setMaximumHeight(90)
        self.candidates = QComboBox()
        self.candidates.setAccessibleName(_("Item to add as a substitute"))
        add_sub = QPushButton(_("Add"))
        remove_sub = QPushButton(_("Remove"))
        up = QPushButton(_("Up"))
        down = QPushButton(_("Down"))
        up.setAccessibleName(_("Move the substitute up"))
        down.setAccessibleName(_("Move the substitute down"))
        subs_row = QHBoxLayout()
        for w in (self.candidates, add_sub, remove_sub, up, down):
            subs_row.addWidget(w)
        subs_row.addStretch(1)
        self.save_button = QPushButton(_("Save item"))
        new_button = QPushButton(_("New item"))
        self.delete_button = QPushButton(_("Delete item…"))
        right = QVBoxLayout()
        names = QHBoxLayout()
        names.addWidget(QLabel(_("Name:")))
        names.addWidget(self.name, 2)
        names.addWidget(QLabel(_("Unit:")))
        names.addWidget(self.unit, 1)
        right.addLayout(names)
        right.addWidget(self.guessed_note)
        contents_head = QHBoxLayout()
        contents_head.addWidget(QLabel(_("Contains:")))
        contents_head.addStretch(1)
        contents_head.addWidget(guess)
        right.addLayout(contents_head)
        right.addWidget(contains)
        right.addWidget(QLabel(_("Is:")))
        right.addWidget(kind)
        instead = QLabel(
            _("For a household that may not have it, pack instead (the first that suits):")
        )
        instead.setWordWrap(True)
        right.addWidget(instead)
        right.addWidget(self.substitutes)
        right.addLayout(subs_row)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.to_confirm)
        left.addWidget(self.list, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)

        self.list.currentRowChanged.connect(lambda _r: self._show())
        guess.clicked.connect(self._guess)
        add_sub.clicked.connect(self._add_substitute)
        remove_sub.clicked.connect(lambda: self.substitutes.takeItem(self.substitutes.currentRow()))
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        self.save_button.clicked.connect(self.save)
        new_button.clicked.connect(self.new_item)
        self.delete_button.clicked.connect(self.delete_item)

    def reload(self) -> None:
        keep = self.current_id
        self.list.blockSignals(True)
        self.list.clear()
        self._items = {i.id: i for i in packing_rules.items(self.session.store)}
        guessed = 0
        for item in self._items.values():
            contents = [a.label.lower() for a in item.allergens] + [
                t.label.lower() for t in item.traits
            ]
            text = f"{item.name} ({', '.join(contents)})" if contents else item.name
            entry = QListWidgetItem(f"⚠ {text}" if item.contents_guessed else text)
            if item.contents_guessed:
                guessed += 1
                entry.setToolTip(_("Read from the name, not yet confirmed: check it and save"))
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.list.addItem(entry)
            if item.id == keep:
                self.list.setCurrentItem(entry)
        self.list.blockSignals(False)
        self.to_confirm.setText(
            ngettext(
                "⚠ {n} item with contents guessed from the name: check it and save it to confirm.",
                "⚠ {n} items with contents guessed from the name: check each one and save "
                "it to confirm.",
                guessed,
            ).format(n=guessed)
        )
        self.to_confirm.setVisible(guessed > 0)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._show()

    def _show(self) -> None:
        entry = self.list.currentItem()
        item = self._items.get(entry.data(Qt.ItemDataRole.UserRole)) if entry else None
        if item is None:
            return
        self.current_id = item.id
        self.name.setText(item.name)
        self.unit.setText(item.unit)
        self.guessed_note.setText(
            _("⚠ Read from its name, not yet confirmed: check against the label, then Save item.")
        )
        self.guessed_note.setVisible(item.contents_guessed)
        for allergen, box in self.allergens.items():
            box.setChecked(allergen in item.allergens)
        for trait, box in self.traits.items():
            box.setChecked(trait in item.traits)
        self.substitutes.clear()
        for sub in item.substitutes:
            other = self._items.get(sub)
            if other is not None:
                self._add_row(other.id, other.name)
        self._fill_candidates()

    def _fill_candidates(self) -> None:
        self.candidates.clear()
        for other in self._items.values():
            if other.id != self.current_id:
                self.candidates.addItem(other.name, other.id)

    def _add_row(self, item_id: str, name: str) -> None:
        row = QListWidgetItem(name)
        row.setData(Qt.ItemDataRole.UserRole, item_id)
        self.substitutes.addItem(row)

    def _add_substitute(self) -> None:
        item_id = self.candidates.currentData()
        if item_id and item_id not in self._substitute_ids():
            self._add_row(item_id, self.candidates.currentText())

    def _move(self, step: int) -> None:
        """Move the chosen substitute up (-1) or down (+1) the order of preference."""
        row = self.substitutes.currentRow()
        if row < 0 or not 0 <= row + step < self.substitutes.count():
            return
        moved = self.substitutes.takeItem(row)
        self.substitutes.insertItem(row + step, moved)
        self.substitutes.setCurrentRow(row + step)

    def _substitute_ids(self) -> list[str]:
        found = (self.substitutes.item(i) for i in range(self.substitutes.count()))
        return [row.data(Qt.ItemDataRole.UserRole) for row in found if row is not None]

    def _guess(self) -> None:
        contents = contents_from_name(self.name.text())
        for allergen, box in self.allergens.items():
            box.setChecked(allergen in contents.allergens)
        for trait, box in self.traits.items():
            box.setChecked(trait in contents.traits)

    def new_item(self) -> None:
        self.current_id = None
        self.list.clearSelection()
        self.guessed_note.hide()
        self.name.setText(_("New item"))
        self.unit.setText(_("each"))
        for box in [*self.allergens.values(), *self.traits.values()]:
            box.setChecked(False)
        self.substitutes.clear()
        self._fill_candidates()
        self.name.setFocus()
        self.name.selectAll()

    def save(self) -> bool:
        from mutualaid_desktop.domain import Item

        store = self.session.store
        existing = self._items.get(self.current_id or "")
        fields = {
            "name": self.name.text(),
            "unit": self.unit.text(),
            "allergens": [a for a, box in self.allergens.items() if box.isChecked()],
            "traits": [t for t, box in self.traits.items() if box.isChecked()],
            "substitutes": self._substitute_ids(),
            "contents_guessed": False,  # an organizer looked at them and saved: confirmed
        }
        try:
            item = existing.model_copy(update=fields) if existing else Item(**fields)
            item = packing_rules.checked_item(store, item)
            if existing:
                saved = self.session.save(item, _("Edit item {name}").format(name=item.name))
            else:
                saved = self.session.create(item, _("New item {name}").format(name=item.name))
        except Exception as exc:
            show_error(self, exc)
            return False
        self.current_id = saved.id
        self.session.changed.emit("items")
        self.reload()
        self.message.emit(_("Item {name} saved").format(name=saved.name))
        return True

    def delete_item(self) -> None:
        """Ask first; an item box types pack or other items fall back on stays, and says why."""
        from mutualaid_desktop.domain import Item

        item = self._items.get(self.current_id or "")
        if item is None:
            return
        why = packing_rules.why_item_stays(self.session.store, item.id)
        if why is not None:
            QMessageBox.information(self, _("Delete item"), why)
            return
        answer = QMessageBox.question(
            self,
            _("Delete item"),
            _("Delete the item {name}? Edit › Undo brings it back.").format(name=item.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.session.delete(Item, item.id, _("Delete item {name}").format(name=item.name))
        except Exception as exc:  # a locked, full or read-only file: said, nothing lost
            show_error(self, exc)
            return
        self.current_id = None
        self.reload()
        self.message.emit(_("Item {name} deleted").format(name=item.name))
