"""Open needs as a short text to paste into a group chat (Signal, WhatsApp), redacted.

A group chat is the least private place a need goes: the digest names no one
and gives no phone or address. Each line says how urgent, what kind, which ZIP
and the household codes ("3 urgent groceries in 77036 (H-6EWEG, H-3KX7A,
H-PQ4LM)"), so a volunteer can answer with a code and get the details from
the organizer.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from mutualaid_desktop.domain.contact import household_code
from mutualaid_desktop.domain.enums import Category, Urgency
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store

MAX_CODES = 6  # codes listed on one line; the rest are counted


def _line(count: int, urgency: Urgency, kind: str, area: str, codes: list[str]) -> str:
    shown = ", ".join(codes[:MAX_CODES])
    if len(codes) > MAX_CODES:
        shown += ", " + _("+{n} more").format(n=len(codes) - MAX_CODES)
    text = {
        Urgency.TODAY: _("{n} urgent {kind} in {area}"),
        Urgency.SOON: _("{n} {kind} in {area} within 2 days"),
        Urgency.THIS_WEEK: _("{n} {kind} in {area} this week"),
        Urgency.ANYTIME: _("{n} {kind} in {area}, no rush"),
    }[urgency].format(n=count, kind=kind, area=area)
    return f"{text} ({shown})"


def digest(store: Store, day: date) -> str:
    """The open needs asked for by `day`, most urgent first, as plain text."""
    groups: dict[tuple[Urgency, Category, str], list[str]] = defaultdict(list)
    for urgency, category, contact_id, postal in store.conn.execute(
        """SELECT n.urgency, n.category, n.contact_id, c.address_postal_code
           FROM needs n JOIN contacts c ON c.id = n.contact_id
           WHERE n._cl % 2 = 1 AND c._cl % 2 = 1 AND n.status IN ('new', 'scheduled')
             AND substr(n.created_at, 1, 10) <= ?""",
        (day.isoformat(),),
    ):
        area = (postal or "")[:5] or _("an unknown ZIP")
        groups[(Urgency(urgency), Category(category), area)].append(household_code(contact_id))
    heading = _("Open needs, {day}").format(day=f"{day:%a %-d %b}")
    if not groups:
        return heading + "\n" + _("No open needs. Thank you all!")
    ordered = sorted(
        groups.items(), key=lambda g: (g[0][0].rank, -len(g[1]), g[0][1].value, g[0][2])
    )
    lines = [heading + ":"]
    for (urgency, category, area), codes in ordered:
        unique = sorted(set(codes))
        lines.append("• " + _line(len(codes), urgency, category.label.lower(), area, unique))
    lines.append(_("Reply with a household code to help; the organizer will share the details."))
    return "\n".join(lines)
