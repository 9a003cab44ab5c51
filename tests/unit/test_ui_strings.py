"""Every sentence the window shows goes through the catalog: a scan of ui/ for
string literals handed to a person (a label, a button, a menu, a title, a tooltip,
a message box, a status-bar message, an undo label) without `_()` or `ngettext()`,
and for translations made at import time (they would keep the language the program
started in when the organizer switches it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

UI = REPO / "mutualaid_desktop" / "ui"

# Parts of ui/ another change is translating; the lead empties this at merge.
PENDING: tuple[str, ...] = ()

# Words the same in every language the program speaks.
SAME_IN_EVERY_LANGUAGE = {"Mutual Aid Desktop", "PDF", "CSV", "WhatsApp", "…"}

TRANSLATE = {"_", "ngettext", "N_"}

# Which arguments of a call reach a person (None: all of them).
# Methods, by name, whatever object they are called on:
METHODS: dict[str, tuple[int, ...] | None] = {
    **dict.fromkeys(
        [
            "setText",
            "setWindowTitle",
            "setToolTip",
            "setStatusTip",
            "setWhatsThis",
            "setPlaceholderText",
            "setAccessibleName",
            "setAccessibleDescription",
            "showMessage",
            "show_message",
            "setHorizontalHeaderLabels",
            "setVerticalHeaderLabels",
            "setHeaderLabels",
            "setTitle",
            "setLabelText",
            "setInformativeText",
            "setDetailedText",
            "setSuffix",
            "setPrefix",
            "setSpecialValueText",
            "setCancelButtonText",
            "setWindowIconText",
            "addItems",
            "addMenu",
            "addAction",
            "addSeparator",
            "setButtonText",
            "inform",
            "confirm",
            "keep_editing",
            "show_problem",
            "show_problems",
        ],
        None,
    ),
    "progress": (0,),  # a job's progress line, shown under its bar
    "addItem": (0,),
    "insertItem": (1,),
    "setItemText": (1,),
    "addTab": (1,),
    "insertTab": (2,),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "addButton": (0,),
    "addRow": (0,),
    "add": (1, 3),  # ErrorForm.add(key, label, widget, accessible)
    "emit": None,  # a view's `message` signal goes to the status bar
    # Session changes: their label is the Undo menu's text.
    "change": (0,),
    "create": (1,),
    "save": (1,),
    "update": (2,),
    "delete": (2,),
}
# Classes and functions, by name: every argument.
CALLABLES = set(
    [
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QGroupBox",
        "QAction",
        "QToolButton",
        "QMenu",
        "QToolBar",
        "QListWidgetItem",
        "QTableWidgetItem",
        "QTreeWidgetItem",
        "QStandardItem",
        "QProgressDialog",
        "QMessageBox",
        "QDockWidget",
        "QCommandLinkButton",
        "_action",
        "run_job",
        "EmptyState",
        "UserError",
        "OptionalDate",
        "date_edit",
        "ContactPicker",
        "Column",
        "ok_cancel",
        "_label",
        "_under_option",
        "_datetime_edit",
    ]
)
# Static functions of these classes (QMessageBox.warning, QFileDialog.getSaveFileName):
# every argument.
STATIC_OWNERS = {"QMessageBox", "QFileDialog", "QInputDialog", "QToolTip"}
KEYWORDS = {"text", "title", "label", "tooltip", "accessible", "placeholder", "message"}
KEYWORDS |= {"caption", "filter", "ok_text", "what", "problem"}

IDENTIFIER = re.compile(r"^[a-z][A-Za-z0-9_.\-]*$")  # "contacts", "jobProgress": codes
SHORTCUT = re.compile(r"^((Ctrl|Shift|Alt|Meta)\+)+\S+$")


def reads_as_words(text: str) -> bool:
    stripped = re.sub(r"<[^>]*>|&nbsp;", " ", text).strip()  # the words, not the markup
    for same in SAME_IN_EVERY_LANGUAGE:
        if same != stripped:
            stripped = stripped.replace(same, "")
    return bool(
        re.search(r"[A-Za-z]", stripped)
        and not IDENTIFIER.match(stripped)
        and not SHORTCUT.match(stripped)
        and stripped not in SAME_IN_EVERY_LANGUAGE
        and not re.match(r"^(#\w+|Q[A-Z]\w+)", stripped)  # colours, Qt style sheets
    )


def name_of(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def literal_words(node: ast.AST) -> list[str]:
    """Literal text in `node` that is not inside a translation call."""
    if isinstance(node, ast.Call) and name_of(node.func) in TRANSLATE:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if reads_as_words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        found = [text] if reads_as_words(text) else []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                found += literal_words(value.value)
        return found
    if isinstance(node, ast.Subscript):  # row["name"]: a key, not text
        return literal_words(node.value)
    if isinstance(node, ast.Call) and name_of(node.func) in ("get", "value", "property"):
        return []
    return [w for child in ast.iter_child_nodes(node) for w in literal_words(child)]


def untranslated(path: Path, root: Path = UI) -> list[str]:
    """ "file:line: text" for each literal a person reads without a translation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = name_of(node.func)
        func = node.func
        static = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        if name in CALLABLES or (static and func.value.id in STATIC_OWNERS):  # type: ignore[attr-defined]
            positions: tuple[int, ...] | None = None
        elif isinstance(node.func, ast.Attribute) and name in METHODS:
            positions = METHODS[name]
        else:
            continue
        args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
        args += [k.value for k in node.keywords if k.arg in KEYWORDS]
        for arg in args:
            found += [f"{path.relative_to(root)}:{node.lineno}: {w!r}" for w in literal_words(arg)]
    return found


