"""Reading what organizers and sign-up forms put in a cell, in English and Spanish.

Each reader takes the cell's text and returns what it means, raising
`CellError` with one sentence when it cannot tell; the importer turns that
into a flag on the row and keeps the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from mutualaid_desktop.domain.allergens import fold
from mutualaid_desktop.domain.enums import Category, Urgency
from mutualaid_desktop.i18n import _


class CellError(ValueError):
    """A cell whose meaning is unclear; the message is one sentence for the organizer."""


# -- household size ------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "cero": 0,
    "ningun": 0,
    "ninguno": 0,
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "just me": 1,
    "solo yo": 1,
    "me": 1,
    "yo": 1,
}
_ADULT = re.compile(r"^(adults?|grown ?ups?|adultos?|mayores de edad)$")
_CHILD = re.compile(
    r"^(kids?|child|children|grandchildren|minors?|babies|baby|ninos?|ninas?|hijos?|hijas?|"
    r"nietos?|nietas?|menores?|bebes?)$"
)
_SENIOR = re.compile(
    r"^(seniors?|elders?|elderly|over 65|ancianos?|adultos? mayor(es)?|abuel[oa]s?)$"
)


@dataclass(frozen=True)
class Size:
    adults: int
    children: int = 0
    seniors: int = 0

    @property
    def total(self) -> int:
        return self.adults + self.children + self.seniors


@lru_cache(maxsize=4096)
def read_household_size(text: str) -> Size:
    """ "7 people", "1 adults 5 kids", "2 adultos y 3 niños", "one", "4" as a Size."""
    folded = fold(text)
    if not folded:
        raise CellError(_("the household size is empty"))
    if folded in _NUMBER_WORDS:
        return _checked(Size(_NUMBER_WORDS[folded]), text)
    counts = {"adults": 0, "children": 0, "seniors": 0, "total": 0}
    found = False
    tokens = folded.replace(" y ", " ").replace(" and ", " ").split()
    i = 0
    while i < len(tokens):
        number = _number(tokens[i])
        if number is None:
            i += 1
            continue
        found = True
        word = tokens[i + 1] if i + 1 < len(tokens) else ""
        two = f"{word} {tokens[i + 2]}" if i + 2 < len(tokens) else word
        if _SENIOR.match(two):
            counts["seniors"] += number
            i += 3
            continue
        if _SENIOR.match(word):
            counts["seniors"] += number
        elif _ADULT.match(word):
            counts["adults"] += number
        elif _CHILD.match(word):
            counts["children"] += number
        else:
            # "7 people", "7 personas", "familia de 7", a bare number: the whole household.
            counts["total"] = max(counts["total"], number)
            i += 1
            continue
        i += 2
    if not found:
        raise CellError(
            _("“{text}” is not a household size; write a number of people").format(text=text)
        )
    parts = counts["adults"] + counts["children"] + counts["seniors"]
    if parts:
        # "5 (2 adults, 3 kids)": the parts say more than the total.
        extra = max(counts["total"] - parts, 0)
        return _checked(Size(counts["adults"] + extra, counts["children"], counts["seniors"]), text)
    return _checked(Size(counts["total"]), text)


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token) if token not in ("no", "me", "yo", "un") else None


def _checked(size: Size, text: str) -> Size:
    if size.total == 0:
        raise CellError(_("“{text}” counts nobody in the household").format(text=text))
    if max(size.adults, size.children, size.seniors) > 50:
        raise CellError(_("“{text}” is more people than one household holds").format(text=text))
    return size


# -- needs -----------------------------------------------------------------------

# Folded keywords naming each kind of need; the first match wins, in this order.
_CATEGORY_WORDS: tuple[tuple[Category, str], ...] = (
    (
        Category.MEDICATION_PICKUP,
        r"medicines?|medications?|medicinas?|medicamentos?|pharmacy|farmacia|"
        r"prescriptions?|recetas?|meds",
    ),
    (Category.RIDE, r"rides?|transport|transportation|transporte|aventon|lift|viajes?"),
    (Category.HOT_MEALS, r"hot meals?|meals?|cooked|comidas? calientes?|comida preparada"),
    (Category.BABY_SUPPLIES, r"diapers?|nappies|panal(es)?|formula|baby|bebes?|wipes|toallitas"),
    (
        Category.HYGIENE,
        r"hygiene|higiene|soap|jabon|toiletries|menstrual|pads|toalla sanitaria|"
        r"toilet paper|papel higienico|shampoo|champu",
    ),
    (
        Category.CASH_RENT,
        r"rent|renta|alquiler|cash|money|dinero|bills?|utilities|utility|"
        r"pago|facturas?|luz|electricity",
    ),
    (
        Category.HOUSEHOLD_GOODS,
        r"household goods|furniture|muebles|blankets?|cobijas?|mantas?|"
        r"cleaning|limpieza|kitchen|cocina|beds?|camas?|clothes|clothing|ropa",
    ),
    (
        Category.GROCERIES,
        r"groceries|grocery|food|comida|despensa|mercado|viveres|alimentos?|"
        r"pantry|produce|food box|caja de comida",
    ),
)


@lru_cache(maxsize=1)
def _category_patterns() -> tuple[tuple[Category, re.Pattern[str]], ...]:
    return tuple((c, re.compile(rf"\b(?:{p})\b")) for c, p in _CATEGORY_WORDS)


@dataclass(frozen=True)
class NeedText:
    category: Category
    text: str  # as written: "Diapers (size 4)"


def read_needs(text: str) -> list[NeedText]:
    """ "Groceries; Medicine pickup" → two needs. A part naming no known kind is "other"."""
    return list(_read_needs(text))


@lru_cache(maxsize=4096)
def _read_needs(text: str) -> tuple[NeedText, ...]:
    out: list[NeedText] = []
    for raw in _split_keeping_brackets(text):
        written = " ".join(raw.split()).strip(" .-:")
        if not written or fold(written) in ("none", "nothing", "n a", "nada", "ninguna", "ninguno"):
            continue
        category = read_category(written)
        if any(n.category is category and fold(n.text) == fold(written) for n in out):
            continue
        out.append(NeedText(category, written))
    return tuple(out)


def read_category(text: str) -> Category:
    folded = fold(text)
    if folded.startswith("other") or folded.startswith("otro"):
        return Category.OTHER
    for category, pattern in _category_patterns():
        if pattern.search(folded):
            return category
    return Category.OTHER


_AND = re.compile(r"\s(?:and|y)\s", re.IGNORECASE)
_NEED_SEPARATORS = re.compile(r"[;,/\n+&]")


def _split_keeping_brackets(text: str) -> list[str]:
    # "Diapers (size 4, 5)" stays one need: split only outside brackets.
    if "(" not in text:
        return [p for part in _NEED_SEPARATORS.split(text) for p in _AND.split(part)]
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in ";,/\n+&":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        out.extend(_AND.split(part))
    return out


# -- urgency ---------------------------------------------------------------------

_URGENCY_WORDS: tuple[tuple[Urgency, str], ...] = (
    (
        Urgency.ANYTIME,
        r"anytime|any time|whenever|no rush|not urgent|cuando sea|cuando pueda|"
        r"sin prisa|no urgente|cualquier momento|flexible",
    ),
    (
        Urgency.TODAY,
        r"today|hoy|asap|urgent|urgente|emergency|emergencia|now|ahora|ya|"
        r"immediately|inmediato|right away|lo antes posible",
    ),
    (
        Urgency.SOON,
        r"1 2 days?|1 2 dias?|2 days?|2 dias|tomorrow|manana|soon|pronto|"
        r"24 hours|48 hours|24 horas|48 horas|a couple of days|un par de dias",
    ),
    (Urgency.THIS_WEEK, r"this week|esta semana|week|semana|few days|unos dias|7 days|7 dias"),
)


@lru_cache(maxsize=1)
def _urgency_patterns() -> tuple[tuple[Urgency, re.Pattern[str]], ...]:
    return tuple((u, re.compile(rf"\b(?:{p})\b")) for u, p in _URGENCY_WORDS)


@lru_cache(maxsize=1024)
def read_urgency(text: str) -> Urgency:
    folded = fold(text)
    if not folded:
        return Urgency.ANYTIME
    for urgency, pattern in _urgency_patterns():
        if pattern.search(folded):
            return urgency
    raise CellError(
        _("“{text}” is not an urgency this program knows; set to Anytime").format(text=text)
    )


# -- yes / no ----------------------------------------------------------------------

_YES = re.compile(
    r"^(yes|y|yeah|yep|sure|ok|okay|true|x|checked|1|si|claro|de acuerdo|acepto|i agree|agree)\b"
)
_NO = re.compile(r"^(no|n|nope|false|0|unchecked|not|never|nunca|prefer not)\b")


def read_yes_no(text: str) -> bool:
    """A checkbox or a yes/no answer; empty is no. ✓ and ✔ are yes."""
    stripped = text.strip()
    if stripped in ("✓", "✔", "☑", "☒"):
        return True
    folded = fold(stripped)
    if not folded:
        return False
    if _YES.match(folded):
        return True
    if _NO.match(folded):
        return False
    raise CellError(_("“{text}” is not a yes or a no").format(text=text))


def read_seats(text: str) -> int | None:
    """The seats a driver offers: "Yes, 2 seats" → 2; none named (or too many) → None."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    return numbers[0] if numbers and 1 <= numbers[0] <= 15 else None


