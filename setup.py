"""Build step that pyproject.toml cannot express: compile the translation catalogs.

Every `.po` under mutualaid_desktop/resources/locale becomes the `.mo` gettext
reads, in the source tree, before the package's files are copied. It runs for
wheels, sdists' builds, `pip install .` and editable installs alike, so no build
ships without its translations and nobody compiles them by hand.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).resolve().parent / "mutualaid_desktop" / "resources" / "locale"


def compile_catalogs() -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, catalog)  # fuzzy entries are left out, as msgfmt does
        written.append(mo)
    return written


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
