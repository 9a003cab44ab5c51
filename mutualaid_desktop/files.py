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
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
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
