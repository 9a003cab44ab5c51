"""The fast path for North American numbers gives exactly what phonenumbers gives."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from mutualaid_desktop.domain import phones


def _slow(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if (
        phonenumbers.is_possible_number_with_reason(number)
        != phonenumbers.ValidationResult.IS_POSSIBLE
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _shapes(rng: random.Random) -> list[str]:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([7, 9, 10, 10, 10, 11])))
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return [
        digits,
        f"({a}) {b}-{c}",
        f"{a}-{b}-{c}",
        f"{a}.{b}.{c}",
        f"+1 {a} {b} {c}",
        f"1-{a}-{b}-{c}",
        f"+{digits}",
        f"+44 {digits}",
        f"{a}/{b}-{c}",
    ]


def test_the_fast_path_agrees_with_phonenumbers_on_every_shape():
    rng = random.Random(14)
    fast_hits = 0
    for _ in range(3000):
        for text in _shapes(rng):
            fast = phones._nanp_fast(text, "US")
            if fast is not None:
                fast_hits += 1
                assert fast == _slow(text), text
            try:
                ours = phones.to_e164(text)
            except ValueError:
                ours = None
            assert ours == _slow(text), text
    assert fast_hits > 5000  # the fast path is actually taken


@pytest.mark.parametrize(
    "text", ["+1 973 678 7207", "1-458-358-4506", "(367) 963-3342", "9089372866"]
)
def test_the_sign_up_sheets_shapes_take_the_fast_path(text):
    assert phones._nanp_fast(text, "US") is not None


def test_other_regions_and_letters_go_to_phonenumbers():
    assert phones._nanp_fast("020 7946 0958", "GB") is None
    assert phones._nanp_fast("1-800-FLOWERS", "US") is None
    assert phones._nanp_fast("٧١٣٥٥٥٠١٠٠", "US") is None  # Arabic-Indic digits
