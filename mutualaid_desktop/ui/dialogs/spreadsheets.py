"""Spreadsheets in and out: the import wizard, exports, the funder report, the group-chat digest.

The import wizard has two pages. Columns: what each column of the sheet is
imported as, with sample values, changeable (and remembered). Preview: every
row as it will be stored, its problems in a sentence, and for a probable
duplicate the choice of merge, add as new or skip. Reading the rows and
writing them run in the background with progress and Cancel; the import is
one step on the Undo stack.

Run alone on demo data: `python -m mutualaid_desktop.ui.dialogs.spreadsheets [FILE]`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.exchange import importing
from mutualaid_desktop.exchange.columns import Field, check_mapping
from mutualaid_desktop.exchange.importing import Action, Preview
from mutualaid_desktop.exchange.spreadsheet import Table, read_table
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.changes import ChangeSet
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.ops import Job, Progress, run_job
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.optional_date import date_edit

if TYPE_CHECKING:
    from mutualaid_desktop.ui.main_window import MainWindow
    from mutualaid_desktop.ui.session import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

SHEET_FILTER = N_("Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods)")
CHECK = QColor("#fff3cd")  # rows to check: a soft yellow, readable in light and dark themes


def _run_on_own_store(session: Session, work: Callable[[Store], T]) -> T:
    """Run `work(store)` on a connection of the job's own thread (SQLite's rule)."""
    path = session.path
    if path is None:  # an in-memory database: only its own connection can see it
        return work(session.store)
    with session.store.reopen() as store:  # the same key, no second key stretching
        return work(store)


# -- the import wizard -----------------------------------------------------------------


class _RowsModel(QAbstractTableModel):
    """The preview's rows as they will be stored; the first column is the choice."""

    COLUMNS = (
        ("action", N_("What to do")),
        ("row", N_("Row")),
        ("name", N_("Name")),
        ("same_as", N_("Probably the same as")),
        ("problems", N_("To check")),
        ("phone", N_("Phone")),
        ("address", N_("Address")),
        ("size", N_("People")),
        ("needs", N_("Needs")),
        ("diet", N_("Diet and allergies")),
        ("consent", N_("Sharing")),
        ("driver", N_("Driver")),
    )
    choice_changed = Signal()

    def __init__(self, plan: Preview) -> None:
        super().__init__()
        self.plan = plan
        self.rows = [r for r in plan.rows if not r.blank]
        self._shown = list(range(len(self.rows)))
        self._cache: dict[int, dict[str, str]] = {}

    def show_only_to_check(self, only: bool) -> None:
        self.beginResetModel()
        self._shown = [
            i for i, r in enumerate(self.rows) if not only or r.flagged or r.match or r.errors
        ]
        self.endResetModel()

    def row_at(self, index: int) -> importing.Row:
        return self.rows[self._shown[index]]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.COLUMNS[section][1])
        return None

    def _described(self, at: int) -> dict[str, str]:
        found = self._cache.get(at)
        if found is None:
            found = importing.describe_row(self.rows[at])
            self._cache[at] = found
        return found

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        at = self._shown[index.row()]
        row = self.rows[at]
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key == "action":
                return row.action.label
            if key == "row":
                return str(row.number)
            return self._described(at).get(key, "")
        if role == Qt.ItemDataRole.ToolTipRole and key in (
            "problems",
            "same_as",
            "needs",
            "address",
            "diet",
        ):
            return self._described(at).get(key) or None
        if role == Qt.ItemDataRole.BackgroundRole and (row.errors or row.flagged):
            return QBrush(CHECK)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.column() == 0 and self.choices(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def choices(self, index: int) -> list[Action]:
        row = self.row_at(index)
        if not row.importable:
            return []
        if row.match is not None:
            return [Action.MERGE, Action.ADD, Action.SKIP]
        return [Action.ADD, Action.SKIP]

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 2
    ) -> bool:
        if index.column() != 0 or role != Qt.ItemDataRole.EditRole:
            return False
        action = value if isinstance(value, Action) else Action(value)
        if action not in self.choices(index.row()):
            return False
        self.row_at(index.row()).action = action
        self._cache.pop(self._shown[index.row()], None)
        last = self.index(index.row(), self.columnCount() - 1)
        self.dataChanged.emit(self.index(index.row(), 0), last)
        self.choice_changed.emit()
        return True


