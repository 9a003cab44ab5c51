"""Importing a 20,000-row sign-up sheet, and exporting 20,000 households, beside floors.

The sheet is made here in the sign-up form's own columns and messiness (phones
in every format, "3 adults 2 kids", "Groceries; Medicine pickup", accents in
every script, a few duplicates and a blank row). Measured:

- the import into an empty database: reading and previewing (every row read,
  matched within the file), then writing, with the number of progress reports;
- Cancel at half of the write: how soon it stops, and that nothing was written;
- the same sheet into a copy of the 20,000-household demo (matched against it);
- exports of every contact to CSV and XLSX, the funder report and the digest;
- Edit › Undo of the import (issue 12), into an empty database and into the
  demo: the write recorded as one undoable change beside the same write
  unrecorded (the floor), each in a process of its own for its peak memory;
  what the change holds; the undo and redo of all of it.

The floor is what any importer must do with the same file: parse it with the
csv module and insert as many contacts and needs with a bare executemany (no
validation, no sync stamps, no search index); beside it, the store's own
insert of the very records the import made.

Usage: python benchmarks/bench_exchange.py [--rows 20000] [--db benchmarks/out/demo-20000.sqlite]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, best_of, deep_mb, in_child, isolate_home, peak_mb, row, time_in

isolate_home()

from mutualaid_desktop.demo.pools import NAME_GROUPS, STREETS, UNITS, ZIPS  # noqa: E402
from mutualaid_desktop.domain import Contact  # noqa: E402
from mutualaid_desktop.errors import Cancelled  # noqa: E402
from mutualaid_desktop.exchange import importing  # noqa: E402
from mutualaid_desktop.exchange.digest import digest  # noqa: E402
from mutualaid_desktop.exchange.export import ExportKind, export  # noqa: E402
from mutualaid_desktop.exchange.report import write_report  # noqa: E402
from mutualaid_desktop.exchange.spreadsheet import read_table  # noqa: E402
from mutualaid_desktop.store import Store, search  # noqa: E402
from mutualaid_desktop.store.changes import Recorder  # noqa: E402

HEADERS = [
    "Timestamp", "Full name", "Phone number", "Email (optional)", "Street address",
    "Apt / Unit", "City", "ZIP", "How many people in your household?", "What do you need?",
    "How urgent?", "Dietary restrictions or allergies", "Preferred language",
    "Anything else we should know? (delivery notes)",
    "Can we share your info with other volunteers in the network?",
    "Do you have a car / can you drive others?",
]  # fmt: skip
NEEDS = [
    "Groceries", "Groceries; Medicine pickup", "Groceries, Diapers", "Hot meals", "Rent help",
    "Ride to clinic", "Diapers (size 4)", "Baby formula", "Hygiene products", "",
]  # fmt: skip
DIETS = ["", "", "halal", "no pork", "vegan", "NUT ALLERGY!!", "gluten free / celiac",
         "lactose intolerant", "low sodium, diabetic", "kosher", "sin gluten"]  # fmt: skip
SIZES = ["4", "5 people", "3 adults 2 kids", "1 adults 5 kids", "one", "", "2", "7 people"]
URGENCY = ["", "ASAP!!", "1-2 days", "This week", "Anytime", "Today"]
NOTES = ["", "Please leave at door\nDog in yard", "Gate code 4512#, ring twice",
         "Works nights; deliver after 2pm", "3rd floor, no elevator"]  # fmt: skip


def _phone(rng: random.Random) -> tuple[str, str]:
    area = rng.choice(["713", "832", "281", "346"])
    number = f"{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
    digits = area + number
    shapes = [
        f"({area}) {number[:3]}-{number[3:]}",
        f"{area}-{number[:3]}-{number[3:]}",
        f"{area}.{number[:3]}.{number[3:]}",
        f"+1 {area} {number[:3]} {number[3:]}",
        digits,
        f"1-{area}-{number[:3]}-{number[3:]}",
    ]
    return rng.choice(shapes), digits


def make_sheet(rows: int, seed: int = 14) -> bytes:
    """A sign-up sheet of `rows` rows (about 1% duplicates, one blank row), as UTF-8 CSV."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    made: list[list[str]] = []
    seen: set[str] = set()
    start = date.today() - timedelta(days=60)
    for i in range(rows):
        if i == rows // 3:
            writer.writerow([""] * len(HEADERS))
            continue
        if made and rng.random() < 0.01:
            again = list(rng.choice(made))
            again[1] = again[1].lower()  # the same household, sent twice
            writer.writerow(again)
            continue
        group = rng.choices(NAME_GROUPS, weights=[g[1] for g in NAME_GROUPS])[0]
        given, family = rng.choice(group[2]), rng.choice(group[3])
        name = f"{family} {given}" if group[4] else f"{given} {family}"
        if rng.random() < 0.05:
            name = f"  {name.upper()}  "
        phone, digits = _phone(rng)
        while digits in seen:
            phone, digits = _phone(rng)
        seen.add(digits)
        zipcode = rng.choice(ZIPS)
        zip_text = zipcode[0] if isinstance(zipcode, tuple) else str(zipcode)
        day = start + timedelta(days=rng.randint(0, 59))
        record = [
            f"{day.month}/{day.day}/{day.year} {rng.randint(7, 21)}:{rng.randint(0, 59):02d}:00",
            name,
            phone,
            f"p{i}@example.org" if rng.random() < 0.4 else "",
            f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
            rng.choice(["", "", *UNITS]),
            rng.choice(["Houston", "houston", "Bellaire"]),
            zip_text + ("-0000" if rng.random() < 0.03 else ""),
            rng.choice(SIZES),
            rng.choice(NEEDS),
            rng.choice(URGENCY),
            rng.choice(DIETS),
            rng.choice(["Español", "English", "English, Spanish", "Tiếng Việt", "العربية", ""]),
            rng.choice(NOTES),
            rng.choice(["Yes", "yes", "No", ""]),
            rng.choice(["No", "No", "", "Yes, 2 seats", "Yes - 4 seats"]),
        ]
        made.append(record)
        writer.writerow(record)
    return out.getvalue().encode("utf-8")


