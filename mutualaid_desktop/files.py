"""Writing a file so that a full disk or a pulled stick never leaves half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_atomically(
    out: Path, data: bytes, check: Callable[[Path], object] | None = None, durable: bool = True
) -> None:
    """Write `data` beside `out`, fsync, run `check` on the written copy, rename over `out`.

    Raises the disk's OSError, or whatever `check` raises; either way the
    temporary copy is gone and a file already at `out` is untouched. A small
    hint file that may lag behind after a power cut (`durable=False`) skips
    the fsyncs, which can take tens of milliseconds on a busy disk.
    """
    out = Path(out)
    _remove_stale_copies(out)
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
