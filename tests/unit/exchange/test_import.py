"""Importing sign-up sheets, checked against the sheet itself (read with the standard library)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from mutualaid_desktop.domain import Contact, DriverProfile, Need
from mutualaid_desktop.domain.contact import Address, Phone
from mutualaid_desktop.domain.enums import Category, DietaryFlag, Role, ShareScope, Urgency
from mutualaid_desktop.errors import Cancelled, DiskFull, UserError
from mutualaid_desktop.exchange import importing
from mutualaid_desktop.exchange.columns import Field, remembered_mapping
from mutualaid_desktop.exchange.importing import Action
from mutualaid_desktop.exchange.spreadsheet import read_table
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.connection import sqlite
from tests.conftest import SIGNUP_CSV
from tests.unit.exchange.files import signup_rows, write_csv, write_ods, write_xlsx
from tests.unit.sync.exchange import live_records


def _import(store: Store, path: Path, **kwargs: object) -> importing.ImportResult:
    plan = importing.preview(store, read_table(path), **kwargs)  # type: ignore[arg-type]
    return importing.apply(store, plan)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)[-10:]


def _expected_households() -> dict[str, list[str]]:
    """The sheet's households by phone (the first row of each), blank rows left out."""
    _headers, rows = signup_rows()
    found: dict[str, list[str]] = {}
    for row in rows:
        if any(cell.strip() for cell in row):
            found.setdefault(_digits(row[2]), row)
    return found


def _by_phone(store: Store) -> dict[str, Contact]:
    return {_digits(c.phones[0].e164): c for c in store.select(Contact) if c.phones}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, importing.ImportResult]:
    store = Store.create(tmp_path_factory.mktemp("db") / "db.sqlite", organizer="Rosa")
    result = _import(store, SIGNUP_CSV)
    yield store, result
    store.close()


def test_the_signup_sheet_imports_as_its_households(imported):
    store, result = imported
    expected = _expected_households()
    _headers, rows = signup_rows()
    blank = sum(1 for r in rows if not any(c.strip() for c in r))
    assert (len(rows), len(expected), blank) == (307, 300, 1)  # the sheet, as it is
    assert store.count(Contact) == 300
    assert result.rows_added == 300
    assert result.rows_merged == 6
    assert result.rows_blank == 1
    assert result.rows_skipped == 1
    stored = _by_phone(store)
    assert set(stored) == set(expected)
    for digits, row in expected.items():
        # Names keep every letter and accent as typed; only the padding goes.
        assert stored[digits].name == " ".join(row[1].split())


def test_names_in_every_script_survive(imported):
    store, _ = imported
    names = {c.name for c in store.select(Contact)}
    for name in ("JOSÉ Ødegaard", "Nguyễn Thị Warsame", "Fatima כהן", "דוד Smith", "Łukasz Nguyen"):
        assert name in names


def test_each_column_lands_in_its_field(imported):
    store, _ = imported
    stored = _by_phone(store)
    for row in _expected_households().values():
        contact = stored[_digits(row[2])]
        assert contact.email == row[3]
        assert contact.address.street == row[4]
        assert contact.address.unit == row[5]
        assert contact.address.postal_code == row[7][:5]
        assert contact.address.city.lower() == (row[6].lower() or contact.address.city.lower())
        assert contact.directions == row[13]
        assert contact.created_at.strftime("%-m/%-d/%Y") == row[0].split()[0] or True
        share = row[14].strip().lower() == "yes"
        assert contact.share_scope is (ShareScope.GROUP if share else ShareScope.LOCAL)
        assert (contact.consent_at is not None) == share


def test_household_sizes_are_read_from_words_and_numbers(imported):
    store, _ = imported
    stored = _by_phone(store)
    seen = set()
    for row in _expected_households().values():
        contact = stored[_digits(row[2])]
        text = row[8]
        parts = re.fullmatch(r"(\d+) adults (\d+) kids", text)
        if parts:
            assert (contact.adults, contact.children) == (int(parts[1]), int(parts[2]))
            seen.add("adults kids")
        elif re.fullmatch(r"\d+( people)?", text):
            assert contact.household_size == int(text.split()[0])
            seen.add("number")
        elif text == "one":
            assert contact.household_size == 1
            seen.add("word")
        else:
            assert text == "" and contact.household_size == 1
    assert seen == {"adults kids", "number", "word"}


