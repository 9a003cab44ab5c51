"""Key stretching off the main thread runs in a child process, so a window stays responsive."""

from __future__ import annotations

import threading
from typing import Any

import pyrage
import pytest

from mutualaid_desktop.sync import age_worker


def in_thread(action: Any) -> Any:
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            out["value"] = action()
        except Exception as exc:  # handed back to the test
            out["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_off_the_main_thread_the_work_happens_in_another_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sealed = age_worker.run("encrypt", b"route sheet", "pass")

    def not_here(*args: object) -> bytes:
        raise AssertionError("scrypt ran in the window's process")

    monkeypatch.setattr(age_worker, "_call", not_here)
    assert in_thread(lambda: age_worker.run("decrypt", sealed, "pass")) == b"route sheet"
    with pytest.raises(pyrage.DecryptError):
        in_thread(lambda: age_worker.run("decrypt", sealed, "wrong"))
