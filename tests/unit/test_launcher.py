"""Starting the program the ways a desktop does: the menu entry, a file given to it,
and a windowed build with no console streams."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mutualaid_desktop import cli, config, launcher
from mutualaid_desktop.store import Store

DESKTOP = config.resources_dir() / "desktop"


def test_a_path_given_to_the_program_opens_that_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = cli.build_parser()
    path = tmp_path / "Grupo Este" / "east.sqlite"
    args = parser.parse_args(cli._with_file_argument([str(path)]))
    assert args.command is None and args.db == path  # the window, on that file
    # Commands and --db keep their meaning.
    args = parser.parse_args(cli._with_file_argument(["--db", str(path), "search", "ana"]))
    assert args.command == "search" and args.db == path and args.text == "ana"
    args = parser.parse_args(cli._with_file_argument(["search", "--db", str(path), "ana"]))
    assert args.command == "search" and args.text == "ana"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aid").write_bytes(b"")  # an existing file without a telling name
    assert cli._with_file_argument(["aid"]) == ["--db", "aid"]
    assert cli._with_file_argument(["frobnicate"]) == ["frobnicate"]  # a typo stays a typo


def test_commands_run_without_console_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A windowed build (console=False) starts with stdin, stdout and stderr all None.
    for name in ("stdin", "stdout", "stderr"):
        monkeypatch.setattr(sys, name, None)
    db = tmp_path / "demo.sqlite"
    demo = ["demo", "--db", str(db), "--households", "5", "--today", "2026-11-27"]
    # A new database needs a passphrase, and there is no terminal to ask: one sentence.
    assert cli.main(demo) == 1
    assert not db.exists()
    assert cli.main([*demo, "--no-encryption"]) == 0
    assert Store.open(db).close() is None
    # No terminal to ask the passphrase: one sentence (to nowhere) and exit 1, no crash.
    assert cli.main(["bundle", "export", "--db", str(db), "--out", str(tmp_path / "b")]) == 1
    assert not (tmp_path / "b").exists()
    for name in ("stdin", "stdout", "stderr"):  # what main() put in place of None
        getattr(sys, name).close()


def test_install_desktop_puts_a_working_entry_in_the_menu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert cli.main(["install-desktop"]) == 0
    entry = tmp_path / "share" / "applications" / f"{launcher.APP_ID}.desktop"
    text = entry.read_text(encoding="utf-8")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    program = exec_line.removeprefix("Exec=").split()[0]
    assert Path(program).exists() and exec_line.endswith(" %f")
    assert "StartupWMClass=MutualAidDesktop" in text
    for size in launcher.ICON_SIZES:
        icon = tmp_path / f"share/icons/hicolor/{size}x{size}/apps/{launcher.APP_ID}.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout
    # The installed program answers the way the entry calls it.
    done = subprocess.run([program, "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "mutualaid" in done.stdout
    assert cli.main(["install-desktop", "--remove"]) == 0
    assert not entry.exists()
    assert "Removed" in capsys.readouterr().out


def test_the_window_class_matches_the_entry() -> None:
    # X11 groups a window under its launcher by WM_CLASS, which Qt takes from the
    # application name.
    text = (DESKTOP / f"{launcher.APP_ID}.desktop").read_text(encoding="utf-8")
    assert f"StartupWMClass={config.APP_NAME}\n" in text


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_the_shipped_desktop_entry_validates() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(DESKTOP / f"{launcher.APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream")
def test_the_metainfo_validates() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(DESKTOP / f"{launcher.APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    text = (DESKTOP / f"{launcher.APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert "<release " in text and '<url type="homepage">' in text
