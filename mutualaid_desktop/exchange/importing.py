"""Importing a sign-up sheet: every row read into the records it will make, then written at once.

`preview` reads each row as it will be stored (a contact, its needs, a driver
profile), with the problems of the row in one sentence each, and matches it
against the database and the rows above it. Nothing is written until `apply`,
which writes the whole import in one transaction and returns what it added and
what it overwrote, so the window can undo it as one step.

Merging never loses what is already known: it adds phones, needs, diets and
driver profiles, fills what was empty, appends allergy text it did not have,
and lists every other difference for review instead of overwriting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from mutualaid_desktop.domain import Contact, DriverProfile, Need
from mutualaid_desktop.domain.allergens import fold, read_allergies
from mutualaid_desktop.domain.base import new_id, utc_now
from mutualaid_desktop.domain.contact import Address, Phone
from mutualaid_desktop.domain.enums import ContactKind, DietaryFlag, Role, ShareScope, Urgency
from mutualaid_desktop.domain.phones import display, to_e164
from mutualaid_desktop.errors import Cancelled, UserError
from mutualaid_desktop.exchange import cells
from mutualaid_desktop.exchange.columns import (
    Field,
    check_mapping,
    propose_mapping,
    remember_mapping,
    remembered_mapping,
)
from mutualaid_desktop.exchange.dedupe import DuplicateIndex, Match
from mutualaid_desktop.exchange.spreadsheet import Table
from mutualaid_desktop.i18n import _, ngettext
from mutualaid_desktop.store import Store

Progress = Callable[[str, float], bool]

_CHUNK = 200  # rows read between progress reports (and chances to cancel)
_WRITE_CHUNK = 2000  # records written between them
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_SPLIT = re.compile(r"[/;,\n]|\bor\b|\bo\b")
_US_ZIP = re.compile(r"\d{5}(-\d{4})?")


def _no_progress(message: str, fraction: float) -> bool:
    return True


class Action(StrEnum):
    """What happens to a row."""

    ADD = "add"
    MERGE = "merge"
    SKIP = "skip"

    @property
    def label(self) -> str:
        return {"add": _("Add as new"), "merge": _("Merge"), "skip": _("Skip")}[self.value]


@dataclass
class Row:
    """One row of the sheet as it will be stored, and what is wrong with it."""

    number: int  # the row number the spreadsheet program shows
    contact: Contact | None = None
    needs: list[Need] = field(default_factory=list)
    driver: DriverProfile | None = None
    errors: list[str] = field(default_factory=list)  # why the row cannot be imported
    flags: list[str] = field(default_factory=list)  # what to check after importing
    blank: bool = False
    match: Match | None = None
    action: Action = Action.ADD

    @property
    def key(self) -> str:
        """How later rows of the same file point at this one."""
        return f"row:{self.number}"

    @property
    def importable(self) -> bool:
        return self.contact is not None and not self.errors and not self.blank

    @property
    def flagged(self) -> bool:
        return bool(self.flags) or (
            self.match is not None and not self.match.exact and self.action is Action.ADD
        )

    def review_lines(self) -> list[str]:
        """Sentences for the organizer to check, as the preview and the command line show them."""
        lines = list(self.errors) + list(self.flags)
        if self.match is not None and self.action is not Action.SKIP:
            where = (
                _("row {n} of this sheet").format(n=self.match.key[4:])
                if self.match.key.startswith("row:")
                else _("the database")
            )
            verb = _("merged into") if self.action is Action.MERGE else _("added beside")
            if not self.match.exact or self.action is not Action.MERGE:
                lines.append(
                    _("Probably {name} ({where}): {reason} It was {verb} it; check it.").format(
                        name=self.match.name, where=where, reason=self.match.reason, verb=verb
                    )
                )
        return lines


@dataclass
class Preview:
    """A sheet read into rows, before anything is written."""

    table: Table
    mapping: list[Field]
    rows: list[Row]
    source: str  # the file's name, recorded on each need

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def kept_home_no_consent(self) -> int:
        """Households this import adds that stay on this laptop because the sheet has no
        consent column (no consent was recorded, so none is assumed)."""
        return 0 if Field.CONSENT in self.mapping else self.count(Action.ADD)

    @property
    def blank_rows(self) -> int:
        return sum(1 for r in self.rows if r.blank)


@dataclass
class ImportResult:
    """What an import wrote: enough to undo it and to tell the organizer."""

    added_contacts: list[str] = field(default_factory=list)
    added_needs: list[str] = field(default_factory=list)
    added_drivers: list[str] = field(default_factory=list)
    # (before, after) of every household already in the database that a row merged into.
    merged: list[tuple[Contact, Contact]] = field(default_factory=list)
    rows_added: int = 0
    rows_merged: int = 0
    rows_merged_unchanged: int = 0
    rows_blank: int = 0
    rows_unreadable: int = 0
    rows_skipped_by_choice: int = 0
    kept_home_no_consent: int = 0  # added households kept on this laptop: no consent column
    review: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, sentences)

    @property
    def rows_skipped(self) -> int:
        return self.rows_blank + self.rows_unreadable + self.rows_skipped_by_choice

    def lines(self) -> list[str]:
        """Added, merged, skipped and flagged: one line each."""
        skipped_why = [
            _("{n} blank").format(n=self.rows_blank) if self.rows_blank else "",
            _("{n} unreadable").format(n=self.rows_unreadable) if self.rows_unreadable else "",
            _("{n} by choice").format(n=self.rows_skipped_by_choice)
            if self.rows_skipped_by_choice
            else "",
        ]
        why = ", ".join(w for w in skipped_why if w)
        merged = ngettext(
            "Merged: {n} row into a household already known",
            "Merged: {n} rows into households already known",
            self.rows_merged,
        ).format(n=self.rows_merged)
        if self.rows_merged_unchanged:
            # Said only when some did: "(0 of them …)" reads as a puzzle.
            merged += " " + ngettext(
                "({same} brought nothing new)",
                "({same} brought nothing new)",
                self.rows_merged_unchanged,
            ).format(same=self.rows_merged_unchanged)
        return [
            ngettext(
                "Added: {n} household ({needs} needs, {drivers} driver profiles)",
                "Added: {n} households ({needs} needs, {drivers} driver profiles)",
                self.rows_added,
            ).format(
                n=self.rows_added, needs=len(self.added_needs), drivers=len(self.added_drivers)
            ),
            merged,
            ngettext("Skipped: {n} row", "Skipped: {n} rows", self.rows_skipped).format(
                n=self.rows_skipped
            )
            + (f" ({why})" if why else ""),
            ngettext(
                "Flagged for review: {n} row", "Flagged for review: {n} rows", len(self.review)
            ).format(n=len(self.review)),
        ] + ([kept_home_line(self.kept_home_no_consent)] if self.kept_home_no_consent else [])


def kept_home_line(n: int) -> str:
    """The line saying how many added households stay home for want of a consent column."""
    return ngettext(
        "{n} household stays on this laptop: the sheet has no consent column",
        "{n} households stay on this laptop: the sheet has no consent column",
        n,
    ).format(n=f"{n:,}")


# -- reading rows ------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    mapping: Sequence[Field]
    headers: Sequence[str]
    source: str
    day_first: bool
    us_zips: bool
    now: datetime


def mapping_for(store: Store, table: Table) -> tuple[list[Field], bool]:
    """The remembered mapping for these headings, else a proposed one; and whether remembered."""
    remembered = remembered_mapping(store, table.headers)
    if remembered is not None:
        return remembered, True
    samples = [table.column(i, limit=20) for i in range(len(table.headers))]
    return propose_mapping(table.headers, samples), False


def preview(
    store: Store,
    table: Table,
    mapping: Sequence[Field] | None = None,
    progress: Progress = _no_progress,
) -> Preview:
    """Every row as it will be stored, its problems, and its duplicates; nothing is written."""
    if mapping is None:
        mapping = mapping_for(store, table)[0]
    mapping = list(mapping)
    problem = check_mapping(mapping)
    if problem:
        raise UserError(problem)
    if not table.rows:
        raise UserError(_("{name} has headings but no rows to import.").format(name=table.name))
    submitted = [i for i, f in enumerate(mapping) if f is Field.SUBMITTED_AT]
    day_first = bool(submitted) and cells.dates_are_day_first(
        [r[submitted[0]] for r in table.rows[:2000]]
    )
    context = _Context(
        mapping=mapping,
        headers=table.headers,
        source=Path(table.name.split(" › ")[0]).name,
        day_first=day_first,
        us_zips=store.organization().phone_region.upper() == "US",
        now=utc_now(),
    )
    if not progress(_("Looking for households already there…"), 0.0):
        raise Cancelled()
    index = DuplicateIndex.of_store(store)
    rows: list[Row] = []
    total = len(table.rows)
    for at, (number, cells_) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if at % _CHUNK == 0 and not progress(
            _("Reading row {n} of {total}…").format(n=at + 1, total=total), 0.05 + 0.95 * at / total
        ):
            raise Cancelled()
        row = read_row(number, cells_, context)
        rows.append(row)
        if not row.importable:
            row.action = Action.SKIP
            continue
        contact = row.contact
        assert contact is not None
        phones = [p.e164 for p in contact.phones]
        row.match = index.match(
            contact.name, phones, contact.address.street, contact.address.postal_code
        )
        row.action = Action.MERGE if row.match is not None and row.match.exact else Action.ADD
        # A merged row teaches the index its phones under the household it joins.
        key = row.match.key if row.action is Action.MERGE and row.match else row.key
        index.add(key, contact.name, phones, contact.address.street, contact.address.postal_code)
    progress(_("Read {n} rows.").format(n=total), 1.0)
    return Preview(table, mapping, rows, context.source)


def read_row(number: int, values: Sequence[str], context: _Context) -> Row:
    """One row's cells as the contact, needs and driver profile they describe."""
    row = Row(number)
    if not any(v.strip() for v in values):
        row.blank = True
        return row
    by_field: dict[Field, list[tuple[str, str]]] = {}
    for header, f, value in zip(context.headers, context.mapping, values, strict=False):
        if f is not Field.IGNORE and value.strip():
            by_field.setdefault(f, []).append((header, value.strip()))

    def one(f: Field) -> str:
        found = by_field.get(f)
        return found[0][1] if found else ""

    def every(f: Field) -> list[str]:
        return [v for _h, v in by_field.get(f, ())]

    name = " ".join(p for p in (one(Field.FIRST_NAME), one(Field.NAME), one(Field.LAST_NAME)) if p)
    name = " ".join(name.split())
    if not name:
        row.errors.append(_("Row {n} has no name, so it was not imported.").format(n=number))
        return row
    notes: list[str] = []
    data: dict[str, Any] = {"id": new_id(), "kind": ContactKind.HOUSEHOLD, "name": name}

    when = context.now
    if one(Field.SUBMITTED_AT):
        try:
            when = cells.read_timestamp(one(Field.SUBMITTED_AT), context.day_first)
        except cells.CellError as error:
            row.flags.append(_sentence(error))
    data["created_at"] = when

    phones = _phones(every(Field.PHONE), row, notes)
    data["phones"] = phones
    email = one(Field.EMAIL)
    if email:
        if _EMAIL.match(email):
            data["email"] = email
        else:
            row.flags.append(
                _("“{email}” is not an email address; it is kept in the notes.").format(email=email)
            )
            notes.append(_("Email as written: {email}").format(email=email))
    data["address"] = _address(by_field, one, row, context)

    size = cells.Size(1)
    if any(f in by_field for f in (Field.ADULTS, Field.CHILDREN, Field.SENIORS)):
        size = _size_from_columns(one, row)
    elif one(Field.HOUSEHOLD_SIZE):
        try:
            size = cells.read_household_size(one(Field.HOUSEHOLD_SIZE))
        except cells.CellError as error:
            row.flags.append(_sentence(error) + _("; counted as 1 person."))
    data.update(adults=size.adults, children=size.children, seniors=size.seniors)

    diet_text = "; ".join(every(Field.DIET))
    if diet_text:
        _diet(diet_text, data, row)
    languages = [lang for text in every(Field.LANGUAGES) for lang in cells.split_list(text)]
    data["languages"] = languages
    directions = "\n".join(every(Field.DELIVERY_NOTES))
    if directions:
        # Until contacts have driver notes of their own, delivery notes go with the directions.
        data["directions"] = directions
    notes.extend(every(Field.NOTES))

    if Field.CONSENT in context.mapping:
        answer = one(Field.CONSENT)
        try:
            shares = cells.read_yes_no(answer)
        except cells.CellError as error:
            shares = False
            row.flags.append(
                _sentence(error) + _("; the household is kept on this laptop until you ask them.")
            )
        data["share_scope"] = ShareScope.GROUP if shares else ShareScope.LOCAL
        data["consent_at"] = when if shares else None

    needs = _needs(by_field, row)
    drives, seats, accessible = _driving(one(Field.CAN_DRIVE), row)
    roles = [Role.RECIPIENT] if needs or not drives else []
    if drives:
        roles.append(Role.DRIVER)
    data["roles"] = roles
    if notes:
        data["notes"] = "\n".join(notes)

    try:
        contact = Contact.model_validate(data)
    except Exception as error:  # pydantic's ValidationError, in a sentence
        row.errors.append(
            _("Row {n} cannot be imported: {problem}").format(n=number, problem=_problem(error))
        )
        return row
    row.contact = contact
    urgency = Urgency.ANYTIME
    if one(Field.URGENCY):
        try:
            urgency = cells.read_urgency(one(Field.URGENCY))
        except cells.CellError as error:
            row.flags.append(_sentence(error) + ".")
    row.needs = [
        Need(
            contact_id=contact.id,
            category=n.category,
            description=n.text[:2000],
            urgency=urgency,
            source=context.source,
            created_at=when,
        )
        for n in needs
    ]
    if drives:
        profile: dict[str, Any] = {"contact_id": contact.id, "wheelchair_accessible": accessible}
        if seats is not None:
            profile["seats"] = seats
        row.driver = DriverProfile.model_validate(profile)
    return row


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:]


