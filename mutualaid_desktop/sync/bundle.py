"""Writing a bundle: the shared rows with their stamps, for everyone or for one peer.

The body (SYNC.md, "Bundle file"): format and schema versions, group, bundle
id, sender replica, per-sender sequence, creation stamp and wall time, the
sender's knowledge vector, full or delta, and per table the column names once
and each row as a list: the data columns, the causal length, the base stamp
(hlc, origin) and the groups stamped otherwise. Origins are indexes into the
body's own `replicas` list (replica id, organizer), never this database's
local numbering.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import orjson

from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.constants import CL_GROUP, SCHEMA_VERSION, SHARED_TABLES
from mutualaid_desktop.sync import age
from mutualaid_desktop.sync.envelope import seal, write_bundle
from mutualaid_desktop.sync.identity import fingerprint
from mutualaid_desktop.sync.memory import collector_paused
from mutualaid_desktop.sync.passphrase import require_strong
from mutualaid_desktop.sync.shared import (
    OWNED_BY_CONTACT,
    POINTERS,
    StayingHome,
    kept_home_counts,
    projected_rows,
    tombstone_columns,
)

FULL = "full"
DELTA = "delta"
# progress(message, fraction) -> False to cancel
Progress = Callable[[str, float], bool]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    rows: int
    bytes: int
    seconds: float
    kept_home: dict[str, int] = field(default_factory=dict)  # households left out, by reason


@dataclass(frozen=True)
class Peer:
    """An organizer whose bundles this database has accepted."""

    public_key: bytes
    organizer: str
    knowledge: dict[str, int]
    last_import_at: str | None
    replica_id: str | None = None  # the laptop their last bundle came from

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def peers(store: Store) -> list[Peer]:
    rows = store.conn.execute(
        "SELECT public_key, organizer, knowledge, last_import_at, replica_id FROM sync_peers "
        "ORDER BY organizer"
    ).fetchall()
    return [Peer(bytes(k), o, json.loads(kn or "{}"), at, r) for k, o, kn, at, r in rows]


def find_peer(store: Store, who: str) -> Peer:
    """The trusted organizer named `who` (their name, or their fingerprint as printed)."""
    wanted = who.strip().casefold()
    known = peers(store)
    by_fp = [p for p in known if p.fingerprint.casefold() == wanted.replace(" ", "")]
    by_name = [p for p in known if p.organizer.casefold() == wanted]
    found = by_fp or by_name
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UserError(
            _(
                "More than one organizer is called {who}: give their fingerprint "
                "instead (`mutualaid identity` on their laptop prints it)."
            ).format(who=who)
        )
    names = ", ".join(p.organizer or p.fingerprint for p in known) or "none yet"
    raise UserError(
        _(
            "No bundle from {who} has been imported here, so there is nothing to "
            "base a delta on: write a full bundle (leave out --for). Known "
            "organizers: {names}."
        ).format(who=who, names=names)
    )


def forget_peer(store: Store, fingerprint: str) -> Peer:
    """Stop trusting the organizer with `fingerprint` (as printed; spaces and case do not
    matter): their next bundle is refused until their fingerprint is compared again."""
    wanted = "".join(ch for ch in fingerprint.upper() if ch.isalnum())
    found = [p for p in peers(store) if p.fingerprint.replace("-", "") == wanted]
    if not found:
        raise UserError(
            _(
                "No organizer trusted here has the fingerprint {fingerprint}: the Sync "
                "page lists the ones this laptop accepts."
            ).format(fingerprint=fingerprint)
        )
    peer = found[0]
    with store.transaction():
        store.conn.execute("DELETE FROM sync_peers WHERE public_key = ?", (peer.public_key,))
        store._audit("untrust", "organizer", None, "trust removed")
    return peer


def knowledge(store: Store) -> dict[str, int]:
    """The largest stamp applied here per replica (this one: the clock itself)."""
    known = {r: int(h) for r, h in store.conn.execute("SELECT replica_id, hlc FROM sync_knowledge")}
    known[store.replica_id] = max(known.get(store.replica_id, 0), store.clock.last)
    return known


def build_body(
    store: Store, for_peer: Peer | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The body of a bundle: everything shared, or what `for_peer` has not seen."""
    return _body(store, for_peer, progress, as_json=False)[0]