# -- addresses ---------------------------------------------------------------------

_ZIP = re.compile(r"^(\d{5})(?:-(\d{4}))?$")
_STATE_ZIP = re.compile(r"^(?:([A-Za-z]{2})\s+)?(\d{5}(?:-\d{4})?)$")
_UNIT = re.compile(r"^(apt|apartment|unit|suite|ste|#|apto|depto|no)\b\.?\s*\S*", re.IGNORECASE)
_UNIT_AT_END = re.compile(
    r"\s*,?\s+((?:apt|apartment|unit|suite|ste|apto|depto)\.?\s*\S+|#\s*\S+)$", re.IGNORECASE
)


def read_zip(text: str) -> str:
    """A US ZIP, with a placeholder "-0000" dropped; other postal codes as written."""
    cleaned = text.strip()
    match = _ZIP.match(cleaned)
    if match:
        plus4 = match.group(2)
        return match.group(1) if plus4 in (None, "0000") else cleaned
    if cleaned.isdigit() and len(cleaned) == 4:
        return "0" + cleaned  # a spreadsheet ate the leading zero (New England)
    return cleaned


@dataclass(frozen=True)
class AddressParts:
    street: str = ""
    unit: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""


def read_address(text: str) -> AddressParts:
    """ "123 Main St Apt 4, Houston, TX 77036" in parts; what cannot be placed is the street."""
    parts = [p.strip() for p in re.split(r",|\n", text) if p.strip()]
    if not parts:
        return AddressParts()
    state = postal = city = unit = ""
    last = parts[-1]
    match = _STATE_ZIP.match(last)
    if match:
        state, postal = (match.group(1) or "").upper(), read_zip(match.group(2))
        parts.pop()
    elif re.fullmatch(r"[A-Za-z]{2}", last) and len(parts) > 2:
        state = last.upper()
        parts.pop()
    if len(parts) >= 2:
        city = parts.pop()
    if len(parts) >= 2 and _UNIT.match(parts[-1]):
        unit = parts.pop()
    street = ", ".join(parts)
    if not unit:
        found = _UNIT_AT_END.search(street)
        if found:
            unit = found.group(1)
            street = street[: found.start()]
    return AddressParts(street.strip(), unit.strip(), city, state, postal)


