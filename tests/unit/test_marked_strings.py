"""Every sentence the core shows a person goes through the catalog.

An AST scan of the core (everything outside ui/) for words handed to a person
without `_()` or `ngettext()`: the message of a UserError (and of its
subclasses: they reach the window too), what cli.py prints, and the text the
sheets draw. Words that are the same in every language (formats, proper
nouns) are allowed by name below.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "mutualaid_desktop"
TRANSLATING = {"_", "ngettext", "gettext", "N_"}
# The calls of the sheets that put text on paper, and which of their arguments
# carry it (None: every argument; a list or tuple argument is looked into).
SHEET_HELPERS: dict[str, tuple[int, ...] | None] = {
    "text": (0,),
    "paragraph": (0,),
    "table": (0,),
    "SheetHeader": (1,),
    "Section": (0,),
    "LabelLine": (0,),
    "String": (2,),
    "setTitle": (0,),
    "drawString": (2,),
    "drawRightString": (2,),
    "_line": (2,),
}
# argparse's calls in cli.py, and the keywords that carry what `--help` shows.
ARGPARSE_CALLS = {"ArgumentParser", "add_parser", "add_argument", "add_argument_group", "error"}
ARGPARSE_WORDS = {"help", "description", "epilog", "title"}
# Arguments that are names in the code or the bundle format, shown as they are
# beside the sentence that explains them ("(contacts, field share_scope)").
IDENTIFIERS: dict[str, tuple[int, ...]] = {"InvalidRow": (0, 1)}
# Words that read the same in every language.
SAME_IN_EVERY_LANGUAGE = {
    "Mutual Aid Desktop",
    "mutualaid: ",  # the program's name before its message, as command-line tools do
    "Avery 5160",
    "Avery L7160",
    "A4",
}
WORDS = re.compile(r"[^\W\d_]{2,}")


def core_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts)


def user_error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """UserError and every class that inherits from it, anywhere in the core."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {_name(b) for b in node.bases}
    found = {"UserError"}
    while True:
        more = {cls for cls, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def unmarked(node: ast.expr) -> Iterator[str]:
    """The words in `node` that would reach a person untranslated."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if WORDS.search(node.value) and node.value not in SAME_IN_EVERY_LANGUAGE:
            yield node.value
    elif isinstance(node, ast.JoinedStr):
        literal = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        if WORDS.search(literal) and literal not in SAME_IN_EVERY_LANGUAGE:
            yield ast.unparse(node)
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                yield from unmarked(value.value)
    elif isinstance(node, ast.Call):
        func = node.func
        if _name(func) in TRANSLATING:
            return
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
            # "…{x}".format(x=…) with the template unmarked; `_("…").format` is fine.
            yield from unmarked(func.value)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                yield from unmarked(arg)
        elif _name(func) in ("str", "repr"):
            return
    elif isinstance(node, ast.BinOp):
        yield from unmarked(node.left)
        yield from unmarked(node.right)
    elif isinstance(node, ast.IfExp):
        yield from unmarked(node.body)
        yield from unmarked(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            yield from unmarked(element)
    elif isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        yield from unmarked(node.elt)


def findings(path: Path, tree: ast.Module, errors: set[str]) -> Iterator[str]:
    relative = path.relative_to(REPO).as_posix()
    in_cli = relative.endswith("mutualaid_desktop/cli.py")
    in_sheets = "/sheets/" in relative
    # An error class passes its sentence up with super().__init__(…): that is its message.
    raised_in = {
        id(call)
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef) and cls.name in errors
        for call in ast.walk(cls)
        if isinstance(call, ast.Call)
        and _name(call.func) == "__init__"
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Call)
        and _name(call.func.value.func) == "super"
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if id(node) in raised_in:
            name = "UserError"
        arguments: list[ast.expr] = []
        if name in errors or (in_cli and name == "print"):
            skip = IDENTIFIERS.get(name, ())
            arguments = [a for i, a in enumerate(node.args) if i not in skip]
            arguments += [k.value for k in node.keywords if k.arg != "file"]
        elif in_cli and name in ARGPARSE_CALLS:
            arguments = [k.value for k in node.keywords if k.arg in ARGPARSE_WORDS]
            if name in ("error", "add_argument_group"):
                arguments += node.args
        elif in_sheets and name in SHEET_HELPERS:
            wanted = SHEET_HELPERS[name]
            arguments = [a for i, a in enumerate(node.args) if wanted is None or i in wanted]
        for argument in arguments:
            for words in unmarked(argument):
                yield f"{relative}:{node.lineno}: {words}"


def scan(paths: list[Path]) -> list[str]:
    trees = {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in paths}
    errors = user_error_classes(trees)
    return [line for path, tree in trees.items() for line in findings(path, tree, errors)]


def test_every_sentence_the_core_shows_is_marked_for_translation() -> None:
    found = scan(core_modules())
    assert not found, (
        f"{len(found)} user-visible strings are not marked with _() or ngettext():\n"
        + "\n".join(found)
    )


def test_the_scan_finds_an_unmarked_string(tmp_path: Path) -> None:
    """The scan above can fail: each kind of place, unwrapped, is found; wrapped, it is not."""
    sheets = tmp_path / "mutualaid_desktop" / "sheets"
    sheets.mkdir(parents=True)
    module = sheets / "example.py"
    module.write_text(
        "from mutualaid_desktop.errors import UserError\n"
        "class Refused(UserError): pass\n"
        "class InvalidRow(Refused): pass\n"
        "def f(n, text, table):\n"
        "    raise Refused(f'There are {n} runs on that day.')\n"
        "def g(n, text, table):\n"
        "    text(_('Route sheet'), 'title')\n"
        "    text(f'{n} stops', 'big')\n"
        "    table(['#', _('Address'), 'Outcome'], [], [], text)\n"
        "    raise UserError(_('No run on {day}.').format(day=n))\n",
        encoding="utf-8",
    )
    cli = tmp_path / "mutualaid_desktop" / "cli.py"
    cli.write_text(
        "import sys\nprint(f'Saved {x}', file=sys.stderr)\nprint(_('Done'))\n"
        "p.add_argument('--out', metavar='FILE', help='where to save')\n"
        "p.add_argument('--to', help=_('the last day'))\n"
        "raise InvalidRow('contacts', 'share_scope', 'is not valid')\n"
    )
    original = REPO
    try:
        globals()["REPO"] = tmp_path
        found = scan([module, cli])
    finally:
        globals()["REPO"] = original
    assert [line.split(": ", 1)[1] for line in found] == [
        "f'There are {n} runs on that day.'",
        "f'{n} stops'",
        "Outcome",
        "f'Saved {x}'",
        "where to save",
        "is not valid",  # the table and field are names, shown as they are
    ], found
