"""Logging to a private rotating file in the platform's log folder, without people in it.

The log is for whoever supports the group, who may read it on another
machine: it names records by id and never holds a name, phone, address,
e-mail or note. The code logs ids, and every line (tracebacks included) is
scrubbed on the way out: quoted values, e-mail addresses and phone-like
numbers are replaced, which covers what exceptions quote back (a validation
error's input, a search term, a record's repr).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import traceback
from pathlib import Path

from mutualaid_desktop import config, files

_configured = False

_UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_TRACEBACK_FILE = re.compile(r'^(\s*File )("[^"\n]*")(.*)$', re.MULTILINE)
_QUOTED = re.compile(
    r"(?<!\w)'[^'\n]*'"  # 'value' (not the apostrophe in can't)
    r'|"[^"\n]*"'
    r"|“[^”\n]*”|‘[^’\n]*’|«[^»\n]*»|„[^“”\n]*[“”]"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven digits or more, with the separators people type: phones, dates of
# birth, house-and-ZIP runs. Line numbers and counts are shorter.
_NUMBER = re.compile(r"\+?\d(?:[ ().\-/]{0,2}\d){6,}")
WITHHELD = "…"


def log_file() -> str:
    return str(config.log_dir() / "mutualaid.log")


def scrub(text: str) -> str:
    """`text` without quoted values, e-mail addresses or phone-like numbers; ids stay."""
    kept: list[str] = []

    def hold(value: str) -> str:  # set aside, put back at the end
        kept.append(value)
        return f"\x00{len(kept) - 1}\x00"

    text = _UUID.sub(lambda m: hold(m.group(0)), text)
    text = _TRACEBACK_FILE.sub(lambda m: m.group(1) + hold(m.group(2)) + m.group(3), text)
    text = _EMAIL.sub("<e-mail>", text)
    text = _QUOTED.sub(_withhold, text)
    text = _NUMBER.sub("<number>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _withhold(match: re.Match[str]) -> str:
    quoted = match.group(0)
    if re.fullmatch("\x00\\d+\x00", quoted[1:-1]):
        return quoted  # a quoted id stays: ids are how the log names records
    return quoted[0] + WITHHELD + quoted[-1]


def describe_exception(exc: BaseException) -> str:
    """The traceback of `exc`, scrubbed: what the log and the "details" of a bug dialog show."""
    return scrub("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


class ScrubbingFormatter(logging.Formatter):
    """A formatter whose message, traceback and stack are scrubbed (the time is not)."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = scrub(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info:
            text += "\n" + scrub(self.formatException(record.exc_info))
        if record.stack_info:
            text += "\n" + scrub(self.formatStack(record.stack_info))
        return text


class _PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are 0600, whatever the umask (renames keep the mode)."""

    def _open(self):  # type: ignore[no-untyped-def]
        files.create_private(Path(self.baseFilename))
        return super()._open()


def setup_logging(level: int = logging.INFO) -> None:
    """Send every module's log to the rotating file (once per process)."""
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(level)
    try:
        files.program_folder(config.log_dir())
        handler: logging.Handler = _PrivateRotatingFile(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only home must not stop the program
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
