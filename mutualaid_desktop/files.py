"""Files the program writes: private to this account, never half-written, wiped when replaced.

Everything the program writes holds people's data or points at it, so files
are created 0600 and the folders the program makes 0700, whatever the umask
(on Windows the files live in the user's own profile, which only they can
read). `replace_atomically` writes so that a full disk or a pulled stick never
leaves half a file.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_TEMP_PREFIX = "mutualaid-"
_run_temp: Path | None = None


def private_folder(folder: Path) -> Path:
    """Make `folder` (and any missing parent) readable by this account only; returns it.

    Folders that already exist are left as they are, except the program's own
    ones, which `tighten` is called on: a path an organizer chose (a USB stick,
    Documents) is theirs to share.
    """
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for made in reversed(missing):
        with contextlib.suppress(FileExistsError):
            made.mkdir(mode=FOLDER_MODE)
        tighten(made)  # mkdir's mode passes through the umask; chmod does not
    return folder


def program_folder(folder: Path) -> Path:
    """One of the program's own folders (data, state, logs, backups): made, then tightened."""
    private_folder(folder)
    tighten(folder)
    return folder


def tighten(path: Path) -> None:
    """Take group and other permissions off a file or folder this account owns (best effort)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except OSError:
        pass  # not ours, or a file system without modes (FAT on a stick)


def create_private(path: Path) -> None:
    """Create an empty file at `path` with mode 0600 (an existing file is left alone).

    SQLite gives a database's -wal and -shm files the mode of the database
    file, so creating it first makes all three private.
    """
    if not os.path.lexists(path):  # (a read-only disk must not fail an existing file here)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a new or existing file at `path`, 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    tighten(path)


def shred(path: Path) -> None:
    """Overwrite a file's bytes with zeros, flush them to the disk, then delete it.

    On a disk that writes in place this removes the old content; on an SSD or a
    copy-on-write file system the old blocks may survive, which is why the
    database itself is encrypted.
    """
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        size = os.fstat(fd).st_size
        zeros = bytes(1 << 20)
        done = 0
        while done < size:
            done += os.write(fd, zeros[: min(len(zeros), size - done)])
        os.fsync(fd)
    finally:
        os.close(fd)
    os.unlink(path)


def replace_atomically(
    out: Path,
    data: bytes,
    check: Callable[[Path], object] | None = None,
    durable: bool = True,
) -> None:
    """Write `data` beside `out`, fsync, run `check` on the written copy, rename over `out`.

    Raises the disk's OSError, or whatever `check` raises; either way the
    temporary copy is gone and a file already at `out` is untouched. A small
    hint file that may lag behind after a power cut (`durable=False`) skips
    the fsyncs, which can take tens of milliseconds on a busy disk (a crash
    leaves the old file or the new one, never half of either).
    """
    out = Path(out)
    _remove_stale_copies(out)
    # mkstemp makes the file 0600, and the rename keeps that mode.
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            _lock(f.fileno())  # held until closed: tells a running write from a dead one
            f.write(data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        if check is not None:
            check(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_folder(out.parent)


def _remove_stale_copies(out: Path) -> None:
    """Temporary copies left beside `out` by a write that was killed (power cut, kill -9)
    go on the next write; one still being written by another process is locked, and stays."""
    try:
        stale = list(out.parent.glob(f".{glob_escape(out.name)}.*.partial"))
    except OSError:
        return
    for path in stale:
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            if _lock(fd, wait=False):
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _lock(fd: int, wait: bool = True) -> bool:
    """An exclusive advisory lock on `fd` (True when held); where the platform has none,
    every copy counts as unlocked, so a leftover copy is still cleaned up."""
    try:
        import fcntl
    except ImportError:  # Windows: a file being written cannot be deleted anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def fsync_folder(folder: Path) -> None:
    # The rename itself must reach the disk; not every platform can open a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def run_temp_folder() -> Path:
    """A 0700 folder for this run's temporary files (a PDF for the viewer), gone at exit."""
    global _run_temp
    if _run_temp is None or not _run_temp.is_dir():
        _run_temp = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-"))
        atexit.register(remove_run_temp_folder)
    return _run_temp


def remove_run_temp_folder() -> None:
    if _run_temp is not None:
        shutil.rmtree(_run_temp, ignore_errors=True)


def remove_stale_temp_folders() -> None:
    """Remove the temporary folders of earlier runs that ended without cleaning up (a crash)."""
    if os.name != "posix":
        return  # no harmless way to ask whether a process lives (os.kill would end it)
    pattern = re.compile(re.escape(_TEMP_PREFIX) + r"(\d+)-")
    for folder in Path(tempfile.gettempdir()).glob(f"{_TEMP_PREFIX}*"):
        match = pattern.match(folder.name)
        if not match or not folder.is_dir() or folder.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # alive, or not ours to ask about
