"""Packing rules in Settings: box types, the diets they suit, and their items."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.deliveries import packing_rules
from mutualaid_desktop.domain.enums import DietaryFlag
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
        self.boxes.setAccessibleName("Box types")
        self.boxes.setMaximumWidth(200)
        self.new_button = QPushButton("New box type")
        self.delete_button = QPushButton("Delete…")
        left = QVBoxLayout()
        left.addWidget(self.boxes, 1)
        left.addWidget(self.new_button)
        left.addWidget(self.delete_button)

        self.name = QLineEdit()
        self.name.setAccessibleName("Box type name")
        diet = QWidget()
        grid = QGridLayout(diet)
        grid.setContentsMargins(0, 0, 0, 0)
        self.suits: dict[DietaryFlag, QCheckBox] = {}
        for i, flag in enumerate(DietaryFlag):
            box = QCheckBox(flag.label)
            box.setAccessibleName(f"Suits {flag.label}")
            self.suits[flag] = box
            grid.addWidget(box, i // 4, i % 4)
        self.lines = QTableWidget(0, 4)
        self.lines.setHorizontalHeaderLabels(["Item", "Unit", "Base quantity", "Per extra person"])
        self.lines.setAccessibleName("Items in this box type")
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 120), (2, 120), (3, 140)):
            self.lines.setColumnWidth(col, width)
        add_line = QPushButton("Add item")
        remove_line = QPushButton("Remove item")
        self.preview_size = QSpinBox()
        self.preview_size.setRange(1, 20)
        self.preview_size.setValue(4)
        self.preview_size.setAccessibleName("Household size for the preview")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.save_button = QPushButton("Save box type")
        right = QVBoxLayout()
        right.addWidget(QLabel("Name:"))
        right.addWidget(self.name)
        right.addWidget(QLabel("Suits households that are:"))
        right.addWidget(diet)
        right.addWidget(self.lines, 1)
        row = QHBoxLayout()
        row.addWidget(add_line)
        row.addWidget(remove_line)
        row.addStretch(1)
        row.addWidget(QLabel("A household of"))
        row.addWidget(self.preview_size)
        row.addWidget(QLabel("people gets:"))
        right.addLayout(row)
        right.addWidget(self.preview)
        right.addWidget(self.save_button)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)

        self.boxes.currentRowChanged.connect(self._row_changed)
        self.new_button.clicked.connect(self.new_box)
        self.delete_button.clicked.connect(self.delete_box)
        add_line.clicked.connect(lambda: self._add_row(packing_rules.Line("", "each", 1, 0)))
        remove_line.clicked.connect(lambda: self.lines.removeRow(self.lines.currentRow()))
        self.save_button.clicked.connect(self.save)
        self.preview_size.valueChanged.connect(self._update_preview)
        self.lines.itemChanged.connect(self._update_preview)
        self._shown_state = self._state()

    def reload(self) -> None:
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
        if form_widgets.keep_editing(self, f"The box type {self.name.text()}", ""):
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
        self.preview.setText(", ".join(parts) or "nothing yet")

    def new_box(self) -> None:
        if not self.leave():
            return
        self.current_id = None
        self.boxes.clearSelection()
        self.name.setText("New box type")
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
                    name=self.name.text().strip() or "Box",
                    suits=suits,
                    sort_order=self.boxes.count(),
                )
            )
            lines = self.current_lines()
            saved = self.session.change(
                f"Save box type {box.name}",
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
        self.message.emit(f"Box type {saved.name} saved")
        return True

    def delete_box(self) -> None:
        if not self.current_id:
            return
        from mutualaid_desktop.domain import BoxType

        answer = QMessageBox.question(
            self,
            "Delete box type",
            f"Delete the box type {self.name.text()}? Stops already planned keep their boxes; "
            "Edit › Undo brings it back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            box_id, name = self.current_id, self.name.text()
            try:
                self.session.delete(BoxType, box_id, f"Delete box type {name}")
            except Exception as exc:
                show_error(self, exc)
                return
            self.current_id = None
            self._shown_state = self._state()
            self.reload()
