"""Domain models, enums and pure rules: pydantic, no I/O, no Qt."""

from mutualaid_desktop.domain.contact import Address, Contact, Phone
from mutualaid_desktop.domain.delivery import BoxItem, BoxType, DeliveryRun, Item, Stop
from mutualaid_desktop.domain.enums import (
    Category,
    ContactKind,
    ContactMethod,
    ContactStatus,
    DietaryFlag,
    Mobility,
    NeedStatus,
    Outcome,
    PageSize,
    PrivacyLevel,
    Recurrence,
    RideStatus,
    Role,
    ShareScope,
    Urgency,
)
from mutualaid_desktop.domain.need import Need, allowed_next_statuses
from mutualaid_desktop.domain.organization import ORGANIZATION_ID, Organization
from mutualaid_desktop.domain.rides import AvailabilityException, DriverProfile, Ride, WeeklySlot
from mutualaid_desktop.domain.validation import parse_model

__all__ = [
    "ORGANIZATION_ID",
    "Address",
    "AvailabilityException",
    "BoxItem",
    "BoxType",
    "Category",
    "Contact",
    "ContactKind",
    "ContactMethod",
    "ContactStatus",
    "DeliveryRun",
    "DietaryFlag",
    "DriverProfile",
    "Item",
    "Mobility",
    "Need",
    "NeedStatus",
    "Organization",
    "Outcome",
    "PageSize",
    "Phone",
    "PrivacyLevel",
    "Recurrence",
    "Ride",
    "RideStatus",
    "Role",
    "ShareScope",
    "Stop",
    "Urgency",
    "WeeklySlot",
    "allowed_next_statuses",
    "parse_model",
]
