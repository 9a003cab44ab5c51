"""Views whose issue has not landed yet say plainly what they will hold."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mutualaid_desktop.ui.widgets.empty_state import EmptyState

COMING = {
    "sync": (
        "Sync",
        "Exchange encrypted bundle files with other organizers on a USB stick: merged, never "
        "overwritten, unreadable to whoever finds the stick. Not built yet.",
    ),
}


def coming_view(key: str, parent: QWidget | None = None) -> QWidget:
    title, text = COMING[key]
    view = EmptyState(title, text, [], parent)
    view.setObjectName(f"{key}View")
    return view
