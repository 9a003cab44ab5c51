"""Exports, the funder report and the digest, read back from the files as a spreadsheet would."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest

from mutualaid_desktop.domain import Contact, DeliveryRun, Need, Ride, Stop
from mutualaid_desktop.domain.contact import Address, Phone
from mutualaid_desktop.domain.enums import (
    Category,
    NeedStatus,
    Outcome,
    PrivacyLevel,
    RideStatus,
    ShareScope,
    Urgency,
)
from mutualaid_desktop.errors import UserError
from mutualaid_desktop.exchange.digest import digest
from mutualaid_desktop.exchange.export import ExportKind, export
from mutualaid_desktop.exchange.report import funder_report, write_report
from tests.conftest import TODAY

NASTY = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\tTab first",
    "\rCR first",
]


def _contact(store, name, phone, street="12 Oak St", postal="77036", **kw):
    return store.insert(
        Contact(
            name=name,
            phones=[Phone(original=phone)],
            email=kw.pop("email", ""),
            address=Address(street=street, city="Houston", postal_code=postal),
            **kw,
        )
    )


def _read_csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _read_xlsx(path):
    """Every cell as openpyxl sees it: (value, data_type); 'f' would be a formula."""
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=False)
    return {
        ws.title: [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()] for ws in book
    }


def test_contacts_csv_keeps_accents_and_runs_no_formula(store, tmp_path):
    _contact(store, "Zoë Ñúñez-Ødegaard", "+17135550100", notes="\n".join(NASTY))
    for i, text in enumerate(NASTY):
        _contact(store, text, f"+1713555020{i}", allergies=text)
    out = tmp_path / "contacts.csv"
    assert export(store, ExportKind.CONTACTS, out).rows == 1 + len(NASTY)
    rows = _read_csv(out)
    header, body = rows[0], rows[1:]
    names = [r[header.index("Name")] for r in body]
    assert "Zoë Ñúñez-Ødegaard" in names
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for contact in store.select(Contact):
        if contact.name.startswith(("=", "+", "-", "@")):
            assert "'" + contact.name in names  # shown as stored, behind the apostrophe
    zoe = body[names.index("Zoë Ñúñez-Ødegaard")]
    assert zoe[header.index("Phones")] == "(713) 555-0100"


def test_xlsx_holds_values_never_formulas(store, tmp_path):
    for i, text in enumerate(NASTY):
        _contact(store, f"Ana {i}", f"+1713555020{i}", notes=text)
    _contact(store, "Zoë Ñúñez", "+17135550100")
    out = tmp_path / "contacts.xlsx"
    export(store, ExportKind.CONTACTS, out)
    [cells] = _read_xlsx(out).values()
    assert all(kind != "f" for row in cells for _value, kind in row)
    values = {v for row in cells for v, _k in row}
    assert "Zoë Ñúñez" in values
    stored = {c.notes for c in store.select(Contact) if c.notes}
    assert len(stored) == len(NASTY) and stored <= values  # the very text, as a value
    from python_calamine import load_workbook

    book = load_workbook(str(out))
    rows = book.get_sheet_by_index(0).to_python()
    assert any("Zoë Ñúñez" in row for row in rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_privacy_levels_leave_out_what_they_promise(store, tmp_path, suffix):
    _contact(
        store,
        "Zacarías Quintanilla",
        "+17135550177",
        street="4821 Wyndham Ct",
        email="zq@example.org",
        notes="Owes landlord",
        directions="Gate 77",
    )
    texts = {}
    for level in PrivacyLevel:
        out = tmp_path / f"{level.value}{suffix}"
        export(store, ExportKind.CONTACTS, out, level)
        if suffix == ".csv":
            texts[level] = out.read_bytes().decode("utf-8-sig")
        else:
            texts[level] = " ".join(
                str(v) for rows in _read_xlsx(out).values() for row in rows for v, _k in row
            )
    assert "Zacarías Quintanilla" in texts[PrivacyLevel.FULL]
    assert "Owes landlord" in texts[PrivacyLevel.FULL]
    initials = texts[PrivacyLevel.INITIALS]
    assert "Zacarías Q." in initials
    for secret in ("Quintanilla", "555", "Wyndham", "zq@", "Owes landlord", "Gate 77"):
        assert secret not in initials
        assert secret not in texts[PrivacyLevel.CODE]
    assert "Zacarías" not in texts[PrivacyLevel.CODE]
    assert "77036" in texts[PrivacyLevel.CODE]


def _day_with_outcomes(store):
    ana = _contact(store, "Ána Lópes", "+17135550100")
    ben = _contact(store, "Ben Öz", "+17135550101", postal="77081", adults=2, children=3)
    today_run = store.insert(DeliveryRun(date=TODAY, name="Route 1"))
    other_run = store.insert(DeliveryRun(date=TODAY + timedelta(days=1), name="Route 2"))
    at = datetime.combine(TODAY, time(15), tzinfo=UTC)
    store.insert(
        Stop(run_id=today_run.id, contact_id=ana.id, seq=1, boxes=2, outcome=Outcome.DELIVERED,
             outcome_at=at)
    )  # fmt: skip
    store.insert(
        Stop(run_id=today_run.id, contact_id=ben.id, seq=2, outcome=Outcome.NOT_HOME,
             outcome_note="=1+1", outcome_at=at)
    )  # fmt: skip
    store.insert(Stop(run_id=other_run.id, contact_id=ben.id, seq=1))
    return ana, ben


def test_deliveries_of_a_day_with_their_outcomes(store, tmp_path):
    _day_with_outcomes(store)
    out = tmp_path / "day.csv"
    assert export(store, ExportKind.DELIVERIES, out, start=TODAY, end=TODAY).rows == 2
    header, *rows = _read_csv(out)
    got = [(r[header.index("Household")], r[header.index("Outcome")]) for r in rows]
    assert got == [("Ána Lópes", "Delivered"), ("Ben Öz", "Not home")]
    assert rows[1][header.index("Outcome note")] == "'=1+1"
    assert export(store, ExportKind.DELIVERIES, out).rows == 3  # no dates: every day


def test_needs_and_rides_export(store, tmp_path):
    ana = _contact(store, "Ána Lópes", "+17135550100")
    store.insert(Need(contact_id=ana.id, category=Category.GROCERIES, description="Arroz"))
    pickup = datetime.combine(TODAY, time(9))
    store.insert(
        Ride(rider_id=ana.id, pickup_address="12 Oak St", pickup_at=pickup, destination="Clínica")
    )
    export(store, ExportKind.NEEDS, tmp_path / "needs.xlsx", PrivacyLevel.CODE)
    [rows] = _read_xlsx(tmp_path / "needs.xlsx").values()
    values = [v for v, _k in rows[1]]
    assert "Arroz" in values and "Ána Lópes" not in values and ana.code in values
    export(store, ExportKind.RIDES, tmp_path / "rides.csv", start=TODAY, end=TODAY)
    header, row = _read_csv(tmp_path / "rides.csv")
    assert row[header.index("Destination")] == "Clínica"
    assert row[header.index("Pickup")] == f"{TODAY.isoformat()} 09:00"


def test_an_export_to_a_missing_folder_or_a_wrong_name_is_one_sentence(store, tmp_path):
    with pytest.raises(UserError, match="no folder"):
        export(store, ExportKind.CONTACTS, tmp_path / "nope" / "x.csv")
    with pytest.raises(UserError, match=r"\.csv or \.xlsx"):
        export(store, ExportKind.CONTACTS, tmp_path / "x.txt")


# -- the funder report ------------------------------------------------------------------


def _served(store):
    """Four households served in the two weeks from TODAY-13, one only before, one not at all."""
    start = TODAY - timedelta(days=13)
    a = _contact(store, "Amaia Zubiri", "+17135550100", adults=2, children=2)  # 4 people
    b = _contact(store, "Bruno Carvalho", "+17135550101", postal="77081")  # served before too
    c = _contact(store, "Chidi Okafor", "+17135550102", postal="77081", adults=3)  # a ride
    d = _contact(store, "Dana Lévy", "+17135550103", adults=1, seniors=1)  # a need met
    e = _contact(store, "Émile Roux", "+17135550104")  # not home: not served
    before = store.insert(DeliveryRun(date=start - timedelta(days=30), name="Old"))
    week1 = store.insert(DeliveryRun(date=start + timedelta(days=1), name="W1"))
    week2 = store.insert(DeliveryRun(date=start + timedelta(days=8), name="W2"))
    store.insert(Stop(run_id=before.id, contact_id=b.id, outcome=Outcome.DELIVERED))
    store.insert(Stop(run_id=week1.id, contact_id=a.id, boxes=2, outcome=Outcome.DELIVERED))
    store.insert(Stop(run_id=week2.id, contact_id=a.id, boxes=1, outcome=Outcome.DELIVERED))
    store.insert(Stop(run_id=week2.id, contact_id=b.id, boxes=1, outcome=Outcome.DELIVERED))
    store.insert(Stop(run_id=week2.id, contact_id=e.id, outcome=Outcome.NOT_HOME))
    store.insert(
        Ride(
            rider_id=c.id,
            pickup_address="x",
            pickup_at=datetime.combine(start + timedelta(days=2), time(10)),
            destination="Clinic",
            status=RideStatus.COMPLETED,
        )
    )
    met = datetime.combine(start + timedelta(days=9), time(18), tzinfo=UTC)
    store.insert(
        Need(
            contact_id=d.id,
            category=Category.GROCERIES,
            status=NeedStatus.FULFILLED,
            status_changed_at=met,
        )
    )
    return start


def test_the_report_counts_households_people_boxes_and_rides(store):
    start = _served(store)
    report = funder_report(store, start, TODAY)
    t = report.total
    assert (t.households, t.people, t.boxes, t.rides) == (4, 4 + 1 + 3 + 2, 4, 1)
    assert (t.new, t.returning) == (3, 1)  # Bruno was served before the period
    assert [m for m, _c in report.weeks] == [
        start - timedelta(days=start.weekday()) + timedelta(days=7 * i) for i in range(3)
    ]
    assert sum(c.boxes for _m, c in report.weeks) == 4
    # Amaia is new in her first week and returning in her second.
    week_of_second = [c for _m, c in report.weeks if c.boxes == 2 and c.households >= 2]
    assert week_of_second and week_of_second[0].returning >= 1
    zips = dict(report.zips)
    assert zips["77036"].households == 2 and zips["77081"].households == 2


def test_the_report_names_no_one_in_any_format(store, tmp_path):
    import pdfplumber

    start = _served(store)
    names = ("Amaia", "Zubiri", "Bruno", "Carvalho", "Chidi", "Okafor", "Dana", "Lévy", "555")
    for suffix in (".pdf", ".csv", ".xlsx"):
        out = tmp_path / f"report{suffix}"
        write_report(store, start, TODAY, out)
        if suffix == ".pdf":
            with pdfplumber.open(out) as pdf:
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
            assert "Households served" in text and "77081" in text
        elif suffix == ".csv":
            text = out.read_bytes().decode("utf-8-sig")
            assert "By ZIP,77081,2," in text
        else:
            sheets = _read_xlsx(out)
            assert list(sheets) == ["Summary", "By week", "By ZIP"]
            text = repr(sheets)
        for name in names:
            assert name not in text, (suffix, name)


def test_a_report_that_ends_before_it_starts_is_one_sentence(store, tmp_path):
    with pytest.raises(UserError, match="swap the dates"):
        funder_report(store, TODAY, TODAY - timedelta(days=1))
    with pytest.raises(UserError, match=r"\.pdf, \.csv or \.xlsx"):
        write_report(store, TODAY, TODAY, tmp_path / "r.docx")


# -- the digest ---------------------------------------------------------------------------


def test_the_digest_is_redacted_and_most_urgent_first(store):
    people = [
        _contact(
            store,
            f"Persona{i} Apellido{i}",
            f"+1713555010{i}",
            street=f"{i}0 Secret Rd",
            share_scope=ShareScope.GROUP,
            consent_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        for i in range(4)
    ]
    # Kept on this laptop only: counted, never coded.
    home = _contact(store, "Privada Casa", "+17135550199", street="99 Hidden Ln")
    store.insert(Need(contact_id=home.id, category=Category.GROCERIES, urgency=Urgency.TODAY))
    for p in people[:3]:
        store.insert(Need(contact_id=p.id, category=Category.GROCERIES, urgency=Urgency.TODAY))
    store.insert(
        Need(contact_id=people[3].id, category=Category.HYGIENE, urgency=Urgency.THIS_WEEK)
    )
    store.insert(Need(contact_id=people[3].id, category=Category.RIDE, status=NeedStatus.FULFILLED))
    text = digest(store, TODAY)
    lines = text.splitlines()
    codes = ", ".join(sorted(p.code for p in people[:3]))
    assert lines[0] == "Open needs, Fri 27 Nov:"
    assert lines[1] == f"• Groceries: 4 urgent in 77036 ({codes}, 1 kept private)"
    assert lines[2] == f"• Hygiene: 1 this week in 77036 ({people[3].code})"
    assert "ride" not in text.lower().replace("provide", "")
    assert home.code not in text
    for p in [*people, home]:
        for secret in (p.name.split()[0], p.name.split()[1], "Secret", "555"):
            assert secret not in text


def test_an_empty_digest_says_so(store):
    assert "No open needs" in digest(store, TODAY)