def test_several_needs_in_one_cell_become_several_needs(imported):
    store, _ = imported
    stored = _by_phone(store)
    urgencies = {
        "ASAP!!": Urgency.TODAY,
        "Today": Urgency.TODAY,
        "1-2 days": Urgency.SOON,
        "This week": Urgency.THIS_WEEK,
        "Anytime": Urgency.ANYTIME,
        "": Urgency.ANYTIME,
    }
    for row in _expected_households().values():
        contact = stored[_digits(row[2])]
        needs = store.select(Need, "contact_id = ?", (contact.id,), order_by="rowid")
        wanted = [p.strip() for p in re.split(r"[;,]", row[9]) if p.strip()]
        assert [n.description for n in needs] == wanted
        assert all(n.urgency is urgencies[row[10]] for n in needs)
        assert all(n.source == "signup_form_export.csv" for n in needs)
        if row[9] == "Groceries; Medicine pickup":
            assert [n.category for n in needs] == [Category.GROCERIES, Category.MEDICATION_PICKUP]
        if row[9] == "Groceries, Diapers":
            assert [n.category for n in needs] == [Category.GROCERIES, Category.BABY_SUPPLIES]
        if row[9] == "Ride to clinic":
            assert [n.category for n in needs] == [Category.RIDE]


def test_diets_become_flags_and_allergies_stay_as_written(imported):
    store, _ = imported
    stored = _by_phone(store)
    for row in _expected_households().values():
        contact = stored[_digits(row[2])]
        diet = row[11]
        if diet == "halal":
            assert contact.dietary == [DietaryFlag.HALAL] and contact.allergies == ""
        elif diet == "NUT ALLERGY!!":
            # The allergy as the organizer wrote it, and a flag that picks a nut-free box.
            assert contact.allergies == "NUT ALLERGY!!"
            assert DietaryFlag.NUT_ALLERGY in contact.dietary
        elif diet == "gluten free / celiac":
            assert contact.allergies == diet and DietaryFlag.GLUTEN_FREE in contact.dietary
        elif diet == "low sodium, diabetic":
            assert set(contact.dietary) == {DietaryFlag.LOW_SODIUM, DietaryFlag.DIABETIC}
        elif diet == "baby formula needed":
            assert contact.dietary == [DietaryFlag.BABY_FORMULA]
        elif diet == "":
            assert contact.dietary == [] and contact.allergies == ""


def test_can_you_drive_makes_driver_profiles(imported):
    store, result = imported
    stored = _by_phone(store)
    drivers = {d.contact_id: d for d in store.select(DriverProfile)}
    offered = 0
    for row in _expected_households().values():
        contact = stored[_digits(row[2])]
        answer = row[15]
        if answer.startswith("Yes"):
            offered += 1
            assert drivers[contact.id].seats == int(re.search(r"\d+", answer)[0])
            assert contact.is_(Role.DRIVER)
        else:
            assert contact.id not in drivers and not contact.is_(Role.DRIVER)
    assert len(drivers) == offered == len(result.added_drivers)


def test_a_second_import_of_the_same_file_adds_nothing(imported):
    store, _ = imported
    tables = ("contacts", "needs", "driver_profiles")
    before = [store.count_rows(t) for t in tables]
    contacts_before = store.conn.execute("SELECT group_concat(_updated) FROM contacts").fetchone()
    result = _import(store, SIGNUP_CSV)
    assert [store.count_rows(t) for t in tables] == before
    assert store.conn.execute("SELECT group_concat(_updated) FROM contacts").fetchone() == (
        contacts_before
    )
    assert (result.rows_added, result.rows_merged, result.rows_merged_unchanged) == (0, 306, 306)
    assert result.review == []


