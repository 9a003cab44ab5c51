"""Where the program keeps its files, from platformdirs.

Every path can be moved with the MUTUALAID_HOME environment variable (tests
and portable installs use it): data, logs, state and backups then live under
that one folder.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_NAME = "MutualAidDesktop"
APP_AUTHOR = "MutualAid"
DB_FILENAME = "mutualaid.sqlite"


def _home() -> Path | None:
    value = os.environ.get("MUTUALAID_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    """Folder of the default database."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def state_dir() -> Path:
    """Device-local state kept outside the database (replica ids, see store.replica)."""
    home = _home()
    return home / "state" if home else Path(platformdirs.user_state_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    """Folder of the rotating log file."""
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def backups_dir() -> Path:
    """Folder of the automatic backups taken before risky operations."""
    return data_dir() / "backups"


def default_db_path() -> Path:
    """The database used when no --db is given."""
    return data_dir() / DB_FILENAME


def resources_dir() -> Path:
    """The resources shipped inside the package (fonts, translations, icons).

    Found through importlib.resources, so a wheel, `pip install .` and the
    frozen build find them exactly where a checkout does.
    """
    folder = importlib.resources.files("mutualaid_desktop") / "resources"
    # Fonts and catalogs are opened by path (reportlab, gettext): the package
    # must live on disk, which every supported install does (no zipapp).
    if not isinstance(folder, Path):
        raise RuntimeError(f"the package's resources are not on disk: {folder}")
    return folder
