"""A form layout whose fields can show a validation message right beside them.

Messages appear beside their fields when saving fails; the first field in
error (in the form's order) is scrolled to and focused. While messages are
shown, every edit re-checks the form (`validate`), so a message goes away as
soon as its field is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.errors import ValidationFailed
from mutualaid_desktop.i18n import _

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
        # What the form's problems are now ({} when none); set by the owner.
        self.validate: Callable[[], dict[str, str]] | None = None
        self._recheck = QTimer()
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(150)
        self._recheck.timeout.connect(self._revalidate)

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
        parts: list[QWidget] = [widget, *widget.findChildren(QWidget)]
        for part in parts:
            self._watch(part)
        return widget

    def _watch(self, widget: QWidget) -> None:
        """Re-check the form when the organizer changes this field."""
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._edited)
        elif isinstance(widget, QComboBox):
            widget.activated.connect(self._edited)
        elif isinstance(widget, QAbstractSpinBox):
            widget.editingFinished.connect(self._edited)
            signal = getattr(widget, "valueChanged", None) or getattr(widget, "dateChanged", None)
            if signal is not None:
                signal.connect(self._edited)
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        if self.has_problems():
            self._recheck.start()

    def _revalidate(self) -> None:
        if self.validate is None or not self.has_problems():
            return
        problems = self.validate()
        leftover = self.show_problems(problems, focus=False)
        if leftover:
            self.general.setText(" ".join(leftover))
            self.general.show()

    def has_problems(self) -> bool:
        return not self.general.isHidden() or any(
            not label.isHidden() for label in self._errors.values()
        )

    def show_problems(self, problems: dict[str, str], focus: bool = True) -> list[str]:
        """Show each message beside its field; return the messages no field claimed.

        With `focus`, the first field in error (in the form's order) is scrolled
        into view and gets the cursor.
        """
        self.clear_problems()
        unclaimed: list[str] = []
        shown: set[str] = set()
        for path, message in problems.items():
            key = self._key_for(path)
            if key is None:
                unclaimed.append(message)
                continue
            label = self._errors[key]
            label.setText(message)
            label.show()
            self._widgets[key].setAccessibleDescription(message)
            shown.add(key)
        first = next((self._widgets[k] for k in self._errors if k in shown), None)
        if focus and first is not None:
            self.reveal(first)
        return unclaimed

    @staticmethod
    def reveal(widget: QWidget) -> None:
        """Scroll `widget` into view (in whatever scroll area holds it) and focus it."""
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 20, 40)
        target = widget
        if not _takes_focus(widget):  # a row of boxes: its first one
            target = next((w for w in widget.findChildren(QWidget) if _takes_focus(w)), widget)
        target.setFocus()

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

    def first_message(self) -> str:
        """The first message shown, in the form's order ("" when none)."""
        for label in self._errors.values():
            if not label.isHidden():
                return label.text()
        return self.general.text() if not self.general.isHidden() else ""

    def _key_for(self, path: str) -> str | None:
        # "address.postal_code" -> "postal_code" or "address"; "phones.0" -> "phones"
        parts = path.split(".")
        for candidate in (path, parts[-1], parts[0]):
            if candidate in self._errors:
                return candidate
        return None


def lock_for_reading(widget: QWidget) -> None:
    """A form over a read-only database: it shows the values and takes no typing.

    A widget with the property "navigates" (it opens or shows, never edits) is left alone.
    """
    for child in widget.findChildren(QWidget):
        if child.property("navigates"):
            continue
        if isinstance(child, (QLineEdit, QPlainTextEdit, QAbstractSpinBox)):
            child.setReadOnly(True)
        elif isinstance(child, (QComboBox, QAbstractButton)):
            child.setEnabled(False)
        elif isinstance(child, QAbstractItemView):  # a table whose cells are edited in place
            child.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)


def _takes_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def leave_record(form: Any, what: str, problem: str = "") -> bool:
    """The rule every editor follows when its record is left: unchanged, or saved, or
    (when it cannot be saved yet) kept on screen or discarded as the organizer says.

    `form` has is_dirty(), save(), revert() and its ErrorForm as `form.form`.
    """
    if not form.is_dirty() or form.save():
        return True
    if keep_editing(form, what, form.form.first_message() or problem):
        return False
    form.revert()
    return True


def keep_editing(parent: QWidget, what: str, problem: str) -> bool:
    """Ask whether to keep editing a record that cannot be saved yet; False: discard it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Not saved yet"))
    box.setText(_("{what} has changes that cannot be saved yet.").format(what=what))
    box.setInformativeText(
        _("{problem}\n\nKeep editing to fix it, or discard the changes you made.").format(
            problem=problem
        )
        if problem
        else _("Keep editing, or discard the changes you made.")
    )
    keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setObjectName("keepEditingDialog")
    box.exec()
    return box.clickedButton() is keep
