"""The database schema, as numbered migrations (sqlite-utils Migrations).

Each migration is frozen once released: a later change is a new migration.
The sync columns (_cl, _hlc, _origin, _stamps, _updated) are on every shared
table from the first version, so sync never needs to migrate existing data.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from mutualaid_desktop.store.constants import SCHEMA_VERSION

migrations = Migrations("mutualaid")

_SYNC = """
    _cl INTEGER NOT NULL DEFAULT 1 CHECK (_cl >= 1),
    _hlc INTEGER NOT NULL,
    _origin INTEGER NOT NULL REFERENCES replicas(idx),
    _stamps TEXT,
    _updated INTEGER NOT NULL"""


def _table(db: Database, name: str, body: str) -> None:
    db.execute(f"CREATE TABLE {name} (\n    id TEXT PRIMARY KEY NOT NULL,{body},{_SYNC}\n)")
    db.execute(f"CREATE INDEX idx_{name}_updated ON {name}(_updated)")


@migrations()
def m001_initial(db: Database) -> None:
    # Device-local tables: never leave this laptop in a bundle.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
    db.execute("CREATE TABLE replicas (idx INTEGER PRIMARY KEY, replica_id TEXT NOT NULL UNIQUE)")
    db.execute(
        """CREATE TABLE conflicts (
    id TEXT PRIMARY KEY NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    grp TEXT NOT NULL,
    kept_value TEXT,
    kept_hlc INTEGER NOT NULL,
    kept_origin TEXT NOT NULL,
    lost_value TEXT,
    lost_hlc INTEGER NOT NULL,
    lost_origin TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    resolved_at TEXT
)"""
    )
    db.execute("CREATE INDEX idx_conflicts_open ON conflicts(resolved_at, tbl, row_id)")

    # Insert-only history: entries never change, so they never conflict.
    db.execute(
        """CREATE TABLE audit (
    id TEXT PRIMARY KEY NOT NULL,
    hlc INTEGER NOT NULL,
    origin TEXT NOT NULL,
    organizer TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
)"""
    )
    db.execute("CREATE INDEX idx_audit_hlc ON audit(hlc)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is insert-only'); END"""
        )

    # Shared tables.
    _table(
        db,
        "organization",
        """
    name TEXT NOT NULL,
    support_phone TEXT NOT NULL DEFAULT '',
    page_size TEXT NOT NULL,
    privacy_default TEXT NOT NULL,
    phone_region TEXT NOT NULL""",
    )
    _table(
        db,
        "contacts",
        """
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    phones TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    address_street TEXT NOT NULL DEFAULT '',
    address_unit TEXT NOT NULL DEFAULT '',
    address_city TEXT NOT NULL DEFAULT '',
    address_region TEXT NOT NULL DEFAULT '',
    address_postal_code TEXT NOT NULL DEFAULT '',
    address_lat REAL,
    address_lon REAL,
    directions TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL,
    adults INTEGER NOT NULL,
    children INTEGER NOT NULL,
    seniors INTEGER NOT NULL,
    dietary TEXT NOT NULL,
    allergies TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    preferred_contact TEXT NOT NULL,
    consent_at TEXT,
    share_scope TEXT NOT NULL,
    tags TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at TEXT NOT NULL""",
    )
    # Live contacts by status then name: the contacts table's usual order, read
    # straight from the index without touching the rows.
    db.execute(
        "CREATE INDEX idx_contacts_live_name ON contacts(status, name COLLATE NOCASE) "
        "WHERE _cl % 2 = 1"
    )
    db.execute("CREATE INDEX idx_contacts_zip ON contacts(address_postal_code)")
    db.execute("CREATE INDEX idx_contacts_status ON contacts(status)")
    _table(
        db,
        "needs",
        """
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    category TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL,
    urgency TEXT NOT NULL,
    status TEXT NOT NULL,
    needed_by TEXT,
    recurrence TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    assigned_volunteer_id TEXT REFERENCES contacts(id),
    created_at TEXT NOT NULL,
    status_changed_at TEXT""",
    )
    db.execute("CREATE INDEX idx_needs_contact ON needs(contact_id)")
    # Partial indexes over live rows cover the Today view's counts without touching the table.
    db.execute("CREATE INDEX idx_needs_open ON needs(status, urgency, needed_by) WHERE _cl % 2 = 1")
    db.execute(
        "CREATE INDEX idx_needs_fulfilled ON needs(status_changed_at) "
        "WHERE _cl % 2 = 1 AND status = 'fulfilled'"
    )
    db.execute("CREATE INDEX idx_needs_created ON needs(created_at) WHERE _cl % 2 = 1")
    db.execute("CREATE INDEX idx_needs_category ON needs(category)")
    db.execute("CREATE INDEX idx_needs_volunteer ON needs(assigned_volunteer_id)")
    _table(
        db,
        "items",
        """
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT ''""",
    )
    _table(
        db,
        "box_types",
        """
    name TEXT NOT NULL,
    suits TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0""",
    )
    _table(
        db,
        "box_items",
        """
    box_type_id TEXT NOT NULL REFERENCES box_types(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    qty_base REAL NOT NULL,
    qty_per_person REAL NOT NULL""",
    )
    db.execute("CREATE INDEX idx_box_items_box ON box_items(box_type_id)")
    db.execute("CREATE INDEX idx_box_items_item ON box_items(item_id)")
    _table(
        db,
        "delivery_runs",
        """
    date TEXT NOT NULL,
    name TEXT NOT NULL,
    depot_street TEXT NOT NULL DEFAULT '',
    depot_unit TEXT NOT NULL DEFAULT '',
    depot_city TEXT NOT NULL DEFAULT '',
    depot_region TEXT NOT NULL DEFAULT '',
    depot_postal_code TEXT NOT NULL DEFAULT '',
    depot_lat REAL,
    depot_lon REAL,
    driver_id TEXT REFERENCES contacts(id),
    capacity_boxes INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT ''""",
    )
    db.execute("CREATE INDEX idx_runs_date ON delivery_runs(date)")
    db.execute("CREATE INDEX idx_runs_driver ON delivery_runs(driver_id)")
    _table(
        db,
        "stops",
        """
    run_id TEXT NOT NULL REFERENCES delivery_runs(id),
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    need_id TEXT REFERENCES needs(id),
    seq INTEGER NOT NULL,
    box_type_id TEXT REFERENCES box_types(id),
    boxes INTEGER NOT NULL,
    outcome TEXT,
    outcome_note TEXT NOT NULL DEFAULT '',
    outcome_at TEXT""",
    )
    db.execute("CREATE INDEX idx_stops_run ON stops(run_id, seq)")
    db.execute("CREATE INDEX idx_stops_contact ON stops(contact_id)")
    db.execute("CREATE INDEX idx_stops_need ON stops(need_id)")
    db.execute("CREATE INDEX idx_stops_box ON stops(box_type_id)")
    _table(
        db,
        "driver_profiles",
        """
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    seats INTEGER NOT NULL,
    wheelchair_accessible INTEGER NOT NULL,
    availability TEXT NOT NULL,
    exceptions TEXT NOT NULL,
    area_zips TEXT NOT NULL,
    max_rides_per_day INTEGER NOT NULL,
    active INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT ''""",
    )
    db.execute("CREATE INDEX idx_driver_profiles_contact ON driver_profiles(contact_id)")
    _table(
        db,
        "rides",
        """
    rider_id TEXT NOT NULL REFERENCES contacts(id),
    pickup_address TEXT NOT NULL,
    pickup_lat REAL,
    pickup_lon REAL,
    pickup_at TEXT NOT NULL,
    destination TEXT NOT NULL,
    dest_lat REAL,
    dest_lon REAL,
    appointment_at TEXT,
    outbound_ride_id TEXT REFERENCES rides(id),
    party_size INTEGER NOT NULL,
    mobility TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    driver_id TEXT REFERENCES contacts(id)""",
    )
    db.execute("CREATE INDEX idx_rides_pickup ON rides(pickup_at)")
    db.execute("CREATE INDEX idx_rides_rider ON rides(rider_id)")
    db.execute("CREATE INDEX idx_rides_driver ON rides(driver_id)")
    db.execute("CREATE INDEX idx_rides_outbound ON rides(outbound_ride_id)")

    # Full-text search, kept by the store (see store/search.py); rowid = the row's rowid.
    # Prefix indexes for 1-3 characters: search-as-you-type starts at one letter.
    tokenize = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'"
    db.execute(
        "CREATE VIRTUAL TABLE contacts_fts USING fts5("
        f"name, phones, address, notes, fold, {tokenize})"
    )
    db.execute(f"CREATE VIRTUAL TABLE needs_fts USING fts5(text, contact, fold, {tokenize})")


