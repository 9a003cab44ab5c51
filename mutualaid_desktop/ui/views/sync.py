"""The Sync view: this laptop's fingerprint and shared-data digest, writing and importing
encrypted bundles, the organizers trusted here, and the conflicts imports recorded."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mutualaid_desktop.errors import Cancelled
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.changes import ChangeSet
from mutualaid_desktop.store.constants import CL_GROUP
from mutualaid_desktop.sync.bundle import ExportResult, Peer, export_bundle, forget_peer, peers
from mutualaid_desktop.sync.conflicts import Conflict, Side, open_conflicts
from mutualaid_desktop.sync.envelope import WRONG_PASSPHRASE, WrongPassphrase
from mutualaid_desktop.sync.identity import Identity, identity
from mutualaid_desktop.sync.importer import (
    ClockFarAhead,
    Decisions,
    ImportResult,
    Incoming,
    NotTrusted,
    OtherGroup,
    check,
    how_long,
    preview,
    read_bundle,
)
from mutualaid_desktop.sync.merge import Changes
from mutualaid_desktop.sync.shared import kept_home_sentence, sync_state
from mutualaid_desktop.ui import read_only
from mutualaid_desktop.ui.dialogs.sync import (
    SELECTABLE,
    ContentsDialog,
    PassphraseDialog,
    PreviewDialog,
    TrustDialog,
    ask,
    mono_font,
    when,
)
from mutualaid_desktop.ui.errors import show_error
from mutualaid_desktop.ui.ops import Job, Progress, QuietJob, run_job, run_quietly
from mutualaid_desktop.ui.session import Session
from mutualaid_desktop.ui.widgets.empty_state import EmptyState

HOW_TO_START = N_(
    "<p>To share this laptop's data with another organizer:</p><ol>"
    "<li>Agree a sync passphrase together, in person (never by message).</li>"
    "<li>Write a bundle here and carry it on a USB stick.</li>"
    "<li>Import it on their laptop. The first time, compare fingerprints in person: "
    "read this page's fingerprint aloud while they look at theirs.</li>"
    "<li>Do the same the other way. Both laptops then show the same shared-data digest.</li>"
    "</ol><p>Contacts kept on this laptop only never leave it.</p>"
)
MAX_CONFLICTS_SHOWN = 300


class _WrongPassphrase:
    """What opening a bundle returns when the passphrase did not open it (asked again)."""


def _file_part(text: str) -> str:
    """A name as a safe piece of a file name."""
    return re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-") or "organizer"


def _size(n: int) -> str:
    if n >= 1_000_000:
        return _("{size} MB").format(size=f"{n / 1e6:.1f}")
    return _("{size} KB").format(size=max(1, round(n / 1000)))


class SyncView(QWidget):
    message = Signal(str)
    exported = Signal(object)  # ExportResult
    imported = Signal(object)  # ImportResult

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncView")
        self.session = session
        # The group's sync passphrase, for this database's session only: never written
        # to QSettings or to disk.
        self.passphrase: str | None = None
        self.job: Job | None = None
        self.digest_job: QuietJob | None = None
        self._digest_stale = True
        self._digest_again = False
        self._folder: Path | None = None

        # -- this laptop --------------------------------------------------------------
        me = QGroupBox(_("This laptop"))
        grid = QGridLayout(me)
        grid.setColumnStretch(1, 1)
        self.organizer = QLabel()
        self.organizer.setTextInteractionFlags(SELECTABLE)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setFont(mono_font(18))
        self.fingerprint.setTextInteractionFlags(SELECTABLE)
        self.fingerprint.setAccessibleName(_("This laptop's fingerprint"))
        self.fingerprint.setToolTip(_("Select it to copy it"))
        self.digest = QLabel()
        self.digest.setObjectName("digest")
        self.digest.setFont(mono_font(13))
        self.digest.setTextInteractionFlags(SELECTABLE)
        self.digest.setAccessibleName(_("Shared-data digest"))
        self.compute_button = QPushButton(_("&Compute again"))
        self.compute_button.setToolTip(_("Compute the digest of the shared data again"))
        self.compute_button.clicked.connect(self.refresh_digest)
        digest_row = QHBoxLayout()
        digest_row.addWidget(self.digest)
        digest_row.addSpacing(12)
        digest_row.addWidget(self.compute_button)
        digest_row.addStretch(1)
        grid.addWidget(QLabel(_("Organizer:")), 0, 0)
        grid.addWidget(self.organizer, 0, 1)
        grid.addWidget(QLabel(_("Fingerprint:")), 1, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.fingerprint, 1, 1)
        grid.addWidget(
            self._hint(
                _(
                    "Read it aloud to an organizer who imports your first bundle: their "
                    "screen shows the same groups of four."
                )
            ),
            2,
            1,
        )
        grid.addWidget(QLabel(_("Shared data:")), 3, 0)
        grid.addLayout(digest_row, 3, 1)
        grid.addWidget(
            self._hint(
                _(
                    "After syncing both ways, two laptops that hold the same shared data "
                    "show the same digest."
                )
            ),
            4,
            1,
        )

        # -- exchange: a row of actions above, as in the other views --------------------------
        self.write_button = QPushButton(_("&Write a bundle…"))
        self.write_button.setToolTip(_("Save the shared data, encrypted, to a USB stick or folder"))
        self.import_button = QPushButton(_("&Import a bundle…"))
        self.import_button.setToolTip(_("Merge a bundle another organizer wrote"))
        self.status = QLabel(
            _(
                "Bundles are encrypted with the group's sync passphrase: whoever finds the "
                "stick learns nothing. Importing merges; it never overwrites."
            )
        )
        self.status.setObjectName("syncStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(SELECTABLE)
        top = QHBoxLayout()
        top.addWidget(self.write_button)
        top.addWidget(self.import_button)
        top.addSpacing(8)
        top.addWidget(self.status, 1)
        self.write_button.clicked.connect(self.write_bundle)
        self.import_button.clicked.connect(self.import_bundle)
        # Writing a bundle counts it in the database (its sequence number, the clock),
        # so a read-only database writes none either.
        read_only.writes(session, self.write_button, self.import_button)

        # -- organizers and conflicts (or how to start) -------------------------------------
        self.peers = QTableWidget(0, 4)
        self.peers.setObjectName("peers")
        self.peers.setAccessibleName(_("Organizers this laptop trusts"))
        self.peers.setHorizontalHeaderLabels(
            [_("Organizer"), _("Fingerprint"), _("Last bundle imported"), ""]
        )
        self._plain_table(self.peers)
        header = self.peers.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        peers_box = QGroupBox(_("Organizers whose bundles this laptop accepts"))
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peers)

        self.conflicts = QTableWidget(0, 5)
        self.conflicts.setObjectName("conflicts")
        self.conflicts.setAccessibleName(_("Conflicts to review"))
        self.conflicts.setHorizontalHeaderLabels(
            [_("Record"), _("What"), _("Current value"), _("Other value"), ""]
        )
        self._plain_table(self.conflicts)
        self.conflicts.setWordWrap(True)
        # Rows follow their text as the columns are resized (a few hundred rows at most).
        self.conflicts.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.conflicts.setColumnWidth(0, 220)
        self.no_conflicts = QLabel(_("No conflicts to review: every edit that arrived merged."))
        self.no_conflicts.setObjectName("noConflicts")
        self.conflicts_box = QGroupBox(_("Conflicts to review"))
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        conflicts_layout.addWidget(
            self._hint(
                _(
                    "Two organizers changed the same thing without seeing each other's "
                    "change. The current value is in force; the other one is kept here until "
                    "you choose. Your choice travels in your next bundle."
                )
            )
        )
        conflicts_layout.addWidget(self.no_conflicts)
        conflicts_layout.addWidget(self.conflicts, 1)

        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        lists_layout.addWidget(peers_box)
        lists_layout.addWidget(self.conflicts_box)
        lists_layout.addStretch(1)  # below a short conflicts box; a table takes it instead
        self._lists_layout = lists_layout
        self.empty = EmptyState(_("No organizers to sync with yet"), _(HOW_TO_START), [])
        self.empty.setObjectName("syncEmpty")
        self.empty.body.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(lists)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(me)
        layout.addWidget(self.pages, 1)

        self._digest_timer = QTimer(self)
        self._digest_timer.setSingleShot(True)
        self._digest_timer.setInterval(400)
        self._digest_timer.timeout.connect(self.refresh_digest)
        session.changed.connect(self._data_changed)
        self._import_change: ChangeSet | None = None  # the last import, for Edit › Undo

    @staticmethod
    def _hint(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _plain_table(table: QTableWidget) -> None:
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)

    # -- what the page shows ----------------------------------------------------------

    def reload(self) -> None:
        """Read identity, organizers and conflicts again; the digest too when out of date."""
        store = self.session.store
        me = identity(store)
        name = html.escape(me.organizer or _("unnamed"))
        org = html.escape(store.organization_name() or "")
        self.organizer.setText(f"<b>{name}</b>" + (f" · {org}" if org else ""))
        self.fingerprint.setText(me.fingerprint)
        known = peers(store)
        self._fill_peers(known)
        conflicts = open_conflicts(store)
        self._fill_conflicts(conflicts)
        self.pages.setCurrentIndex(1 if known or conflicts else 0)
        if self._digest_stale:
            self.refresh_digest()

    def _fill_peers(self, known: list[Peer]) -> None:
        self.peers.setRowCount(len(known))
        for row, peer in enumerate(known):
            fp = QTableWidgetItem(peer.fingerprint)
            fp.setFont(mono_font())
            self.peers.setItem(row, 0, QTableWidgetItem(peer.organizer or _("(no name)")))
            self.peers.setItem(row, 1, fp)
            self.peers.setItem(row, 2, QTableWidgetItem(when(peer.last_import_at)))
            remove = QPushButton(_("Stop trusting…"))
            remove.setObjectName("removeTrust")
            remove.setAccessibleName(
                _("Stop trusting {who}").format(who=peer.organizer or peer.fingerprint)
            )
            remove.clicked.connect(lambda _=False, p=peer: self.remove_peer(p))
            read_only.writes(self.session, remove)
            self.peers.setCellWidget(row, 3, remove)
        # A handful of organizers: the table is as tall as its rows (up to five), and the
        # conflicts below get the rest of the page.
        rows = min(max(1, len(known)), 5)
        height = self.peers.horizontalHeader().sizeHint().height()
        height += rows * self.peers.verticalHeader().defaultSectionSize()
        self.peers.setFixedHeight(height + 2 * self.peers.frameWidth())

    def _fill_conflicts(self, conflicts: list[Conflict]) -> None:
        shown = conflicts[:MAX_CONFLICTS_SHOWN]
        total = len(conflicts)
        title = (
            _("Conflicts to review ({n})").format(n=f"{total:,}")
            if total
            else _("Conflicts to review")
        )
        if total > len(shown):
            title += _(": the newest {n} shown").format(n=len(shown))
        self.conflicts_box.setTitle(title)
        self.conflicts.setRowCount(0)
        self.conflicts.setRowCount(len(shown))
        for row, conflict in enumerate(shown):
            self.conflicts.setItem(row, 0, QTableWidgetItem(conflict.record))
            what = conflict.field_label
            self.conflicts.setItem(row, 1, QTableWidgetItem(what[:1].upper() + what[1:]))
            self.conflicts.setItem(row, 2, QTableWidgetItem(self._side(conflict.current)))
            self.conflicts.setItem(row, 3, QTableWidgetItem(self._side(conflict.other)))
            self.conflicts.setCellWidget(row, 4, self._choice(conflict))
        self.conflicts.setVisible(bool(shown))
        self.no_conflicts.setVisible(not shown)
        self._lists_layout.setStretch(1, 1 if shown else 0)
        self._lists_layout.setStretch(2, 0 if shown else 1)

    @staticmethod
    def _side(side: Side) -> str:
        return _("{value}\nby {who}, {when}").format(
            value=side.text(), who=side.by, when=when(side.at)
        )

    def _choice(self, conflict: Conflict) -> QWidget:
        cell = QWidget()
        row = QHBoxLayout(cell)
        row.setContentsMargins(4, 2, 4, 2)
        for label, keep in ((_("Keep current"), "current"), (_("Keep other"), "other")):
            button = QPushButton(label)
            button.setObjectName(f"keep_{keep}")
            button.setAccessibleName(
                _("{choice}: {record}, {field}").format(
                    choice=label, record=conflict.record, field=conflict.field_label
                )
            )
            button.clicked.connect(lambda _=False, c=conflict, k=keep: self.settle(c, k))
            read_only.writes(self.session, button)
            row.addWidget(button)
        return cell

    def ask_remove_trust(self, peer: Peer) -> bool:
        who = peer.organizer or _("this organizer")
        return ask(
            self,
            _("Stop trusting an organizer"),
            _(
                "This laptop will no longer accept bundles from {who} ({fingerprint}). "
                "Nothing they sent before is removed. If they send a bundle again, you will "
                "be asked to compare fingerprints in person first."
            ).format(who=who, fingerprint=peer.fingerprint),
            _("&Stop trusting"),
        )

    def remove_peer(self, peer: Peer) -> bool:
        """Stop accepting `peer`'s bundles, after asking; True when removed."""
        if not self.ask_remove_trust(peer):
            return False
        try:
            forget_peer(self.session.store, peer.fingerprint)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.message.emit(
            _("No longer trusting {who}.").format(who=peer.organizer or peer.fingerprint)
        )
        self.reload()
        return True

    def settle(self, conflict: Conflict, keep: str) -> bool:
        """Keep the current or the other value of `conflict`; True when it was settled."""
        table = "" if conflict.group == CL_GROUP else conflict.table
        try:
            label = (
                _("Keep the other {field} of {record}")
                if keep == "other"
                else _("Keep the current {field} of {record}")
            ).format(field=conflict.field_label, record=conflict.record)
            self.session.settle_conflict(conflict.id, table, keep, label)
        except Exception as exc:
            show_error(self, exc)
            self.reload()
            return False
        kept = (
            _("Kept the other value of {record} ({field}).")
            if keep == "other"
            else _("Kept the current value of {record} ({field}).")
        )
        self.message.emit(kept.format(record=conflict.record, field=conflict.field_label))
        self.reload()
        return True

    # -- the digest ---------------------------------------------------------------------

    def _data_changed(self, _table: str) -> None:
        self._digest_stale = True
        if self.isVisible():
            self._digest_timer.start()
        else:
            self.digest.setText(_("(data changed: computed again when you come back)"))

    def refresh_digest(self) -> None:
        """Compute the shared-data digest in the background (seconds on a large group)."""
        if self.digest_job is not None and self.digest_job.running:
            self._digest_again = True
            return
        self._digest_stale = False
        self._digest_again = False
        self.digest.setText(_("Computing…"))
        self.compute_button.setEnabled(False)
        path = self.session.path
        if path is None:  # in memory: one connection, usable from this thread only
            try:
                self._show_digest(sync_state(self.session.store))
            except Exception as exc:
                self._digest_failed(exc)
            return

        main = self.session.store  # the job opens its own connection, with the same key

        def job() -> str:
            with main.reopen() as store:
                return sync_state(store)

        self.digest_job = run_quietly(job, self._show_digest, self._digest_failed)

    def _show_digest(self, digest: str) -> None:
        self.digest_job = None
        if self._digest_again:
            self.refresh_digest()
            return
        self.digest.setText(digest)
        self.compute_button.setEnabled(True)

    def _digest_failed(self, exc: BaseException) -> None:
        self.digest_job = None
        self._digest_stale = True
        self.digest.setText(_("(could not be computed)"))
        self.compute_button.setEnabled(True)
        show_error(self, exc)

    # -- questions (tests answer them in place of the organizer) ----------------------------

    def ask_passphrase(self, confirm: bool, note: str = "") -> str | None:
        """The group's passphrase, typed twice when `confirm`; None when cancelled."""
        store = self.session.store
        dialog = PassphraseDialog(
            confirm, note, self, known_words=(store.organization_name(), store.organizer)
        )
        return dialog.value if dialog.exec() else None

    def choose_contents(self, known: list[Peer]) -> Peer | bool | None:
        """None for a full bundle, a Peer for a delta meant for them, False when cancelled."""
        dialog = ContentsDialog(known, self)
        if not dialog.exec():
            return False
        return dialog.chosen_peer()

    def ask_trust(self, sender: Identity) -> bool:
        return bool(TrustDialog(sender.organizer, sender.fingerprint, self).exec())

    def ask_merge_groups(self, sender: Identity) -> bool:
        who = sender.organizer or _("The sender")
        return ask(
            self,
            _("Another group"),
            _(
                "The bundle from {who} belongs to another organizers' group than this "
                "laptop's. Merging makes the two groups one: both keep all their records, and "
                "every later bundle of either group is accepted here. Merge only if you "
                "agreed it together."
            ).format(who=who),
            _("&Merge the two groups"),
        )

    def ask_accept_clock(self, error: ClockFarAhead) -> bool:
        return ask(
            self,
            _("The sender's clock is ahead"),
            _(
                "This bundle's clock is {how_long} ahead of this laptop's. Check the date and "
                "time on both laptops. Importing anyway moves this laptop's sync clock forward "
                "too, so import only if you are sure."
            ).format(how_long=how_long(error.ahead_ms)),
            _("&Import anyway"),
        )

    def confirm_import(self, incoming: Incoming, changes: Changes, warnings: list[str]) -> bool:
        who = html.escape(incoming.sender.organizer or _("an organizer"))
        written = when(str(incoming.body.get("created_at", "")))
        heading = (
            _("A delta bundle from <b>{who}</b>, written {when}. Importing it changes:")
            if incoming.kind == "delta"
            else _("A full bundle from <b>{who}</b>, written {when}. Importing it changes:")
        ).format(who=who, when=written)
        return bool(PreviewDialog(heading, changes.lines(), warnings, self).exec())

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    # -- writing a bundle -------------------------------------------------------------------

    def _start(
        self,
        title: str,
        work: Callable[[Store, Progress], Any],
        on_done: Callable[[Any], None],
        stretches_key: bool = False,
    ) -> Job | None:
        """Run `work(store, progress)` in the background on this database, then `on_done`."""
        path = self.session.path
        if path is None:
            # An in-memory database has one connection, usable from this thread only.
            try:
                result = work(self.session.store, lambda _m, _f: True)
            except Exception as exc:
                show_error(self, exc)
                return None
            on_done(result)
            return None

        main = self.session.store

        def job(progress: Progress) -> Any:
            # SQLite connections belong to one thread: the job opens its own.
            with main.reopen() as store:
                return work(store, progress)

        self.job = run_job(self, title, job, on_done, show_at_once=stretches_key)
        return self.job

    def default_bundle_name(self, peer: Peer | None = None) -> str:
        me = _file_part(self.session.store.organizer)
        # "Rosa-for-Sam-2026-12-04.bundle": a file name in the organizer's words.
        to = "-" + _("for") + f"-{_file_part(peer.organizer)}" if peer is not None else ""
        return f"{me}{to}-{date.today().isoformat()}.bundle"

    def write_bundle(self) -> Job | None:
        """Ask where and what, then write an encrypted bundle (progress, cancel, read-back)."""
        known = peers(self.session.store)
        peer: Peer | None = None
        if known:
            chosen = self.choose_contents(known)
            if chosen is False:
                return None
            peer = chosen if isinstance(chosen, Peer) else None
        folder = self._folder or Path.home()
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Write a bundle"),
            str(folder / self.default_bundle_name(peer)),
            _("Bundles (*.bundle);;All files (*)"),
        )
        if not name:
            return None
        out = Path(name)
        if not out.suffix:
            out = out.with_suffix(".bundle")
        self._folder = out.parent
        passphrase = self.passphrase or self.ask_passphrase(confirm=True)
        if not passphrase:
            return None
        self.passphrase = passphrase
        for_peer = peer.fingerprint if peer is not None else None

        def work(store: Store, progress: Progress) -> ExportResult:
            # Key stretching releases Python's lock (sync/age.py): the window keeps
            # painting and the progress dialog stays live meanwhile.
            return export_bundle(store, out, passphrase, for_peer=for_peer, progress=progress)

        self.status.setText(_("Writing {file}…").format(file=out.name))
        job = self._start(_("Writing the bundle"), work, self._written, stretches_key=True)
        if job is not None:
            job.error.connect(lambda _e: self.status.setText(_("No bundle was written.")))
        return job

    def _written(self, result: ExportResult) -> None:
        self.session.store.reload_replica_state()  # the export stamped the clock
        text = ngettext(
            "Wrote {file} ({n} record, {size}). It read back correctly: safe to remove the stick.",
            "Wrote {file} ({n} records, {size}). It read back correctly: safe to remove the stick.",
            result.rows,
        ).format(file=result.path.name, n=f"{result.rows:,}", size=_size(result.bytes))
        self.status.setText(text)
        home = kept_home_sentence(result.kept_home)
        where = (
            _("The delta bundle is in {folder}.")
            if result.kind == "delta"
            else _("The bundle is in {folder}.")
        ).format(folder=result.path.parent)
        self.inform(_("Bundle written"), f"{text}\n\n{where}" + (f"\n\n{home}" if home else ""))
        self.message.emit(_("Wrote {file}").format(file=result.path.name))
        self.exported.emit(result)

    # -- importing a bundle ---------------------------------------------------------------

    def import_bundle(self) -> Job | None:
        """Choose a bundle file, open it with the passphrase, then review and import it."""
        folder = self._folder or Path.home()
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import a bundle"), str(folder), _("Bundles (*.bundle);;All files (*)")
        )
        if not name:
            return None
        path = Path(name)
        self._folder = path.parent
        return self.open_bundle(path)

    def open_bundle(self, path: Path, note: str = "") -> Job | None:
        """Decrypt `path` in the background (seconds: the passphrase is key-stretched)."""
        passphrase = None if note else self.passphrase
        if not passphrase:
            passphrase = self.ask_passphrase(confirm=False, note=note)
            if not passphrase:
                self._stopped()
                return None

        def work(store: Store, progress: Progress) -> Incoming | _WrongPassphrase:
            progress(_("Checking the passphrase: this takes a few seconds"), 0.1)
            try:
                incoming = read_bundle(store, path, passphrase)
            except WrongPassphrase:
                return _WrongPassphrase()  # asked again, not a dead end
            if not progress(_("Opened"), 1.0):
                raise Cancelled
            return incoming

        def done(result: Incoming | _WrongPassphrase) -> None:
            if isinstance(result, _WrongPassphrase):
                self.passphrase = None
                again = _("Type it again, or cancel.")
                self.open_bundle(path, note=f"{_(WRONG_PASSPHRASE)} {again}")
                return
            self.passphrase = passphrase
            self.review(result)

        self.status.setText(_("Opening {file}…").format(file=path.name))
        return self._start(_("Opening the bundle"), work, done, stretches_key=True)

    def review(self, incoming: Incoming, decisions: Decisions | None = None) -> Job | None:
        """Ask what the organizer must decide, then show what would change (no writes yet)."""
        decisions = decisions or Decisions()
        store = self.session.store
        warnings: list[str] = []
        for _question in range(4):  # each answer is asked at most once
            try:
                warnings = check(store, incoming, decisions)
                break
            except NotTrusted as exc:
                if decisions.trust or not self.ask_trust(exc.sender):
                    self._stopped()
                    return None
                decisions.trust = exc.sender.fingerprint
            except OtherGroup:
                if decisions.merge_groups or not self.ask_merge_groups(incoming.sender):
                    self._stopped()
                    return None
                decisions.merge_groups = True
            except ClockFarAhead as exc:
                if decisions.accept_clock or not self.ask_accept_clock(exc):
                    self._stopped()
                    return None
                decisions.accept_clock = True
            except Exception as exc:
                show_error(self, exc)
                self._stopped()
                return None

        def work(store: Store, progress: Progress) -> Changes:
            progress(_("Comparing the bundle with this laptop's data"), 0.2)
            changes = preview(store, incoming)
            if not progress(_("Compared"), 1.0):
                raise Cancelled
            return changes

        def done(changes: Changes) -> None:
            if self.confirm_import(incoming, changes, warnings):
                self.apply(incoming, decisions)
            else:
                self._stopped()

        return self._start(_("Reading the bundle"), work, done)

    def _stopped(self) -> None:
        self.status.setText(_("Nothing was imported."))

    def apply(self, incoming: Incoming, decisions: Decisions) -> Job | None:
        """Import in the background: a backup, then one all-or-nothing transaction."""

        label = _("Import the bundle from {who}").format(
            who=incoming.sender.organizer or _("an organizer")
        )

        def work(store: Store, progress: Progress) -> ImportResult:
            from mutualaid_desktop.sync.undoable import import_undoably

            progress(_("Importing: all or nothing"), 0.3)
            # The search index follows in the background: the records are usable sooner.
            result, self._import_change = import_undoably(
                store, incoming, decisions, label, index_later=True
            )
            return result

        self.status.setText(_("Importing {file}…").format(file=incoming.name))
        job = self._start(_("Importing the bundle"), work, self._imported)
        if job is not None:
            # Once the transaction runs it ends by itself: no Cancel to promise.
            job.dialog.setCancelButton(None)
            job.error.connect(lambda _e: self._stopped())
        return job

    def _imported(self, result: ImportResult) -> None:
        self.session.written_elsewhere()  # reloads every view and the status bar
        if self._import_change is not None:  # Edit › Undo takes the import back
            self.session.record(self._import_change, "sync")
            self._import_change = None
        self.session.finish_indexing()
        self.reload()
        changes = result.changes
        lines = "\n".join(f"• {line}" for line in changes.lines())
        total = changes.total()
        text = ngettext("Imported {n} change:", "Imported {n} changes:", total).format(
            n=f"{total:,}"
        )
        text += f"\n{lines}"
        if changes.conflicts:
            text += "\n\n" + _("Review the conflicts on this page: nothing was lost.")
        for warning in result.warnings:
            text += "\n\n" + _("Warning: {warning}").format(warning=warning)
        if result.backup is not None:
            text += "\n\n" + _("The database as it was before is saved in {path}.").format(
                path=result.backup
            )
        if changes.conflicts:
            status = ngettext(
                "Imported {n} changes, {conflicts} conflict to review.",
                "Imported {n} changes, {conflicts} conflicts to review.",
                changes.conflicts,
            )
        else:
            status = ngettext("Imported {n} change.", "Imported {n} changes.", total)
        self.status.setText(status.format(n=f"{total:,}", conflicts=changes.conflicts))
        self.inform(_("Bundle imported"), text)
        self.message.emit(_("Bundle imported"))
        self.imported.emit(result)
