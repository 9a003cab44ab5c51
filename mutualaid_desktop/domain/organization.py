"""The organization profile: one shared record per group."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.domain.enums import (
    DistanceUnit,
    LengthUnit,
    MapLinks,
    PageSize,
    PrivacyLevel,
    ShareScope,
)
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
    # Units a person reads and types; None: as the computer's region (see `distances`).
    distance_unit: DistanceUnit | None = None
    length_unit: LengthUnit | None = None
    # Whom a new household is shared with until the organizer says otherwise; None:
    # the group has not chosen yet (a database from before the choice existed).
    default_share_scope: ShareScope | None = None

    def new_household_sharing(self, now: datetime) -> tuple[ShareScope, datetime | None]:
        """The sharing a new household starts with: the group's choice. Shared with the
        group means consent is asked at sign-up, so it is recorded as given now (the
        editor shows both, to change before saving)."""
        if self.default_share_scope is ShareScope.GROUP:
            return ShareScope.GROUP, now
        return ShareScope.LOCAL, None

    def distances(self) -> DistanceUnit:
        """Miles or kilometres: the group's choice, else as the region's (`region_units`)."""
        return self.distance_unit or self.region_units()[0]

    def lengths(self) -> LengthUnit:
        """Inches or millimetres, chosen as `distances` is."""
        return self.length_unit or self.region_units()[1]

    def region_units(self) -> tuple[DistanceUnit, LengthUnit]:
        """The units of the computer's region, else of the country of the group's phone
        numbers: what a group that has not chosen reads (Settings names them)."""
        from mutualaid_desktop.domain.units import distance_unit_for, length_unit_for
        from mutualaid_desktop.i18n import system_territory

        territory = system_territory() or self.phone_region
        return distance_unit_for(territory), length_unit_for(territory)

    @field_validator("support_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return to_e164(value) if value else ""