@migrations()
def m002_identity(db: Database) -> None:
    # Device-local: the organizer's Ed25519 key pair for signing sync bundles.
    # Made here, so databases from before sync get one when they are upgraded.
    from mutualaid_desktop.sync.identity import new_key_pair

    db.execute(
        """CREATE TABLE identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    private_key BLOB NOT NULL,
    public_key BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
)"""
    )
    private, public = new_key_pair()
    db.execute(
        "INSERT INTO identity (id, private_key, public_key) VALUES (1, ?, ?)", [private, public]
    )


@migrations()
def m003_sync(db: Database) -> None:
    # Device-local sync bookkeeping; none of it ever leaves in a bundle.
    # Who made each replica's edits, for the Conflicts view ("who and when").
    db.execute("ALTER TABLE replicas ADD COLUMN organizer TEXT NOT NULL DEFAULT ''")
    db.execute(
        "UPDATE replicas SET organizer = "
        "coalesce((SELECT value FROM meta WHERE key = 'organizer'), '')"
    )
    # Organizers whose bundles this database accepts, and what each last told us.
    db.execute(
        """CREATE TABLE sync_peers (
    public_key BLOB PRIMARY KEY NOT NULL,
    organizer TEXT NOT NULL,
    trusted_at TEXT NOT NULL,
    replica_id TEXT,
    sequence INTEGER,
    knowledge TEXT,
    last_import_at TEXT
)"""
    )
    # Every bundle applied here: a second import of the same one changes nothing.
    db.execute(
        """CREATE TABLE sync_imports (
    bundle_id TEXT PRIMARY KEY NOT NULL,
    file_sha256 TEXT NOT NULL,
    sender_key BLOB NOT NULL,
    sender_replica TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    kind TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    summary TEXT NOT NULL
)"""
    )
    db.execute("CREATE INDEX idx_sync_imports_file ON sync_imports(file_sha256)")
    # The knowledge vector: the largest stamp applied here per other replica.
    db.execute(
        "CREATE TABLE sync_knowledge (replica_id TEXT PRIMARY KEY NOT NULL, hlc INTEGER NOT NULL)"
    )
    # Before sync every replica id was this database's own (copied or restored
    # files re-mint): it has seen all of their edits up to its clock.
    db.execute(
        "INSERT INTO sync_knowledge (replica_id, hlc) SELECT replica_id, "
        "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hlc'), 0) FROM replicas "
        "WHERE replica_id IS NOT (SELECT value FROM meta WHERE key = 'replica_id')"
    )


