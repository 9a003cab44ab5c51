"""Reading organizers' cells and headings, in English and Spanish."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mutualaid_desktop.domain.enums import Category, Urgency
from mutualaid_desktop.exchange import cells
from mutualaid_desktop.exchange.columns import (
    Field,
    guess_field,
    header_key,
    parse_field,
    propose_mapping,
    remember_mapping,
    remembered_mapping,
)


@pytest.mark.parametrize(
    ("text", "adults", "children", "seniors"),
    [
        ("7", 7, 0, 0),
        ("7 people", 7, 0, 0),
        ("1 adults 5 kids", 1, 5, 0),
        ("3 adults 0 kids", 3, 0, 0),
        ("one", 1, 0, 0),
        ("2 adultos y 3 niños", 2, 3, 0),
        ("cinco personas", 5, 0, 0),
        ("familia de 4", 4, 0, 0),
        ("5 (2 adults, 3 children)", 2, 3, 0),
        ("2 adults, 1 senior", 2, 0, 1),
        ("1 adulto mayor y 2 nietos", 0, 2, 1),
        ("Just me", 1, 0, 0),
    ],
)
def test_household_sizes(text, adults, children, seniors):
    size = cells.read_household_size(text)
    assert (size.adults, size.children, size.seniors) == (adults, children, seniors)


@pytest.mark.parametrize("text", ["a lot", "0 adults 0 kids", "99 people", ""])
def test_sizes_that_cannot_be_used_say_why(text):
    with pytest.raises(cells.CellError):
        cells.read_household_size(text)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Groceries; Medicine pickup", [Category.GROCERIES, Category.MEDICATION_PICKUP]),
        ("Groceries, Diapers", [Category.GROCERIES, Category.BABY_SUPPLIES]),
        ("Diapers (size 4, 5)", [Category.BABY_SUPPLIES]),
        ("Comida y medicinas", [Category.GROCERIES, Category.MEDICATION_PICKUP]),
        ("Ride to clinic", [Category.RIDE]),
        ("Rent help / utilities", [Category.CASH_RENT, Category.CASH_RENT]),
        ("Pañales", [Category.BABY_SUPPLIES]),
        ("Other: winter coats", [Category.OTHER]),
        ("Winter coats", [Category.OTHER]),
        ("Hot meals", [Category.HOT_MEALS]),
        ("none", []),
        ("Groceries; groceries", [Category.GROCERIES]),
    ],
)
def test_several_needs_in_one_cell(text, wanted):
    assert [n.category for n in cells.read_needs(text)] == wanted


def test_needs_keep_the_words_as_written():
    assert [n.text for n in cells.read_needs("Diapers (size 4); Baby formula")] == [
        "Diapers (size 4)",
        "Baby formula",
    ]


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("ASAP!!", Urgency.TODAY),
        ("Urgente", Urgency.TODAY),
        ("hoy", Urgency.TODAY),
        ("1-2 days", Urgency.SOON),
        ("mañana", Urgency.SOON),
        ("This week", Urgency.THIS_WEEK),
        ("esta semana", Urgency.THIS_WEEK),
        ("Anytime", Urgency.ANYTIME),
        ("not urgent", Urgency.ANYTIME),
        ("", Urgency.ANYTIME),
    ],
)
def test_urgency(text, urgency):
    assert cells.read_urgency(text) is urgency


def test_an_unknown_urgency_is_a_sentence():
    with pytest.raises(cells.CellError, match="set to Anytime"):
        cells.read_urgency("blue")


@pytest.mark.parametrize(
    "text", ["Yes", "yes", "Sí", "si", "x", "TRUE", "checked", "✓", "Yes, 2 seats"]
)
def test_yes(text):
    assert cells.read_yes_no(text) is True


@pytest.mark.parametrize("text", ["No", "no", "", "FALSE", "unchecked", "prefer not to say"])
def test_no(text):
    assert cells.read_yes_no(text) is False


def test_neither_yes_nor_no():
    with pytest.raises(cells.CellError):
        cells.read_yes_no("maybe later")


@pytest.mark.parametrize(
    ("text", "seats"),
    [("Yes, 2 seats", 2), ("Yes - 4 seats", 4), ("Sí, 3 asientos", 3), ("Yes", None)],
)
def test_seats(text, seats):
    assert cells.read_seats(text) == seats


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "123 Main St Apt 4, Houston, TX 77036",
            ("123 Main St", "Apt 4", "Houston", "TX", "77036"),
        ),
        (
            "77 Bayou Dr #12, Houston, TX 77036-1234",
            ("77 Bayou Dr", "#12", "Houston", "TX", "77036-1234"),
        ),
        ("9 Elm St, Unit 2, Pasadena, TX 77506", ("9 Elm St", "Unit 2", "Pasadena", "TX", "77506")),
        ("9 Elm St", ("9 Elm St", "", "", "", "")),
        ("5 Oak Ave, Bellaire 77401", ("5 Oak Ave", "", "Bellaire 77401", "", "")),
    ],
)
def test_one_line_addresses(text, parts):
    got = cells.read_address(text)
    assert (got.street, got.unit, got.city, got.state, got.postal_code) == parts


@pytest.mark.parametrize(
    ("text", "zip_code"),
    [("77022-0000", "77022"), ("77022", "77022"), ("2139", "02139"), ("SW1A 1AA", "SW1A 1AA")],
)
def test_zips(text, zip_code):
    assert cells.read_zip(text) == zip_code


def test_cities_typed_in_one_case_are_tidied_and_others_kept():
    assert cells.tidy_city("houston") == "Houston"
    assert cells.tidy_city("HOUSTON") == "Houston"
    assert cells.tidy_city("McAllen") == "McAllen"


def test_timestamps(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        assert cells.read_timestamp("11/3/2026 19:10:29") == datetime(
            2026, 11, 3, 19, 10, 29, tzinfo=UTC
        )
        assert cells.read_timestamp("3/11/2026 7:10 pm", day_first=True) == datetime(
            2026, 11, 3, 19, 10, tzinfo=UTC
        )
        assert cells.read_timestamp("2026-11-03T19:10:29.000Z") == datetime(
            2026, 11, 3, 19, 10, 29, tzinfo=UTC
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert cells.dates_are_day_first(["3/11/2026", "25/11/2026"])
    assert not cells.dates_are_day_first(["11/3/2026", "11/25/2026"])
    with pytest.raises(cells.CellError):
        cells.read_timestamp("last Tuesday")


# -- headings ------------------------------------------------------------------------------

HEADINGS = {
    "Timestamp": Field.SUBMITTED_AT,
    "Marca temporal": Field.SUBMITTED_AT,
    "Full name": Field.NAME,
    "Nombre completo": Field.NAME,
    "Phone number": Field.PHONE,
    "Teléfono": Field.PHONE,
    "Cell": Field.PHONE,
    "Celular": Field.PHONE,
    "Telefone": Field.PHONE,  # a slip
    "Email (optional)": Field.EMAIL,
    "Correo electrónico": Field.EMAIL,
    "Street address": Field.STREET,
    "Dirección": Field.ADDRESS,
    "Adress": Field.ADDRESS,  # a slip
    "Apt / Unit": Field.UNIT,
    "Apto": Field.UNIT,
    "Código postal": Field.ZIP,
    "How many people in your household?": Field.HOUSEHOLD_SIZE,
    "¿Cuántas personas viven en su hogar?": Field.HOUSEHOLD_SIZE,
    "What do you need?": Field.NEEDS,
    "¿Qué necesita?": Field.NEEDS,
    "How urgent?": Field.URGENCY,
    "Dietary restrictions or allergies": Field.DIET,
    "Alergias": Field.DIET,
    "Preferred language": Field.LANGUAGES,
    "Idioma preferido": Field.LANGUAGES,
    "Anything else we should know? (delivery notes)": Field.DELIVERY_NOTES,
    "Comentarios": Field.NOTES,
    "Can we share your info with other volunteers in the network?": Field.CONSENT,
    "¿Podemos compartir su información?": Field.CONSENT,
    "Do you have a car / can you drive others?": Field.CAN_DRIVE,
    "¿Puede manejar?": Field.CAN_DRIVE,
    "First Name": Field.FIRST_NAME,
    "Apellido": Field.LAST_NAME,
    "Favourite colour": Field.IGNORE,
}


@pytest.mark.parametrize(("heading", "field"), list(HEADINGS.items()))
def test_headings_in_english_and_spanish(heading, field):
    assert guess_field(heading).field is field


def test_a_column_without_a_known_heading_is_read_from_its_values():
    mapping = propose_mapping(
        ["Who", "Col B", "Col C"],
        [["Ana", "Ben", "Cy"], ["(713) 555-0100", "832.555.0199", "2815550123"], ["a", "b", "c"]],
    )
    assert mapping == [Field.IGNORE, Field.PHONE, Field.IGNORE]


def test_one_field_goes_to_one_column_except_those_that_take_several():
    mapping = propose_mapping(["Name", "Nombre", "Phone", "Cell"], [[], [], [], []])
    assert mapping.count(Field.NAME) == 1
    assert mapping[2:] == [Field.PHONE, Field.PHONE]


def test_fields_from_the_command_line():
    assert parse_field("phone") is Field.PHONE
    assert parse_field("ZIP code") is Field.ZIP
    assert parse_field("ignore") is Field.IGNORE
    with pytest.raises(ValueError):
        parse_field("shoe size")


def test_a_mapping_is_remembered_for_the_same_headings_only(memory_store):
    headers = ["Full name", "Phone number"]
    assert remembered_mapping(memory_store, headers) is None
    remember_mapping(memory_store, headers, [Field.NAME, Field.IGNORE])
    assert remembered_mapping(memory_store, ["FULL NAME", "phone number"]) == [
        Field.NAME,
        Field.IGNORE,
    ]
    assert remembered_mapping(memory_store, ["Full name", "Phone"]) is None
    assert header_key(headers) != header_key(list(reversed(headers)))
