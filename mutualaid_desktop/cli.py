"""The command line: `mutualaid` opens the window; sub-commands work on the same core.

Exit codes: 0 done; 1 a user error, printed as one sentence on stderr; 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mutualaid_desktop import __version__, config
from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.i18n import N_, _, ngettext
from mutualaid_desktop.logs import describe_exception, log_file, setup_logging
from mutualaid_desktop.store.connection import sqlite

if TYPE_CHECKING:
    from mutualaid_desktop.domain.enums import LengthUnit
    from mutualaid_desktop.store import Store
    from mutualaid_desktop.store.backup import BackupPolicy
    from mutualaid_desktop.store.connection import DatabaseKey

log = logging.getLogger(__name__)


def _db_arg(
    parser: argparse.ArgumentParser, top: bool = False, passphrase_alias: bool = True
) -> None:
    # `--db` may come before or after the command; a sub-command's default must
    # not overwrite a value given before it, hence SUPPRESS there.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        type=Path,
        default=default,
        metavar="PATH",
        help=_("database file (default: {default_db_path})").format(
            default_db_path=config.default_db_path()
        ),
    )
    # The database's own passphrase. `bundle` keeps --passphrase-file for the
    # group's sync passphrase (as before), so there only the long name works.
    names = ["--db-passphrase-file", "--passphrase-file"] if passphrase_alias else []
    parser.add_argument(
        *(names or ["--db-passphrase-file"]),
        dest="db_passphrase_file",
        type=Path,
        default=default,
        metavar="F",
        help=_(
            "read the database's passphrase from the first line of F "
            "(default: ask, when the database is encrypted)"
        ),
    )


def _no_encryption_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-encryption",
        action="store_true",
        help=_("leave a new database unencrypted (only if the disk itself is encrypted)"),
    )


def _passphrase_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bundle-passphrase-file",
        "--passphrase-file",
        dest="bundle_passphrase_file",
        type=Path,
        metavar="F",
        help=_("read the group's sync passphrase from the first line of F (default: ask)"),
    )


def _passphrase(args: argparse.Namespace) -> str:
    """The group's sync passphrase (bundles), from its file or the terminal."""
    from mutualaid_desktop import passphrases

    if args.bundle_passphrase_file is not None:
        return passphrases.read_passphrase_file(args.bundle_passphrase_file, N_("sync passphrase"))
    if not passphrases.can_ask():
        raise UserError(
            _(
                "Give the group's sync passphrase with --bundle-passphrase-file F "
                "(there is no terminal to ask)."
            )
        )
    return passphrases.ask(_("Group sync passphrase: "))


def _database_key(args: argparse.Namespace, path: Path) -> DatabaseKey | None:
    """The key of the existing database at `path`: None if it is plain."""
    from mutualaid_desktop.store.connection import DatabaseKey, is_encrypted

    given = getattr(args, "db_passphrase_file", None)
    if not is_encrypted(path):
        if given is not None and path.exists():
            print(
                _(
                    "mutualaid: warning: {name} is not encrypted, so its passphrase is not "
                    "needed; `mutualaid encrypt --db {path}` encrypts it."
                ).format(name=path.name, path=path),
                file=sys.stderr,
            )
        return None
    return DatabaseKey.for_file(path, _database_passphrase(args, path))


def _database_passphrase(args: argparse.Namespace, path: Path) -> str:
    """The passphrase of the encrypted file at `path`, from --passphrase-file or the terminal."""
    from mutualaid_desktop import passphrases

    given = getattr(args, "db_passphrase_file", None)
    if given is not None:
        return passphrases.read_passphrase_file(given, N_("database passphrase"))
    if passphrases.can_ask():
        return passphrases.ask(_("Passphrase for {name}: ").format(name=path.name))
    raise UserError(
        _(
            "{name} is encrypted: give its passphrase with --passphrase-file F "
            "(there is no terminal to ask)."
        ).format(name=path.name)
    )


def _strong_passphrase_file(path: Path, what: str) -> str:
    """A new passphrase read from `path`; a weak one is refused before anything is written."""
    from mutualaid_desktop import passphrases

    passphrase = passphrases.read_passphrase_file(path, what)
    rating = passphrases.strength(passphrase)
    if not rating.good:
        raise UserError(
            _("{advice} Nothing was changed.").format(advice=passphrases.advice(rating))
        )
    return passphrase


def _new_database_key(args: argparse.Namespace, path: Path) -> DatabaseKey | None:
    """The key for a database about to be made at `path`: None with --no-encryption."""
    from mutualaid_desktop import passphrases
    from mutualaid_desktop.store.connection import DatabaseKey

    given = getattr(args, "db_passphrase_file", None)
    if getattr(args, "no_encryption", False):
        if given is not None:
            raise UserError(_("Choose either --passphrase-file or --no-encryption, not both."))
        return None
    if given is not None:
        passphrase = _strong_passphrase_file(given, N_("database passphrase"))
    elif passphrases.can_ask():
        passphrase = passphrases.ask_new(path.name)
    else:
        raise UserError(
            _(
                "New databases are encrypted: give a passphrase with --passphrase-file F, "
                "or choose --no-encryption if the disk itself is encrypted."
            )
        )
    return DatabaseKey.new(passphrase)