def translated_at_import(path: Path, root: Path = UI) -> list[str]:
    """`_()` run when the module loads: its text stays in the language of that moment."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Call) and name_of(node.func) in ("_", "ngettext"):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def shadows_translation(path: Path, root: Path = UI) -> list[str]:
    """Places that make `_` something else (`name, _ = QFileDialog...`): a `_("…")`
    after them in the same function calls that instead, and fails when shown."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
        elif isinstance(node, ast.Lambda) and any(a.arg == "_" for a in node.args.args):
            calls = [n for n in ast.walk(node.body) if isinstance(n, ast.Call)]
            if any(name_of(c.func) == "_" for c in calls):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            a.arg == "_" for a in node.args.args
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def ui_files() -> list[Path]:
    return [
        p
        for p in sorted(UI.rglob("*.py"))
        if not str(p.relative_to(UI)).startswith(PENDING) and ".venv" not in p.parts
    ]


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: str(p.relative_to(UI)))
def test_what_the_window_says_is_translated(path: Path) -> None:
    assert untranslated(path) == []


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: str(p.relative_to(UI)))
def test_nothing_is_translated_at_import(path: Path) -> None:
    assert translated_at_import(path) == [], "use N_() there and _() where it is shown"


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: str(p.relative_to(UI)))
def test_the_translation_function_is_never_shadowed(path: Path) -> None:
    assert shadows_translation(path) == [], "name the throwaway value (`_filter`), not `_`"


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scan itself: a sentence handed to a label is caught, a translated one is not."""
    sample = tmp_path / "sample.py"
    code = (
        "def build(w, n):\n"
        '    w.setText("Save the household")\n'
        '    w.setText(_("Save the household"))\n'
        '    QLabel(f"{n} stops")\n'
        '    QLabel(ngettext("{n} stop", "{n} stops", n).format(n=n))\n'
        '    w.setObjectName("saveButton")\n'
        '    menu.addAction("&Quit", quit, "Ctrl+Q")\n'
        '    QMessageBox.information(w, "Done", _("All saved."))\n'
        'TITLE = _("Today")\n'
        "def pick(w):\n"
        '    name, _ = QFileDialog.getOpenFileName(w, _("Open"))\n'
        '    log.warning("Not a sentence for a person: %s", name)\n'
    )
    sample.write_text(code, encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in untranslated(sample, tmp_path)] == [
        "'Save the household'",
        "'{} stops'",
        "'&Quit'",
        "'Done'",
    ]
    assert translated_at_import(sample, tmp_path) == ["sample.py:9"]
    assert shadows_translation(sample, tmp_path) == ["sample.py:11"]