@migrations()
def m004_default_sharing(db: Database) -> None:
    # The group's choice for new households: shared with the group, or kept on the
    # laptop that records them. NULL until chosen (at first run, or in Settings).
    db.execute("ALTER TABLE organization ADD COLUMN default_share_scope TEXT")


@migrations()
def m005_item_contents(db: Database) -> None:
    # What each item contains (allergens) and is (meat, pork, certified halal or
    # kosher, lactose-free), and what replaces it for a household that may not
    # have it. Items already there get their contents read from their names,
    # the same on every laptop, for the organizer to check in Settings.
    import json

    from mutualaid_desktop.domain.allergens import Allergen
    from mutualaid_desktop.domain.food import ItemTrait, contents_from_name

    for column in ("allergens", "traits", "substitutes"):
        db.execute(f"ALTER TABLE items ADD COLUMN {column} TEXT NOT NULL DEFAULT '[]'")
    for item_id, name in db.execute("SELECT id, name FROM items").fetchall():
        contents = contents_from_name(name)
        allergens = [a.value for a in Allergen if a in contents.allergens]
        traits = [t.value for t in ItemTrait if t in contents.traits]
        if allergens or traits:
            db.execute(
                "UPDATE items SET allergens = ?, traits = ? WHERE id = ?",
                [json.dumps(allergens), json.dumps(traits), item_id],
            )