def _problem(error: Exception) -> str:
    from pydantic import ValidationError

    from mutualaid_desktop.domain.validation import problems_of

    if isinstance(error, ValidationError):
        problems = problems_of(error)
        first = next(iter(problems.values()), str(error))
        return first.rstrip(".") + "."
    raise error


def _phones(texts: Sequence[str], row: Row, notes: list[str]) -> list[Phone]:
    phones: list[Phone] = []
    for text in texts:
        for part in _PHONE_SPLIT.split(text):
            written = part.strip()
            if not written:
                continue
            try:
                e164 = to_e164(written)
            except ValueError as error:
                row.flags.append(_sentence(error) + _("; it is kept in the notes."))
                notes.append(_("Phone as written: {phone}").format(phone=written))
                continue
            if all(p.e164 != e164 for p in phones):
                phones.append(Phone(original=written, e164=e164))
    return phones


@lru_cache(maxsize=1)
def _us_zips() -> dict[str, tuple[str, str]]:
    """ZIP → (city, state), from the table the `zipcodes` package ships (read once)."""
    import zipcodes

    return {
        z["zip_code"]: (z["city"].title(), z["state"])
        for z in zipcodes.list_all()  # type: ignore[no-untyped-call]
    }


def _address(
    by_field: dict[Field, list[tuple[str, str]]],
    one: Callable[[Field], str],
    row: Row,
    context: _Context,
) -> Address:
    parts = cells.read_address(one(Field.ADDRESS)) if one(Field.ADDRESS) else cells.AddressParts()
    if one(Field.CITY):
        # A city cell may carry the state and ZIP ("Houston TX 77002"): what it
        # carries fills those fields when their own columns are missing or empty.
        in_city = cells.read_city(one(Field.CITY))
        parts = cells.AddressParts(
            parts.street,
            parts.unit,
            in_city.city,
            parts.state or in_city.state,
            parts.postal_code or in_city.postal_code,
        )
    street = one(Field.STREET) or parts.street
    unit = one(Field.UNIT) or parts.unit
    city = cells.tidy_city(parts.city)
    state = (one(Field.STATE) or parts.state).strip()
    postal = cells.read_zip(one(Field.ZIP)) if one(Field.ZIP) else parts.postal_code
    if postal and context.us_zips:
        known = _us_zips().get(postal[:5]) if _US_ZIP.fullmatch(postal) else None
        if known is None:
            row.flags.append(
                _("ZIP code “{zip}” is not a US ZIP code; check the address.").format(zip=postal)
            )
        else:
            city = city or known[0]
            state = state or known[1]
    if len(state) == 2:
        state = state.upper()
    return Address(street=street, unit=unit, city=city, region=state, postal_code=postal)