class _ActionDelegate(QStyledItemDelegate):
    """A drop-down of merge / add as new / skip in the first column."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        model = index.model()
        combo = QComboBox(parent)
        for action in model.choices(index.row()):  # type: ignore[attr-defined]
            combo.addItem(action.label, action.value)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        current = index.model().row_at(index.row()).action  # type: ignore[attr-defined]
        at = editor.findData(current.value)
        editor.setCurrentIndex(max(at, 0))

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ImportDialog(QDialog):
    """File › Import a spreadsheet…: columns, preview, import."""

    imported = Signal(object)  # the ImportResult

    def __init__(self, session: Session, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.path = Path(path)
        self.table: Table | None = None
        self.plan: Preview | None = None
        self.job: Job | None = None
        self.combos: list[QComboBox] = []
        self.setObjectName("importDialog")
        self.setWindowTitle(_("Import {name}").format(name=self.path.name))
        self.resize(1240, 660)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._columns_page())
        self.pages.addWidget(self._preview_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        # Back on the left, the step forward and Cancel on the right, on every platform.
        self.back_button = QPushButton(_("Back"))
        self.next_button = QPushButton(_("Preview…"))
        self.import_button = QPushButton(_("Import"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self._go(0))
        self.next_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.next_button, self.import_button, self.cancel_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.load(None)
        self._go(0)

    # -- page 1: columns ---------------------------------------------------------------

    def _columns_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setObjectName("importFile")
        layout.addWidget(self.file_label)
        row = QHBoxLayout()
        self.sheet_label = QLabel(_("Sheet:"))
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName(_("Sheet of the workbook"))
        self.sheet_combo.activated.connect(lambda _i: self.load(self.sheet_combo.currentText()))
        row.addWidget(self.sheet_label)
        row.addWidget(self.sheet_combo)
        row.addStretch(1)
        layout.addLayout(row)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        layout.addWidget(self.mapping_note)
        self.columns = QTableWidget(0, 3)
        self.columns.setObjectName("importColumns")
        self.columns.setHorizontalHeaderLabels(
            [_("Column in the sheet"), _("Imported as"), _("Sample values")]
        )
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.columns.setColumnWidth(0, 330)
        self.columns.setColumnWidth(1, 190)
        layout.addWidget(self.columns, 1)
        self.mapping_problem = QLabel()
        self.mapping_problem.setObjectName("mappingProblem")
        self.mapping_problem.setStyleSheet("color: #b00020;")
        self.mapping_problem.setWordWrap(True)
        layout.addWidget(self.mapping_problem)
        return page

    def load(self, sheet: str | None) -> None:
        """Read the file (or another sheet of it) and propose what each column is."""
        try:
            table = read_table(self.path, sheet)
        except UserError as error:
            self.table = None
            self.file_label.setText(
                _("{name} could not be read.").format(name=f"<b>{self.path.name}</b>")
            )
            self.mapping_problem.setText(str(error))
            self.columns.setRowCount(0)
            self.sheet_label.setVisible(False)
            self.sheet_combo.setVisible(False)
            self.next_button.setEnabled(False)
            return
        self.table = table
        many = len(table.sheet_names) > 1
        self.sheet_label.setVisible(many)
        self.sheet_combo.setVisible(many)
        if many and self.sheet_combo.count() == 0:
            self.sheet_combo.addItems(table.sheet_names)
        self.file_label.setText(f"<b>{self.path.name}</b>: {table.describe()}.")
        mapping, remembered = importing.mapping_for(self.session.store, table)
        self.mapping_note.setText(
            _(
                "These columns are read as the last time you imported a sheet with the same "
                "headings. Change any that is wrong."
            )
            if remembered
            else _(
                "Check what each column is imported as, from its heading and its values, "
                "and change any that is wrong. Columns left “(not imported)” are ignored."
            )
        )
        self.columns.setRowCount(len(table.headers))
        self.combos = []
        for i, header in enumerate(table.headers):
            self.columns.setItem(i, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.setAccessibleName(_("Import “{column}” as").format(column=header))
            for field in Field:
                combo.addItem(field.label, field.value)
            combo.setCurrentIndex(combo.findData(mapping[i].value))
            combo.currentIndexChanged.connect(self._check_mapping)
            self.columns.setCellWidget(i, 1, combo)
            self.combos.append(combo)
            samples = " · ".join(v.replace("\n", " ") for v in table.samples(i))
            item = QTableWidgetItem(samples)
            item.setToolTip(samples)
            self.columns.setItem(i, 2, item)
        self._check_mapping()

    def mapping(self) -> list[Field]:
        return [Field(c.currentData()) for c in self.combos]

    def set_field(self, header: str, field: Field) -> None:
        """Choose what a column is imported as (as a click in its drop-down would)."""
        assert self.table is not None
        combo = self.combos[self.table.headers.index(header)]
        combo.setCurrentIndex(combo.findData(field.value))

    def _check_mapping(self) -> None:
        if self.table is None:  # the file could not be read: its sentence stays
            self.next_button.setEnabled(False)
            return
        problem = check_mapping(self.mapping())
        self.mapping_problem.setText(problem or "")
        self.next_button.setEnabled(problem is None)

    # -- page 2: preview -----------------------------------------------------------------

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.only_check = QCheckBox(_("Show only rows to check (duplicates and problems)"))
        self.only_check.toggled.connect(self._filter)
        layout.addWidget(self.only_check)
        self.rows_view = QTableView()
        self.rows_view.setObjectName("importRows")
        self.rows_view.setItemDelegateForColumn(0, _ActionDelegate(self.rows_view))
        self.rows_view.setEditTriggers(
            QAbstractItemView.EditTrigger.CurrentChanged
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.rows_view.setWordWrap(False)
        self.rows_view.verticalHeader().setVisible(False)
        self.rows_view.verticalHeader().setDefaultSectionSize(24)
        layout.addWidget(self.rows_view, 1)
        hint = QLabel(
            _(
                "Rows in yellow need a look. For a probable duplicate, choose in “What to do”: "
                "merge it into the household already there, add it as a new one, or skip it. "
                "Merging keeps what is there and adds phones, needs and diets."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)
        return page

    def _go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.back_button.setVisible(page == 1)
        self.next_button.setVisible(page == 0)
        self.import_button.setVisible(page == 1)
        if page == 0:
            self._check_mapping()

    def preview(self) -> Job | None:
        """Read every row in the background, then show the preview page."""
        if self.table is None:
            return None
        table, mapping = self.table, self.mapping()

        def job(progress: Progress) -> Preview:
            return _run_on_own_store(
                self.session, lambda store: importing.preview(store, table, mapping, progress)
            )

        self.job = run_job(self, _("Reading the sheet"), job, self._show_preview)
        return self.job

    def _show_preview(self, plan: Preview) -> None:
        self.plan = plan
        self.model = _RowsModel(plan)
        self.model.choice_changed.connect(self._update_summary)
        self.rows_view.setModel(self.model)
        widths = [112, 44, 170, 230, 260, 110, 230, 130, 190, 170, 120, 70]
        for column, width in enumerate(widths):
            self.rows_view.setColumnWidth(column, width)
        self.only_check.setChecked(False)
        self._update_summary()
        self._go(1)

    def _filter(self, only: bool) -> None:
        if self.plan is not None:
            self.model.show_only_to_check(only)

    def _update_summary(self) -> None:
        plan = self.plan
        if plan is None:
            return
        add, merge = plan.count(Action.ADD), plan.count(Action.MERGE)
        skip = plan.count(Action.SKIP)
        check = sum(1 for r in plan.rows if r.flagged or (r.errors and not r.blank))
        blank = plan.blank_rows

        def bold(text: str, n: int) -> str:
            return text.format(n=f"<b>{n}</b>")

        skipped = bold(ngettext("{n} row skipped", "{n} rows skipped", skip), skip)
        if blank:
            skipped += " " + ngettext("({n} blank)", "({n} blank)", blank).format(n=blank)
        parts = [
            bold(ngettext("{n} household to add", "{n} households to add", add), add),
            bold(
                ngettext(
                    "{n} row to merge into a household already known",
                    "{n} rows to merge into households already known",
                    merge,
                ),
                merge,
            ),
            skipped,
            bold(ngettext("{n} to check", "{n} to check", check), check),
        ]
        self.summary.setText(
            ", ".join(parts)
            + ". "
            + _("Nothing is saved until you press Import.")
            + (
                f"<br>{importing.kept_home_line(plan.kept_home_no_consent)}."
                if plan.kept_home_no_consent
                else ""
            )
        )
        self.import_button.setText(
            ngettext("Import {n} household", "Import {n} households", add).format(n=add)
            if add
            else _("Import")
        )

    def start_import(self) -> Job | None:
        """Write the import in the background; Cancel leaves the database as it was."""
        plan = self.plan
        if plan is None:
            return None

        label = _("Import {name}").format(name=self.path.name)

        def job(progress: Progress) -> tuple[importing.ImportResult, ChangeSet]:
            def write(store: Store) -> tuple[importing.ImportResult, ChangeSet]:
                # One step for Edit › Undo, whatever its size: the households it adds
                # are kept by their ids alone (store/changes.py). The import's own
                # transaction is the outermost: as a savepoint inside the recording's,
                # SQLite would copy every page it changes aside (4x the time, +170 MB
                # into the 20,000-household demo).
                with store.recording(label, transaction=False) as changes:
                    result = importing.apply(store, plan, progress)
                return result, changes

            return _run_on_own_store(self.session, write)

        self.job = run_job(self, _("Importing"), job, self._done)
        return self.job

    def _done(self, done: tuple[importing.ImportResult, ChangeSet]) -> None:
        result, changes = done
        self.session.record_import(changes)
        self.imported.emit(result)
        self.accept()


def import_spreadsheet(window: MainWindow, path: Path | None = None) -> ImportDialog | None:
    """File › Import a spreadsheet…"""
    if path is None:
        name, _filter = QFileDialog.getOpenFileName(
            window,
            _("Import a spreadsheet"),
            str(Path.home()),
            _(SHEET_FILTER) + ";;" + _("All files (*)"),
        )
        if not name:
            return None
        path = Path(name)
    dialog = ImportDialog(window.session, path, window)

    def finished(result: importing.ImportResult) -> None:
        lines = result.lines()
        window.show_message(
            _("{imported}; {skipped}. Edit › Undo takes it back.").format(
                imported=lines[0], skipped=lines[1][:1].lower() + lines[1][1:]
            )
        )
        if result.review:
            box = QMessageBox(window)
            box.setObjectName("importReview")
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle(_("Imported"))
            box.setText("\n".join(lines))
            box.setInformativeText(_("The rows to check are listed under “Show Details…”."))
            box.setDetailedText(
                "\n".join(
                    _("Row {n}: {problems}").format(n=n, problems=" ".join(s))
                    for n, s in result.review
                )
            )
            box.open()

    dialog.imported.connect(finished)
    dialog.open()
    return dialog


# -- exports and the funder report -----------------------------------------------------------


class ExportDialog(QDialog):
    """File › Export to a spreadsheet…: which records, which days, how much of each name."""

    def __init__(self, parent: QWidget | None = None, report: bool = False) -> None:
        super().__init__(parent)
        from mutualaid_desktop.domain.enums import PrivacyLevel
        from mutualaid_desktop.exchange.export import ExportKind

        self.report = report
        self.setObjectName("reportDialog" if report else "exportDialog")
        self.setWindowTitle(_("Funder report") if report else _("Export to a spreadsheet"))
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind in ExportKind:
            self.kind.addItem(kind.label, kind.value)
        self.privacy = QComboBox()
        for level in PrivacyLevel:
            self.privacy.addItem(level.label, level.value)
        self.all_days = QCheckBox(_("Every day"))
        self.start = date_edit(_("From"))
        self.end = date_edit(_("To"))
        today = date.today()
        self.start.setDate(_qdate(today.replace(day=1) if report else today))
        self.end.setDate(_qdate(today))
        self.fmt = QComboBox()
        if report:
            self.fmt.addItem(_("PDF with a chart (.pdf)"), ".pdf")
        self.fmt.addItem(_("Excel or LibreOffice (.xlsx)"), ".xlsx")
        self.fmt.addItem(_("CSV (.csv)"), ".csv")
        if report:
            note = QLabel(
                _(
                    "Households and people served, boxes delivered and rides given, by week and "
                    "by ZIP code, new and returning. The report names no one."
                )
            )
            note.setWordWrap(True)
            form.addRow(note)
        else:
            form.addRow(_("Records:"), self.kind)
            form.addRow(_("Names:"), self.privacy)
            form.addRow("", self.all_days)
            self.all_days.setChecked(True)
            self.all_days.toggled.connect(self._days)
        form.addRow(_("From:"), self.start)
        form.addRow(_("To:"), self.end)
        form.addRow(_("Format:"), self.fmt)
        form.addRow(ok_cancel(self, _("Save…")))
        self._days(not report)

    def _days(self, every: bool) -> None:
        self.start.setEnabled(not every)
        self.end.setEnabled(not every)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    qd = edit.date()
    return date(qd.year(), qd.month(), qd.day())


def _save_name(parent: QWidget, title: str, suggested: str) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(Path(suggested).suffix)


def export_records(window: MainWindow) -> None:
    """File › Export to a spreadsheet…"""
    from mutualaid_desktop.domain.enums import PrivacyLevel
    from mutualaid_desktop.exchange.export import ExportKind, export

    dialog = ExportDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    kind = ExportKind(dialog.kind.currentData())
    every = dialog.all_days.isChecked()
    start = None if every else _day(dialog.start)
    end = None if every else _day(dialog.end)
    suffix = dialog.fmt.currentData()
    out = _save_name(window, _("Export"), f"{kind.value}-{date.today().isoformat()}{suffix}")
    if out is None:
        return
    try:
        done = export(
            window.session.store, kind, out, PrivacyLevel(dialog.privacy.currentData()), start, end
        )
    except (UserError, OSError) as error:
        show_error(window, error if isinstance(error, UserError) else UserError(str(error)))
        return
    window.show_message(_saved_text(kind.value, done.rows).format(n=done.rows, path=done.path))


def _saved_text(kind: str, n: int) -> str:
    """ "Saved 51 contacts to {path}": each kind has its own plural forms."""
    if kind == "contacts":
        return ngettext("Saved {n} contact to {path}", "Saved {n} contacts to {path}", n)
    if kind == "needs":
        return ngettext("Saved {n} need to {path}", "Saved {n} needs to {path}", n)
    if kind == "deliveries":
        return ngettext("Saved {n} delivery to {path}", "Saved {n} deliveries to {path}", n)
    return ngettext("Saved {n} ride to {path}", "Saved {n} rides to {path}", n)


def funder_report(window: MainWindow) -> None:
    """File › Funder report…"""
    from mutualaid_desktop.exchange.report import write_report

    dialog = ExportDialog(window, report=True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    start, end = _day(dialog.start), _day(dialog.end)
    out = _save_name(window, _("Funder report"), f"report-{start}-{end}{dialog.fmt.currentData()}")
    if out is None:
        return
    try:
        report = write_report(window.session.store, start, end, out)
    except (UserError, OSError) as error:
        show_error(window, error if isinstance(error, UserError) else UserError(str(error)))
        return
    t = report.total
    window.show_message(
        ngettext(
            "Saved the report ({n} household served) to {path}",
            "Saved the report ({n} households served) to {path}",
            t.households,
        ).format(n=t.households, path=out)
    )


# -- the group-chat digest -------------------------------------------------------------------


class DigestDialog(QDialog):
    """The open needs, redacted, to copy into Signal or WhatsApp."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("digestDialog")
        self.setWindowTitle(_("Open needs for the group chat"))
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        note = QLabel(
            _(
                "No names, phones or addresses: urgency, kind, ZIP code and household codes only. "
                "Volunteers reply with a code; you share the details with whoever takes it."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        self.day = date_edit(_("Day"))
        self.day.setDate(_qdate(date.today()))
        self.day.dateChanged.connect(self.refresh)
        row.addWidget(QLabel(_("Needs open on:")))
        row.addWidget(self.day)
        row.addStretch(1)
        layout.addLayout(row)
        self.text = QPlainTextEdit()
        self.text.setObjectName("digestText")
        self.text.setReadOnly(True)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy to clipboard"))
        self.copy_button.setDefault(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        from mutualaid_desktop.exchange.digest import digest

        self.text.setPlainText(digest(self.session.store, _day(self.day)))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText(_("Copied"))


def copy_digest(window: MainWindow) -> DigestDialog:
    """File › Open needs for the group chat…"""
    dialog = DigestDialog(window.session, window)
    dialog.open()
    return dialog


def _main() -> None:  # pragma: no cover - a manual preview on demo data
    import sys
    import tempfile

    from mutualaid_desktop.demo import build_demo
    from mutualaid_desktop.ui.app import create_app
    from mutualaid_desktop.ui.session import Session

    app = create_app()
    folder = Path(tempfile.mkdtemp())
    store = Store.create(folder / "demo.sqlite", organizer="Preview")
    build_demo(store, households=60, seed=2, today=date.today() - timedelta(days=0))
    session = Session(store)
    default = Path(__file__).resolve().parents[4] / "shared" / "data" / "signup_form_export.csv"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    dialog = ImportDialog(session, path)
    dialog.show()
    app.exec()


if __name__ == "__main__":  # pragma: no cover
    _main()
