"""Which column holds what: proposed from the headings (English and Spanish), remembered.

Headings are whatever a form builder or an organizer typed: "Phone number",
"Teléfono", "Cell", "¿Cuántas personas viven en su hogar?". Each field has
short key phrases; a heading matches a phrase when every word of the phrase is
in it (spelling slips allowed, by rapidfuzz). The longest phrase wins, so
"Street address" is the street and not a one-line address. A mapping the
organizer confirmed is remembered for the same set of headings.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz

from mutualaid_desktop.domain.allergens import fold
from mutualaid_desktop.i18n import _
from mutualaid_desktop.store import Store


class Field(StrEnum):
    """What a column can be imported as."""

    IGNORE = "ignore"
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"  # the whole address in one cell
    STREET = "street"
    UNIT = "unit"
    CITY = "city"
    STATE = "state"
    ZIP = "zip"
    HOUSEHOLD_SIZE = "household_size"
    ADULTS = "adults"
    CHILDREN = "children"
    SENIORS = "seniors"
    NEEDS = "needs"
    URGENCY = "urgency"
    DIET = "diet"  # diets and allergies, read together
    LANGUAGES = "languages"
    DELIVERY_NOTES = "delivery_notes"
    NOTES = "notes"
    CONSENT = "consent"
    CAN_DRIVE = "can_drive"
    SUBMITTED_AT = "submitted_at"

    @property
    def label(self) -> str:
        return _FIELD_LABELS()[self]


@lru_cache(maxsize=1)
def _FIELD_LABELS() -> dict[Field, str]:
    return {
        Field.IGNORE: _("(not imported)"),
        Field.NAME: _("Name"),
        Field.FIRST_NAME: _("First name"),
        Field.LAST_NAME: _("Last name"),
        Field.PHONE: _("Phone"),
        Field.EMAIL: _("Email"),
        Field.ADDRESS: _("Whole address"),
        Field.STREET: _("Street"),
        Field.UNIT: _("Apartment / unit"),
        Field.CITY: _("City"),
        Field.STATE: _("State"),
        Field.ZIP: _("ZIP code"),
        Field.HOUSEHOLD_SIZE: _("Household size"),
        Field.ADULTS: _("Adults"),
        Field.CHILDREN: _("Children"),
        Field.SENIORS: _("Seniors"),
        Field.NEEDS: _("Needs"),
        Field.URGENCY: _("Urgency"),
        Field.DIET: _("Diet and allergies"),
        Field.LANGUAGES: _("Languages"),
        Field.DELIVERY_NOTES: _("Delivery notes"),
        Field.NOTES: _("Private notes"),
        Field.CONSENT: _("Consent to share"),
        Field.CAN_DRIVE: _("Can drive"),
        Field.SUBMITTED_AT: _("Submitted at"),
    }


# Fields that several columns may feed (a second phone, needs asked as one
# checkbox question per kind); every other field takes one column.
MULTI = frozenset(
    {Field.PHONE, Field.NEEDS, Field.DIET, Field.LANGUAGES, Field.DELIVERY_NOTES, Field.NOTES}
)

# Key phrases on folded headings (lower case, no accents, no punctuation),
# English then Spanish. Common little words are dropped from both sides.
_PHRASES: dict[Field, tuple[str, ...]] = {
    Field.NAME: (
        "name",
        "full name",
        "household name",
        "contact name",
        "head of household",
        "nombre",
        "nombre completo",
        "nombre y apellido",
        "nombre apellido",
    ),
    Field.FIRST_NAME: ("first name", "given name", "first", "primer nombre", "nombre de pila"),
    Field.LAST_NAME: ("last name", "surname", "family name", "last", "apellido", "apellidos"),
    Field.PHONE: (
        "phone",
        "phone number",
        "cell",
        "cell phone",
        "mobile",
        "telephone",
        "tel",
        "whatsapp",
        "contact number",
        "telefono",
        "celular",
        "movil",
        "numero telefono",
    ),
    Field.EMAIL: ("email", "e mail", "email address", "correo", "correo electronico"),
    Field.ADDRESS: ("address", "home address", "full address", "direccion", "domicilio"),
    Field.STREET: (
        "street",
        "street address",
        "address line 1",
        "address 1",
        "calle",
        "direccion calle",
        "direccion linea 1",
    ),
    Field.UNIT: (
        "apt",
        "unit",
        "apartment",
        "suite",
        "address line 2",
        "address 2",
        "apartamento",
        "apto",
        "depto",
        "departamento",
        "direccion linea 2",
        "numero apartamento",
    ),
    Field.CITY: ("city", "town", "ciudad", "municipio", "pueblo"),
    Field.STATE: ("state", "province", "estado", "provincia"),
    Field.ZIP: ("zip", "zip code", "zipcode", "postal code", "postcode", "codigo postal", "cp"),
    Field.HOUSEHOLD_SIZE: (
        "household size",
        "how many people",
        "people household",
        "number people",
        "family size",
        "size household",
        "people live",
        "cuantas personas",
        "personas hogar",
        "numero personas",
        "tamano hogar",
        "miembros hogar",
        "personas casa",
        "tamano familia",
        "household",
        "hogar",
        "familia",
    ),
    Field.ADULTS: ("adults", "number adults", "how many adults", "adultos", "cuantos adultos"),
    Field.CHILDREN: (
        "children",
        "kids",
        "number children",
        "how many children",
        "ninos",
        "hijos",
        "menores",
        "cuantos ninos",
    ),
    Field.SENIORS: ("seniors", "elderly", "over 65", "adultos mayores", "mayores 65", "ancianos"),
    Field.NEEDS: (
        "what need",
        "needs",
        "need",
        "request",
        "requests",
        "help needed",
        "kind help",
        "type help",
        "what help",
        "que necesita",
        "que necesitas",
        "necesidades",
        "necesidad",
        "tipo ayuda",
        "que ayuda",
        "ayuda necesita",
    ),
    Field.URGENCY: (
        "urgency",
        "how urgent",
        "urgent",
        "priority",
        "when need",
        "urgencia",
        "que tan urgente",
        "urgente",
        "prioridad",
        "cuando necesita",
    ),
    Field.DIET: (
        "dietary restrictions",
        "dietary",
        "diet",
        "allergies",
        "allergy",
        "food allergies",
        "dietary needs",
        "restricciones alimentarias",
        "alergias",
        "alergia",
        "dieta",
        "restricciones dieteticas",
        "restricciones alimenticias",
    ),
    Field.LANGUAGES: (
        "language",
        "languages",
        "preferred language",
        "languages spoken",
        "idioma",
        "idiomas",
        "idioma preferido",
        "lengua",
    ),
    Field.DELIVERY_NOTES: (
        "delivery notes",
        "delivery instructions",
        "directions",
        "delivery",
        "notas entrega",
        "instrucciones entrega",
        "indicaciones",
        "entrega",
    ),
    Field.NOTES: (
        "notes",
        "comments",
        "anything else",
        "anything else know",
        "other information",
        "notas",
        "comentarios",
        "algo mas",
        "observaciones",
        "otra informacion",
    ),
    Field.CONSENT: (
        "consent",
        "share info",
        "share information",
        "share your info",
        "permission share",
        "may share",
        "ok share",
        "consentimiento",
        "compartir",
        "compartir informacion",
        "podemos compartir",
        "permiso compartir",
    ),
    Field.CAN_DRIVE: (
        "can drive",
        "have car",
        "driver",
        "volunteer driver",
        "drive others",
        "puede manejar",
        "tiene carro",
        "tiene auto",
        "tiene coche",
        "conductor",
        "puede conducir",
        "manejar",
    ),
    Field.SUBMITTED_AT: (
        "timestamp",
        "submitted",
        "submitted at",
        "submission date",
        "created",
        "created time",
        "date submitted",
        "marca temporal",
        "fecha envio",
        "fecha hora",
        "fecha",
    ),
}
_STOP = frozenset(
    (
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "your",
        "you",
        "we",
        "do",
        "does",
        "is",
        "are",
        "our",
        "my",
        "with",
        "other",
        "others",
        "please",
        "su",
        "sus",
        "tu",
        "tus",
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "en",
        "y",
        "o",
        "un",
        "una",
        "por",
        "para",
        "que",
        "es",
        "al",
    )
)
# Fields a tie goes to: the more specific before the general.
_PRIORITY = {f: i for i, f in enumerate(_PHRASES)}
_WORD_SIMILARITY = 85
MATCH_THRESHOLD = 85


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in _STOP]


@lru_cache(maxsize=1)
def _phrase_words() -> tuple[tuple[Field, tuple[str, ...]], ...]:
    return tuple((field, tuple(_words(p))) for field, phrases in _PHRASES.items() for p in phrases)


def _word_score(wanted: str, words: Sequence[str]) -> float:
    if wanted in words:
        return 100.0
    if len(wanted) < 5:
        # "tel" must not match "tell", "apt" not "apto": short words match exactly.
        return 0.0
    return max((fuzz.ratio(wanted, w) for w in words if len(w) >= 4), default=0.0)


@dataclass(frozen=True)
class Guess:
    field: Field
    score: float  # 0-100
    length: int  # words in the phrase that matched: longer is more specific


def guess_field(header: str) -> Guess:
    """The field a heading most probably names (IGNORE when nothing fits)."""
    # A form builder's clarification in brackets names the field best:
    # "Anything else we should know? (delivery notes)".
    for inner in re.findall(r"\(([^)]*)\)", header):
        found = _best(_words(inner))
        if found.field is not Field.IGNORE and found.score == 100:
            return found
    return _best(_words(re.sub(r"\([^)]*\)", " ", header)) or _words(header))


def _best(words: Sequence[str]) -> Guess:
    best = Guess(Field.IGNORE, 0.0, 0)
    if not words:
        return best
    for field, phrase in _phrase_words():
        if not phrase:
            continue
        score = min(_word_score(w, words) for w in phrase)
        if score < MATCH_THRESHOLD:
            continue
        candidate = Guess(field, score, len(phrase))
        if (candidate.score, candidate.length, -_PRIORITY[field]) > (
            best.score,
            best.length,
            -_PRIORITY.get(best.field, 99),
        ):
            best = candidate
    return best


_PHONE_VALUE = re.compile(r"^[+(]?\d[\d\s().\-]{6,}\d$")
_EMAIL_VALUE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ZIP_VALUE = re.compile(r"^\d{5}(-\d{4})?$")


def _guess_from_values(values: Sequence[str]) -> Field:
    """For a heading that names nothing known: a column of phones, emails or ZIPs."""
    if len(values) < 3:
        return Field.IGNORE
    for field, pattern in (
        (Field.EMAIL, _EMAIL_VALUE),
        (Field.ZIP, _ZIP_VALUE),
        (Field.PHONE, _PHONE_VALUE),
    ):
        if sum(1 for v in values if pattern.match(v.strip())) >= 0.8 * len(values):
            return field
    return Field.IGNORE


def propose_mapping(headers: Sequence[str], samples: Sequence[Sequence[str]]) -> list[Field]:
    """A field for every column, from its heading (and, failing that, its values)."""
    guesses = [guess_field(h) for h in headers]
    mapping = [Field.IGNORE] * len(headers)
    taken: set[Field] = set()
    # The surest guesses choose first; a single field goes to its best column.
    order = sorted(range(len(headers)), key=lambda i: (-guesses[i].score, -guesses[i].length, i))
    for i in order:
        field = guesses[i].field
        if field is Field.IGNORE or (field in taken and field not in MULTI):
            continue
        mapping[i] = field
        taken.add(field)
    for i, field in enumerate(mapping):
        if field is Field.IGNORE and guesses[i].field is Field.IGNORE:
            by_values = _guess_from_values(samples[i] if i < len(samples) else ())
            if by_values is not Field.IGNORE and (by_values not in taken or by_values in MULTI):
                mapping[i] = by_values
                taken.add(by_values)
    # A whole-address column is only that when no street column says otherwise.
    if Field.STREET in taken and Field.ADDRESS in taken and Field.STREET not in MULTI:
        mapping = [Field.IGNORE if f is Field.ADDRESS else f for f in mapping]
    return mapping


def check_mapping(mapping: Sequence[Field]) -> str | None:
    """One sentence if the mapping cannot make contacts (no name column); else None."""
    fields = set(mapping)
    if Field.NAME not in fields and not ({Field.FIRST_NAME, Field.LAST_NAME} & fields):
        return _(
            "No column is mapped to the name; choose the column that holds each household's name."
        )
    doubled = [f for f in fields - MULTI if f is not Field.IGNORE and list(mapping).count(f) > 1]
    if doubled:
        return _("{field} is chosen for more than one column; keep it for one.").format(
            field=doubled[0].label
        )
    return None


def parse_field(text: str) -> Field:
    """A field from what a person typed on the command line ("phone", "Phone", "zip code")."""
    key = fold(text).replace(" ", "_")
    for field in Field:
        if key in (field.value, fold(field.label).replace(" ", "_")):
            return field
    if key in ("", "none", "skip"):
        return Field.IGNORE
    raise ValueError(text)


# -- remembered mappings -------------------------------------------------------


def header_key(headers: Sequence[str]) -> str:
    """The same headings (in the same order, whatever their case) give the same key."""
    joined = "\x1f".join(fold(h) for h in headers)
    return "import_mapping:" + hashlib.sha256(joined.encode()).hexdigest()[:24]


def remembered_mapping(store: Store, headers: Sequence[str]) -> list[Field] | None:
    row = store.conn.execute(
        "SELECT value FROM meta WHERE key = ?", (header_key(headers),)
    ).fetchone()
    if row is None:
        return None
    try:
        values = json.loads(row[0])
        mapping = [Field(v) for v in values]
    except (ValueError, TypeError):
        return None
    return mapping if len(mapping) == len(headers) else None


def remember_mapping(store: Store, headers: Sequence[str], mapping: Sequence[Field]) -> None:
    """Keep the mapping on this laptop for the next file with the same headings."""
    store.set_meta(header_key(headers), json.dumps([f.value for f in mapping]))
