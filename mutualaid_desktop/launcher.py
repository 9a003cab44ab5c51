"""The desktop launcher: a menu entry and icon for the current user (Linux desktops).

`mutualaid install-desktop` writes the freedesktop.org entry with an `Exec`
that points at this very installation (a venv's script, pipx's, or the frozen
build's executable), so the menu opens the program whether or not its folder
is on PATH, and a database file given to it (`%f`) opens in the window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mutualaid_desktop.config import resources_dir
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.i18n import _

APP_ID = "org.mutualaid.Desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@dataclass(frozen=True)
class Installed:
    desktop_file: Path
    command: list[str]
    files: list[Path]


def _data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME")
    return Path(value) if value else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How to start this installation of the program, as an absolute command."""
    if getattr(sys, "frozen", False):  # the one-folder build
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / ("mutualaid.exe" if os.name == "nt" else "mutualaid")
    if script.exists():
        return [str(script)]
    return [str(Path(sys.executable)), "-m", "mutualaid_desktop"]


def _exec_quote(arg: str) -> str:
    # The Desktop Entry spec's quoting: double quotes around anything unusual,
    # with ", `, $ and \ escaped by a backslash.
    if arg and all(c.isalnum() or c in "/._-+" for c in arg):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: list[str]) -> str:
    """The shipped desktop entry, with Exec and TryExec pointing at `command`."""
    template = (resources_dir() / "desktop" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(_exec_quote(a) for a in command) + " %f"
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0]
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop() -> Installed:
    """Install the menu entry, icons and AppStream metadata for the current user."""
    if not sys.platform.startswith("linux"):
        raise UserError(
            _(
                "A menu entry is installed this way on Linux only; on Windows and macOS "
                "the program's installer makes the shortcut."
            )
        )
    home = _data_home()
    command = launch_command()
    icons = resources_dir() / "icons"
    written: list[Path] = []
    try:
        for size in ICON_SIZES:
            target = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(icons / f"{APP_ID}-{size}.png", target)
            written.append(target)
        svg = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
        svg.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icons / f"{APP_ID}.svg", svg)
        written.append(svg)
        metainfo = home / "metainfo" / f"{APP_ID}.metainfo.xml"
        metainfo.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resources_dir() / "desktop" / f"{APP_ID}.metainfo.xml", metainfo)
        written.append(metainfo)
        entry = home / "applications" / f"{APP_ID}.desktop"
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(desktop_entry(command), encoding="utf-8")
        written.append(entry)
    except OSError as error:
        raise UserError(
            _("Cannot install the menu entry in {home}: {problem}.").format(
                home=home, problem=error.strerror or error
            )
        ) from None
    # Menus and icon themes pick the new files up sooner with these; both are optional.
    for tool in (
        ["update-desktop-database", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", str(home / "icons" / "hicolor")],
    ):
        if shutil.which(tool[0]):
            subprocess.run(tool, check=False, capture_output=True)
    return Installed(entry, command, written)


def uninstall_desktop() -> list[Path]:
    """Remove what `install_desktop` put in place; returns the files removed."""
    home = _data_home()
    candidates = [
        home / "applications" / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml",
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(
            home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            for size in ICON_SIZES
        ),
    ]
    removed = [p for p in candidates if p.exists()]
    for path in removed:
        path.unlink()
    return removed