# The postal abbreviations of the states, DC and the territories: a two-letter word at
# the end of a city cell is split off only when it is one of them ("Houston, TX").
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "  # noqa: SIM905
    "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split()
)
_CITY_ZIP = re.compile(r"^(.*?[^\s,])[\s,]+(?:([A-Za-z]{2})\.?[\s,]+)?(\d{5}(?:-\d{4})?)$")
_CITY_STATE = re.compile(r"^(.*?[^\s,])\s*,\s*([A-Za-z]{2})\.?$|^(.*?[^\s,])\s+([A-Z]{2})$")


def read_city(text: str) -> AddressParts:
    """A city cell that carries more: "Houston TX 77002", "Bellaire, tx" or "Houston 77036"
    as city, state and ZIP (a sheet without those columns). A city whose last word merely
    has two letters stays whole unless a comma, capitals or a ZIP mark it off as the state."""
    cleaned = " ".join(text.split())
    match = _CITY_ZIP.match(cleaned)
    if match:
        city, state, postal = match.group(1), (match.group(2) or "").upper(), match.group(3)
        if state and state not in US_STATES:
            return AddressParts(city=cleaned)
        return AddressParts(city=city, state=state, postal_code=read_zip(postal))
    match = _CITY_STATE.match(cleaned)
    if match:
        city, state = match.group(1) or match.group(3), (match.group(2) or match.group(4)).upper()
        if state in US_STATES:
            return AddressParts(city=city, state=state)
    return AddressParts(city=cleaned)


def tidy_city(text: str) -> str:
    """ "houston" and "HOUSTON" as "Houston"; a city typed with care stays as it is."""
    cleaned = " ".join(text.split())
    if cleaned and (cleaned.islower() or cleaned.isupper()):
        return cleaned.title()
    return cleaned


# -- dates -------------------------------------------------------------------------

_US_DATE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)


def read_timestamp(text: str, day_first: bool = False) -> datetime:
    """A form's timestamp ("11/3/2026 19:10:29", ISO, Airtable's "2026-11-03T19:10:29.000Z") in UTC.

    Times without a zone are this computer's local time.
    """
    cleaned = text.strip()
    if not cleaned:
        raise CellError(_("the date is empty"))
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        match = _US_DATE.match(cleaned)
        if match is None:
            raise CellError(
                _("“{text}” is not a date this program can read").format(text=text)
            ) from None
        a, b, year, hour, minute, second, half = match.groups()
        month, day = (int(b), int(a)) if day_first else (int(a), int(b))
        year_n = int(year) + (2000 if len(year) == 2 else 0)
        hour_n = int(hour or 0)
        if half:
            hour_n = hour_n % 12 + (12 if half.lower().startswith("p") else 0)
        try:
            parsed = datetime(year_n, month, day, hour_n, int(minute or 0), int(second or 0))
        except ValueError:
            raise CellError(
                _("“{text}” is not a date this program can read").format(text=text)
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # local time, as the form's spreadsheet shows it
    return parsed.astimezone(UTC).replace(microsecond=0)


def dates_are_day_first(values: list[str]) -> bool:
    """Whether a column's dates are written day/month (any first number above 12 says so)."""
    for value in values:
        match = _US_DATE.match(value.strip())
        if match and int(match.group(1)) > 12:
            return True
    return False


def split_list(text: str) -> list[str]:
    """ "English, Spanish" or "English; Spanish" as a list."""
    return [p.strip() for p in _LIST_SPLIT.split(text) if p.strip()]


_LIST_SPLIT = re.compile(r"[,;/\n]|\band\b|\by\b")