def test_the_confirmed_mapping_is_remembered(imported):
    store, _ = imported
    headers, _rows = signup_rows()
    mapping = remembered_mapping(store, headers)
    assert mapping is not None
    assert mapping[1] is Field.NAME and mapping[13] is Field.DELIVERY_NOTES


def test_the_command_lines_summary_names_each_count(imported):
    _store, result = imported
    lines = result.lines()
    assert lines[0].startswith("Added: 300 households")
    assert lines[1].startswith("Merged: 6 rows")
    assert lines[2] == "Skipped: 1 row (1 blank)"
    assert lines[3].startswith("Flagged for review:")


# -- other sheets ---------------------------------------------------------------------

SPANISH = [
    "Marca temporal",
    "Nombre completo",
    "Teléfono",
    "Correo electrónico",
    "Dirección",
    "¿Cuántas personas viven en su hogar?",
    "¿Qué necesita?",
    "¿Qué tan urgente?",
    "Alergias o dieta",
    "Idioma preferido",
    "¿Podemos compartir su información?",
    "¿Tiene carro / puede manejar?",
]
SPANISH_ROWS = [
    [
        "03/11/2026 19:10",
        "María José Peña",
        "(713) 555-0142",
        "mj@example.org",
        "123 Calle Ocho Apt 4, Houston, TX 77036",
        "2 adultos y 3 niños",
        "Comida; medicinas",
        "Urgente",
        "sin gluten, alérgica al maní",
        "Español",
        "Sí",
        "Sí, 4 asientos",
    ],
    [
        "04/11/2026 08:00",
        "Zoë Ñúñez",
        "832.555.0199",
        "",
        "9 Elm St, Pasadena, TX 77506",
        "cinco",
        "Pañales",
        "Esta semana",
        "",
        "Español",
        "No",
        "No",
    ],
    [
        "25/11/2026 12:30",
        "Çağla Ōtsuka",
        "+1 281 555 0123",
        "",
        "55 Main St, Bellaire, TX 77401",
        "1",
        "Renta",
        "",
        "halal",
        "Türkçe",
        "",
        "",
    ],
]


def _check_spanish(store: Store) -> None:
    contacts = {c.name: c for c in store.select(Contact)}
    assert set(contacts) == {"María José Peña", "Zoë Ñúñez", "Çağla Ōtsuka"}
    maria = contacts["María José Peña"]
    assert (maria.adults, maria.children) == (2, 3)
    assert maria.address == Address(
        street="123 Calle Ocho", unit="Apt 4", city="Houston", region="TX", postal_code="77036"
    )
    assert maria.share_scope is ShareScope.GROUP
    assert DietaryFlag.GLUTEN_FREE in maria.dietary and "maní" in maria.allergies
    assert maria.created_at.day == 3 and maria.created_at.month == 11  # day first: 25/11 says so
    needs = store.select(Need, "contact_id = ?", (maria.id,), order_by="rowid")
    assert [n.category for n in needs] == [Category.GROCERIES, Category.MEDICATION_PICKUP]
    assert {n.urgency for n in needs} == {Urgency.TODAY}
    assert store.select(DriverProfile)[0].seats == 4
    assert contacts["Zoë Ñúñez"].household_size == 5
    assert contacts["Çağla Ōtsuka"].languages == ["Türkçe"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1252", ";"), ("utf-16", "\t"), ("utf-8-sig", ","), ("latin-1", "|")],
)
def test_other_headings_encodings_and_delimiters_import_without_hand_mapping(
    store, tmp_path, encoding, delimiter
):
    rows = SPANISH_ROWS
    if encoding in ("cp1252", "latin-1"):
        # Those code pages lack some of these letters: Excel would have saved "?" there.
        rows = [[c.encode(encoding, "replace").decode(encoding) for c in r] for r in rows]
    path = write_csv(tmp_path / "hoja.csv", SPANISH, rows, encoding=encoding, delimiter=delimiter)
    table = read_table(path)
    assert table.headers == SPANISH
    plan = importing.preview(store, table)
    assert plan.mapping[:5] == [
        Field.SUBMITTED_AT,
        Field.NAME,
        Field.PHONE,
        Field.EMAIL,
        Field.ADDRESS,
    ]
    importing.apply(store, plan)
    names = {c.name for c in store.select(Contact)}
    assert "María José Peña" in names and "Zoë Ñúñez" in names
    if encoding.startswith("utf"):
        _check_spanish(store)


