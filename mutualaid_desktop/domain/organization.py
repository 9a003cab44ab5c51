"""The organization profile: one shared record per group."""

from __future__ import annotations

import uuid

from pydantic import Field, field_validator

from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.domain.enums import PageSize, PrivacyLevel
from mutualaid_desktop.domain.phones import to_e164

# A fixed id, the same in every database: two organizers' profiles are the
# same record, so merging them is an ordinary field-by-field merge.
ORGANIZATION_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "mutualaid-desktop:organization"))


class Organization(Record):
    """Name and printing defaults of the mutual-aid group."""

    __table__ = "organization"

    id: str = ORGANIZATION_ID
    name: str = Field(default="Our mutual aid group", min_length=1, max_length=120)
    support_phone: str = ""
    page_size: PageSize = PageSize.LETTER
    privacy_default: PrivacyLevel = PrivacyLevel.INITIALS
    phone_region: str = Field(default="US", min_length=2, max_length=2)

    @field_validator("support_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return to_e164(value) if value else ""
