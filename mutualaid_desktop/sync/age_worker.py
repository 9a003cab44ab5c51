"""age passphrase encryption, off the caller's process when the caller is a window.

pyrage holds Python's global lock for the whole of scrypt (seconds by
design), so a background thread doing it freezes the window it was meant to
keep responsive. Off the main thread, the work goes to a short-lived child
process instead; on the main thread (the command line) it runs in place.
This module imports nothing heavy: the child starts with it alone.
"""

from __future__ import annotations

import threading

import pyrage


def run(operation: str, data: bytes, passphrase: str) -> bytes:
    """pyrage.passphrase.<operation>(data, passphrase), raising pyrage.DecryptError as it does."""
    if threading.current_thread() is threading.main_thread():
        return _call(operation, data, passphrase)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        ok, value = pool.submit(_in_child, operation, data, passphrase).result()
    if not ok:
        raise pyrage.DecryptError(value)
    return value  # type: ignore[return-value]


def _call(operation: str, data: bytes, passphrase: str) -> bytes:
    if operation == "encrypt":
        return bytes(pyrage.passphrase.encrypt(data, passphrase))
    if operation == "decrypt":
        return bytes(pyrage.passphrase.decrypt(data, passphrase))
    raise ValueError(operation)


def _in_child(operation: str, data: bytes, passphrase: str) -> tuple[bool, bytes | str]:
    # The error travels back as text: extension exception types may not pickle.
    try:
        return True, _call(operation, data, passphrase)
    except pyrage.DecryptError as exc:
        return False, str(exc)