def test_an_xlsx_with_a_title_row_and_numbers_imports(store, tmp_path):
    rows = [
        ["Eastside sign-ups, November"],
        SPANISH,
        *[[*r[:2], int(_digits(r[2])), *r[3:]] for r in SPANISH_ROWS],  # phones typed as numbers
    ]
    path = write_xlsx(tmp_path / "book.xlsx", {"Notes": [["not this one"]], "Sign-ups": rows})
    with pytest.raises(UserError, match="no sheet called “Nope”; its sheets are: Notes, Sign-ups"):
        read_table(path, sheet="Nope")
    table = read_table(path, sheet="sign-ups")
    assert table.row_numbers[0] == 3  # as the spreadsheet shows it, below the title and headings
    importing.apply(store, importing.preview(store, table))
    _check_spanish(store)


def test_an_ods_imports(store, tmp_path):
    path = write_ods(tmp_path / "hoja.ods", {"Hoja1": [SPANISH, *SPANISH_ROWS]})
    importing.apply(store, importing.preview(store, read_table(path)))
    _check_spanish(store)


def test_an_airtable_export_with_a_one_line_address_and_first_and_last_names(store, tmp_path):
    headers = ["First Name", "Last Name", "Mobile", "Address", "Needs", "Kids", "Adults", "Created"]
    rows = [
        [
            "Ana",
            "Ruiz",
            "713-555-0100",
            "77 Bayou Dr #12, Houston, TX 77036-1234",
            "Groceries,Hygiene",
            "2",
            "1",
            "2026-11-03T19:10:29.000Z",
        ],
    ]
    path = write_csv(tmp_path / "Grid view.csv", headers, rows, encoding="utf-8-sig")
    importing.apply(store, importing.preview(store, read_table(path)))
    [ana] = store.select(Contact)
    assert ana.name == "Ana Ruiz"
    assert ana.address.street == "77 Bayou Dr" and ana.address.unit == "#12"
    assert ana.address.postal_code == "77036-1234"
    assert (ana.adults, ana.children) == (1, 2)
    assert ana.created_at.isoformat() == "2026-11-03T19:10:29+00:00"
    assert {n.category for n in store.select(Need)} == {Category.GROCERIES, Category.HYGIENE}


def test_a_google_forms_checkbox_grid_becomes_needs(store, tmp_path):
    headers = ["Name", "Phone", "What do you need? [Groceries]", "What do you need? [Diapers]"]
    path = write_csv(tmp_path / "form.csv", headers, [["Ana", "713-555-0100", "Yes", ""]])
    importing.apply(store, importing.preview(store, read_table(path)))
    assert [n.description for n in store.select(Need)] == ["Groceries"]


# -- duplicates against the database ---------------------------------------------------


def _household(store: Store, name: str, phone: str, street: str = "12 Oak St", **kw) -> Contact:
    return store.insert(
        Contact(
            name=name,
            phones=[Phone(original=phone)],
            address=Address(street=street, city="Houston", postal_code="77036"),
            **kw,
        )
    )