def _size_from_columns(one: Callable[[Field], str], row: Row) -> cells.Size:
    counts = []
    for f in (Field.ADULTS, Field.CHILDREN, Field.SENIORS):
        text = one(f)
        digits = re.findall(r"\d+", text)
        if text and not digits:
            try:
                counts.append(cells.read_household_size(text).total)
            except cells.CellError:
                row.flags.append(
                    _("“{text}” is not a number of {what}; counted as 0.").format(
                        text=text, what=f.label.lower()
                    )
                )
                counts.append(0)
        else:
            counts.append(min(int(digits[0]), 50) if digits else 0)
    if sum(counts) == 0:
        if any(one(f) for f in (Field.ADULTS, Field.CHILDREN, Field.SENIORS)):
            row.flags.append(_("The household counts nobody; counted as 1 adult."))
        return cells.Size(1)
    return cells.Size(*counts)


def _diet(text: str, data: dict[str, Any], row: Row) -> None:
    reading = read_allergies(text)
    diets = set(reading.diets)
    from mutualaid_desktop.domain.allergens import Allergen

    if reading.allergens & {Allergen.PEANUT, Allergen.TREE_NUT}:
        diets.add(DietaryFlag.NUT_ALLERGY)  # so the box suggested by diet is a nut-free one
    data["dietary"] = sorted(diets, key=list(DietaryFlag).index)
    if reading.allergens or reading.unrecognised:
        data["allergies"] = " ".join(text.split())
    for unread in reading.unrecognised:
        row.flags.append(
            _(
                "“{text}” names no diet or allergen this program knows; it is kept as written "
                "in the allergies, so check it."
            ).format(text=unread)
        )


