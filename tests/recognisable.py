"""A household whose every value is easy to find in bytes, logs and screens, and a passphrase.

Privacy tests write it, then look for its values where they must not be.
"""

from __future__ import annotations

from pathlib import Path

from mutualaid_desktop.domain import Address, Contact, Phone

PASSPHRASE = "plum orbit lantern seventeen"
NAME = "Zephyrine Quixwell"
PHONE = "+1 713 555 0199"
STREET = "4417 Quillfeather Lane"
EMAIL = "zeph.quix@example.org"
NOTE = "Zanzibar marmalade on Tuesdays"
# Pieces of it that must not be found, however they are written.
TRACES = ["Zephyrine", "Quixwell", "Quillfeather", "zeph.quix", "Zanzibar", "555 0199", "5550199"]


def household() -> Contact:
    return Contact(
        name=NAME,
        phones=[Phone(original=PHONE)],
        email=EMAIL,
        address=Address(street=STREET, city="Houston", postal_code="77036"),
        notes=NOTE,
    )


def traces_in(data: bytes | str) -> list[str]:
    """The pieces of the household found in `data` (as UTF-8 or UTF-16 text)."""
    if isinstance(data, str):
        return [t for t in TRACES if t in data]
    return [t for t in TRACES if t.encode() in data or t.encode("utf-16-le") in data]


def passphrase_file(folder: Path) -> Path:
    path = folder / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path
