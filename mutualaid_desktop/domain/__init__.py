"""Domain models, enums and pure rules: pydantic, no I/O, no Qt.

Names are loaded on first use (PEP 562): importing `domain.enums` for a label
does not pay for building every pydantic model, which keeps start-up quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Address": "contact",
    "Contact": "contact",
    "Phone": "contact",
    "BoxItem": "delivery",
    "BoxType": "delivery",
    "DeliveryRun": "delivery",
    "Item": "delivery",
    "Stop": "delivery",
    "Need": "need",
    "allowed_next_statuses": "need",
    "ORGANIZATION_ID": "organization",
    "Organization": "organization",
    "AvailabilityException": "rides",
    "DriverProfile": "rides",
    "Ride": "rides",
    "WeeklySlot": "rides",
    "parse_model": "validation",
    **{
        name: "enums"
        for name in (
            "Category",
            "ContactKind",
            "ContactMethod",
            "ContactStatus",
            "DietaryFlag",
            "DistanceUnit",
            "LengthUnit",
            "MapLinks",
            "Mobility",
            "NeedStatus",
            "Outcome",
            "PageSize",
            "PrivacyLevel",
            "Recurrence",
            "RideStatus",
            "Role",
            "ShareScope",
            "Urgency",
        )
    },
}

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
    "DistanceUnit",
    "DriverProfile",
    "Item",
    "LengthUnit",
    "MapLinks",
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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from mutualaid_desktop.domain.contact import Address, Contact, Phone
    from mutualaid_desktop.domain.delivery import BoxItem, BoxType, DeliveryRun, Item, Stop
    from mutualaid_desktop.domain.enums import (
        Category,
        ContactKind,
        ContactMethod,
        ContactStatus,
        DietaryFlag,
        DistanceUnit,
        LengthUnit,
        MapLinks,
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
    from mutualaid_desktop.domain.rides import (
        AvailabilityException,
        DriverProfile,
        Ride,
        WeeklySlot,
    )
    from mutualaid_desktop.domain.validation import parse_model