def _needs(by_field: dict[Field, list[tuple[str, str]]], row: Row) -> list[cells.NeedText]:
    out: list[cells.NeedText] = []
    for header, value in by_field.get(Field.NEEDS, ()):
        # Google Forms' checkbox grids: "What do you need? [Groceries]" holding "Yes".
        bracket = re.search(r"\[([^\]]+)\]\s*$", header)
        if bracket:
            try:
                ticked = cells.read_yes_no(value)
            except cells.CellError:
                ticked = True
            found = cells.read_needs(bracket.group(1) if ticked and _is_yes(value) else value)
            if not ticked:
                found = []
        else:
            found = cells.read_needs(value)
        for need in found:
            if all(
                not (n.category is need.category and fold(n.text) == fold(need.text)) for n in out
            ):
                out.append(need)
    return out


def _is_yes(text: str) -> bool:
    try:
        return cells.read_yes_no(text)
    except cells.CellError:
        return False


def _driving(text: str, row: Row) -> tuple[bool, int | None, bool]:
    if not text:
        return False, None, False
    try:
        drives = cells.read_yes_no(text)
    except cells.CellError:
        seats = cells.read_seats(text)
        if seats is None:
            row.flags.append(
                _(
                    "“{text}” does not say whether they can drive; no driver profile was made."
                ).format(text=text)
            )
            return False, None, False
        drives = True
    if not drives:
        return False, None, False
    accessible = bool(re.search(r"wheelchair|silla de ruedas|accessible|accesible", fold(text)))
    return True, cells.read_seats(text), accessible


