"""Detect a copied or restored database file, so it gets a fresh replica id.

Two databases sharing a replica id would lose each other's edits in sync. The
id is kept inside the file *and* in a small state file on this machine, keyed
by the file's path, with the clock value last seen. When they disagree (the
file came from elsewhere, or went back in time because a backup was restored)
the store mints a new id before the next write.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mutualaid_desktop import config, files

log = logging.getLogger(__name__)


def _state_file() -> Path:
    return config.state_dir() / "replicas.json"


def _load() -> dict[str, Any]:
    try:
        data = json.loads(_state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _key(db_path: Path) -> str:
    return str(db_path.resolve())


def needs_new_id(db_path: Path, replica_id: str, hlc: int) -> str | None:
    """Why the database at `db_path` needs a new replica id, or None if it does not."""
    known = _load().get(_key(db_path))
    if not isinstance(known, dict):
        return "this file has not been opened at this place on this computer before"
    if known.get("replica_id") != replica_id:
        return "another database file was put at this place"
    if int(known.get("hlc", 0)) > hlc:
        return "the file is older than the last one seen here (restored from a backup?)"
    return None


def remember(db_path: Path, replica_id: str, hlc: int) -> None:
    """Record the id and clock of the database at `db_path` (atomic write)."""
    state = _load()
    state[_key(db_path)] = {"replica_id": replica_id, "hlc": hlc}
    target = _state_file()
    try:
        files.program_folder(target.parent)
        files.replace_atomically(target, json.dumps(state, indent=1).encode("utf-8"), durable=False)
    except OSError as error:
        # Not fatal: without the record the next open simply mints a new id.
        log.warning("could not record the replica id: %s", error)
