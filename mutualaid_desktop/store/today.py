"""What the Today view shows: the day at a distribution, at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from mutualaid_desktop.domain.enums import Category, RideStatus, Urgency
from mutualaid_desktop.domain.sorting import natural_key
from mutualaid_desktop.store.store import Store


@dataclass(frozen=True)
class OverdueNeed:
    id: str
    contact: str
    category: str
    needed_by: str
    urgency: str


@dataclass(frozen=True)
class RunLine:
    id: str
    name: str
    driver: str
    stops: int
    done: int


@dataclass(frozen=True)
class RideLine:
    id: str
    time: str
    rider: str
    destination: str
    driver: str
    status: str


@dataclass(frozen=True)
class WeekBar:
    week_start: date
    opened: int
    fulfilled: int


@dataclass
class TodaySummary:
    day: date
    open_by_urgency: dict[str, int] = field(default_factory=dict)
    overdue_count: int = 0
    overdue: list[OverdueNeed] = field(default_factory=list)
    runs: list[RunLine] = field(default_factory=list)
    runs_day: date | None = None  # today, or the next day with runs when today has none
    rides: list[RideLine] = field(default_factory=list)
    weeks: list[WeekBar] = field(default_factory=list)


def today_summary(
    store: Store, day: date, weeks: int = 12, overdue_limit: int = 50
) -> TodaySummary:
    """Open needs by urgency, overdue needs, the day's runs and rides, needs per week."""
    conn = store.conn
    summary = TodaySummary(day=day)
    counts: dict[str, int] = {}
    # Grouping by (status, urgency) follows the index order: no sort needed.
    for _status, urgency, n in conn.execute(
        """SELECT status, urgency, count(*) FROM needs
           WHERE _cl % 2 = 1 AND status IN ('new', 'scheduled') GROUP BY status, urgency"""
    ):
        counts[urgency] = counts.get(urgency, 0) + n
    summary.open_by_urgency = {u.label: int(counts.get(u.value, 0)) for u in Urgency}

    today_text = day.isoformat()
    summary.overdue_count = conn.execute(
        """SELECT count(*) FROM needs WHERE _cl % 2 = 1
           AND status IN ('new', 'scheduled') AND needed_by < ?""",
        (today_text,),
    ).fetchone()[0]
    labels = {c.value: c.label for c in Category}
    urgencies = {u.value: u.label for u in Urgency}
    for nid, cname, category, needed_by, urgency in conn.execute(
        # The inner query reads only the index; rows are fetched for the 50 kept.
        """SELECT n.id, c.name, n.category, n.needed_by, n.urgency
           FROM (SELECT rowid AS rid FROM needs
                 WHERE _cl % 2 = 1 AND status IN ('new', 'scheduled') AND needed_by < ?
                 ORDER BY needed_by LIMIT ?) o
           JOIN needs n ON n.rowid = o.rid
           JOIN contacts c ON c.id = n.contact_id ORDER BY n.needed_by""",
        (today_text, overdue_limit),
    ):
        summary.overdue.append(
            OverdueNeed(
                nid,
                cname,
                labels.get(category, category),
                needed_by,
                urgencies.get(urgency, urgency),
            )
        )

    runs_day = today_text
    if not conn.execute(
        "SELECT 1 FROM delivery_runs WHERE _cl % 2 = 1 AND date = ? LIMIT 1", (today_text,)
    ).fetchone():
        upcoming = conn.execute(
            "SELECT min(date) FROM delivery_runs WHERE _cl % 2 = 1 AND date > ?", (today_text,)
        ).fetchone()[0]
        runs_day = upcoming or today_text
    summary.runs_day = date.fromisoformat(runs_day)
    for rid, name, driver, stops, done in conn.execute(
        """SELECT r.id, r.name, coalesce(d.name, ''),
                  (SELECT count(*) FROM stops s WHERE s.run_id = r.id AND s._cl % 2 = 1),
                  (SELECT count(*) FROM stops s WHERE s.run_id = r.id AND s._cl % 2 = 1
                     AND s.outcome IS NOT NULL)
           FROM delivery_runs r LEFT JOIN contacts d ON d.id = r.driver_id
           WHERE r._cl % 2 = 1 AND r.date = ? ORDER BY r.name""",
        (runs_day,),
    ):
        summary.runs.append(RunLine(rid, name, driver, stops, done))
    summary.runs.sort(key=lambda run: natural_key(run.name))  # Route 2 before Route 10

    statuses = {s.value: s.label for s in RideStatus}
    tomorrow_text = (day + timedelta(days=1)).isoformat()
    for rid, pickup_at, rider, destination, driver, status in conn.execute(
        """SELECT r.id, r.pickup_at, c.name, r.destination, coalesce(d.name, ''), r.status
           FROM rides r JOIN contacts c ON c.id = r.rider_id
           LEFT JOIN contacts d ON d.id = r.driver_id
           WHERE r._cl % 2 = 1 AND r.pickup_at >= ? AND r.pickup_at < ?
           ORDER BY r.pickup_at""",
        (today_text, tomorrow_text),
    ):
        summary.rides.append(
            RideLine(
                rid, pickup_at[11:16], rider, destination, driver, statuses.get(status, status)
            )
        )

    # Weeks start on Monday; the last bar is the current week.
    this_monday = day - timedelta(days=day.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    opened = dict(
        conn.execute(
            """SELECT CAST((julianday(substr(created_at, 1, 10)) - julianday(?)) / 7 AS INTEGER),
                      count(*)
               FROM needs WHERE _cl % 2 = 1 AND created_at >= ? GROUP BY 1""",
            (first.isoformat(), first.isoformat()),
        ).fetchall()
    )
    fulfilled = dict(
        conn.execute(
            """SELECT CAST((julianday(substr(status_changed_at, 1, 10)) - julianday(?)) / 7
                      AS INTEGER), count(*)
               FROM needs WHERE _cl % 2 = 1 AND status = 'fulfilled' AND status_changed_at >= ?
               GROUP BY 1""",
            (first.isoformat(), first.isoformat()),
        ).fetchall()
    )
    for i in range(weeks):
        summary.weeks.append(
            WeekBar(first + timedelta(weeks=i), int(opened.get(i, 0)), int(fulfilled.get(i, 0)))
        )
    return summary