# -- writing -------------------------------------------------------------------------


@dataclass
class _Writes:
    contacts: list[Contact]
    needs: list[Need]
    drivers: list[DriverProfile]


def dry_run(store: Store, plan: Preview) -> ImportResult:
    """What `apply` would add, merge, skip and flag; nothing is written."""
    return _resolve(store, plan)[1]


def apply(
    store: Store, plan: Preview, progress: Progress = _no_progress, remember: bool = True
) -> ImportResult:
    """Write the import in one transaction: all of it, or (on any error or Cancel) nothing."""
    if not progress(_("Preparing {n} rows…").format(n=len(plan.rows)), 0.0):
        raise Cancelled()
    writes, result = _resolve(store, plan)
    steps = len(writes.contacts) + len(writes.needs) + len(writes.drivers) + len(result.merged)
    done = 0

    def step(count: int, what: str) -> None:
        nonlocal done
        done += count
        if not progress(what, min(done / max(steps, 1), 1.0)):
            raise Cancelled()

    try:
        with store.transaction():
            for start in range(0, len(writes.contacts), _WRITE_CHUNK):
                chunk = writes.contacts[start : start + _WRITE_CHUNK]
                store.insert_many(chunk)
                step(len(chunk), _("Adding households…"))
            for start in range(0, len(writes.needs), _WRITE_CHUNK):
                chunk_n = writes.needs[start : start + _WRITE_CHUNK]
                store.insert_many(chunk_n)
                step(len(chunk_n), _("Adding needs…"))
            if writes.drivers:
                store.insert_many(writes.drivers)
                step(len(writes.drivers), _("Adding driver profiles…"))
            for _before, after in result.merged:
                store.save(after)
                step(1, _("Merging into households already there…"))
            if remember:
                remember_mapping(store, plan.table.headers, plan.mapping)
    except BaseException:
        store.rolled_back()
        raise
    progress(_("Imported."), 1.0)
    return result


