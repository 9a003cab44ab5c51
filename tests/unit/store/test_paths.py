"""Database paths SQLite must open: mapped drives, UNC shares, odd characters."""

from __future__ import annotations

import sqlite3
from pathlib import Path, PureWindowsPath

from mutualaid_desktop.store import Store
from mutualaid_desktop.store.paths import sqlite_uri


def test_windows_drive_and_share_paths_keep_their_place() -> None:
    # A mapped drive stays a drive: resolving it would give a UNC name SQLite refuses.
    assert sqlite_uri(PureWindowsPath(r"Z:\Eastside\mutualaid.sqlite"), mode="ro") == (
        "file:///Z:/Eastside/mutualaid.sqlite?mode=ro"
    )
    # A share keeps its server in the path, never in the URI's host part.
    assert sqlite_uri(PureWindowsPath(r"\\nas\groups\east.sqlite")) == (
        "file:////nas/groups/east.sqlite"
    )


def test_characters_that_mean_something_in_a_uri_are_escaped() -> None:
    uri = sqlite_uri(PureWindowsPath(r"C:\Users\Ana María\#2 grupo?\db 100%.sqlite"), mode="ro")
    assert uri == "file:///C:/Users/Ana%20Mar%C3%ADa/%232%20grupo%3F/db%20100%25.sqlite?mode=ro"


def test_a_database_in_an_oddly_named_folder_opens(tmp_path: Path) -> None:
    folder = tmp_path / "Grupo #2? 100% (María)"
    folder.mkdir()
    path = folder / "east.sqlite"
    Store.create(path, organizer="Rosa").close()
    conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    assert conn.execute("SELECT value FROM meta WHERE key = 'organizer'").fetchone() == ("Rosa",)
    conn.close()
    with Store.open(path) as store:
        assert store.organizer == "Rosa"