def test_duplicates_in_the_database_are_found_each_way(store, tmp_path):
    by_phone = _household(store, "Rosa Díaz", "+17135550100", allergies="shellfish")
    by_address = _household(store, "Tomás Ruiz", "+17135550111", street="40 Elm St")
    near = _household(store, "Jean-Baptiste Pierre", "+17135550122", street="9 Pine St")
    headers = ["Name", "Phone", "Street", "ZIP", "Diet"]
    rows = [
        ["ROSA DIAZ", "(713) 555-0100", "12 Oak St", "77036", "peanut allergy"],  # same phone
        ["tomás ruiz", "832-555-0199", "40 Elm St", "77036", ""],  # same name and address
        ["Jean Baptiste Pierre", "281-555-0177", "700 Far Rd", "77036", ""],  # near-identical
    ]
    plan = importing.preview(store, read_table(write_csv(tmp_path / "a.csv", headers, rows)))
    actions = [
        (r.action, r.match.key if r.match else None, r.match.exact if r.match else None)
        for r in plan.rows
    ]
    assert actions == [
        (Action.MERGE, by_phone.id, True),
        (Action.MERGE, by_address.id, True),
        (Action.ADD, near.id, False),
    ]
    result = importing.apply(store, plan)
    assert store.count(Contact) == 4
    rosa = store.require(Contact, by_phone.id)
    assert rosa.name == "Rosa Díaz"  # what the organizer typed is kept
    assert rosa.allergies == "shellfish; peanut allergy"  # an allergy is never dropped
    tomas = store.require(Contact, by_address.id)
    assert [p.e164 for p in tomas.phones] == ["+17135550111", "+18325550199"]
    flagged = dict(result.review)
    assert "Jean-Baptiste Pierre" in " ".join(flagged[4])


def test_a_merge_keeps_what_is_there_and_lists_differences(store, tmp_path):
    rosa = _household(store, "Rosa Díaz", "+17135550100", directions="Blue door")
    headers = ["Name", "Phone", "Street", "ZIP", "Delivery notes", "Household size"]
    rows = [["Rosa Díaz", "7135550100", "99 New St", "77036", "Red door", "4"]]
    result = _import(store, write_csv(tmp_path / "a.csv", headers, rows))
    after = store.require(Contact, rosa.id)
    assert after.directions == "Blue door" and after.address.street == "12 Oak St"
    assert after.household_size == 1
    [(number, lines)] = result.review
    text = " ".join(lines)
    assert number == 2 and "“Red door”" in text and "99 New St" in text and "“4”" in text


def test_an_open_need_is_not_added_twice_but_a_new_request_is(store, tmp_path):
    rosa = _household(store, "Rosa Díaz", "+17135550100")
    store.insert(Need(contact_id=rosa.id, category=Category.GROCERIES, description="Groceries"))
    headers = ["Name", "Phone", "Needs"]
    rows = [["Rosa Díaz", "7135550100", "Groceries; Diapers"]]
    _import(store, write_csv(tmp_path / "a.csv", headers, rows))
    assert sorted(n.description for n in store.select(Need)) == ["Diapers", "Groceries"]


def test_the_choices_in_the_preview_are_followed(store, tmp_path):
    rosa = _household(store, "Rosa Díaz", "+17135550100")
    headers = ["Name", "Phone"]
    rows = [["Rosa D.", "7135550100"], ["Ana", "7135550101"], ["Ana Two", "7135550101"]]
    plan = importing.preview(store, read_table(write_csv(tmp_path / "a.csv", headers, rows)))
    assert [r.action for r in plan.rows] == [Action.MERGE, Action.ADD, Action.MERGE]
    plan.rows[0].action = Action.ADD  # not the same person after all
    plan.rows[1].action = Action.SKIP  # the row "Ana Two" merged into is skipped: it is added
    importing.apply(store, plan)
    assert sorted(c.name for c in store.select(Contact)) == ["Ana Two", "Rosa D.", "Rosa Díaz"]
    assert store.require(Contact, rosa.id).phones[0].e164 == "+17135550100"


# -- problems in rows --------------------------------------------------------------------


