"""Open needs as a short text to paste into a group chat (Signal, WhatsApp), redacted.

A group chat is the least private place a need goes: the digest names no one
and gives no phone or address. Each line says how urgent, what kind, which ZIP
and the household codes ("3 urgent groceries in 77036 (H-6EWEG, H-3KX7A,
H-PQ4LM)"), so a volunteer can answer with a code and get the details from
the organizer. A household that agreed to be kept on this laptop only is
counted, never coded: its code would let the chat follow it from week to week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from mutualaid_desktop.domain.contact import household_code
from mutualaid_desktop.domain.enums import Category, Urgency
from mutualaid_desktop.i18n import _, format_date, ngettext
from mutualaid_desktop.store import Store

MAX_CODES = 6  # codes listed on one line; the rest are counted


def _line(urgency: Urgency, kind: str, area: str, codes: list[str], private: int) -> str:
    count = len(codes) + private
    # The kind of need as its label ("Groceries", "Ride") leads, so the count
    # never has to agree with it: "Ride: 7 urgent in 77087".
    text = {
        Urgency.TODAY: ngettext(
            "{kind}: {n} urgent in {area}", "{kind}: {n} urgent in {area}", count
        ),
        Urgency.SOON: ngettext(
            "{kind}: {n} within 2 days in {area}", "{kind}: {n} within 2 days in {area}", count
        ),
        Urgency.THIS_WEEK: ngettext(
            "{kind}: {n} this week in {area}", "{kind}: {n} this week in {area}", count
        ),
        Urgency.ANYTIME: ngettext(
            "{kind}: {n} in {area}, no rush", "{kind}: {n} in {area}, no rush", count
        ),
    }[urgency].format(n=count, kind=kind, area=area)
    shown = codes[:MAX_CODES]
    if len(codes) > MAX_CODES:
        shown.append(_("+{n} more").format(n=len(codes) - MAX_CODES))
    if private:
        shown.append(ngettext("{n} kept private", "{n} kept private", private).format(n=private))
    return f"{text} ({', '.join(shown)})"


def digest(store: Store, day: date) -> str:
    """The open needs asked for by `day`, most urgent first, as plain text."""
    groups: dict[tuple[Urgency, Category, str], list[tuple[str, bool]]] = defaultdict(list)
    for urgency, category, contact_id, postal, scope in store.conn.execute(
        """SELECT n.urgency, n.category, n.contact_id, c.address_postal_code, c.share_scope
           FROM needs n JOIN contacts c ON c.id = n.contact_id
           WHERE n._cl % 2 = 1 AND c._cl % 2 = 1 AND n.status IN ('new', 'scheduled')
             AND substr(n.created_at, 1, 10) <= ?""",
        (day.isoformat(),),
    ):
        area = (postal or "")[:5] or _("an unknown ZIP")
        private = scope != "group"
        groups[(Urgency(urgency), Category(category), area)].append((contact_id, private))
    heading = _("Open needs, {day}").format(day=format_date(day))
    if not groups:
        return heading + "\n" + _("No open needs. Thank you all!")
    ordered = sorted(
        groups.items(), key=lambda g: (g[0][0].rank, -len(g[1]), g[0][1].value, g[0][2])
    )
    lines = [heading + ":"]
    for (urgency, category, area), needs in ordered:
        codes = sorted({household_code(cid) for cid, private in needs if not private})
        private = sum(1 for _cid, hidden in needs if hidden)
        lines.append("• " + _line(urgency, category.label, area, codes, private))
    lines.append(_("Reply with a household code to help; the organizer will share the details."))
    return "\n".join(lines)
