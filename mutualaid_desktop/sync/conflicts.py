"""Conflicts recorded by imports, for the organizer to review and settle.

A conflict is a value that lost to one written without knowledge of it, or
an edit made to a record someone else deleted. Settling it is an ordinary
edit (a new stamp), so it travels in the next bundle, and a laptop that
recorded the same conflict sees it settled when that bundle arrives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from mutualaid_desktop.errors import NotFound, UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.clock import hlc_from_ms, wall_ms_of
from mutualaid_desktop.store.constants import CL_GROUP

Keep = Literal["current", "other"]


@dataclass(frozen=True)
class Side:
    values: dict[str, Any]
    by: str  # the organizer who wrote it
    at: datetime  # when, by their clock

    def text(self) -> str:
        if set(self.values) == {"_cl"}:
            return "deleted" if self.values["_cl"] % 2 == 0 else "kept"
        shown = {k: v for k, v in self.values.items() if k != "_cl"}
        if len(shown) == 1:
            parts = [_show(v) for v in shown.values()]
        else:  # a group of fields (a household's counts): name each one
            parts = [f"{k.replace('_', ' ')} {_show(v)}" for k, v in shown.items() if _show(v)]
        text = " · ".join(p for p in parts if p) or "(empty)"
        return f"edited: {text}" if "_cl" in self.values else text


@dataclass(frozen=True)
class Conflict:
    id: str
    table: str
    row_id: str
    group: str
    record: str  # what the organizer recognises: a name, a need
    current: Side  # the value in force now
    other: Side  # the value that lost

    @property
    def field_label(self) -> str:
        if self.group == CL_GROUP:
            return "deleted or kept"
        return self.group.replace("_", " ")


def open_conflicts(store: Store, conflict_id: str | None = None) -> list[Conflict]:
    """Unsettled conflicts, newest first (or just the one with `conflict_id`)."""
    organizers = dict(store.conn.execute("SELECT replica_id, organizer FROM replicas"))
    where = " AND id = ?" if conflict_id else ""
    rows = store.conn.execute(
        "SELECT id, tbl, row_id, grp, kept_value, kept_hlc, kept_origin, lost_value, lost_hlc, "
        f"lost_origin FROM conflicts WHERE resolved_at IS NULL{where} "
        "ORDER BY recorded_at DESC, id",
        (conflict_id,) if conflict_id else (),
    ).fetchall()
    by_index = {
        int(i): org or "another laptop"
        for i, org in store.conn.execute("SELECT idx, organizer FROM replicas")
    }
    out = []
    for cid, tbl, row_id, grp, kv, kh, ko, lv, lh, lo in rows:
        kept = Side(json.loads(kv or "{}"), organizers.get(ko) or "another laptop", _at(kh))
        out.append(
            Conflict(
                id=cid,
                table=tbl,
                row_id=row_id,
                group=grp,
                record=_describe(store, tbl, row_id),
                current=_current(store, tbl, row_id, grp, kept, by_index),
                other=Side(json.loads(lv or "{}"), organizers.get(lo) or "another laptop", _at(lh)),
            )
        )
    return out


def _current(
    store: Store, table: str, row_id: str, group: str, kept: Side, by_index: dict[int, str]
) -> Side:
    """What is in force now for the conflict's fields, and who wrote it when: the value
    kept at the time may have been edited since, here or by a later bundle."""
    from mutualaid_desktop.store.store import row_stamps
    from mutualaid_desktop.store.tables import SPECS

    spec = SPECS.get(table)
    raw = store._raw(spec, row_id) if spec is not None else None
    if spec is None or raw is None:
        return kept
    hlc, origin = row_stamps(spec, raw).get(group, (raw["_hlc"], raw["_origin"]))
    if group == CL_GROUP:
        values: dict[str, Any] = {"_cl": raw["_cl"]}
    else:
        values = {c: raw[c] for c in kept.values if c in raw and c != "_cl"}
    return Side(values, by_index.get(int(origin), "another laptop"), _at(hlc))


def find_conflict(store: Store, wanted: str) -> Conflict:
    """The open conflict whose id is `wanted` or starts with it (as typed from a list)."""
    prefix = wanted.strip().lower()
    found = [c for c in open_conflicts(store) if prefix and c.id.startswith(prefix)]
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(
            _("More than one conflict starts with {wanted}: give more of its id.").format(
                wanted=wanted
            )
        )
    raise NotFound(
        _(
            "No open conflict has the id {wanted}: `mutualaid conflicts` lists "
            "them (it may have been settled already)."
        ).format(wanted=wanted)
    )


def count_open(store: Store) -> int:
    return int(
        store.conn.execute("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL").fetchone()[0]
    )


def resolve(store: Store, conflict_id: str, keep: Keep) -> None:
    """Settle a conflict by keeping the current value or the other one (a synced edit)."""
    from mutualaid_desktop.store.tables import SPECS

    found = open_conflicts(store, conflict_id)
    if not found:
        raise NotFound(_("That conflict was already settled."))
    conflict = found[0]
    spec = SPECS[conflict.table]
    with store.transaction():
        deleted = store.is_deleted(spec.model, conflict.row_id)
        if conflict.group == CL_GROUP and set(conflict.other.values) == {"_cl"}:
            # A deletion (or restore) refused because this laptop keeps the record home.
            wanted_deleted = conflict.other.values["_cl"] % 2 == 0
            if keep == "other" and wanted_deleted and not deleted:
                store.delete(spec.model, conflict.row_id)
            elif keep == "other" and deleted and not wanted_deleted:
                _restore_with_cascade(store, spec, conflict.row_id)
            else:
                store.restamp_causal_length(spec.model, conflict.row_id)
        elif conflict.group == CL_GROUP:
            # The other side of a deletion conflict is otherwise always the edit.
            if keep == "other":
                if deleted:
                    _restore_with_cascade(store, spec, conflict.row_id)
                edited = {k: v for k, v in conflict.other.values.items() if k != "_cl"}
                _write(store, spec, conflict.row_id, edited, touch=True)
            else:
                # Deleted (or live, if restored since) stays as it is; a fresh
                # stamp carries the decision to the laptops that saw the clash.
                store.restamp_causal_length(spec.model, conflict.row_id)
        elif deleted and keep == "other":
            raise UserError(
                _(
                    "This record was deleted after the conflict: restore it first, "
                    "or keep the current value."
                )
            )
        elif not deleted:
            chosen = conflict.other.values if keep == "other" else conflict.current.values
            if keep == "current":
                chosen = _values_now(store, spec, conflict.row_id, list(chosen))
            _write(store, spec, conflict.row_id, chosen, touch=True)
        store.conn.execute(
            "UPDATE conflicts SET resolved_at = ? WHERE id = ?",
            (datetime.now(UTC).replace(microsecond=0).isoformat(), conflict_id),
        )


def _restore_with_cascade(store: Store, spec: Any, row_id: str) -> None:
    """Bring a record back with what its deletion took along (a household's needs).

    The delete stamped the record and then each child from the same laptop a
    moment later; children deleted that way, within a second, come back too.
    """
    from mutualaid_desktop.store.store import CASCADES, row_stamps
    from mutualaid_desktop.store.tables import SPECS

    raw = store._raw(spec, row_id)
    if raw is None:
        raise NotFound(_("That record no longer exists."))
    hlc, origin = row_stamps(spec, raw)[CL_GROUP]
    window = hlc_from_ms(1000)
    back: list[tuple[str, str]] = [(spec.name, row_id)]
    for child_table, column, _which in CASCADES.get(spec.name, ()):
        child_spec = SPECS[child_table]
        for child in store.iter_rows(
            f"SELECT * FROM {child_table} WHERE {column} = ? AND _cl % 2 = 0", (row_id,)
        ):
            child_hlc, child_origin = row_stamps(child_spec, child)[CL_GROUP]
            if child_origin == origin and hlc < child_hlc <= hlc + window:
                back.append((child_table, child["id"]))
    store.restore_many(back)


def _write(
    store: Store, spec: Any, row_id: str, columns: dict[str, Any], touch: bool = False
) -> None:
    if not columns:
        return
    raw = store._raw(spec, row_id)
    if raw is None:
        raise NotFound(_("That record no longer exists."))
    raw.update(columns)
    data = spec.to_data(raw)
    fields = [f for f in spec.fields if any(c in columns for c in spec.columns_of(f))]
    groups = sorted({spec.group_of[f] for f in fields}) if touch else []
    store.update_stamping(spec.model, row_id, {f: data[f] for f in fields}, groups)


def _values_now(store: Store, spec: Any, row_id: str, columns: list[str]) -> dict[str, Any]:
    raw = store._raw(spec, row_id) or {}
    return {c: raw.get(c) for c in columns}


def _describe(store: Store, table: str, row_id: str) -> str:
    if table == "contacts":
        row = store.conn.execute("SELECT name FROM contacts WHERE id = ?", (row_id,)).fetchone()
        return _("Contact {name}").format(name=row[0]) if row else _("A contact")
    if table == "needs":
        row = store.conn.execute(
            "SELECT n.category, c.name FROM needs n JOIN contacts c ON c.id = n.contact_id "
            "WHERE n.id = ?",
            (row_id,),
        ).fetchone()
        if row is None:
            return _("A need")
        return _("Need ({category}) of {name}").format(category=_category(row[0]), name=row[1])
    if table == "rides":
        row = store.conn.execute(
            "SELECT c.name, r.pickup_at FROM rides r JOIN contacts c ON c.id = r.rider_id "
            "WHERE r.id = ?",
            (row_id,),
        ).fetchone()
        if row is None:
            return _("A ride")
        return _("Ride of {name} at {when}").format(name=row[0], when=row[1][:16].replace("T", " "))
    if table == "organization":
        return _("Group settings")
    return f"{table.replace('_', ' ').rstrip('s').capitalize()} {row_id[:8]}"


def _category(value: str) -> str:
    from mutualaid_desktop.domain.enums import Category

    try:
        return Category(value).label.lower()
    except ValueError:
        return value.replace("_", " ")


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(("[", "{")):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, list):
            return ", ".join(str(p.get("number", p) if isinstance(p, dict) else p) for p in parsed)
    return str(value)


def _at(hlc: int) -> datetime:
    return datetime.fromtimestamp(wall_ms_of(int(hlc)) / 1000, UTC).astimezone()