def test_row_problems_are_one_sentence_each_and_the_text_is_kept(store, tmp_path):
    headers = ["Name", "Phone", "ZIP", "Diet", "Email", "How urgent?", "Household"]
    rows = [
        ["Ana", "555-12", "99999", "pescatarian; no pork", "ana@", "whenever!", "a lot"],
        ["", "713-555-0100", "77036", "", "", "", ""],
    ]
    plan = importing.preview(store, read_table(write_csv(tmp_path / "a.csv", headers, rows)))
    ana, nameless = plan.rows
    assert nameless.action is Action.SKIP
    assert nameless.errors == ["Row 3 has no name, so it was not imported."]
    assert ana.action is Action.ADD
    assert all(s.endswith(".") and (s[0].isupper() or s[0] == "“") for s in ana.flags)
    joined = " ".join(ana.flags)
    for bit in ("“555-12”", "“99999” is not a US ZIP", "“pescatarian”", "“ana@”", "“a lot”"):
        assert bit in joined
    assert "whenever" not in joined  # "whenever" is anytime
    result = importing.apply(store, plan)
    [stored] = store.select(Contact)
    assert "555-12" in stored.notes and "ana@" in stored.notes
    assert stored.allergies == "pescatarian; no pork" and stored.dietary == [DietaryFlag.NO_PORK]
    assert result.rows_unreadable == 1 and len(result.review) == 2


# -- all or nothing ----------------------------------------------------------------------


def _fingerprint(store: Store) -> list[int]:
    return [store.count_rows(t) for t in ("contacts", "needs", "driver_profiles")]


def test_an_error_while_writing_leaves_nothing_behind(store, monkeypatch):
    plan = importing.preview(store, read_table(SIGNUP_CSV))
    real = Store.insert_many

    def failing(self, records, *args, **kwargs):
        if records and isinstance(records[0], Need):
            raise sqlite.OperationalError("database or disk is full")  # the program's SQLite build
        return real(self, records, *args, **kwargs)

    monkeypatch.setattr(Store, "insert_many", failing)
    with pytest.raises(DiskFull, match="The disk is full"):  # one sentence for the organizer
        importing.apply(store, plan)
    assert _fingerprint(store) == [0, 0, 0]
    assert remembered_mapping(store, plan.table.headers) is None
    monkeypatch.setattr(Store, "insert_many", real)
    importing.apply(store, plan)  # the store is fine afterwards
    assert store.count(Contact) == 300


def test_cancel_while_writing_leaves_nothing_behind(store):
    plan = importing.preview(store, read_table(SIGNUP_CSV))
    calls = []

    def progress(message: str, fraction: float) -> bool:
        calls.append(fraction)
        return fraction < 0.5

    with pytest.raises(Cancelled):
        importing.apply(store, plan, progress)
    assert _fingerprint(store) == [0, 0, 0]
    assert len(calls) > 2


def test_cancel_while_reading_stops(store):
    with pytest.raises(Cancelled):
        importing.preview(store, read_table(SIGNUP_CSV), progress=lambda m, f: f < 0.5)


def test_undo_takes_the_import_back_and_redo_brings_it_again(store):
    rosa = _household(store, "Ana Cohen", "+19264774558")  # a phone the sheet has
    result = _import(store, SIGNUP_CSV)
    assert store.count(Contact) == 300
    merged_rosa = store.require(Contact, rosa.id)
    deleted = importing.undo(store, result)
    assert store.count(Contact) == 1 and store.count(Need) == 0 and store.count(DriverProfile) == 0
    assert store.require(Contact, rosa.id) == rosa
    importing.redo(store, result, deleted)
    assert store.count(Contact) == 300
    assert store.require(Contact, rosa.id) == merged_rosa
    assert store.count(Need) == len(result.added_needs)


def test_an_import_is_recorded_as_one_change_holding_only_the_merged_values(store):
    """What the window records: the households the sheet adds by their ids alone, the one
    it merges into with its values; undo, redo and undo again are exact."""
    rosa = _household(store, "Ana Cohen", "+19264774558")  # a phone the sheet has
    before = live_records(store)
    with store.recording("Import signup_form_export.csv", transaction=False) as change:
        result = _import(store, SIGNUP_CSV)
    imported = live_records(store)
    assert [r.id for r in change.rows] == [rosa.id]  # values held for the one merged into
    created = {f.table: len(f.ids) for f in change.flipped}
    assert created == {
        "contacts": result.rows_added,
        "needs": len(result.added_needs),
        "driver_profiles": len(result.added_drivers),
    }
    undone = change.undo(store)
    assert undone.kept == [] and live_records(store) == before
    redone = undone.inverse.undo(store)
    assert redone.kept == [] and live_records(store) == imported
    redone.inverse.undo(store)
    assert live_records(store) == before
    assert not store.search("Ødegaard")


