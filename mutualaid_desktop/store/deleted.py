"""Recently deleted records, to bring back after the program was closed.

A deleted household, need, delivery run or ride stays in the file as a
tombstone (sync needs it), with the stamp of its deletion. For a retention
period set per laptop (Settings; 30 days unless changed) it is listed here
and can be restored, together with what its deletion took along (a
household's needs and rides, a run's stops): the children the same laptop
deleted within a second of it.

After the period the tombstones are `expired`, and store/purge.py erases
what they held (`purge_expired`); nothing here deletes data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from mutualaid_desktop.errors import NotFound, UserError
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.store.clock import hlc_from_ms, wall_ms_of
from mutualaid_desktop.store.constants import CL_GROUP, PURGED_CL
from mutualaid_desktop.store.store import CASCADES, Store, describe, row_stamps

RETENTION_KEY = "deleted_retention_days"  # device-local (meta)
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650
KINDS = {  # translated where shown
    "contacts": N_("Household or person"),
    "needs": N_("Need"),
    "delivery_runs": N_("Delivery run"),
    "rides": N_("Ride"),
}
_TOOK_ALONG_MS = 1000  # a cascade stamps each child a moment after its parent


@dataclass(frozen=True)
class Deleted:
    """One deleted record as the list shows it, with what went with it."""

    table: str
    id: str
    what: str  # "contact Rosa Díaz"
    deleted_at: datetime
    by: str  # the organizer whose laptop deleted it
    took_along: list[tuple[str, str]] = field(default_factory=list)  # (table, id)

    @property
    def kind(self) -> str:
        return _(KINDS[self.table]) if self.table in KINDS else self.table

    def along_text(self) -> str:
        counts: dict[str, int] = {}
        for table, _id in self.took_along:
            counts[table] = counts.get(table, 0) + 1
        parts = [_along(t, n) for t, n in sorted(counts.items())]
        return _("with {records}").format(records=", ".join(parts)) if parts else ""


def _along(table: str, n: int) -> str:
    """ "3 needs", "1 stop": what a deletion took along, in the program's language."""
    if table == "needs":
        text = ngettext("{n} need", "{n} needs", n)
    elif table == "stops":
        text = ngettext("{n} stop", "{n} stops", n)
    elif table == "rides":
        text = ngettext("{n} ride", "{n} rides", n)
    elif table == "driver_profiles":
        text = ngettext("{n} driver profile", "{n} driver profiles", n)
    else:
        text = f"{{n}} {table}"
    return text.format(n=n)


def retention_days(store: Store) -> int:
    """How many days deleted records stay restorable on this laptop."""
    try:
        days = int(store.meta().get(RETENTION_KEY, DEFAULT_RETENTION_DAYS))
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return min(max(days, 1), MAX_RETENTION_DAYS)


def set_retention_days(store: Store, days: int) -> None:
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise UserError(
            _("Choose between 1 and {max_retention_days} days.").format(
                max_retention_days=MAX_RETENTION_DAYS
            )
        )
    store.set_meta(RETENTION_KEY, str(days))


def recently_deleted(store: Store, days: int | None = None) -> list[Deleted]:
    """Deleted records still within the retention period, newest first.

    Children deleted along with a listed parent are folded into its line.
    """
    cutoff = _cutoff(store, days)
    found: list[Deleted] = []
    folded: set[tuple[str, str]] = set()
    for table in KINDS:
        for record_id, stamp in _tombstones(store, table, since=cutoff):
            along = _took_along(store, table, record_id, stamp)
            folded.update(along)
            found.append(
                Deleted(
                    table=table,
                    id=record_id,
                    what=describe(store, _model(table), record_id),
                    deleted_at=datetime.fromtimestamp(wall_ms_of(stamp[0]) / 1000, UTC),
                    by=_organizer(store, stamp[1]),
                    took_along=along,
                )
            )
    return sorted(
        (d for d in found if (d.table, d.id) not in folded),
        key=lambda d: d.deleted_at,
        reverse=True,
    )