def _body(
    store: Store, for_peer: Peer | None, progress: Progress | None, as_json: bool
) -> tuple[dict[str, Any], int]:
    """The body and how many rows it holds. `as_json`: the body is only going to be
    written, so SQLite may write the JSON of a full bundle's common rows itself (those
    tables' rows are then an orjson.Fragment, not a list)."""
    from mutualaid_desktop.store.tables import SPECS

    meta = store.meta()
    with store.transaction():
        sequence = int(meta.get("bundle_sequence", "0")) + 1
        store.set_meta("bundle_sequence", str(sequence))
        created = store._tick()
    local = {
        idx: (rid, org)
        for idx, rid, org in store.conn.execute("SELECT idx, replica_id, organizer FROM replicas")
    }
    replicas: list[list[str]] = []
    to_bundle: dict[int, int] = {}

    def origin(idx: int) -> int:
        at = to_bundle.get(idx)
        if at is None:
            rid, org = local[idx]
            at = to_bundle[idx] = len(replicas)
            replicas.append([rid, org or (store.organizer if rid == store.replica_id else "")])
        return at

    sender_at = origin(store.origin)
    seen = {
        idx: (for_peer.knowledge.get(rid, 0) if for_peer else -1) for idx, (rid, _) in local.items()
    }
    home = StayingHome.of(store)
    # For a delta, SQLite drops most rows the peer has seen: a row whose only
    # stamp is its base stamp is unseen when that stamp is newer than what the
    # peer knows of its origin. Rows with more stamps are checked one by one.
    cases = " ".join(f"WHEN {int(idx)} THEN {int(h)}" for idx, h in seen.items())
    unseen_filter = (
        f"_updated > ? AND (_stamps IS NOT NULL OR _hlc > CASE _origin {cases} ELSE -1 END)",
        (min(seen.values()),),
    )
    shared_since, withdrawn = _consent_changes(store, home, seen)
    for idx in sorted(local):
        origin(idx)  # every replica gets its place up front, for the SQL below
    origin_case = (
        "CASE _origin "
        + " ".join(f"WHEN {int(idx)} THEN {int(at)}" for idx, at in to_bundle.items())
        + " END"
    )
    tables: dict[str, Any] = {}
    count = 0
    for step, table in enumerate(SHARED_TABLES):
        if progress and not progress(
            f"Reading {table.replace('_', ' ')}", step / len(SHARED_TABLES)
        ):
            raise Cancelled
        spec = SPECS[table]
        columns = spec.columns
        n = len(columns)
        kept = tombstone_columns(store, table)
        blanked = [i for i, c in enumerate(columns) if c not in kept]
        where, params = "", cast(tuple[Any, ...], ())
        linked = _linked_columns(table, columns) if shared_since else []
        if for_peer is not None:
            where, params = unseen_filter
            if linked:
                # Rows of (or pointing at) a household shared since the peer's
                # last bundle: their stamps may be old, the peer has never had them.
                ids = json.dumps(sorted(shared_since))
                where = f"({where})" + "".join(
                    f" OR {columns[at]} IN (SELECT value FROM json_each(?))" for at in linked
                )
                params = (*params, *([ids] * len(linked)))
        rows: list[Any] = []
        written: tuple[int, str] = (0, "[]")  # rows SQLite wrote as JSON, and that JSON
        if for_peer is None:
            # Most rows need nothing from Python: one stamp, nothing kept home,
            # nothing blanked. SQLite reads them ready to send, origin
            # translated; only the rest go through the loop below.
            fast, where = _fast_and_rest(table)
            selected = f"{', '.join(columns)}, _cl, _hlc, {origin_case}, NULL"
            if as_json and not _has_real(store, table):
                # And writes their JSON too. (Not for a table with fractional numbers:
                # SQLite writes 15 digits, where a value may need 17 to come back.)
                written = store.conn.execute(
                    f"SELECT count(*), json_group_array(json_array({selected})) "
                    f"FROM {table} WHERE {fast}"
                ).fetchone()
            else:
                rows.extend(store.conn.execute(f"SELECT {selected} FROM {table} WHERE {fast}"))
        for v, dropped in projected_rows(store, table, columns, home, where, params):
            org, extra_text = v[n + 2], v[n + 3]
            if extra_text is None and not dropped and for_peer is None and v[n] % 2:
                # The common row: one stamp, nothing blanked, no filter.
                at = to_bundle.get(org)
                rows.append([*v[: n + 2], origin(org) if at is None else at, None])
                continue
            cl, hlc = v[n], v[n + 1]
            extra = json.loads(extra_text) if extra_text else None
            if (
                for_peer is not None
                and not _unseen(hlc, org, extra, seen)
                and not any(v[at] in shared_since for at in linked)
            ):
                continue
            if cl % 2 == 0:
                # A tombstone: the id, the references it needs and when it was
                # deleted; what the record held stays behind (SYNC.md, purge).
                h, o = (extra or {}).get(CL_GROUP, (hlc, org))
                values = list(v[:n])
                for at in blanked:
                    values[at] = None
                rows.append([*values, cl, h, origin(o), None])
                continue
            out_extra: dict[str, list[int]] | None = None
            if extra:
                out_extra = {g: [h, origin(o)] for g, (h, o) in extra.items()}
            for col in dropped:
                # A pointer blanked for consent carries the zero stamp: whatever
                # the receiver knows (or later learns) about it wins over the blank.
                out_extra = (out_extra or {}) | {spec.group_of[col]: [0, sender_at]}
            rows.append([*v[:n], cl, hlc, origin(org), out_extra])
        count += len(rows) + written[0]
        if written[0]:
            more = "," + orjson.dumps(rows).decode()[1:] if rows else "]"
            tables[table] = {
                "columns": list(columns),
                "rows": orjson.Fragment(written[1][:-1] + more),
            }
        elif rows:
            tables[table] = {"columns": list(columns), "rows": rows}
    body: dict[str, Any] = {
        "kind": DELTA if for_peer else FULL,
        "schema_version": SCHEMA_VERSION,
        "group_id": meta["group_id"],
        "former_groups": json.loads(meta.get("former_groups", "[]")),
        "bundle_id": str(uuid.uuid4()),
        "sender_replica": store.replica_id,
        "sequence": sequence,
        "created_hlc": created,
        "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "knowledge": knowledge(store),
        "replicas": replicas,
        "tables": tables,
        # Households no longer shared: only their id and consent, so the other
        # laptops stop passing them on.
        "withdrawn": [[cid, at, scope, h, origin(o)] for cid, at, scope, h, o in withdrawn],
        # Open conflicts travel, so that every laptop lists what one of them recorded.
        "conflicts": _open_conflicts(store, home),
    }
    if for_peer is not None:
        # What the delta was cut against: a laptop that does not hold all of
        # it (another laptop, or this one restored from a backup) must not
        # take the sender's knowledge for its own.
        body["for_replica"] = for_peer.replica_id
        body["base"] = for_peer.knowledge
    return body, count


