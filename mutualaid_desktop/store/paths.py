"""SQLite URIs for database paths, including the ones pathlib's `as_uri` gets wrong.

`Path.resolve().as_uri()` turns a file on a Windows mapped drive (Z:) into its
UNC form `file://server/share/...`, whose host part SQLite refuses, and leaves
`?` and `#` in a folder name to be read as the URI's query and fragment.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote


def sqlite_uri(path: PurePath | str, **params: str) -> str:
    """A `file:` URI for `path` that SQLite opens (with `uri=True`), plus query parameters.

    Drive paths keep their letter (`file:///Z:/groups/east.sqlite`), UNC paths keep
    their server in the path (`file:////server/share/east.sqlite`, which SQLite
    passes on to Windows as `//server/share/...`), and every character that means
    something in a URI is escaped.
    """
    if isinstance(path, str):
        path = Path(path)
    if isinstance(path, Path):
        # absolute(), not resolve(): resolving a mapped drive yields its UNC name.
        path = Path(os.path.abspath(path))
    text = path.as_posix()
    if isinstance(path, PureWindowsPath) and path.drive and not path.drive.startswith("\\\\"):
        text = "/" + text  # Z:/x -> /Z:/x
    uri = "file://" + quote(text, safe="/:")  # an empty host, then the absolute path
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
    return f"{uri}?{query}" if query else uri
