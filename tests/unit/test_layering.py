"""The core never imports Qt: the CLI, the tests and the benchmarks run without a display."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "mutualaid_desktop"
QT = ("PySide6", "shiboken6")


def core_modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if "ui" not in path.relative_to(PACKAGE).parts[:1]
    )


def qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in QT:
                found.append(f"{where}:{node.lineno} imports {name}")
    return found


def test_the_walk_sees_the_core_and_skips_the_ui() -> None:
    modules = {p.relative_to(PACKAGE).as_posix() for p in core_modules()}
    assert {"cli.py", "store/store.py", "domain/contact.py", "demo/generator.py"} <= modules
    assert not any(m.startswith("ui/") for m in modules)


def test_the_checker_recognises_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom PySide6.QtCore import Qt\ndef f():\n    import shiboken6\n",
        encoding="utf-8",
    )
    assert len(qt_imports(sample)) == 2


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_module_does_not_import_qt(path: Path) -> None:
    assert qt_imports(path) == []


def test_importing_the_core_loads_no_qt(tmp_path: Path) -> None:
    code = (
        "import mutualaid_desktop.cli, mutualaid_desktop.store, mutualaid_desktop.demo\n"
        "import mutualaid_desktop.store.check, mutualaid_desktop.domain\n"
        "import sys\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "assert not qt, qt\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "MUTUALAID_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_cli_commands_run_without_qt(tmp_path: Path) -> None:
    db = tmp_path / "aid.sqlite"
    secret = tmp_path / "passphrase.txt"
    secret.write_text("plum orbit lantern seventeen\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from mutualaid_desktop.cli import main\n"
        f"assert main(['init', '--db', {str(db)!r}, '--name', 'Rosa',"
        f" '--passphrase-file', {str(secret)!r}]) == 0\n"
        f"assert main(['check', '--db', {str(db)!r}, '--passphrase-file', {str(secret)!r}]) == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "MUTUALAID_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