@migrations()
def m006_driver_notes(db: Database) -> None:
    # What a driver should know at the door, apart from the organizers' private notes.
    db.execute("ALTER TABLE contacts ADD COLUMN driver_notes TEXT NOT NULL DEFAULT ''")


@migrations()
def m007_map_links(db: Database) -> None:
    # Which maps site a route sheet's QR code opens.
    db.execute("ALTER TABLE organization ADD COLUMN map_links TEXT NOT NULL DEFAULT 'google'")


@migrations()
def m008_name_sort_key(db: Database) -> None:
    # A device-local sort key for names (domain/collation.py): Ángela with the A's,
    # Ødegaard with the O's, where NOCASE put them after Z. Kept by triggers, so
    # every way a name is written (an edit, an import, a bundle's merge) keeps it;
    # not a field of the record, so it never travels in a bundle.
    db.execute("ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE contacts SET name_key = mad_sort_key(name)")
    for event in ("INSERT", "UPDATE OF name"):
        suffix = "insert" if event == "INSERT" else "rename"
        db.execute(
            f"""CREATE TRIGGER contacts_name_key_{suffix} AFTER {event} ON contacts
BEGIN UPDATE contacts SET name_key = mad_sort_key(NEW.name) WHERE rowid = NEW.rowid; END"""
        )
    db.execute("DROP INDEX idx_contacts_live_name")
    db.execute(
        "CREATE INDEX idx_contacts_live_name ON contacts(status, name_key) WHERE _cl % 2 = 1"
    )


@migrations()
def m009_units(db: Database) -> None:
    # Miles or kilometres, inches or millimetres; NULL: as the computer's region.
    db.execute("ALTER TABLE organization ADD COLUMN distance_unit TEXT")
    db.execute("ALTER TABLE organization ADD COLUMN length_unit TEXT")


@migrations()
def m010_item_diet_traits(db: Database) -> None:
    # Items learned what a diabetic or low-sodium diet must not get (high in sugar,
    # high in sodium) and what baby formula is. Items already there get these read
    # from their names, the same on every laptop, and every item already there is
    # marked as guessed until an organizer confirms its contents in Settings: nobody
    # has ever said what these items contain of sugar or salt.
    import json

    from mutualaid_desktop.domain.food import ItemTrait, contents_from_name

    db.execute("ALTER TABLE items ADD COLUMN contents_guessed INTEGER NOT NULL DEFAULT 0")
    new = (ItemTrait.HIGH_SUGAR, ItemTrait.HIGH_SODIUM, ItemTrait.BABY_FORMULA)
    for item_id, name, traits in db.execute("SELECT id, name, traits FROM items").fetchall():
        read = contents_from_name(name).traits
        had = set(json.loads(traits or "[]"))
        now = had | {t.value for t in new if t in read}
        ordered = [t.value for t in ItemTrait if t.value in now]
        db.execute(
            "UPDATE items SET traits = ?, contents_guessed = 1 WHERE id = ?",
            [json.dumps(ordered), item_id],
        )


@migrations()
def m011_driver_notes_searched(db: Database) -> None:
    # Contacts are found by what a driver should know too ("gate code 4512"): the
    # index entry of every contact already there is rebuilt, as after a large import
    # (in the background when the window opens; a command-line search finishes it).
    from mutualaid_desktop.store.search import mark_stale

    if db.execute("SELECT 1 FROM contacts LIMIT 1").fetchone() is not None:
        mark_stale(db.conn, {"contacts"})


@migrations()
def m012_purge(db: Database) -> None:
    # A deleted entry's words leave the search index at once, not at a later merge of
    # its segments (a purge must leave no name behind); 'optimize' clears the words of
    # entries deleted before.
    for fts in ("contacts_fts", "needs_fts"):
        db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('secure-delete', 1)")
        db.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")
    # The deleted rows, found without reading every row: opening a database purges
    # those past their recently-deleted period (store/purge.py).
    for table in ("contacts", "needs", "delivery_runs", "stops", "driver_profiles", "rides"):
        db.execute(f"CREATE INDEX {table}_deleted ON {table}(_updated) WHERE _cl % 2 = 0")


def upgrade(db: Database) -> None:
    """Bring `db` to the current schema, and record its version in meta."""
    migrations.apply(db)
    with db.atomic():
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [str(SCHEMA_VERSION)],
        )