def floor(path: Path, contacts: int, needs: int) -> float:
    """Parse the file with csv and insert as many bare rows: what any importer must do."""
    t0 = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    conn = sqlite3.connect(":memory:")
    conn.execute(
        f"CREATE TABLE c (id TEXT PRIMARY KEY, {', '.join(f'c{i} TEXT' for i in range(30))})"
    )
    conn.execute("CREATE TABLE n (id TEXT PRIMARY KEY, c TEXT, k TEXT, d TEXT, u TEXT, s TEXT)")
    with conn:
        conn.executemany(
            f"INSERT INTO c VALUES ({', '.join('?' * 31)})",
            ([str(i), *(r + [""] * 30)[:30]] for i, r in enumerate(rows[1 : contacts + 1])),
        )
        conn.executemany(
            "INSERT INTO n VALUES (?, ?, ?, ?, ?, ?)",
            ((str(i), str(i), "groceries", "x", "today", "new") for i in range(needs)),
        )
    conn.close()
    return time.perf_counter() - t0


class Counter:
    """A progress callback that counts its reports (and can cancel at a fraction)."""

    def __init__(self, cancel_at: float | None = None) -> None:
        self.calls = 0
        self.cancel_at = cancel_at
        self.cancelled_at: float | None = None

    def __call__(self, message: str, fraction: float) -> bool:
        self.calls += 1
        if self.cancel_at is not None and fraction >= self.cancel_at:
            if self.cancelled_at is None:
                self.cancelled_at = time.perf_counter()
            return False
        return True


def import_into(db: Path, sheet: Path) -> tuple[float, float, importing.ImportResult, int]:
    store = Store.open(db)
    try:
        t0 = time.perf_counter()
        reading = Counter()
        plan = importing.preview(store, read_table(sheet), progress=reading)
        t_preview = time.perf_counter() - t0
        t0 = time.perf_counter()
        writing = Counter()
        result = importing.apply(store, plan, writing)
        t_write = time.perf_counter() - t0
    finally:
        store.close()
    return t_preview, t_write, result, reading.calls + writing.calls


