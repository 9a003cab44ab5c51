"""Everything the program imports is installed by the README's first command.

A package that only arrives as a dependency of a test tool (cryptography came
with pdfplumber) passes every test and still crashes an organizer's first start.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "mutualaid_desktop"


def imported_top_level_modules() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"mutualaid_desktop", "__future__"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_runtime_distributions() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = (re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0] for req in project["dependencies"])
    return {normalise(name) for name in names}


def test_every_imported_package_is_a_declared_runtime_dependency() -> None:
    providers = packages_distributions()
    declared = declared_runtime_distributions()
    modules = imported_top_level_modules()
    assert {"PySide6", "reportlab", "cryptography"} <= modules  # the walk sees the program
    missing = []
    for module in sorted(modules):
        dists = {normalise(d) for d in providers.get(module, [])}
        if not dists & declared:
            missing.append(f"{module} (from {sorted(dists) or 'nothing installed'})")
    assert missing == [], f"imported but not in [project].dependencies: {missing}"
