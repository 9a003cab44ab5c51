"""Contacts: households and people (recipients, volunteers, drivers)."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mutualaid_desktop.domain.base import MAX_TEXT, Record, utc_now
from mutualaid_desktop.domain.enums import (
    ContactKind,
    ContactMethod,
    ContactStatus,
    DietaryFlag,
    Role,
    ShareScope,
)
from mutualaid_desktop.domain.phones import to_e164
from mutualaid_desktop.domain.validation import RuleError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud safely
_ROLE_ORDER = {role: i for i, role in enumerate(Role)}


# The parts of a contact (a phone, an address) validate as strictly as the record.
_PART = ConfigDict(
    extra="forbid",
    str_strip_whitespace=True,
    defer_build=True,
    hide_input_in_errors=True,
    str_max_length=MAX_TEXT,
)


class Phone(BaseModel):
    """One phone number: what the person wrote and its normalized E.164 form."""

    model_config = _PART

    original: str
    e164: str = ""
    label: str = ""

    @model_validator(mode="after")
    def _normalize(self) -> Phone:
        if not self.e164:
            self.e164 = to_e164(self.original)
        return self


class Address(BaseModel):
    """A postal address with optional coordinates; its parts change together."""

    model_config = _PART

    street: str = ""
    unit: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    def one_line(self) -> str:
        street = f"{self.street} {self.unit}".strip() if self.unit else self.street
        place = " ".join(p for p in (self.region, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, place) if p)

    @property
    def zip5(self) -> str:
        """The 5-digit US ZIP (or the postal code as written elsewhere)."""
        return self.postal_code[:5] if self.postal_code[:5].isdigit() else self.postal_code


def household_code(uuid_text: str) -> str:
    """A short code printed instead of a name (privacy level "code"), derived from the id."""
    number = int(uuid_text.replace("-", "")[:12], 16)
    letters = []
    for _ in range(5):
        number, digit = divmod(number, len(_CODE_ALPHABET))
        letters.append(_CODE_ALPHABET[digit])
    return "H-" + "".join(letters)


class Contact(Record):
    """A household or a person, with everything needed to help them well."""

    __table__ = "contacts"

    kind: ContactKind = ContactKind.HOUSEHOLD
    name: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(default_factory=lambda: [Role.RECIPIENT], max_length=10)
    phones: list[Phone] = Field(default_factory=list, max_length=10)
    email: str = ""
    address: Address = Field(default_factory=Address)
    directions: str = ""
    languages: list[str] = Field(default_factory=list, max_length=20)
    adults: int = Field(default=1, ge=0, le=50)
    children: int = Field(default=0, ge=0, le=50)
    seniors: int = Field(default=0, ge=0, le=50)
    dietary: list[DietaryFlag] = Field(default_factory=list, max_length=30)
    allergies: str = ""
    accessibility: str = ""
    preferred_contact: ContactMethod = ContactMethod.PHONE
    consent_at: datetime | None = None
    share_scope: ShareScope = ShareScope.LOCAL
    tags: list[str] = Field(default_factory=list, max_length=50)
    notes: str = ""  # the organizers' own: never printed on a sheet that leaves the building
    # What a driver should know at the door: gate code, dog, stairs, "call, don't text".
    driver_notes: str = ""
    status: ContactStatus = ContactStatus.ACTIVE
    created_at: datetime = Field(default_factory=utc_now)

    @field_validator("name")
    @classmethod
    def _collapse_spaces(cls, value: str) -> str:
        # Web forms deliver "  JOSÉ Ødegaard  "; keep the letters, drop the padding.
        return " ".join(value.split())

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise ValueError(f"“{value}” is not an email address (it needs a name, @ and a domain)")
        return value

    @field_validator("tags", "languages")
    @classmethod
    def _clean_list(cls, value: list[str]) -> list[str]:
        seen: list[str] = []
        for item in (v.strip() for v in value):
            if item and item not in seen:
                seen.append(item)
        return seen

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[Role]) -> list[Role]:
        return sorted(set(value), key=_ROLE_ORDER.__getitem__)

    @model_validator(mode="after")
    def _someone_lives_there(self) -> Contact:
        if self.kind is ContactKind.HOUSEHOLD and self.household_size == 0:
            raise RuleError(
                "adults", "a household needs at least one person (adults, children or seniors)"
            )
        if self.share_scope is ShareScope.GROUP and self.consent_at is None:
            raise RuleError(
                "consent_at",
                "sharing with the organizers' group needs the date consent was given; "
                "record it, or keep the contact on this laptop only",
            )
        return self

    @property
    def household_size(self) -> int:
        return self.adults + self.children + self.seniors

    @property
    def code(self) -> str:
        return household_code(self.id)

    @property
    def primary_phone(self) -> Phone | None:
        return self.phones[0] if self.phones else None

    def is_(self, role: Role) -> bool:
        return role in self.roles


def phone_from_text(text: str, label: str = "") -> Phone:
    """A Phone from free text, raising ValueError with a plain sentence."""
    return Phone(original=text, e164=to_e164(text), label=label)
