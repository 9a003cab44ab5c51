"""How new households are shared, asked of a database made before the choice existed.

First run asks it (WelcomeDialog). A database from before that question has
no answer, and keeps new households on this laptop until someone chooses: the
window asks when it opens such a database, and if the organizer puts it off,
once more the first time they add a household; after that the editor's own
line says where the household stays (never silently).
"""

from __future__ import annotations

import sys
import weakref

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from mutualaid_desktop.i18n import _
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.buttons import ok_cancel
from mutualaid_desktop.ui.widgets.sharing_choice import SharingChoice

# Sessions whose organizer put the question off when adding a household: not asked
# again until the database is next opened.
_put_off_while_adding: weakref.WeakSet[Session] = weakref.WeakSet()


class DefaultSharingDialog(QDialog):
    """The first-run choice for new households, with a way to put it off."""

    def __init__(self, parent: QWidget | None = None, adding: bool = False) -> None:
        super().__init__(parent)
        self.adding = adding
        self.setWindowTitle(_("New households"))
        self.setObjectName("defaultSharingDialog")
        layout = QVBoxLayout(self)
        why = (
            _("You are adding a household.")
            if adding
            else _("This database was made before Mutual Aid Desktop asked this.")
        )
        until = _(
            "Until your group chooses, every household added here stays on this laptop "
            "only: other organizers' laptops never get it."
        )
        intro = QLabel(
            "<h3>{}</h3><p>{} {}</p>".format(_("How should new households be shared?"), why, until)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.choice = SharingChoice(self)
        layout.addWidget(self.choice)
        later = QLabel(_("You can change it any time in Settings › New households."))
        later.setWordWrap(True)
        layout.addWidget(later)
        self.buttons = ok_cancel(self, _("&Save this choice"))
        self.later_button = self.buttons.button(self.buttons.StandardButton.Cancel)
        self.later_button.setText(_("Ask me &later"))
        layout.addWidget(self.buttons)
        # Tall enough for the wrapped sentences at this width (a plain resize cuts them).
        self.resize(540, layout.totalHeightForWidth(540))


def ask_default_sharing(parent: QWidget | None, session: Session, adding: bool = False) -> None:
    """Ask how new households are shared, if this database has no answer yet.

    Asked when the database opens; put off, asked once more the first time a
    household is added (`adding`); put off again, not before the next opening.
    """
    from mutualaid_desktop.domain import ORGANIZATION_ID, Organization

    if session.read_only_reason or session.store.organization().default_share_scope is not None:
        return  # answered already, or the answer could not be saved
    if adding:
        if session in _put_off_while_adding:
            return
        _put_off_while_adding.add(session)
    dialog = DefaultSharingDialog(parent, adding)
    if not dialog.exec():
        return
    scope = dialog.choice.choice
    session.update(
        Organization,
        ORGANIZATION_ID,
        _("New households: {choice}").format(choice=scope.label.lower()),
        default_share_scope=scope,
    )


if __name__ == "__main__":  # preview: python -m mutualaid_desktop.ui.dialogs.sharing
    app = QApplication(sys.argv)
    dialog = DefaultSharingDialog()
    dialog.show()
    sys.exit(app.exec())
