"""Distances and printer offsets in the units the group reads.

The program keeps kilometres and millimetres inside; what a person reads or types
is in the group's units: miles and inches in the United States, miles and
millimetres in the United Kingdom, kilometres and millimetres nearly everywhere
else. A group that has not chosen follows the computer's region.
"""

from __future__ import annotations

from mutualaid_desktop.domain.enums import DistanceUnit, LengthUnit
from mutualaid_desktop.i18n import _

KM_PER_MILE = 1.609344
MM_PER_INCH = 25.4
MAX_OFFSET_MM = 10.0  # real label sheets sit a few millimetres off, never more

# Where road distances are in miles (CLDR measurement data; the territories that
# follow the US on paper sizes and lengths are the ones in INCH_TERRITORIES).
MILE_TERRITORIES = frozenset({"US", "GB", "LR", "MM", "PR", "VI", "GU", "AS", "MP", "UM"})
INCH_TERRITORIES = frozenset({"US", "LR", "MM", "PR", "VI", "GU", "AS", "MP", "UM"})


def distance_unit_for(territory: str | None) -> DistanceUnit:
    if territory and territory.upper() in MILE_TERRITORIES:
        return DistanceUnit.MILES
    return DistanceUnit.KILOMETRES


def length_unit_for(territory: str | None) -> LengthUnit:
    if territory and territory.upper() in INCH_TERRITORIES:
        return LengthUnit.INCHES
    return LengthUnit.MILLIMETRES


def format_distance(km: float | None, unit: DistanceUnit) -> str:
    """'3.2 mi' / '5.1 km'; a dash where the distance is unknown (no map point)."""
    if km is None:
        return "—"
    if unit is DistanceUnit.MILES:
        return _("{n:.1f} mi").format(n=km / KM_PER_MILE)
    return _("{n:.1f} km").format(n=km)


def mm_to(length_mm: float, unit: LengthUnit) -> float:
    return length_mm / MM_PER_INCH if unit is LengthUnit.INCHES else length_mm


def to_mm(length: float, unit: LengthUnit) -> float:
    return length * MM_PER_INCH if unit is LengthUnit.INCHES else length


def format_length(length_mm: float, unit: LengthUnit) -> str:
    """'0.12 in' / '3 mm': inches need two decimals to be as fine as a millimetre."""
    if unit is LengthUnit.INCHES:
        return _("{n:.2f} in").format(n=length_mm / MM_PER_INCH)
    return _("{n:g} mm").format(n=round(length_mm, 1))


def parse_length(text: str, unit: LengthUnit) -> float:
    """A length typed on the command line, in millimetres: '3mm', '0.1in', '0.1"', or a
    bare number in the group's unit. ValueError when it is not a length."""
    value = text.strip().lower().replace(",", ".")
    for suffix, factor in (("mm", 1.0), ("in", MM_PER_INCH), ('"', MM_PER_INCH)):
        if value.endswith(suffix):
            return float(value[: -len(suffix)].strip()) * factor
    return to_mm(float(value), unit)