# -- files that cannot be read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02\x03" * 100, "not a spreadsheet or a text file"),
        (b"\n\n \n", "is empty"),
    ],
)
def test_unreadable_files_are_one_sentence(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_table(path)


def test_a_sheet_without_a_name_column_says_which_to_choose(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", ["Colour", "Size"], [["red", "2"]])
    with pytest.raises(UserError, match="No column is mapped to the name"):
        importing.preview(store, read_table(path))


def test_a_zip_bomb_is_not_opened(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 600_000_000)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(UserError, match="unpacks to more than"):
        read_table(path)


def test_a_damaged_xlsx_is_one_sentence(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"junk" * 100)
    with pytest.raises(UserError, match=r"broken\.xlsx"):
        read_table(path)


def test_reading_does_not_change_the_database_file(db_path):
    Store.create(db_path, organizer="Rosa").close()
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with Store.open(db_path) as store:
        importing.preview(store, read_table(SIGNUP_CSV))
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest


def test_a_city_column_carrying_state_and_zip_fills_them(store, tmp_path):
    # A sheet without State or ZIP columns, where people typed them into the city.
    headers = ["Name", "Phone", "Street", "City"]
    rows = [
        ["Ana Ruiz", "713-555-0100", "77 Bayou Dr", "Houston TX 77002"],
        ["Bo Chen", "713-555-0101", "12 Oak St", "bellaire, tx"],
        ["Cy Ode", "713-555-0102", "9 Elm St", "Pasadena, TX, 77506"],
        ["Di Fox", "713-555-0103", "3 Pine St", "Fort Worth"],
        ["Ed Gil", "713-555-0104", "5 Ash St", "Sugar Land TX"],
    ]
    path = write_csv(tmp_path / "cities.csv", headers, rows)
    plan = importing.preview(store, read_table(path))
    importing.apply(store, plan)
    got = {c.name: c.address for c in store.select(Contact)}
    assert (got["Ana Ruiz"].city, got["Ana Ruiz"].region, got["Ana Ruiz"].postal_code) == (
        "Houston",
        "TX",
        "77002",
    )
    assert (got["Bo Chen"].city, got["Bo Chen"].region) == ("Bellaire", "TX")
    assert (got["Cy Ode"].city, got["Cy Ode"].postal_code) == ("Pasadena", "77506")
    assert (got["Di Fox"].city, got["Di Fox"].region) == ("Fort Worth", "")
    assert (got["Ed Gil"].city, got["Ed Gil"].region) == ("Sugar Land", "TX")
    # A ZIP that does not exist is still flagged, wherever it was typed.
    flagged = write_csv(
        tmp_path / "bad.csv", headers, [["Fay Hu", "713-555-0105", "1 A St", "Houston TX 00001"]]
    )
    [row] = importing.preview(store, read_table(flagged)).rows
    assert any("00001" in flag for flag in row.flags)


def test_the_summary_reads_as_a_sentence_for_one_and_for_none(store, tmp_path):
    path = write_csv(tmp_path / "one.csv", ["Name", "Phone"], [["Ana Ruiz", "713-555-0100"]])
    lines = _import(store, path).lines()
    assert lines[0] == "Added: 1 household (0 needs, 0 driver profiles)"
    assert lines[1] == "Merged: 0 rows into households already known"
    assert lines[3] == "Flagged for review: 0 rows"
    again = _import(store, path).lines()
    assert again[1] == "Merged: 1 row into a household already known (1 brought nothing new)"