def _has_real(store: Store, table: str) -> bool:
    """Whether any column of `table` holds fractional numbers."""
    kinds = [str(r[2]).upper() for r in store.conn.execute(f"PRAGMA table_info({table})")]
    return any(k in kind for kind in kinds for k in ("REAL", "FLOA", "DOUB"))


def _open_conflicts(store: Store, home: StayingHome) -> list[list[Any]]:
    """Unsettled conflicts on shared records, as [id, table, row, group, kept value,
    kept hlc, kept replica, lost value, lost hlc, lost replica]. None about a record
    kept home, or naming one in its values, ever leaves."""
    private = set().union(*home.ids.values()) if home else set()
    out = []
    for row in store.conn.execute(
        "SELECT id, tbl, row_id, grp, kept_value, kept_hlc, kept_origin, lost_value, "
        "lost_hlc, lost_origin FROM conflicts WHERE resolved_at IS NULL ORDER BY id"
    ):
        cid, tbl, row_id, grp, kept, kh, ko, lost, lh, lo = row
        if row_id in private:
            continue
        kept_v, lost_v = json.loads(kept or "{}"), json.loads(lost or "{}")
        if private and any(v in private for v in (*kept_v.values(), *lost_v.values())):
            continue
        out.append([cid, tbl, row_id, grp, kept_v, int(kh), ko, lost_v, int(lh), lo])
    return out


