"""Settings › Retention: erase households long inactive, after showing who, on confirmation.

A purge cannot be undone (store/purge.py), so the rule never runs by itself:
the organizer sees every household it would erase and says yes to that list.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.i18n import _, format_date, ngettext
from mutualaid_desktop.store import purge
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.ops import Job, Progress, run_job
from mutualaid_desktop.ui.session import Session

MONTHS_KEY = "retention_inactive_months"  # device-local (meta)
DEFAULT_MONTHS = 18


class PurgeRule(QGroupBox):
    """The retention rule: N months without a need, stop or ride, then a list to confirm."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("Retention (this laptop)"), parent)
        self.setObjectName("purgeRule")
        self.session = session
        row = QHBoxLayout(self)
        row.addWidget(QLabel(_("Erase households with no need, stop or ride for")))
        self.months = QSpinBox()
        self.months.setObjectName("purgeMonths")
        self.months.setRange(1, purge.MAX_INACTIVE_MONTHS)
        self.months.setSuffix(_(" months"))
        self.months.setAccessibleName(_("Months without a need, stop or ride"))
        self.months.editingFinished.connect(self._remember)
        row.addWidget(self.months)
        self.show_button = QPushButton(_("Show &who…"))
        self.show_button.setObjectName("purgeShow")
        self.show_button.setToolTip(_("Lists them first; nothing is erased until you confirm"))
        self.show_button.clicked.connect(self.review)
        row.addWidget(self.show_button)
        row.addStretch(1)

    def reload(self) -> None:
        store = self.session.store
        try:
            months = int(store.meta().get(MONTHS_KEY, DEFAULT_MONTHS))
        except ValueError:
            months = DEFAULT_MONTHS
        self.months.blockSignals(True)
        self.months.setValue(months)
        self.months.blockSignals(False)
        self.setEnabled(not self.session.read_only_reason)

    def _remember(self) -> None:
        store = self.session.store
        if store.meta().get(MONTHS_KEY) != str(self.months.value()):
            try:
                store.set_meta(MONTHS_KEY, str(self.months.value()))
            except Exception as exc:
                show_error(self, exc)

    def review(self) -> Job | None:
        """Show who the rule would erase; erase them in the background if the organizer
        confirms (the job is returned, None when nothing is erased)."""
        self._remember()
        store = self.session.store
        months = self.months.value()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = purge.inactive_households(store, months)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            show_error(self, exc)
            return None
        QApplication.restoreOverrideCursor()
        dialog = PurgeDialog(found, months, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not found:
            return None
        ids = [h.id for h in found]

        def job(progress: Progress) -> int:
            with store.reopen() as own:  # this thread's connection, the same key
                return purge.purge_households(own, ids, progress)

        def done(_rows: object) -> None:
            # Undo could only fail on them now, and the history holds their old values.
            self.session.history.clear()
            self.session.notify_all()
            say = ngettext(
                "Erased {n} household for good.", "Erased {n} households for good.", len(ids)
            )
            self.session.message.emit(say.format(n=len(ids)))

        self.job = run_job(self, _("Erasing households"), job, done)
        return self.job


class PurgeDialog(QDialog):
    """Who the rule would erase, and a plain question (Cancel is the default)."""

    def __init__(self, found: list[purge.Inactive], months: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("purgeDialog")
        self.setWindowTitle(_("Erase inactive households"))
        layout = QVBoxLayout(self)
        if not found:
            text = ngettext(
                "No household has gone {n} month without a need, stop or ride.",
                "No household has gone {n} months without a need, stop or ride.",
                months,
            ).format(n=months)
        else:
            text = ngettext(
                "{count} household has had no need, stop or ride for {n} months (last "
                "active date beside it).",
                "{count} households have had no need, stop or ride for {n} months (last "
                "active date beside each).",
                len(found),
            ).format(count=len(found), n=months)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QDialogButtonBox()
        if found:
            self.names = QListWidget()
            self.names.setObjectName("purgeList")
            for household in found:
                when = format_date(date.fromisoformat(household.last_active), "long")
                self.names.addItem(f"{household.name}  ({when})")
            layout.addWidget(self.names, 1)
            warning = QLabel(
                _(
                    "<b>This cannot be undone.</b> Each is erased for good from this database, "
                    "with their needs, stops and rides, and from the other laptops as they "
                    "receive your next bundle. Backups made before now keep them until they "
                    "rotate away."
                )
            )
            warning.setWordWrap(True)
            layout.addWidget(warning)
            erase = buttons.addButton(
                ngettext(
                    "Erase {n} household for good", "Erase {n} households for good", len(found)
                ).format(n=len(found)),
                QDialogButtonBox.ButtonRole.DestructiveRole,
            )
            erase.setObjectName("purgeConfirm")
            erase.setAutoDefault(False)
            erase.clicked.connect(self.accept)
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setDefault(True)
            cancel.setFocus()
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(520, 420 if found else 160)