def restore_deleted(store: Store, table: str, record_id: str) -> list[tuple[str, str]]:
    """Bring a deleted record back with what its deletion took along; returns all of them."""
    from mutualaid_desktop.store.tables import SPECS

    spec = SPECS[table]
    raw = store._raw(spec, record_id)
    if raw is None:
        raise NotFound(_("That record no longer exists."))
    if raw["_cl"] % 2 == 1:
        raise UserError(_("That record is not deleted any more: it was restored already."))
    stamp = row_stamps(spec, raw)[CL_GROUP]
    back = [(table, record_id), *_took_along(store, table, record_id, stamp)]
    store.restore_many(back)
    return back


def expired(store: Store, days: int | None = None) -> list[tuple[str, str]]:
    """Tombstones older than the retention period, not yet purged: what a purge wipes."""
    cutoff = _cutoff(store, days)
    out: list[tuple[str, str]] = []
    for table in (*KINDS, "stops", "driver_profiles"):
        out.extend((table, rid) for rid, _stamp in _tombstones(store, table, until=cutoff))
    return out


def _cutoff(store: Store, days: int | None) -> int:
    keep = retention_days(store) if days is None else days
    when = datetime.now(UTC) - timedelta(days=keep)
    return hlc_from_ms(int(when.timestamp() * 1000))


def _tombstones(
    store: Store, table: str, since: int | None = None, until: int | None = None
) -> list[tuple[str, tuple[int, int]]]:
    """(id, deletion stamp) of the deleted records of `table` stamped in the window."""
    from mutualaid_desktop.store.tables import SPECS

    spec = SPECS[table]
    # _updated is the newest of a row's stamps, so it bounds the deletion's stamp.
    # A purged row is past bringing back: neither listed nor purged again.
    where = f"_cl % 2 = 0 AND _cl < {PURGED_CL}" + (
        " AND _updated >= ?" if since is not None else ""
    )
    params = [since] if since is not None else []
    out = []
    for row in store.iter_rows(f"SELECT * FROM {table} WHERE {where}", params):
        stamp = row_stamps(spec, row)[CL_GROUP]
        if (since is None or stamp[0] >= since) and (until is None or stamp[0] < until):
            out.append((str(row["id"]), stamp))
    return out


def _took_along(
    store: Store, table: str, record_id: str, stamp: tuple[int, int]
) -> list[tuple[str, str]]:
    """The children deleted with this record: by the same laptop, within a second of it
    (after it, as a cascade stamps them; or before it, as undoing a restore does)."""
    from mutualaid_desktop.store.tables import SPECS

    hlc, origin = stamp
    window = hlc_from_ms(_TOOK_ALONG_MS)
    along: list[tuple[str, str]] = []
    for child_table, column, _which in CASCADES.get(table, ()):
        child_spec = SPECS[child_table]
        for child in store.iter_rows(
            f"SELECT * FROM {child_table} WHERE {column} = ? AND _cl % 2 = 0", (record_id,)
        ):
            child_hlc, child_origin = row_stamps(child_spec, child)[CL_GROUP]
            if child_origin == origin and abs(child_hlc - hlc) <= window:
                along.append((child_table, str(child["id"])))
                along.extend(
                    _took_along(store, child_table, str(child["id"]), (child_hlc, child_origin))
                )
    # A household's ride and that ride's way back are both its rides: counted once.
    return list(dict.fromkeys(along))


def _model(table: str) -> type:
    from mutualaid_desktop.store.tables import SPECS

    return SPECS[table].model


def _organizer(store: Store, origin: int) -> str:
    row = store.conn.execute("SELECT organizer FROM replicas WHERE idx = ?", (origin,)).fetchone()
    return str(row[0]) if row and row[0] else "another laptop"
