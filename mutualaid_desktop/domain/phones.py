"""Phone numbers: normalized to E.164 for matching and dialling, original text kept."""

from __future__ import annotations

import re

# phonenumbers is imported on first use: its metadata costs start-up time and
# the window's first screen needs no parsing.

# The region assumed for numbers written without a country code; the
# organization profile sets it (most groups work in one country).
DEFAULT_REGION = "US"


_NANP = {"US", "CA"}


def set_default_region(region: str) -> None:
    global DEFAULT_REGION
    DEFAULT_REGION = region.upper()


_NANP_WRITTEN = re.compile(r"[0-9 ().+/-]+")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _nanp_fast(cleaned: str, region: str) -> str | None:
    """A North American number written with digits and the usual punctuation, as E.164.

    The same answer phonenumbers gives ("possible" is a matter of length there),
    a hundred times faster: an import of 20,000 rows parses 20,000 numbers.
    """
    if region not in _NANP or not _NANP_WRITTEN.fullmatch(cleaned):
        return None
    number = _NOT_DIGIT.sub("", cleaned)
    if cleaned.startswith("+") and not number.startswith("1"):
        return None  # another country's code
    if len(number) == 11 and number[0] == "1":
        number = number[1:]
    if len(number) != 10 or number[0] in "01" or number[3] in "01":
        return None  # let phonenumbers judge (and word the reason)
    return "+1" + number


def to_e164(text: str, region: str | None = None) -> str:
    """The E.164 form of `text`, or ValueError with a sentence saying what is wrong."""
    cleaned = text.strip()
    fast = _nanp_fast(cleaned, (region or DEFAULT_REGION).upper())
    if fast is not None:
        return fast
    import phonenumbers

    if not cleaned:
        raise ValueError("the phone number is empty")
    try:
        number = phonenumbers.parse(cleaned, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError(f"“{cleaned}” is not a phone number; check the digits") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        raise ValueError(f"“{cleaned}” lacks its area code; write the number in full")
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValueError(f"“{cleaned}” has too few or too many digits for a phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """A number formatted the way people in its country write it."""
    if DEFAULT_REGION in _NANP and len(e164) == 12 and e164.startswith("+1"):
        # Fast path for the common case (tables format thousands of these).
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(number)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def digit_keys(e164: str) -> list[str]:
    """Digit strings a person might type to find this number (full, national, last 7, last 4)."""
    digits = e164.lstrip("+")
    keys = [digits]
    if e164.startswith("+1") and len(e164) == 12:
        national = e164[2:]  # North America: skip the parser, this runs per row when indexing
        for key in (national, national[-7:], national[-4:]):
            if key not in keys:
                keys.append(key)
        return keys
    import phonenumbers

    try:
        national = str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        national = digits
    for key in (national, national[-7:], national[-4:]):
        if key and key not in keys:
            keys.append(key)
    return keys
