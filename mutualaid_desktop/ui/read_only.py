"""A database that can only be read (a read-only file or folder, or opened for reading).

Every control that writes to it is switched off, and its tooltip says why and what
to do instead; looking, searching, printing, exporting, backing up and File › Save a
copy… stay available. A view marks its writing controls with `writes` once, and
switches the ones that depend on a selection with `enable`, which never turns them
on while the database can only be read.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu, QWidget

from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.session import Session


def reason(session: Session) -> str:
    """Why the database can only be read, in the program's language ("" when it can be
    written)."""
    why = session.read_only_reason
    return _(why) if why else ""


def tip(session: Session) -> str:
    return _(
        "Not available: this database is read-only ({reason}). To make changes, use "
        "File › Save a copy… and open the copy."
    ).format(reason=reason(session))


def writes(session: Session, *controls: QWidget | QAction) -> None:
    """`controls` write to the database: while it can only be read they are off and say why."""
    if not session.read_only_reason:
        return
    text = tip(session)
    for control in controls:
        control.setEnabled(False)
        control.setToolTip(text)
        if isinstance(control, QAction):
            control.setStatusTip(text)  # a menu entry's hint shows in the status bar


def writes_all(session: Session, menu: QMenu) -> None:
    """Every entry of `menu` (and of its submenus) writes."""
    if not session.read_only_reason:
        return
    menu.setToolTipsVisible(True)
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            writes_all(session, sub)
        elif not action.isSeparator():
            writes(session, action)


def enable(session: Session, control: QWidget | QAction, on: bool) -> None:
    """Switch a writing control on or off; never on while the database can only be read."""
    control.setEnabled(on and not session.read_only_reason)


def lock(session: Session, widget: QWidget) -> None:
    """An editor over a database that can only be read: it shows its values, takes no
    typing, and its buttons say why they are off (ui/widgets/form.py, lock_for_reading)."""
    if not session.read_only_reason:
        return
    from mutualaid_desktop.ui.widgets.form import lock_for_reading

    lock_for_reading(widget)
    text = tip(session)
    for button in widget.findChildren(QAbstractButton):
        if not button.isEnabled() and button.text():
            button.setToolTip(text)