def _resolve(store: Store, plan: Preview) -> tuple[_Writes, ImportResult]:
    """The records an import writes, following each row's action, and its summary."""
    result = ImportResult()
    new_contacts: dict[str, Contact] = {}  # contact id -> contact to insert
    new_needs: list[Need] = []
    needs_of: dict[str, list[Need]] = {}  # contact id -> its needs in this import
    new_drivers: dict[str, DriverProfile] = {}  # contact id -> profile
    merged_into: dict[str, Contact] = {}  # existing contact id -> its merged copy
    existing: dict[str, Contact] = {}
    existing_needs_read: set[str] = set()
    final: dict[str, str] = {}  # row key -> contact id it became or joined
    for row in plan.rows:
        if row.blank:
            result.rows_blank += 1
            continue
        if not row.importable:
            result.rows_unreadable += 1
            result.review.append((row.number, row.review_lines()))
            continue
        if row.action is Action.SKIP:
            result.rows_skipped_by_choice += 1
            continue
        contact = row.contact
        assert contact is not None
        target = _target(row, final, store)
        if target is None:
            new_contacts[contact.id] = contact
            final[row.key] = contact.id
            new_needs.extend(row.needs)
            needs_of.setdefault(contact.id, []).extend(row.needs)
            if row.driver is not None:
                new_drivers[contact.id] = row.driver
            result.rows_added += 1
            if row.flagged:
                result.review.append((row.number, row.review_lines()))
            continue
        final[row.key] = target
        result.rows_merged += 1
        pending = new_contacts.get(target)
        if pending is not None:
            base = pending
        else:
            if target not in existing:
                found = store.get(Contact, target)
                if found is None:
                    raise UserError(
                        _(
                            "A household row {n} matched was deleted meanwhile; preview the import "
                            "again."
                        ).format(n=row.number)
                    )
                existing[target] = found
            base = merged_into.get(target, existing[target])
        updated, differences = merge_contact(base, contact)
        known = needs_of.setdefault(target, [])
        if pending is None and target not in existing_needs_read:
            known.extend(store.select(Need, "contact_id = ?", (target,)))
            existing_needs_read.add(target)
        needs = _new_needs(target, row.needs, known)
        driver_added = False
        if row.driver is not None and target not in new_drivers and not _has_driver(store, target):
            new_drivers[target] = row.driver.model_copy(update={"contact_id": target})
            driver_added = True
        new_needs.extend(needs)
        if pending is not None:
            new_contacts[target] = updated
        elif updated != base:
            merged_into[target] = updated
        if updated == base and not needs and not driver_added:
            result.rows_merged_unchanged += 1
        row_review = row.review_lines() + differences
        if row_review:
            result.review.append((row.number, row_review))

    contacts = list(new_contacts.values())
    drivers = list(new_drivers.values())
    result.added_contacts = [c.id for c in contacts]
    result.added_needs = [n.id for n in new_needs]
    result.added_drivers = [d.id for d in drivers]
    result.merged = [(existing[t], updated) for t, updated in merged_into.items()]
    result.review.sort()
    if Field.CONSENT not in plan.mapping:
        result.kept_home_no_consent = result.rows_added
    return _Writes(contacts, new_needs, drivers), result


