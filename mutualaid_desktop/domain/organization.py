"""The organization profile: one shared record per group."""

from __future__ import annotations

from pydantic import Field, field_validator

from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.domain.enums import MapLinks, PageSize, PrivacyLevel
from mutualaid_desktop.domain.organization_id import ORGANIZATION_ID
from mutualaid_desktop.domain.phones import to_e164

__all__ = ["ORGANIZATION_ID", "Organization"]


class Organization(Record):
    """Name and printing defaults of the mutual-aid group."""

    __table__ = "organization"

    id: str = ORGANIZATION_ID
    name: str = Field(default="Our mutual aid group", min_length=1, max_length=120)
    support_phone: str = ""
    page_size: PageSize = PageSize.LETTER
    privacy_default: PrivacyLevel = PrivacyLevel.INITIALS
    phone_region: str = Field(default="US", min_length=2, max_length=2)
    map_links: MapLinks = MapLinks.GOOGLE

    @field_validator("support_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return to_e164(value) if value else ""
