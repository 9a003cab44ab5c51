"""Domain models: what an organizer types is cleaned, checked and explained in plain words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid_desktop.domain import (
    AvailabilityException,
    BoxItem,
    BoxType,
    Category,
    Contact,
    ContactKind,
    DietaryFlag,
    Need,
    NeedStatus,
    Organization,
    Phone,
    Recurrence,
    Ride,
    ShareScope,
    WeeklySlot,
    allowed_next_statuses,
    parse_model,
)
from mutualaid_desktop.domain.base import new_id
from mutualaid_desktop.domain.need import next_occurrence
from mutualaid_desktop.domain.packing import suggest_box_type
from mutualaid_desktop.domain.phones import display, to_e164
from mutualaid_desktop.errors import TransitionError, UserError, ValidationFailed

# -- contacts ---------------------------------------------------------------


def _problems(model: type, data: dict) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_model(model, data)
    assert isinstance(caught.value, UserError)  # shown plainly, never as a traceback
    return caught.value.problems


def _is_sentence(text: str) -> bool:
    """One plain sentence: starts with a capital (or a quoted value), ends with a full stop."""
    starts_well = text[:1].isupper() or text[:1] in '“"'
    return starts_well and text.endswith(".") and "\n" not in text and "Traceback" not in text


def test_name_padding_and_inner_runs_of_spaces_are_collapsed() -> None:
    contact = parse_model(Contact, {"name": "  JOSÉ \t  Ødegaard \n "})
    assert contact.name == "JOSÉ Ødegaard"


def test_blank_name_is_refused_with_a_sentence_naming_the_field() -> None:
    problems = _problems(Contact, {"name": "   "})
    assert list(problems) == ["name"]
    assert "Name" in problems["name"]
    assert _is_sentence(problems["name"])


@pytest.mark.parametrize(
    "written",
    ["(713) 555-0142", "713-555-0142", "713.555.0142", "+1 713 555 0142", "7135550142"],
)
def test_phone_is_normalized_to_e164_and_the_written_form_is_kept(written: str) -> None:
    contact = parse_model(Contact, {"name": "Ana", "phones": [{"original": written}]})
    phone = contact.phones[0]
    assert phone.e164 == "+17135550142"
    assert phone.original == written


def test_foreign_phone_with_country_code_keeps_its_country() -> None:
    assert Phone(original="+44 20 7946 0958").e164 == "+442079460958"
    assert Phone(original="+52 55 1234 5678").e164 == "+525512345678"


@pytest.mark.parametrize(
    ("written", "words"),
    [("call me", "not a phone number"), ("12", "too few or too many digits")],
)
def test_bad_phone_gives_a_plain_sentence_naming_the_problem(written: str, words: str) -> None:
    problems = _problems(Contact, {"name": "Ana", "phones": [{"original": written}]})
    assert list(problems) == ["phones"]
    sentence = problems["phones"]
    assert written in sentence  # the organizer sees which number is wrong
    assert words in sentence
    assert _is_sentence(sentence)


def test_empty_phone_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        to_e164("   ")


def test_local_number_without_area_code_is_refused() -> None:
    with pytest.raises(ValueError, match="area code"):
        to_e164("555-0142")


_area = st.integers(200, 999).map(str)
_exchange = st.integers(200, 999).map(str)
_line = st.integers(0, 9999).map(lambda n: f"{n:04d}")
_styles = st.sampled_from(
    [
        "({a}) {e}-{l}",
        "{a}-{e}-{l}",
        "{a}.{e}.{l}",
        "+1 {a} {e} {l}",
        "1 {a} {e} {l}",
        "{a}{e}{l}",
        " ({a}){e}-{l} ",
    ]
)


@settings(max_examples=80, deadline=None)
@given(area=_area, exchange=_exchange, line=_line, style=_styles)
def test_us_phone_normalization_round_trip(area: str, exchange: str, line: str, style: str) -> None:
    written = style.format(a=area, e=exchange, l=line)
    e164 = to_e164(written)
    assert e164 == f"+1{area}{exchange}{line}"
    # Normalizing again, or normalizing what the program displays, changes nothing.
    assert to_e164(e164) == e164
    assert to_e164(display(e164)) == e164
    assert Phone(original=written).original == written.strip()


def test_email_is_checked_and_the_sentence_quotes_it() -> None:
    assert parse_model(Contact, {"name": "Ana", "email": "ana@example.org"}).email
    problems = _problems(Contact, {"name": "Ana", "email": "ana@"})
    assert list(problems) == ["email"]
    assert "ana@" in problems["email"]
    assert "email" in problems["email"]
    assert _is_sentence(problems["email"])


def test_household_with_nobody_in_it_is_refused_and_blamed_on_adults() -> None:
    problems = _problems(Contact, {"name": "Ana", "adults": 0, "children": 0, "seniors": 0})
    assert list(problems) == ["adults"]
    assert "at least one person" in problems["adults"]
    assert _is_sentence(problems["adults"])


def test_household_of_children_only_or_a_single_person_record_is_fine() -> None:
    assert parse_model(Contact, {"name": "Ana", "adults": 0, "children": 2}).household_size == 2
    person = parse_model(Contact, {"name": "Ana", "kind": "person", "adults": 0})
    assert person.kind is ContactKind.PERSON


def test_sharing_with_the_group_needs_the_date_of_consent() -> None:
    problems = _problems(Contact, {"name": "Ana", "share_scope": "group"})
    assert list(problems) == ["consent_at"]
    assert "consent" in problems["consent_at"]
    shared = parse_model(
        Contact,
        {"name": "Ana", "share_scope": "group", "consent_at": "2026-11-01T10:00:00Z"},
    )
    assert shared.share_scope is ShareScope.GROUP


def test_several_problems_are_all_reported_each_under_its_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_model(Contact, {"name": "Ana", "email": "x", "children": -1})
    assert set(caught.value.problems) == {"email", "children"}
    assert "1 more problem" in str(caught.value)


def test_tags_and_languages_lose_blanks_and_duplicates() -> None:
    contact = parse_model(
        Contact,
        {"name": "Ana", "tags": [" north", "north", "", "weekend"], "languages": ["es", "es"]},
    )
    assert contact.tags == ["north", "weekend"]
    assert contact.languages == ["es"]


def test_household_code_is_stable_and_avoids_confusable_letters() -> None:
    contact = Contact(name="Ana")
    assert contact.code == Contact(id=contact.id, name="Someone else").code
    assert contact.code.startswith("H-") and len(contact.code) == 7
    assert not set(contact.code[2:]) & set("0O1I2Z5S8B")


# -- organization -------------------------------------------------------------


def test_organization_support_phone_is_normalized() -> None:
    org = parse_model(Organization, {"name": "Eastside", "support_phone": "(713) 555-0142"})
    assert org.support_phone == "+17135550142"
    problems = _problems(Organization, {"name": "Eastside", "support_phone": "not a number"})
    assert list(problems) == ["support_phone"]


# -- needs ----------------------------------------------------------------------

ALLOWED = {
    NeedStatus.NEW: {
        NeedStatus.SCHEDULED,
        NeedStatus.FULFILLED,
        NeedStatus.UNMET,
        NeedStatus.CANCELLED,
    },
    NeedStatus.SCHEDULED: {
        NeedStatus.FULFILLED,
        NeedStatus.UNMET,
        NeedStatus.NEW,
        NeedStatus.CANCELLED,
    },
    NeedStatus.UNMET: {NeedStatus.NEW, NeedStatus.SCHEDULED, NeedStatus.CANCELLED},
    NeedStatus.CANCELLED: {NeedStatus.NEW},
    NeedStatus.FULFILLED: set(),
}


def _need(status: NeedStatus) -> Need:
    return Need(contact_id="c", category=Category.GROCERIES, status=status)


@pytest.mark.parametrize("current", list(NeedStatus))
def test_allowed_next_statuses_match_the_workflow(current: NeedStatus) -> None:
    assert set(allowed_next_statuses(current)) == ALLOWED[current]


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c, targets in ALLOWED.items() for t in targets],
)
def test_allowed_transition_moves_the_need_and_stamps_the_time(
    current: NeedStatus, target: NeedStatus
) -> None:
    need = _need(current)
    when = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
    moved = need.moved_to(target, when)
    assert moved.status is target
    assert moved.status_changed_at == when
    assert need.status is current  # the original is untouched


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in NeedStatus for t in NeedStatus if t != c and t not in ALLOWED[c]],
)
def test_forbidden_transition_is_refused_with_a_sentence(
    current: NeedStatus, target: NeedStatus
) -> None:
    with pytest.raises(TransitionError) as caught:
        _need(current).moved_to(target)
    sentence = str(caught.value)
    assert current.label.lower() in sentence
    assert target.label.lower() in sentence
    assert _is_sentence(sentence)


def test_fulfilled_is_terminal() -> None:
    assert allowed_next_statuses(NeedStatus.FULFILLED) == ()
    done = _need(NeedStatus.FULFILLED)
    for target in NeedStatus:
        if target is not NeedStatus.FULFILLED:
            with pytest.raises(TransitionError, match="nothing"):
                done.moved_to(target)


def test_overdue_only_while_open() -> None:
    today = date(2026, 11, 27)
    late = _need(NeedStatus.NEW).model_copy(update={"needed_by": date(2026, 11, 20)})
    assert late.is_overdue(today)
    assert not late.moved_to(NeedStatus.FULFILLED).is_overdue(today)


@pytest.mark.parametrize(
    ("recurrence", "after", "expected"),
    [
        (Recurrence.NONE, date(2026, 11, 27), None),
        (Recurrence.WEEKLY, date(2026, 11, 27), date(2026, 12, 4)),
        (Recurrence.BIWEEKLY, date(2026, 12, 25), date(2027, 1, 8)),
        (Recurrence.MONTHLY, date(2026, 12, 15), date(2027, 1, 15)),
        (Recurrence.MONTHLY, date(2027, 1, 31), date(2027, 2, 28)),  # no 31 February
    ],
)
def test_next_occurrence_of_a_recurring_need(
    recurrence: Recurrence, after: date, expected: date | None
) -> None:
    need = _need(NeedStatus.SCHEDULED).model_copy(update={"recurrence": recurrence})
    assert next_occurrence(need, after) == expected


# -- boxes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "per_person", "size", "expected"),
    [
        (1, 0, 6, 1),  # a fixed item
        (1, 0.5, 1, 1),  # one person: the base amount
        (1, 0.5, 4, 3),  # 1 + 1.5 -> rounded up to whole units
        (2, 1, 3, 4),  # exact amounts are not bumped up by float noise
        (1, 0.5, 0, 1),  # an empty size still packs for one person
        (0.1, 0.1, 3, 1),
    ],
)
def test_box_item_quantity_scales_with_household_size(
    base: float, per_person: float, size: int, expected: int
) -> None:
    line = BoxItem(box_type_id="b", item_id="i", qty_base=base, qty_per_person=per_person)
    assert line.quantity_for(size) == expected


def test_box_item_quantity_never_shrinks_for_a_bigger_household() -> None:
    line = BoxItem(box_type_id="b", item_id="i", qty_base=1, qty_per_person=0.34)
    amounts = [line.quantity_for(n) for n in range(1, 15)]
    assert amounts == sorted(amounts)


STANDARD = BoxType(name="Standard", sort_order=0)
HALAL = BoxType(name="Halal", suits=[DietaryFlag.HALAL, DietaryFlag.NO_PORK], sort_order=1)
VEG = BoxType(name="Vegetarian", suits=[DietaryFlag.VEGETARIAN, DietaryFlag.NO_PORK], sort_order=2)
BABY = BoxType(name="Baby", suits=[DietaryFlag.BABY_FORMULA], sort_order=3)
BOXES = [BABY, VEG, STANDARD, HALAL]  # deliberately not in sort order


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], STANDARD),
        ([DietaryFlag.GLUTEN_FREE], STANDARD),  # nothing fits: the plain box
        ([DietaryFlag.HALAL], HALAL),
        ([DietaryFlag.VEGETARIAN], VEG),
        ([DietaryFlag.BABY_FORMULA, DietaryFlag.DIABETIC], BABY),
        ([DietaryFlag.NO_PORK], HALAL),  # a tie goes to the lower sort order
        ([DietaryFlag.VEGETARIAN, DietaryFlag.NO_PORK], VEG),  # most flags covered wins
    ],
)
def test_suggest_box_type(flags: list[DietaryFlag], expected: BoxType) -> None:
    assert suggest_box_type(flags, BOXES) == expected


def test_suggest_box_type_without_box_types() -> None:
    assert suggest_box_type([DietaryFlag.HALAL], []) is None


# -- rides and availability -----------------------------------------------------


def test_weekly_slot_must_not_be_empty_but_may_run_past_midnight() -> None:
    problems = _problems(WeeklySlot, {"weekday": 2, "start": "09:00", "end": "09:00"})
    assert list(problems) == ["end"]
    night = parse_model(WeeklySlot, {"weekday": 4, "start": "22:00", "end": "02:00"})
    assert night.end == time(2)


def test_weekly_slot_weekday_is_monday_to_sunday() -> None:
    assert "weekday" in _problems(WeeklySlot, {"weekday": 7, "start": "09:00", "end": "12:00"})


def test_extra_available_date_needs_a_window_but_a_day_off_does_not() -> None:
    problems = _problems(AvailabilityException, {"date": "2026-12-01", "available": True})
    assert list(problems) == ["start"]
    day_off = parse_model(AvailabilityException, {"date": "2026-12-01"})
    assert day_off.available is False
    assert day_off.date == date(2026, 12, 1)


RIDE = {
    "rider_id": "r",
    "pickup_address": "1200 Main St",
    "destination": "Ben Taub Hospital",
    "pickup_at": "2026-12-01T10:00:00",
}


def test_appointment_before_pickup_is_refused() -> None:
    problems = _problems(Ride, RIDE | {"appointment_at": "2026-12-01T09:30:00"})
    assert list(problems) == ["appointment_at"]
    assert "before the pickup" in problems["appointment_at"]
    ride = parse_model(Ride, RIDE | {"appointment_at": "2026-12-01T10:45:00"})
    assert ride.appointment_at == datetime(2026, 12, 1, 10, 45)


def test_return_trip_picks_up_after_the_appointment() -> None:
    back = parse_model(
        Ride, RIDE | {"appointment_at": "2026-12-01T09:30:00", "outbound_ride_id": "out"}
    )
    assert back.outbound_ride_id == "out"


def test_ride_needs_where_from_and_where_to() -> None:
    problems = _problems(Ride, RIDE | {"pickup_address": " ", "destination": ""})
    assert set(problems) == {"pickup_address", "destination"}
    assert all(_is_sentence(p) for p in problems.values())


def test_category_choice_lists_the_allowed_values() -> None:
    problems = _problems(Need, {"contact_id": "c", "category": "snacks"})
    # By the names the organizer picks from, not the stored codes.
    assert "Groceries, Hot meals" in problems["category"]
    assert "hot_meals" not in problems["category"]


def test_messages_use_words_a_volunteer_uses() -> None:
    long_text = "Dog in yard. " * 400
    problems = _problems(
        Need,
        {"contact_id": new_id(), "category": "groceries", "description": long_text},
    )
    sentence = problems["description"]
    assert sentence == (
        "Description is too long: at most 2,000 characters; shorten it or split it."
    )
    problems = _problems(Contact, {"name": "Ana", "adults": "lots", "kind": "alien"})
    assert problems["adults"] == "Adults must be a whole number."
    assert problems["kind"] == "Kind must be one of: Household, Person."
    problems = _problems(Contact, {"name": "Ana", "address": {"postal_code": 77036}})
    assert problems["address.postal_code"] == "ZIP / postal code must be text."
    for sentence in problems.values():
        # Never pydantic's wording, an internal code, or the rejected value.
        assert "should" not in sentence and "_" not in sentence and "77036" not in sentence
