"""The closed vocabularies of the domain, each with a human label."""

from __future__ import annotations

from enum import StrEnum

from mutualaid_desktop.i18n import N_, _


class LabelledEnum(StrEnum):
    """A string enum whose members know how to name themselves to a person.

    The label is the value in words ("hot_meals": "Hot meals"), unless a class
    says otherwise; `DERIVED_LABELS` below marks those words for translation.
    """

    @property
    def label(self) -> str:
        return _(self.value.replace("_", " ").capitalize())


class ContactKind(LabelledEnum):
    HOUSEHOLD = "household"
    PERSON = "person"


class Role(LabelledEnum):
    RECIPIENT = "recipient"
    VOLUNTEER = "volunteer"
    DRIVER = "driver"


class ContactMethod(LabelledEnum):
    PHONE = "phone"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    IN_PERSON = "in_person"

    @property
    def label(self) -> str:
        return {"sms": _("Text message (SMS)"), "whatsapp": _("WhatsApp")}.get(
            self.value, super().label
        )


class ShareScope(LabelledEnum):
    """What the household agreed to: kept on this laptop, or shared with the group."""

    LOCAL = "local"
    GROUP = "group"

    @property
    def label(self) -> str:
        return _("This laptop only") if self is ShareScope.LOCAL else _("The organizers' group")


class ContactStatus(LabelledEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class DietaryFlag(LabelledEnum):
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    HALAL = "halal"
    KOSHER = "kosher"
    NO_PORK = "no_pork"
    GLUTEN_FREE = "gluten_free"
    LACTOSE_FREE = "lactose_free"
    NUT_ALLERGY = "nut_allergy"
    DIABETIC = "diabetic"
    LOW_SODIUM = "low_sodium"
    BABY_FORMULA = "baby_formula"


class Category(LabelledEnum):
    GROCERIES = "groceries"
    HOT_MEALS = "hot_meals"
    BABY_SUPPLIES = "baby_supplies"
    HYGIENE = "hygiene"
    MEDICATION_PICKUP = "medication_pickup"
    RIDE = "ride"
    HOUSEHOLD_GOODS = "household_goods"
    CASH_RENT = "cash_rent"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"cash_rent": _("Cash / rent")}.get(self.value, super().label)


class Urgency(LabelledEnum):
    """How soon; ordered from most to least urgent (see `rank`)."""

    TODAY = "today"
    SOON = "1-2_days"
    THIS_WEEK = "this_week"
    ANYTIME = "anytime"

    @property
    def label(self) -> str:
        return {
            "today": _("Today"),
            "1-2_days": _("1–2 days"),
            "this_week": _("This week"),
            "anytime": _("Anytime"),
        }[self.value]

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


class NeedStatus(LabelledEnum):
    NEW = "new"
    SCHEDULED = "scheduled"
    FULFILLED = "fulfilled"
    UNMET = "unmet"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (NeedStatus.NEW, NeedStatus.SCHEDULED)


class Recurrence(LabelledEnum):
    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return {
            "none": _("Once"),
            "weekly": _("Weekly"),
            "biweekly": _("Every two weeks"),
            "monthly": _("Monthly"),
        }[self.value]


class Outcome(LabelledEnum):
    DELIVERED = "delivered"
    NOT_HOME = "not_home"
    BAD_ADDRESS = "bad_address"
    REFUSED = "refused"


class RideStatus(LabelledEnum):
    REQUESTED = "requested"
    OFFERED = "offered"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return {"no_show": _("No-show")}.get(self.value, super().label)


class Mobility(LabelledEnum):
    WHEELCHAIR = "wheelchair"
    WALKER = "walker"
    STAIRS_HELP = "stairs_help"

    @property
    def label(self) -> str:
        return {"stairs_help": _("Help with stairs")}.get(self.value, super().label)


class PageSize(LabelledEnum):
    LETTER = "letter"
    A4 = "a4"

    @property
    def label(self) -> str:
        return _("Letter") if self is PageSize.LETTER else "A4"


class MapLinks(LabelledEnum):
    """Which maps web site a route sheet's QR code opens (any phone camera opens a link)."""

    GOOGLE = "google"
    OPENSTREETMAP = "openstreetmap"

    @property
    def label(self) -> str:
        return _("Google Maps") if self is MapLinks.GOOGLE else _("OpenStreetMap")


class DistanceUnit(LabelledEnum):
    """How distances read to the group: a driver in Texas thinks in miles."""

    KILOMETRES = "km"
    MILES = "mi"

    @property
    def label(self) -> str:
        return _("Kilometres") if self is DistanceUnit.KILOMETRES else _("Miles")


class LengthUnit(LabelledEnum):
    """How small lengths on paper read (a label printer's offset)."""

    MILLIMETRES = "mm"
    INCHES = "in"

    @property
    def label(self) -> str:
        return _("Millimetres") if self is LengthUnit.MILLIMETRES else _("Inches")


class PrivacyLevel(LabelledEnum):
    """How much of a name a printout shows."""

    FULL = "full"
    INITIALS = "initials"
    CODE = "code"

    @property
    def label(self) -> str:
        return {
            "full": _("Full name"),
            "initials": _("First name and initial"),
            "code": _("Household code only"),
        }[self.value]


# The labels LabelledEnum derives from values, marked for the translation catalog
# (tests/unit/test_translations.py checks that every member's label is there).
DERIVED_LABELS = (
    N_("Active"), N_("Anytime"), N_("Archived"), N_("Baby formula"), N_("Baby supplies"),
    N_("Bad address"), N_("Cancelled"), N_("Completed"), N_("Confirmed"), N_("Delivered"),
    N_("Diabetic"), N_("Driver"), N_("Email"), N_("Fulfilled"), N_("Gluten free"),
    N_("Groceries"), N_("Halal"), N_("Hot meals"), N_("Household"), N_("Household goods"),
    N_("Hygiene"), N_("In person"), N_("Kosher"), N_("Lactose free"), N_("Low sodium"),
    N_("Medication pickup"), N_("Monthly"), N_("New"), N_("No pork"), N_("Not home"),
    N_("Nut allergy"), N_("Offered"), N_("Other"), N_("Person"), N_("Phone"), N_("Recipient"),
    N_("Refused"), N_("Requested"), N_("Ride"), N_("Scheduled"), N_("This week"), N_("Today"),
    N_("Unmet"), N_("Vegan"), N_("Vegetarian"), N_("Volunteer"), N_("Walker"), N_("Weekly"),
    N_("Wheelchair"),
)  # fmt: skip