def _target(row: Row, final: dict[str, str], store: Store) -> str | None:
    """The contact id a row merges into (None: it is added as new)."""
    if row.action is not Action.MERGE or row.match is None:
        return None
    key = row.match.key
    if key.startswith("row:"):
        # The earlier row was added (or merged elsewhere); if it was skipped, add this one.
        return final.get(key)
    return key


def _has_driver(store: Store, contact_id: str) -> bool:
    return store.count(DriverProfile, "contact_id = ?", (contact_id,)) > 0


def _same_need(a: Need, b: Need) -> bool:
    if a.category is not b.category or fold(a.description) != fold(b.description):
        return False
    # An open request already there, or this very request imported before.
    return a.status.is_open or a.created_at == b.created_at


def _new_needs(target: str, needs: Sequence[Need], known: list[Need]) -> list[Need]:
    """The needs of a merged row that the household does not have yet (`known` grows)."""
    out = []
    for need in needs:
        if any(_same_need(k, need) for k in known):
            continue
        moved = need.model_copy(update={"contact_id": target, "id": new_id()})
        out.append(moved)
        known.append(moved)
    return out


# -- merging -------------------------------------------------------------------------


def merge_contact(current: Contact, incoming: Contact) -> tuple[Contact, list[str]]:
    """`current` with what `incoming` adds, and a sentence for each value kept instead.

    Phones, diets, languages and roles are added; empty fields are filled;
    allergy text it lacks is appended (forgetting an allergy is the one loss
    that hurts); any other difference is kept as it is and listed.
    """
    changes: dict[str, Any] = {}
    kept: list[str] = []

    phones = list(current.phones)
    for phone in incoming.phones:
        if all(p.e164 != phone.e164 for p in phones):
            phones.append(phone)
    if len(phones) != len(current.phones):
        changes["phones"] = phones
    for name in ("dietary", "languages", "roles", "tags"):
        mine = list(getattr(current, name))
        more = [v for v in getattr(incoming, name) if v not in mine]
        if more:
            changes[name] = mine + more
    if incoming.allergies and fold(incoming.allergies) not in fold(current.allergies):
        changes["allergies"] = (
            f"{current.allergies}; {incoming.allergies}"
            if current.allergies
            else incoming.allergies
        )
    for name in ("email", "directions", "accessibility"):
        mine, theirs = getattr(current, name), getattr(incoming, name)
        if theirs and not mine:
            changes[name] = theirs
        elif theirs and fold(theirs) != fold(mine):
            kept.append(_kept(name, theirs, mine))
    if incoming.notes and fold(incoming.notes) not in fold(current.notes):
        changes["notes"] = f"{current.notes}\n{incoming.notes}" if current.notes else incoming.notes
    if incoming.address.street and not current.address.street:
        changes["address"] = incoming.address
    elif incoming.address.street and fold(incoming.address.one_line()) != fold(
        current.address.one_line()
    ):
        kept.append(_kept("address", incoming.address.one_line(), current.address.one_line()))
    if (incoming.adults, incoming.children, incoming.seniors) != (
        current.adults,
        current.children,
        current.seniors,
    ) and incoming.household_size != 1:
        kept.append(
            _kept("household size", str(incoming.household_size), str(current.household_size))
        )
    if incoming.share_scope is not current.share_scope:
        kept.append(
            _kept("consent to share", incoming.share_scope.label, current.share_scope.label)
        )
    if not changes:
        return current, kept
    return current.model_copy(update=changes), kept