def _consent_changes(
    store: Store, home: StayingHome, seen: dict[int, int]
) -> tuple[set[str], list[tuple[str, str | None, str, int, int]]]:
    """Households whose consent changed where the peer has not seen it.

    Returns the ids shared since (their rows must all go, whatever their
    stamps) and, for households kept home since, (id, consent_at,
    share_scope, hlc, origin) of the change. Households that were always
    kept home have no consent stamp of their own and are not mentioned.
    """
    shared_since: set[str] = set()
    withdrawn = []
    for cid, at, scope, extra_text in store.conn.execute(
        "SELECT id, consent_at, share_scope, _stamps FROM contacts WHERE _stamps IS NOT NULL"
    ):
        consent = json.loads(extra_text).get("consent")
        if consent is None or consent[0] <= seen.get(consent[1], 0):
            continue
        if cid in home.ids.get("contacts", ()):
            withdrawn.append((cid, at, scope, int(consent[0]), int(consent[1])))
        else:
            shared_since.add(cid)
    return shared_since, withdrawn


def _fast_and_rest(table: str) -> tuple[str, str]:
    """SQL conditions splitting a full bundle's rows: those SQLite can send as they are
    (one stamp, nothing kept home or pointing home), and the rest (checked in Python).
    Rows kept home fall in neither or are dropped by the Python check."""
    local = "SELECT id FROM contacts WHERE share_scope = 'local'"
    homes = {"contacts": local} | {
        t: f"SELECT id FROM {t} WHERE {col} IN ({local})" for t, col in OWNED_BY_CONTACT.items()
    }
    fast = ["_stamps IS NULL", "_cl % 2 = 1"]
    rest = ["_stamps IS NOT NULL", "_cl % 2 = 0"]
    if table == "contacts":
        fast.append("share_scope != 'local'")
    if owner := OWNED_BY_CONTACT.get(table):
        fast.append(f"{owner} NOT IN ({local})")
    for col, target in POINTERS.get(table, {}).items():
        fast.append(f"({col} IS NULL OR {col} NOT IN ({homes[target]}))")
        rest.append(f"{col} IN ({homes[target]})")
    return " AND ".join(fast), " OR ".join(rest)


def _linked_columns(table: str, columns: tuple[str, ...]) -> list[int]:
    """Positions of the columns naming a household (owner or pointer) in `table`."""
    names = [OWNED_BY_CONTACT.get(table)] + [
        col for col, target in POINTERS.get(table, {}).items() if target == "contacts"
    ]
    if table == "contacts":
        names.append("id")
    return [columns.index(c) for c in names if c]


def _unseen(
    hlc: int, origin: int, extra: dict[str, list[int]] | None, seen: dict[int, int]
) -> bool:
    if hlc > seen[origin]:
        return True
    return bool(extra) and any(h > seen[o] for h, o in extra.values())  # type: ignore[union-attr]


def export_bundle(
    store: Store,
    out: Path,
    passphrase: str,
    for_peer: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a full bundle (or a delta for the organizer named `for_peer`) to `out`."""
    started = time.perf_counter()
    if not passphrase:
        raise UserError(_("Type the group's sync passphrase."))
    require_strong(passphrase, (store.organization_name(), store.organizer))
    out = Path(out)
    if out.is_dir():
        raise UserError(_("{out} is a folder: give a file name for the bundle.").format(out=out))
    peer = find_peer(store, for_peer) if for_peer else None
    # The passphrase's key stretching (a second) needs no data and lets other threads
    # run: it goes on beside the reading of the rows.
    with ThreadPoolExecutor(1) as pool:
        stretched = pool.submit(age.prepare, passphrase)
        with collector_paused():  # a hundred thousand rows read, no cycles among them
            body, rows = _body(store, peer, progress, as_json=True)
        if progress and not progress("Encrypting", 0.8):
            raise Cancelled
        data = seal(store, body, passphrase, stretched.result())
    if progress and not progress("Writing and checking the copy", 0.95):
        raise Cancelled
    write_bundle(out, data)
    return ExportResult(
        out, body["kind"], rows, len(data), time.perf_counter() - started, kept_home_counts(store)
    )