def _open_store(args: argparse.Namespace) -> Store:
    """The database named by --db (or the default one), unlocked with its passphrase."""
    from mutualaid_desktop.store import Store

    path = _db_path(args)
    return Store.open(path, _database_key(args, path))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-31") from None


# What argparse itself says to a person (its usage line, headings and errors), marked
# here so the catalog has them; argparse looks them up through the program's catalog.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def _argparse_speaks_ours() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _bundle_kind(kind: str) -> str:
    """ "full" or "delta" in words of the program's language ("a full bundle")."""
    return _({"full": N_("full"), "delta": N_("delta")}.get(kind, kind))


def build_parser() -> argparse.ArgumentParser:
    _argparse_speaks_ours()
    parser = argparse.ArgumentParser(
        prog="mutualaid",
        description=_(
            "Mutual Aid Desktop: contacts, needs, deliveries, rides, printouts "
            "and encrypted USB sync for mutual-aid organizers. Without a command, opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _db_arg(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help=_("create a new, empty database"))
    _db_arg(p)
    p.add_argument(
        "--name", required=True, help=_("your name, as organizer (recorded in the audit log)")
    )
    p.add_argument("--org", default=None, help=_("the group's name, printed on every sheet"))
    p.add_argument(
        "--share",
        choices=["group", "local"],
        default=None,
        help=_(
            "new households: shared with the organizers' group (consent asked at sign-up) "
            "or kept on the laptop that records them (default: not chosen yet)"
        ),
    )
    _no_encryption_arg(p)

    p = sub.add_parser("demo", help=_("create a database full of realistic fictitious data"))
    _db_arg(p)
    p.add_argument("--households", type=_positive, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("centre the calendar on this day instead of today"),
    )
    p.add_argument("--name", default="Demo organizer", help=_("organizer name for a new database"))
    _no_encryption_arg(p)

    p = sub.add_parser("search", help=_("find contacts and needs, one per line"))
    _db_arg(p)
    p.add_argument("text", help=_("part of a name, phone, address or note; accents optional"))
    p.add_argument("--limit", type=_positive, default=50)

    p = sub.add_parser("print", help=_("make a printout (PDF) for a day's distribution"))
    p.add_argument(
        "sheet",
        choices=["routes", "packing", "picklist", "labels", "roster", "signin"],
        help=_("which sheet"),
    )
    _db_arg(p)
    p.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--run", default=None, metavar="RUN", help=_("only this delivery run (its name or id)")
    )
    p.add_argument(
        "--driver",
        default=None,
        metavar="DRIVER",
        help=_("only this driver's runs or rides (name or id)"),
    )
    p.add_argument(
        "--labels",
        choices=["avery5160", "l7160"],
        default="",
        help=_("label sheet (default: by the group's paper size)"),
    )
    p.add_argument(
        "--offset",
        nargs=2,
        default=("0", "0"),
        metavar=("RIGHT", "DOWN"),
        help=_("labels: printer offset, e.g. 2mm 0.1in (a bare number is in the group's unit)"),
    )
    p.add_argument(
        "--privacy",
        choices=["full", "initials", "code"],
        default=None,
        help=_("how much of each name to print (default: the group's setting)"),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")

    p = sub.add_parser("identity", help=_("this database's organizer and key fingerprint"))
    _db_arg(p)

    p = sub.add_parser("sync-state", help=_("a digest of all shared data, to compare with others"))
    _db_arg(p)

    p = sub.add_parser("bundle", help=_("sync with another organizer by encrypted bundle files"))
    bundle = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    e = bundle.add_parser("export", help=_("write a bundle of the shared data (for a USB stick)"))
    _db_arg(e, passphrase_alias=False)
    e.add_argument("--out", type=Path, required=True, metavar="FILE")
    _passphrase_arg(e)
    e.add_argument(
        "--for",
        dest="for_peer",
        metavar="PEER",
        help=_("only what this organizer (name or fingerprint) has not seen yet: a delta"),
    )
    i = bundle.add_parser("import", help=_("merge a bundle from another organizer"))
    _db_arg(i, passphrase_alias=False)
    i.add_argument("file", type=Path, metavar="FILE")
    _passphrase_arg(i)
    i.add_argument(
        "--trust",
        metavar="FINGERPRINT",
        help=_("trust the sender, after comparing this fingerprint with theirs in person"),
    )
    i.add_argument(
        "--merge-groups",
        action="store_true",
        help=_("accept a bundle of another group and join it"),
    )
    i.add_argument(
        "--accept-clock",
        action="store_true",
        help=_("import although the sender's clock is more than a day ahead"),
    )
    i.add_argument("--dry-run", action="store_true", help=_("only show what would change"))

    _conflicts_parser(sub)
    _trust_parser(sub)

    p = sub.add_parser("rides", help=_("ride-share roster tools"))
    rides = p.add_subparsers(dest="rides_command", metavar="ACTION", required=True)
    m = rides.add_parser("match", help=_("propose a driver for every unassigned ride of a day"))
    _db_arg(m)
    m.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")

    p = sub.add_parser(
        "encrypt",
        help=_("encrypt an existing unencrypted database in place (through a checked copy)"),
        description=_(
            "Encrypt an existing database: --passphrase-file gives the new passphrase. "
            "An encrypted copy is written and checked first; the unencrypted file is then "
            "overwritten and removed."
        ),
    )
    _db_arg(p)
    p = sub.add_parser(
        "rekey",
        help=_("change an encrypted database's passphrase"),
        description=_(
            "--passphrase-file gives the current passphrase, --new-passphrase-file "
            "the new one (either is asked for on a terminal when not given)."
        ),
    )
    _db_arg(p)
    p.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="F",
        help=_("read the new passphrase from the first line of F (default: ask)"),
    )

    p = sub.add_parser(
        "install-desktop", help=_("add Mutual Aid Desktop to this user's applications menu (Linux)")
    )
    p.add_argument("--remove", action="store_true", help=_("take the menu entry away again"))
    _exchange_parsers(sub)

    p = sub.add_parser("check", help=_("check the database's integrity and the program's rules"))
    _db_arg(p)
    p.add_argument("--repair", action="store_true", help=_("rebuild the search index first"))
    _backup_parsers(sub)
    _purge_parser(sub)
    return parser


def _exchange_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`import`, `export`, `report` and `digest`: spreadsheets in and out."""
    p = sub.add_parser("import", help=_("import households from a spreadsheet (CSV, XLSX, ODS)"))
    _db_arg(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--sheet", default=None, metavar="NAME", help=_("which sheet of a workbook"))
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="'Header=field'",
        help=_(
            "read a column as a field (name, phone, street, zip, needs, diet, ...; "
            "'Header=ignore' leaves it out); may be given several times"
        ),
    )
    p.add_argument("--dry-run", action="store_true", help=_("only show what would be imported"))

    p = sub.add_parser(
        "export", help=_("write contacts, needs, deliveries or rides to CSV or XLSX")
    )
    p.add_argument("what", choices=["contacts", "needs", "deliveries", "rides"])
    _db_arg(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv|FILE.xlsx")
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument(
        "--privacy",
        choices=["full", "initials", "code"],
        default="full",
        help=_("full (everything), initials (no contact details) or code (household codes only)"),
    )

    p = sub.add_parser("report", help=_("the funder report: households served, by week and ZIP"))
    _db_arg(p)
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|.csv|.xlsx")

    p = sub.add_parser("digest", help=_("open needs as redacted text for a group chat"))
    _db_arg(p)
    p.add_argument(
        "--date", type=_date, default=None, metavar="YYYY-MM-DD", help=_("default: today")
    )


def _conflicts_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("conflicts", help=_("list the conflicts imports recorded, or settle one"))
    _db_arg(p)
    actions = p.add_subparsers(dest="conflicts_command", metavar="ACTION")
    r = actions.add_parser("resolve", help=_("settle one conflict"))
    _db_arg(r)
    r.add_argument("id", metavar="ID", help=_("the conflict's id as listed (its first letters do)"))
    r.add_argument(
        "keep",
        choices=["mine", "theirs"],
        help=_("mine: keep the current value (what this laptop shows); theirs: the other one"),
    )


def _trust_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("trust", help=_("the organizers whose bundles this laptop accepts"))
    actions = p.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    r = actions.add_parser("remove", help=_("stop accepting an organizer's bundles"))
    _db_arg(r)
    r.add_argument(
        "fingerprint", metavar="FINGERPRINT", help=_("as `mutualaid identity` prints it")
    )


def _backup_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help=_("back the database up now (prints the backup's path last)"))
    _db_arg(p)
    p = sub.add_parser("backups", help=_("this database's backups, newest first, one per line"))
    _db_arg(p)
    p = sub.add_parser(
        "restore", help=_("put a backup in place of the database (the current one is backed up)")
    )
    _db_arg(p)
    p.add_argument(
        "backup", type=Path, metavar="BACKUP", help=_("a file `mutualaid backups` lists")
    )
    p.add_argument(
        "--backup-passphrase-file",
        type=Path,
        metavar="F",
        help=_(
            "the passphrase of a backup made before the database's passphrase was changed "
            "(the restored database keeps the current one)"
        ),
    )


def _purge_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "purge",
        help=_("erase for good households with no need, stop or ride for N months"),
        description=_(
            "Deleted records are erased once their recently-deleted period is over, "
            "whenever the database is opened. --inactive-months N also erases the households "
            "with no need, stop or ride (and not added) in the last N months, with their needs, "
            "stops and rides. A purge cannot be undone."
        ),
    )
    _db_arg(p)
    p.add_argument(
        "--inactive-months",
        type=_positive,
        metavar="N",
        help=_("purge households inactive this long"),
    )
    p.add_argument(
        "--dry-run", action="store_true", help=_("only list who would be purged; change nothing")
    )


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else config.default_db_path()


def _cmd_init(args: argparse.Namespace) -> int:
    from mutualaid_desktop.store import Store

    path = _db_path(args)
    name = args.name.strip()
    if not name:
        raise UserError(_("Give your name with --name, so the audit log can say who changed what."))
    if path.exists():
        raise UserError(_("{path} already exists; choose another file name.").format(path=path))
    key = _new_database_key(args, path)
    store = Store.create(path, organizer=name, org_name=args.org, key=key)
    if args.share:
        from mutualaid_desktop.domain import ORGANIZATION_ID, Organization, ShareScope

        store.update(Organization, ORGANIZATION_ID, default_share_scope=ShareScope(args.share))
    store.close()
    print(
        _("Created {path}").format(path=path)
        if key
        else _("Created {path} (not encrypted)").format(path=path)
    )
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from mutualaid_desktop.demo import build_demo
    from mutualaid_desktop.store import Store

    path = _db_path(args)
    created = not path.exists()
    store = (
        Store.create(
            path,
            organizer=args.name,
            org_name="Eastside Mutual Aid (demo)",
            key=_new_database_key(args, path),
        )
        if created
        else Store.open(path, _database_key(args, path))
    )
    ok = False
    try:
        last = [-1]

        def progress(message: str, fraction: float) -> bool:
            step = int(fraction * 10)
            if step != last[0] and sys.stderr.isatty():
                print(f"\r{message}… {fraction:4.0%}", end="", file=sys.stderr, flush=True)
            last[0] = step
            return True

        summary = build_demo(store, args.households, args.seed, args.today, progress)
        ok = True
    finally:
        store.close()
        if created and not ok:
            # Interrupted (Ctrl+C, a full disk): leave no half-made file behind.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        _(
            "{path}: {contacts} contacts, {needs} needs, {runs} delivery runs with "
            "{stops} stops, {rides} rides"
        ).format(
            path=path,
            contacts=summary.contacts,
            needs=summary.needs,
            runs=summary.runs,
            stops=summary.stops,
            rides=summary.rides,
        )
    )
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        hits = store.search(args.text, limit=args.limit)
    for hit in hits:
        print(f"{hit.kind}\t{hit.id}\t{hit.title}\t{hit.detail}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from mutualaid_desktop.errors import DatabaseDamaged
    from mutualaid_desktop.store import Store
    from mutualaid_desktop.store.backup import BackupPolicy
    from mutualaid_desktop.store.check import check_database, damage_report, repair_search_index

    path = _db_path(args)
    key = _database_key(args, path)
    try:
        # Checking never writes to the file: a damaged one must stay as it was found.
        with Store.open(path, key, read_only=not args.repair) as store:
            if args.repair:
                repair_search_index(store)
            problems = check_database(store)
    except DatabaseDamaged:
        raise UserError(damage_report(path, BackupPolicy(key=key))) from None
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(
            ngettext("{n} problem found.", "{n} problems found.", len(problems)).format(
                n=len(problems)
            ),
            file=sys.stderr,
        )
        return 1
    print(_("No problems found."))
    return 0


def _offset_mm(given: list[str], unit: LengthUnit) -> tuple[float, float]:
    """The label offset typed after --offset, in millimetres."""
    from mutualaid_desktop.domain.units import parse_length

    try:
        right, down = (parse_length(value, unit) for value in given)
    except ValueError:
        raise UserError(
            _(
                "“{given}” is not a printer offset: give two lengths, right then down, "
                "such as 2mm 1.5mm or 0.1in 0in."
            ).format(given=" ".join(given))
        ) from None
    return right, down


def _cmd_print(args: argparse.Namespace) -> int:
    from mutualaid_desktop.domain.enums import PrivacyLevel
    from mutualaid_desktop.sheets.make import make_sheet, write_pdf

    privacy = PrivacyLevel(args.privacy) if args.privacy else None
    with _open_store(args) as store:
        offset_mm = _offset_mm(args.offset, store.organization().lengths())
        made = make_sheet(
            store,
            args.sheet,
            args.date,
            args.run,
            privacy,
            labels=args.labels,
            offset_mm=offset_mm,
            driver_id=args.driver,
        )
    write_pdf(made.pdf, args.out)
    for warning in made.warnings:
        print(_("mutualaid: warning: {warning}").format(warning=warning), file=sys.stderr)
    for stop in made.to_check:
        print(_("mutualaid: check before printing: {stop}").format(stop=stop), file=sys.stderr)
    print(_("Saved {out}").format(out=args.out))
    return 0


def _cmd_identity(args: argparse.Namespace) -> int:
    from mutualaid_desktop.sync.identity import identity

    with _open_store(args) as store:
        me = identity(store)
        group = store.organization_name()
    print(_("Organizer: {name}").format(name=me.organizer or _("(no name)")))
    print(_("Group: {group}").format(group=group))
    print(_("Read this fingerprint aloud to compare it in person:"))
    print(me.fingerprint)
    return 0


def _cmd_sync_state(args: argparse.Namespace) -> int:
    from mutualaid_desktop.sync.shared import sync_state

    with _open_store(args) as store:
        digest = sync_state(store)
    print(_("Shared data digest (the same on every laptop that holds the same data):"))
    print(digest)
    return 0


def _cmd_bundle(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        if args.bundle_command == "export":
            return _bundle_export(store, args)
        return _bundle_import(store, args)


def _bundle_export(store: Store, args: argparse.Namespace) -> int:
    from mutualaid_desktop.sync.bundle import export_bundle

    result = export_bundle(store, args.out, _passphrase(args), for_peer=args.for_peer)
    print(
        _(
            "Wrote a {kind} bundle of {rows} records to {path} ({megabytes:.1f} MB, "
            "{seconds:.1f} s); it read back correctly, so the stick is safe to "
            "remove."
        ).format(
            kind=_bundle_kind(result.kind),
            rows=result.rows,
            path=result.path,
            megabytes=result.bytes / 1e6,
            seconds=result.seconds,
        )
    )
    _print_kept_home(result.kept_home)
    return 0


def _print_kept_home(counts: dict[str, int]) -> None:
    from mutualaid_desktop.sync.shared import kept_home_sentence

    if sentence := kept_home_sentence(counts):
        print(sentence)


def _bundle_import(store: Store, args: argparse.Namespace) -> int:
    from mutualaid_desktop.sync import importer

    incoming = importer.read_bundle(store, args.file, _passphrase(args))
    decisions = importer.Decisions(
        trust=args.trust, merge_groups=args.merge_groups, accept_clock=args.accept_clock
    )
    sender = incoming.sender.organizer or "an organizer"
    if args.dry_run:
        for warning in importer.check(store, incoming, decisions):
            print(_("Warning: {warning}").format(warning=warning), file=sys.stderr)
        print(
            _("A {kind} bundle from {sender}. Importing it would change:").format(
                kind=_bundle_kind(incoming.kind), sender=sender
            )
        )
        for line in importer.preview(store, incoming).lines():
            print(f"  {line}")
        return 0
    result = importer.import_bundle(store, incoming, decisions)
    for warning in result.warnings:
        print(_("Warning: {warning}").format(warning=warning), file=sys.stderr)
    print(
        _("Imported a {kind} bundle from {sender}:").format(
            kind=_bundle_kind(incoming.kind), sender=sender
        )
    )
    for line in result.changes.lines():
        print(f"  {line}")
    if result.backup:
        print(_("The database as it was before is saved in {backup}.").format(backup=result.backup))
    return 0


def _cmd_conflicts(args: argparse.Namespace) -> int:
    from mutualaid_desktop.sync.conflicts import find_conflict, open_conflicts, resolve

    with _open_store(args) as store:
        if args.conflicts_command == "resolve":
            conflict = find_conflict(store, args.id)
            resolve(store, conflict.id, "current" if args.keep == "mine" else "other")
            kept = conflict.current if args.keep == "mine" else conflict.other
            print(
                _("Kept {text} for {record} ({field_label}).").format(
                    text=kept.text(), record=conflict.record, field_label=conflict.field_label
                )
            )
            return 0
        conflicts = open_conflicts(store)
    if not conflicts:
        print(_("No conflicts to review."))
    for c in conflicts:
        sides = [
            f"{name}: {side.text()} (by {side.by}, {side.at:%Y-%m-%d %H:%M})"
            for name, side in (("current", c.current), ("other", c.other))
        ]
        print("\t".join([c.id, c.table, c.record, c.field_label, *sides]))
    return 0


def _cmd_trust(args: argparse.Namespace) -> int:
    from mutualaid_desktop.sync.bundle import forget_peer

    with _open_store(args) as store:
        peer = forget_peer(store, args.fingerprint)
    print(
        _(
            "This laptop no longer accepts bundles from {name} ({fingerprint}); "
            "their next bundle asks to compare fingerprints again."
        ).format(name=peer.organizer or _("that organizer"), fingerprint=peer.fingerprint)
    )
    return 0


def _cmd_rides(args: argparse.Namespace) -> int:
    from mutualaid_desktop.domain.units import format_distance
    from mutualaid_desktop.rides.matching import match_day

    with _open_store(args) as store:
        proposals = match_day(store, args.date)
        unit = store.organization().distances()
    if not proposals:
        raise UserError(
            _("There are no unassigned rides on {day}.").format(day=args.date.isoformat())
        )
    for p in proposals:
        head = f"{p.ride.pickup_at:%H:%M}\t{p.ride.id}\t{p.ride.rider}\t{p.ride.destination}"
        if p.driver_id:
            away = _("{distance} away").format(distance=format_distance(p.km, unit))
            km = f" ({away})" if p.km is not None else ""
            print(_("{head}\tdriver: {driver}{km}").format(head=head, driver=p.driver, km=km))
        else:
            print(_("{head}\tno driver: {reason}").format(head=head, reason=p.reason))
    placed = sum(1 for p in proposals if p.driver_id)
    print(
        ngettext(
            "{placed} of {n} ride placed; nothing was saved.",
            "{placed} of {n} rides placed; nothing was saved.",
            len(proposals),
        ).format(placed=placed, n=len(proposals)),
        file=sys.stderr,
    )
    return 0


def _cmd_install_desktop(args: argparse.Namespace) -> int:
    from mutualaid_desktop import launcher

    if args.remove:
        removed = launcher.uninstall_desktop()
        print(
            ngettext("Removed {n} file.", "Removed {n} files.", len(removed)).format(n=len(removed))
            if removed
            else _("No menu entry was installed.")
        )
        return 0
    done = launcher.install_desktop()
    print(
        _("Installed the menu entry {desktop_file}, which runs {command}").format(
            desktop_file=done.desktop_file, command=" ".join(done.command)
        )
    )
    return 0


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from mutualaid_desktop.store.encryption import encrypt_in_place

    path = _existing_db(args)
    if not _is_encrypted(path):
        key = _new_database_key(args, path)
        assert key is not None  # `encrypt` has no --no-encryption
        encrypt_in_place(path, key, _progress())
        _end_progress()
        print(
            _(
                "Encrypted {path}; the unencrypted file was overwritten and removed. "
                "Keep the passphrase safe: nobody can recover it."
            ).format(path=path)
        )
        return 0
    raise UserError(
        _("{name} is already encrypted; change its passphrase with `mutualaid rekey`.").format(
            name=path.name
        )
    )


def _cmd_rekey(args: argparse.Namespace) -> int:
    from mutualaid_desktop import passphrases
    from mutualaid_desktop.store.connection import DatabaseKey
    from mutualaid_desktop.store.encryption import change_key

    path = _existing_db(args)
    if not _is_encrypted(path):
        raise UserError(
            _("{name} is not encrypted; encrypt it with `mutualaid encrypt`.").format(
                name=path.name
            )
        )
    old = _database_key(args, path)
    assert old is not None
    if args.new_passphrase_file is not None:
        new = _strong_passphrase_file(args.new_passphrase_file, N_("new passphrase"))
    elif passphrases.can_ask():
        new = passphrases.ask_new(path.name)
    else:
        raise UserError(_("Give the new passphrase with --new-passphrase-file F."))
    change_key(path, old, DatabaseKey.new(new), _progress())
    _end_progress()
    print(
        _("Changed the passphrase of {path}. Keep the new one safe: nobody can recover it.").format(
            path=path
        )
    )
    return 0


def _existing_db(args: argparse.Namespace) -> Path:
    path = _db_path(args)
    if not path.is_file():
        raise UserError(_("There is no database at {path}.").format(path=path))
    return path


def _is_encrypted(path: Path) -> bool:
    from mutualaid_desktop.store.connection import is_encrypted

    return is_encrypted(path)


def _progress() -> Callable[[str, float], bool]:
    def progress(message: str, fraction: float) -> bool:
        if sys.stderr.isatty():
            print(f"\r{message}… {fraction:4.0%}\033[K", end="", file=sys.stderr, flush=True)
        return True

    return progress


def _end_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _cmd_import(args: argparse.Namespace) -> int:
    from mutualaid_desktop.exchange import importing
    from mutualaid_desktop.exchange.columns import Field, parse_field
    from mutualaid_desktop.exchange.spreadsheet import read_table

    table = read_table(args.file, sheet=args.sheet)
    with _open_store(args) as store:
        mapping, _remembered = importing.mapping_for(store, table)
        for item in args.map:
            header, sep, field_text = item.partition("=")
            try:
                column = _column_named(table.headers, header.strip()) if sep else -1
                field = parse_field(field_text)
            except ValueError:
                choices = ", ".join(f.value for f in Field)
                raise UserError(
                    _(
                        "--map {item!r}: give 'Header=field' with a heading of the sheet and "
                        "one of: {choices}."
                    ).format(item=item, choices=choices)
                ) from None
            mapping[column] = field
        plan = importing.preview(store, table, mapping)
        if args.dry_run:
            print(f"{table.name}: {table.describe()}")
            for header, field in zip(table.headers, plan.mapping, strict=True):
                print(f"  {header} → {field.label}")
            result = importing.dry_run(store, plan)
        else:
            result = importing.apply(store, plan)
    for line in result.lines():
        print(line)
    if result.review:
        print(_("To review:"))
        for number, sentences in result.review:
            print(
                _("  row {number}: {sentences}").format(
                    number=number, sentences=" ".join(sentences)
                )
            )
    if args.dry_run:
        print(_("Nothing was written (--dry-run)."))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from mutualaid_desktop.domain.enums import PrivacyLevel
    from mutualaid_desktop.exchange.export import ExportKind, export
    from mutualaid_desktop.exchange.tabular import file_format

    file_format(args.out)  # a wrong name is said before anything is read
    with _open_store(args) as store:
        done = export(
            store, ExportKind(args.what), args.out, PrivacyLevel(args.privacy), args.start, args.end
        )
    print(_("Saved {rows} {what} to {path}").format(rows=done.rows, what=args.what, path=done.path))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from mutualaid_desktop.exchange.report import write_report

    with _open_store(args) as store:
        report = write_report(store, args.start, args.end, args.out)
    t = report.total
    print(
        _(
            "{households} households served ({people} people, {new} new), {boxes} "
            "boxes, {rides} rides; saved {out}"
        ).format(
            households=t.households,
            people=t.people,
            new=t.new,
            boxes=t.boxes,
            rides=t.rides,
            out=args.out,
        )
    )
    return 0


def _backup_policy(
    args: argparse.Namespace, path: Path, backup: Path | None = None
) -> BackupPolicy:
    """How the backups of the database at `path` are written and read: with its key, and
    with the passphrase typed for it, or --backup-passphrase-file's for a backup made
    before a `rekey`. Without an encrypted database there, an encrypted `backup` asks
    for its own passphrase."""
    from mutualaid_desktop import passphrases
    from mutualaid_desktop.errors import WrongPassphrase
    from mutualaid_desktop.store.backup import BackupPolicy
    from mutualaid_desktop.store.connection import DatabaseKey, connect, is_encrypted

    given = getattr(args, "backup_passphrase_file", None)
    old = passphrases.read_passphrase_file(given, N_("backup passphrase")) if given else None
    if path.is_file() and is_encrypted(path):
        passphrase = _database_passphrase(args, path)
        key = DatabaseKey.for_file(path, passphrase)
        try:
            connect(path, key, read_only=True, leave_no_trace=True).close()
        except WrongPassphrase:
            # A damaged first page fails as a wrong key does: the backup being restored decides.
            if backup is None or not is_encrypted(backup):
                raise
            connect(backup, DatabaseKey.for_file(backup, old or passphrase), read_only=True).close()
        except (sqlite.Error, UserError):
            pass  # damaged: restoring a backup is what it needs
        return BackupPolicy(key=key, passphrase=old or passphrase)
    if backup is not None and backup.is_file() and is_encrypted(backup):
        return BackupPolicy(passphrase=old or _database_passphrase(args, backup))
    return BackupPolicy()


def _cmd_backup(args: argparse.Namespace) -> int:
    from mutualaid_desktop.store.backup import BackupPolicy, make_backup, read_info

    with _open_store(args) as store:
        made = make_backup(store, "manual")
        info = read_info(made, BackupPolicy(key=store.key))
    if info is not None:
        print(_("Backed up {counts_text}.").format(counts_text=info.counts_text()))
    print(made)
    return 0


def _cmd_backups(args: argparse.Namespace) -> int:
    from mutualaid_desktop.store.backup import list_backups

    path = _db_path(args)
    if not path.exists():
        raise UserError(_("There is no database at {path}; check the name.").format(path=path))
    found = list_backups(path, _backup_policy(args, path))
    if not found:
        raise UserError(
            _(
                "There are no backups of {name} yet; make one with `mutualaid backup --db {path}`."
            ).format(name=path.name, path=path)
        )
    for info in found:
        print(info.line())
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from mutualaid_desktop.errors import WrongPassphrase
    from mutualaid_desktop.store.backup import restore_backup

    path = _db_path(args)
    try:
        done = restore_backup(path, args.backup, _backup_policy(args, path, Path(args.backup)))
    except WrongPassphrase:
        raise UserError(
            _(
                "That passphrase does not open the backup {name}: if it was "
                "made before the passphrase was changed, give the old one with "
                "--backup-passphrase-file F."
            ).format(name=Path(args.backup).name)
        ) from None
    if done.saved_before is not None:
        print(
            _("The database as it was is saved in {saved_before}.").format(
                saved_before=done.saved_before
            )
        )
    print(
        _(
            "Restored {path} from the backup of {when} ({counts_text}); it has a "
            "new replica id for sync."
        ).format(path=path, when=done.backup.when(), counts_text=done.backup.counts_text())
    )
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    from mutualaid_desktop import passphrases
    from mutualaid_desktop.i18n import _, ngettext
    from mutualaid_desktop.store import Store, deleted, purge

    path = _db_path(args)
    months = args.inactive_months
    if months is not None and months > purge.MAX_INACTIVE_MONTHS:
        raise UserError(_("Choose at most {n} months.").format(n=purge.MAX_INACTIVE_MONTHS))
    # A dry run changes nothing, not even the purge every opening does.
    with Store.open(path, _database_key(args, path), purge_expired=not args.dry_run) as store:
        expired = deleted.expired(store)
        found = purge.inactive_households(store, months) if months else []
        for household in found:
            print(f"{household.last_active}  {household.name}")
        if months:
            since = purge.months_before(date.today(), months).isoformat()
            say = ngettext(
                "{n} household has had no need, stop or ride since {date} (listed above).",
                "{n} households have had no need, stop or ride since {date} (listed above).",
                len(found),
            )
            print(say.format(n=len(found), date=since), file=sys.stderr)
        if args.dry_run:
            if expired:
                say = ngettext(
                    "{n} deleted record is past the recently-deleted period ({days} days): "
                    "it is erased when the database is next opened.",
                    "{n} deleted records are past the recently-deleted period ({days} days): "
                    "they are erased when the database is next opened.",
                    len(expired),
                )
                print(say.format(n=len(expired), days=deleted.retention_days(store)))
            print(_("Nothing was changed (--dry-run)."), file=sys.stderr)
            return 0
        if found and passphrases.can_ask():
            question = ngettext(
                "Erase this household for good, with its needs, stops and rides? "
                "It cannot be undone. [y/N] ",
                "Erase these {n} households for good, with their needs, stops and rides? "
                "It cannot be undone. [y/N] ",
                len(found),
            )
            if input(question.format(n=len(found))).strip().lower() not in ("y", "yes", "s", "sí"):
                print(_("Nothing was purged."), file=sys.stderr)
                return 1
        purge.purge_households(store, [h.id for h in found])
    say = ngettext(
        "Purged {n} household: what it held is erased from the database.",
        "Purged {n} households: what they held is erased from the database.",
        len(found),
    )
    print(say.format(n=len(found)))
    return 0


def _cmd_digest(args: argparse.Namespace) -> int:
    from mutualaid_desktop.exchange.digest import digest

    with _open_store(args) as store:
        print(digest(store, args.date or date.today()))
    return 0


def _column_named(headers: Sequence[str], wanted: str) -> int:
    for i, header in enumerate(headers):
        if header == wanted:
            return i
    folded = wanted.casefold()
    for i, header in enumerate(headers):
        if header.casefold() == folded:
            return i
    raise ValueError(wanted)


def _cmd_gui(args: argparse.Namespace) -> int:
    from mutualaid_desktop import passphrases
    from mutualaid_desktop.ui.app import run

    given = args.db_passphrase_file
    secret = passphrases.read_passphrase_file(given, N_("database passphrase")) if given else None
    return run(args.db, secret)


COMMANDS = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "search": _cmd_search,
    "check": _cmd_check,
    "print": _cmd_print,
    "rides": _cmd_rides,
    "identity": _cmd_identity,
    "sync-state": _cmd_sync_state,
    "bundle": _cmd_bundle,
    "install-desktop": _cmd_install_desktop,
    "encrypt": _cmd_encrypt,
    "rekey": _cmd_rekey,
    "import": _cmd_import,
    "export": _cmd_export,
    "report": _cmd_report,
    "digest": _cmd_digest,
    "conflicts": _cmd_conflicts,
    "trust": _cmd_trust,
    "backup": _cmd_backup,
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "purge": _cmd_purge,
}


def _with_file_argument(argv: Sequence[str]) -> list[str]:
    """`mutualaid PATH` (a launcher's `Exec=mutualaid %f`, a file dropped on the
    program) opens that database: the same as `mutualaid --db PATH`."""
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--db":
            i += 2
            continue
        if token.startswith("-"):
            i += 1
            continue
        if token not in COMMANDS and _looks_like_a_file(token):
            tokens.insert(i, "--db")
        break  # a mistyped command stays one, and gets the usage message
    return tokens


def _looks_like_a_file(token: str) -> bool:
    path = Path(token)
    return (
        "/" in token
        or os.sep in token
        or path.suffix.lower() in (".sqlite", ".sqlite3", ".db")
        or path.is_file()
    )


def _ensure_streams() -> None:
    # A windowed build (PyInstaller console=False, pythonw on Windows) starts with
    # sys.stdin, sys.stdout and sys.stderr set to None: printing or asking
    # `isatty()` would crash a command run from it.
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main(argv: Sequence[str] | None = None) -> int:
    _ensure_streams()
    parser = build_parser()
    args = parser.parse_args(_with_file_argument(sys.argv[1:] if argv is None else argv))
    setup_logging()
    handler = COMMANDS.get(args.command or "", _cmd_gui)
    try:
        return handler(args)
    except UserError as error:
        print(f"mutualaid: {error}", file=sys.stderr)
        return 1
    except Cancelled:
        print(_("mutualaid: cancelled; nothing was changed."), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `mutualaid search ... | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(_("mutualaid: interrupted; nothing was changed."), file=sys.stderr)
        return 130
    except (OSError, sqlite.Error) as error:
        # A full disk, a read-only folder, a vanished USB stick, a damaged file: one sentence.
        from mutualaid_desktop.store.sqlite_errors import translate

        log.exception("OS or SQLite error")
        known = translate(error, getattr(args, "db", None))
        if known is not None:
            print(f"mutualaid: {known}", file=sys.stderr)
        elif isinstance(error, OSError):
            where = f" ({error.filename})" if error.filename else ""
            print(
                _("mutualaid: {problem}{where}.").format(
                    problem=error.strerror or error, where=where
                ),
                file=sys.stderr,
            )
        else:
            print(
                _("mutualaid: the database could not be used ({error}).").format(error=error),
                file=sys.stderr,
            )
        return 1
    except Exception as error:
        # A bug: the traceback goes to the log (scrubbed of people's data), not the terminal.
        log.log(logging.ERROR, "unexpected error\n%s", describe_exception(error))
        print(
            _("mutualaid: something unexpected went wrong; the details are in {path}.").format(
                path=log_file()
            ),
            file=sys.stderr,
        )
        return 1
