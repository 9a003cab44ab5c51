"""Needs: requests for help and the workflow their status follows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import Field

from mutualaid_desktop.domain.base import Record, utc_now
from mutualaid_desktop.domain.enums import Category, NeedStatus, Recurrence, Urgency
from mutualaid_desktop.domain.workflow import allowed_next_statuses, check_transition

__all__ = ["Need", "allowed_next_statuses", "check_transition", "next_occurrence"]


class Need(Record):
    """A request for help from a contact."""

    __table__ = "needs"

    contact_id: str
    category: Category
    description: str = Field(default="", max_length=2000)
    quantity: int = Field(default=1, ge=1, le=1000)
    urgency: Urgency = Urgency.ANYTIME
    status: NeedStatus = NeedStatus.NEW
    needed_by: date | None = None
    recurrence: Recurrence = Recurrence.NONE
    source: str = ""
    assigned_volunteer_id: str | None = None
    created_at: datetime = Field(default_factory=utc_now)
    status_changed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.needed_by is not None and self.needed_by < today

    def moved_to(self, target: NeedStatus, when: datetime | None = None) -> Need:
        """A copy of this need in status `target`, if the workflow allows it."""
        check_transition(self.status, target)
        return self.model_copy(update={"status": target, "status_changed_at": when or utc_now()})


def next_occurrence(need: Need, after: date) -> date | None:
    """When a recurring need is due next after `after` (None for a one-off need)."""
    step = {
        Recurrence.WEEKLY: timedelta(weeks=1),
        Recurrence.BIWEEKLY: timedelta(weeks=2),
    }.get(need.recurrence)
    if need.recurrence is Recurrence.NONE:
        return None
    if step is not None:
        return after + step
    month = after.month % 12 + 1
    year = after.year + (after.month == 12)
    day = min(after.day, 28)
    return date(year, month, day)