def _kept(what: str, theirs: str, mine: str) -> str:
    return _(
        "The sheet says {theirs} for the {what}; the household has {mine}, which was kept."
    ).format(theirs=_quote(theirs), what=_(what), mine=_quote(mine))


def _quote(text: str) -> str:
    one_line = " / ".join(text.split("\n"))
    return f"“{one_line}”"


# -- undo --------------------------------------------------------------------------


def undo(store: Store, result: ImportResult) -> list[tuple[str, str]]:
    """Take an import back: delete what it added, put merged households as they were."""
    deleted: list[tuple[str, str]] = []
    with store.transaction():
        for before, _after in result.merged:
            store.save(before)
        for need_id in result.added_needs:
            if store.get(Need, need_id) is not None:
                deleted.extend(store.delete(Need, need_id))
        for driver_id in result.added_drivers:
            if store.get(DriverProfile, driver_id) is not None:
                deleted.extend(store.delete(DriverProfile, driver_id))
        for contact_id in result.added_contacts:
            if store.get(Contact, contact_id) is not None:
                deleted.extend(store.delete(Contact, contact_id))
    return deleted


def redo(store: Store, result: ImportResult, deleted: Sequence[tuple[str, str]]) -> None:
    """Bring an undone import back exactly (the same records, restored)."""
    order = {"contacts": 0, "driver_profiles": 1, "needs": 2}
    with store.transaction():
        store.restore_many(sorted(deleted, key=lambda d: order.get(d[0], 3)))
        for _before, after in result.merged:
            store.save(after)


def describe_row(row: Row) -> dict[str, str]:
    """A row as the preview table shows it: the values it will store, in words."""
    contact = row.contact
    if contact is None:
        return {"name": "", "problems": " ".join(row.review_lines())}
    same_as = ""
    if row.match is not None:
        where = (
            _("row {n}").format(n=row.match.key[4:])
            if row.match.key.startswith("row:")
            else _("already there")
        )
        same_as = f"{row.match.name} ({where}). {row.match.reason}"
    size = contact.household_size
    people = _("{n} person").format(n=size) if size == 1 else _("{n} people").format(n=size)
    if contact.children:
        people += " " + _("({a} adults, {c} children)").format(
            a=contact.adults + contact.seniors, c=contact.children
        )
    return {
        "name": contact.name,
        "phone": ", ".join(display(p.e164) for p in contact.phones),
        "address": contact.address.one_line(),
        "size": people,
        "needs": "; ".join(
            f"{n.category.label}"
            + (f" ({n.description})" if fold(n.description) != fold(n.category.label) else "")
            for n in row.needs
        ),
        "diet": ", ".join(d.label for d in contact.dietary)
        + (f" · {contact.allergies}" if contact.allergies else ""),
        "consent": contact.share_scope.label,
        "driver": (_("{n} seats").format(n=row.driver.seats) if row.driver else ""),
        "same_as": same_as,
        "problems": " ".join(row.errors + row.flags),
    }
