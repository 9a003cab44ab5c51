"""A form layout whose fields can show a validation message right beside them."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from mutualaid_desktop.errors import ValidationFailed

W = TypeVar("W", bound=QWidget)

ERROR_STYLE = "color: #c0392b;"


class ErrorForm(QFormLayout):
    """QFormLayout plus one hidden message label under each field, keyed by field path."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        # For problems no single field owns; the owner places it (under the form).
        self.general = QLabel()
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()

    def add(self, key: str, label: str, widget: W, accessible: str = "") -> W:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        message = QLabel()
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.setObjectName(f"error_{key}")
        message.hide()
        column.addWidget(message)
        text = QLabel(label)
        text.setBuddy(widget)
        self.addRow(text, box)
        widget.setAccessibleName(accessible or label.replace("&", "").rstrip(":"))
        self._errors[key] = message
        self._widgets[key] = widget
        return widget

    def show_problems(self, problems: dict[str, str]) -> list[str]:
        """Show each message beside its field; return the messages no field claimed."""
        self.clear_problems()
        unclaimed: list[str] = []
        first: QWidget | None = None
        for path, message in problems.items():
            key = self._key_for(path)
            if key is None:
                unclaimed.append(message)
                continue
            label = self._errors[key]
            label.setText(message)
            label.show()
            self._widgets[key].setAccessibleDescription(message)
            first = first or self._widgets[key]
        if first is not None:
            first.setFocus()
        return unclaimed

    def report(self, error: BaseException, parent: QWidget) -> None:
        """Show why saving failed: beside the fields, under the form, or as a dialog."""
        if isinstance(error, ValidationFailed):
            leftover = self.show_problems(error.problems)
            if leftover:
                self.general.setText(" ".join(leftover))
                self.general.show()
        else:
            from mutualaid_desktop.ui.errors import show_error

            show_error(parent, error)

    def clear_problems(self) -> None:
        self.general.hide()
        self.general.clear()
        for key, label in self._errors.items():
            label.hide()
            label.clear()
            self._widgets[key].setAccessibleDescription("")

    def message(self, key: str) -> str:
        label = self._errors.get(key)
        return label.text() if label is not None and not label.isHidden() else ""

    def _key_for(self, path: str) -> str | None:
        # "address.postal_code" -> "postal_code" or "address"; "phones.0" -> "phones"
        parts = path.split(".")
        for candidate in (path, parts[-1], parts[0]):
            if candidate in self._errors:
                return candidate
        return None
