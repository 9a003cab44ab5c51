"""Logging to a rotating file in the platform's log folder."""

from __future__ import annotations

import logging
import logging.handlers

from mutualaid_desktop import config

_configured = False


def log_file() -> str:
    return str(config.log_dir() / "mutualaid.log")


def setup_logging(level: int = logging.INFO) -> None:
    """Send every module's log to the rotating file (once per process)."""
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(level)
    try:
        config.log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only home must not stop the program
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