def undo_child(sheet: Path, db: Path, record: bool) -> dict[str, float]:
    """The sheet into `db`, in a process of its own: recorded for Edit › Undo as the window
    does it, then undone and redone; or (`record` False, the floor) written alone."""
    store = Store.open(db)
    plan = importing.preview(store, read_table(sheet))
    out: dict[str, float] = {"before": store.count_rows("contacts")}
    t0 = time.perf_counter()
    if record:
        spent: dict[str, float] = {}
        with time_in(Recorder, "finish", spent), store.recording("Import", False) as change:
            importing.apply(store, plan)
        out["recording"] = spent["finish"]
    else:
        importing.apply(store, plan)
    out["write"] = time.perf_counter() - t0
    out["peak"] = peak_mb()
    out["live"] = store.count_rows("contacts")
    search.rebuild_stale(store.conn)  # if the import left it to the background
    if record:
        out["held"] = deep_mb(change)
        out["records"] = change.size
        out["with_values"] = len(change.rows)
        reports = Counter()
        t0 = time.perf_counter()
        undone = change.undo(store, reports)
        out["undo"] = time.perf_counter() - t0
        out["reports"] = reports.calls
        out["live_undone"] = store.count_rows("contacts")
        t0 = time.perf_counter()
        search.rebuild_stale(store.conn)
        out["index"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        undone.inverse.undo(store)
        out["redo"] = time.perf_counter() - t0
        out["live_redone"] = store.count_rows("contacts")
        out["peak_end"] = peak_mb()
    store.close()
    return out


def undo_figures(work: Path, sheet: Path, db: Path, where: str) -> None:
    """Issue 12's figures for the sheet imported into a copy of `db`."""
    # Taking turns, twice each: the machine's load changes from one minute to the next.
    floors: list[dict[str, float]] = []
    undos: list[dict[str, float]] = []
    for turn in range(2):
        for record, runs in ((False, floors), (True, undos)):
            copy = work / f"undo-{turn}-{record}.sqlite"
            shutil.copy(db, copy)
            runs.append(in_child(undo_child, sheet, copy, record))
            copy.unlink()
    floor, undo = best_of(floors), best_of(undos)
    row(f"Edit › Undo of the import, {where}", "")
    row(
        "  write recorded as one change (s)",
        f"{undo['write']:.2f}",
        f"unrecorded {floor['write']:.2f}",
        f"+{(undo['write'] / floor['write'] - 1) * 100:.0f}%",
    )
    row(
        "  of it, the recording's finish (s)",
        f"{undo['recording']:.2f}",
        f"{undo['recording'] / floor['write'] * 100:.0f}% of the unrecorded",
    )
    row(
        "  peak memory of its process (MB)",
        f"{undo['peak']:.0f}",
        f"unrecorded {floor['peak']:.0f}",
        f"+{undo['peak'] - floor['peak']:.0f} MB",
    )
    row(
        "  the change: records (with values), held (MB)",
        f"{undo['records']:,.0f} ({undo['with_values']:.0f})",
        f"{undo['held']:.1f} MB",
    )
    row("  undo of it all (s)", f"{undo['undo']:.2f}", f"{undo['reports']:.0f} reports")
    row(
        "  live households: before / imported / undone / redone",
        f"{undo['before']:.0f} / {undo['live']:.0f} / "
        f"{undo['live_undone']:.0f} / {undo['live_redone']:.0f}",
    )
    row("  then the search index, in the background (s)", f"{undo['index']:.2f}")
    row("  redo of it all (s)", f"{undo['redo']:.2f}", f"peak at the end {undo['peak_end']:.0f} MB")
    row("  (best of two runs each, taking turns)", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--db", type=Path, default=OUT / "demo-20000.sqlite")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    sheet = work / f"signups-{args.rows}.csv"
    sheet.write_bytes(make_sheet(args.rows))
    print(f"Importing {sheet.name} ({sheet.stat().st_size / 1e6:.1f} MB, {args.rows} rows)\n")
    row("figure", "measured", "floor / limit", "")
    row("-" * 44, "-" * 14, "-" * 22)

    empty = work / "empty.sqlite"
    Store.create(empty, organizer="Bench").close()
    cpu0 = time.process_time()
    t_preview, t_write, result, reports = import_into(empty, sheet)
    cpu = time.process_time() - cpu0
    total = t_preview + t_write
    bare = floor(sheet, result.rows_added, len(result.added_needs))
    with Store.open(empty) as store:
        contacts = store.count_rows("contacts")
        needs_n = store.count_rows("needs")
    row("read + preview (s)", f"{t_preview:.2f}")
    row("write, one transaction (s)", f"{t_write:.2f}")
    row(
        "import into an empty database (s)",
        f"{total:.2f}",
        f"bare {bare:.2f}; limit 30 s",
        "ok" if total < 30 else "OVER",
    )
    row(
        "households added / rows merged / skipped",
        f"{result.rows_added} / {result.rows_merged} / {result.rows_skipped}",
    )
    row("contacts / needs in the database", f"{contacts} / {needs_n}")
    row("  of it, this process's CPU time (s)", f"{cpu:.2f}", "other programs' load aside")
    row("progress reports (chances to cancel)", f"{reports}")

    # The store's own insert of the same records, for scale.
    again = work / "again.sqlite"
    Store.create(again, organizer="Bench").close()
    with Store.open(again) as store:
        with Store.open(empty) as source:
            records = source.select(Contact)
        t0 = time.perf_counter()
        store.insert_many(records)
        t_store = time.perf_counter() - t0
    row("store.insert_many of the same contacts (s)", f"{t_store:.2f}")

    # Cancel half-way through the write: it stops soon and leaves nothing.
    cancel_db = work / "cancel.sqlite"
    Store.create(cancel_db, organizer="Bench").close()
    store = Store.open(cancel_db)
    plan = importing.preview(store, read_table(sheet))
    stopper = Counter(cancel_at=0.5)
    try:
        importing.apply(store, plan, stopper)
    except Cancelled:
        stopped = time.perf_counter() - (stopper.cancelled_at or time.perf_counter())
    else:
        stopped = float("nan")
    left = store.count_rows("contacts")
    store.close()
    row("Cancel at half the write: stopped after (s)", f"{stopped:.2f}", f"left {left} contacts")
    fresh = work / "fresh.sqlite"
    Store.create(fresh, organizer="Bench").close()
    undo_figures(work, sheet, fresh, "into an empty database")

    # Into a copy of the 20,000-household demo: every row matched against it.
    if args.db.exists():
        demo = work / "demo-copy.sqlite"
        shutil.copy(args.db, demo)
        t_preview, t_write, result, _ = import_into(demo, sheet)
        total = t_preview + t_write
        row(
            "into the 20,000-household demo (s)",
            f"{total:.2f}",
            f"preview {t_preview:.2f}; limit 30 s",
            "ok" if total < 30 else "OVER",
        )
        row(
            "  added / merged / flagged for review",
            f"{result.rows_added} / {result.rows_merged} / {len(result.review)}",
        )
        t0 = time.perf_counter()
        _, _, second, _ = import_into(demo, sheet)
        row(
            "  the same sheet again (s)",
            f"{time.perf_counter() - t0:.2f}",
            f"added {second.rows_added}",
        )
        with Store.open(demo) as store:
            for kind, suffix in ((ExportKind.CONTACTS, ".csv"), (ExportKind.CONTACTS, ".xlsx")):
                t0 = time.perf_counter()
                done = export(store, kind, work / f"contacts{suffix}")
                row(
                    f"export {done.rows} contacts to {suffix} (s)",
                    f"{time.perf_counter() - t0:.2f}",
                )
            t0 = time.perf_counter()
            report = write_report(
                store, date.today() - timedelta(days=90), date.today(), work / "r.pdf"
            )
            row(
                "funder report, 90 days, PDF (s)",
                f"{time.perf_counter() - t0:.2f}",
                f"{report.total.households} households",
            )
            t0 = time.perf_counter()
            text = digest(store, date.today())
            row(
                "digest of open needs (s)",
                f"{time.perf_counter() - t0:.2f}",
                f"{len(text.splitlines())} lines",
            )
        undo_figures(work, sheet, args.db, "into the demo")
    else:
        print(f"\n({args.db} is missing: the demo figures need bench_core.py's database there)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
