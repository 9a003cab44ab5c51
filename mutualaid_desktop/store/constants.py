"""Constants the store needs before anything heavy is imported: file format, schema
version, and the names of the sync columns every shared table carries (SYNC.md)."""

FORMAT_MARK = "mutualaid-desktop"  # meta.format of every database this program writes
SCHEMA_VERSION = 12  # the last migration in store.schema; meta.schema_version follows it


# _cl       causal length: odd = live, even = deleted; the larger wins
# _hlc      base stamp shared by every field group not listed in _stamps
# _origin   replica (local index into `replicas`) that made the base stamp
# _stamps   JSON {group: [hlc, origin]} for groups stamped after the base
# _updated  largest hlc of any stamp in the row, for delta bundles
SYNC_COLUMNS = ("_cl", "_hlc", "_origin", "_stamps", "_updated")
CL_GROUP = "_cl"  # the stamp of the last delete or restore lives under this name
# The causal length of a purged row (store/purge.py): even (deleted), and beyond any
# count a laptop reaches by deleting and restoring, so a purge wins every merge.
PURGED_CL = 2**40

# The shared (syncable) tables, parents before children: the order to insert in
# and to export in.
SHARED_TABLES = (
    "organization",
    "contacts",
    "needs",
    "items",
    "box_types",
    "box_items",
    "delivery_runs",
    "stops",
    "driver_profiles",
    "rides",
)
