"""The funder report: who was served, by week and by ZIP, new and returning. Counts only.

A household is served on a day when a box was delivered to it, one of its
needs was marked fulfilled, or it was driven to an appointment (a completed
ride). It is new in the period (or in a week) when it had never been served
before; otherwise it is returning. No name, phone or address is in the report
at any level: a funder needs numbers, and a ZIP is the finest place it shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from mutualaid_desktop.errors import UserError
from mutualaid_desktop.exchange.tabular import Cell, Sheet, file_format, write_tables
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store


@dataclass
class Counts:
    """The figures of one line of the report (a week, a ZIP, the whole period)."""

    households: int = 0
    people: int = 0
    boxes: int = 0
    rides: int = 0
    new: int = 0
    returning: int = 0


@dataclass
class FunderReport:
    organization: str
    start: date
    end: date
    total: Counts
    weeks: list[tuple[date, Counts]] = field(default_factory=list)  # Monday of the week
    zips: list[tuple[str, Counts]] = field(default_factory=list)


@dataclass
class _Event:
    contact_id: str
    day: date
    boxes: int = 0
    ride: bool = False


def _local_day(text: str) -> date:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.date()


def _events(store: Store, until: date) -> list[_Event]:
    """Every service up to `until` (earlier ones decide who is returning)."""
    events: list[_Event] = []
    for contact_id, day, boxes in store.conn.execute(
        """SELECT s.contact_id, r.date, s.boxes FROM stops s
           JOIN delivery_runs r ON r.id = s.run_id
           WHERE s._cl % 2 = 1 AND r._cl % 2 = 1 AND s.outcome = 'delivered' AND r.date <= ?""",
        (until.isoformat(),),
    ):
        events.append(_Event(contact_id, date.fromisoformat(day), boxes=boxes))
    # Stored in UTC: a day's margin either side, then the local day decides.
    margin = (until + timedelta(days=2)).isoformat()
    for contact_id, changed in store.conn.execute(
        """SELECT contact_id, status_changed_at FROM needs
           WHERE _cl % 2 = 1 AND status = 'fulfilled' AND status_changed_at IS NOT NULL
             AND status_changed_at < ?""",
        (margin,),
    ):
        day = _local_day(changed)
        if day <= until:
            events.append(_Event(contact_id, day))
    for contact_id, pickup in store.conn.execute(
        """SELECT rider_id, pickup_at FROM rides
           WHERE _cl % 2 = 1 AND status = 'completed' AND pickup_at < ?""",
        (margin,),
    ):
        day = _local_day(pickup)
        if day <= until:
            events.append(_Event(contact_id, day, ride=True))
    return events


def funder_report(store: Store, start: date, end: date) -> FunderReport:
    """The report for the days from `start` to `end`, both included."""
    if end < start:
        raise UserError(
            _("The report ends ({end}) before it starts ({start}); swap the dates.").format(
                start=start.isoformat(), end=end.isoformat()
            )
        )
    events = _events(store, end)
    first_served: dict[str, date] = {}
    for event in events:
        if event.contact_id not in first_served or event.day < first_served[event.contact_id]:
            first_served[event.contact_id] = event.day
    in_range = [e for e in events if start <= e.day <= end]
    sizes: dict[str, tuple[int, str]] = {}
    ids = sorted({e.contact_id for e in in_range})
    for at in range(0, len(ids), 900):
        chunk = ids[at : at + 900]
        for cid, size, postal in store.conn.execute(
            f"SELECT id, adults + children + seniors, address_postal_code FROM contacts "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            sizes[cid] = (int(size), (postal or "")[:5] or _("(no ZIP)"))

    def tally(selected: list[_Event], since: date) -> Counts:
        counts = Counts()
        served = {e.contact_id for e in selected}
        counts.households = len(served)
        counts.people = sum(sizes.get(c, (0, ""))[0] for c in served)
        counts.boxes = sum(e.boxes for e in selected)
        counts.rides = sum(1 for e in selected if e.ride)
        counts.new = sum(1 for c in served if first_served[c] >= since)
        counts.returning = counts.households - counts.new
        return counts

    by_week: dict[date, list[_Event]] = defaultdict(list)
    by_zip: dict[str, list[_Event]] = defaultdict(list)
    for event in in_range:
        by_week[event.day - timedelta(days=event.day.weekday())].append(event)
        by_zip[sizes.get(event.contact_id, (0, _("(no ZIP)")))[1]].append(event)
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        # New in a week: first served that week (or, for a week cut by the start, since the start).
        weeks.append((monday, tally(by_week.get(monday, []), max(monday, start))))
        monday += timedelta(days=7)
    zips = sorted(
        ((z, tally(evs, start)) for z, evs in by_zip.items()),
        key=lambda item: (-item[1].households, item[0]),
    )
    return FunderReport(
        organization=store.organization_name(),
        start=start,
        end=end,
        total=tally(in_range, start),
        weeks=weeks,
        zips=zips,
    )


def _headers(first: str) -> list[str]:
    return [
        first,
        _("Households served"),
        _("People in them"),
        _("Boxes delivered"),
        _("Rides given"),
        _("New households"),
        _("Returning households"),
    ]


def _figures(counts: Counts) -> list[Cell]:
    return [
        counts.households,
        counts.people,
        counts.boxes,
        counts.rides,
        counts.new,
        counts.returning,
    ]


def report_sheets(report: FunderReport) -> list[Sheet]:
    """The report as tables: the whole period, by week, by ZIP."""
    period = f"{report.start.isoformat()} – {report.end.isoformat()}"
    summary = Sheet(_("Summary"), _headers(_("Period")), [[period, *_figures(report.total)]])
    weeks = Sheet(
        _("By week"),
        _headers(_("Week of")),
        [[monday, *_figures(c)] for monday, c in report.weeks],
    )
    zips = Sheet(_("By ZIP"), _headers(_("ZIP code")), [[z, *_figures(c)] for z, c in report.zips])
    return [summary, weeks, zips]


def report_csv_sheet(report: FunderReport) -> Sheet:
    """One CSV table: a column says which part of the report each line belongs to."""
    rows: list[list[Cell]] = []
    for sheet in report_sheets(report):
        for row in sheet.rows:
            first = row[0]
            rows.append([sheet.name, first, *row[1:]])
    return Sheet(_("Report"), [_("Part"), _("Period, week or ZIP"), *_headers("")[1:]], rows)


def write_report(store: Store, start: date, end: date, out: Path) -> FunderReport:
    """Write the report to `out`: .pdf (with a chart), .csv or .xlsx."""
    out = Path(out)
    if out.suffix.lower() not in (".pdf", ".csv", ".xlsx"):
        raise UserError(
            _(
                "End the file name with .pdf, .csv or .xlsx (not “{name}”); it says which format "
                "to write."
            ).format(name=out.name)
        )
    report = funder_report(store, start, end)
    if out.suffix.lower() == ".pdf":
        from mutualaid_desktop.sheets.funder import report_pdf
        from mutualaid_desktop.sheets.make import write_pdf

        page_size = store.organization().page_size
        write_pdf(report_pdf(report, page_size), out)
        return report
    if file_format(out) == "csv":
        write_tables(out, [report_csv_sheet(report)])
    else:
        write_tables(out, report_sheets(report))
    return report
