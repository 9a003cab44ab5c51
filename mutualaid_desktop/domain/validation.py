"""Turn pydantic's errors into plain sentences that name the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mutualaid_desktop.errors import ValidationFailed
from mutualaid_desktop.i18n import N_, _

M = TypeVar("M", bound=BaseModel)


class RuleError(ValueError):
    """A rule spanning several fields, raised from a model validator, naming the field to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# What each kind of pydantic error means, as the end of a sentence about a field.
_PLAIN = {
    "missing": N_("{field} is required."),
    "string_too_short": N_("{field} cannot be empty."),
    "string_too_long": N_(
        "{field} is too long: at most {max_length} characters; shorten it or split it."
    ),
    "too_long": N_("{field} has too many entries: at most {max_length}."),
    "int_parsing": N_("{field} must be a whole number."),
    "int_type": N_("{field} must be a whole number."),
    "int_from_float": N_("{field} must be a whole number."),
    "float_parsing": N_("{field} must be a number."),
    "float_type": N_("{field} must be a number."),
    "greater_than_equal": N_("{field} must be {ge} or more."),
    "greater_than": N_("{field} must be more than {gt}."),
    "less_than_equal": N_("{field} must be {le} or less."),
    "less_than": N_("{field} must be less than {lt}."),
    "date_from_datetime_parsing": N_("{field} must be a date like 2026-12-31."),
    "date_parsing": N_("{field} must be a date like 2026-12-31."),
    "date_type": N_("{field} must be a date like 2026-12-31."),
    "datetime_from_date_parsing": N_("{field} must be a date and time like 2026-12-31 14:30."),
    "datetime_parsing": N_("{field} must be a date and time like 2026-12-31 14:30."),
    "datetime_type": N_("{field} must be a date and time like 2026-12-31 14:30."),
    "time_parsing": N_("{field} must be a time like 14:30."),
    "enum": N_("{field} must be one of: {choices}."),
    "extra_forbidden": N_("{field} is not a field of this record."),
    "bool_parsing": N_("{field} must be yes or no."),
    "string_type": N_("{field} must be text."),
    "list_type": N_("{field} must be a list."),
}

# Field names as a person reads them; any other field is named by its words.
FIELD_LABELS = {
    "name": N_("Name"),
    "phones": N_("Phone"),
    "e164": N_("Phone"),
    "original": N_("Phone"),
    "email": N_("Email"),
    "street": N_("Street"),
    "unit": N_("Apartment / unit"),
    "city": N_("City"),
    "region": N_("State / region"),
    "postal_code": N_("ZIP / postal code"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "directions": N_("Directions"),
    "adults": N_("Adults"),
    "children": N_("Children"),
    "seniors": N_("Seniors"),
    "allergies": N_("Allergies"),
    "accessibility": N_("Accessibility"),
    "consent_at": N_("Consent date"),
    "notes": N_("Notes"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "needed_by": N_("Needed by"),
    "seats": N_("Seats"),
    "party_size": N_("Party size"),
    "pickup_at": N_("Pickup time"),
    "appointment_at": N_("Appointment time"),
    "destination": N_("Destination"),
    "capacity_boxes": N_("Capacity (boxes)"),
    "boxes": N_("Boxes"),
    "max_rides_per_day": N_("Most rides a day"),
    "qty_base": N_("Base quantity"),
    "qty_per_person": N_("Quantity per extra person"),
    "start": N_("Start time"),
    "end": N_("End time"),
    "support_phone": N_("Support phone"),
    "phone_region": N_("Country of phone numbers"),
    "kind": N_("Kind"),
    "category": N_("Kind of need"),
    "urgency": N_("Urgency"),
    "status": N_("Status"),
    "roles": N_("Role"),
    "dietary": N_("Diet"),
    "preferred_contact": N_("Preferred contact"),
    "share_scope": N_("Sharing"),
    "recurrence": N_("Repeats"),
    "mobility": N_("Mobility needs"),
    "outcome": N_("Outcome"),
}


def field_label(loc: tuple[int | str, ...]) -> str:
    """'address.postal_code' -> 'ZIP / postal code'; list positions are dropped."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if not parts:
        return _("Record")
    name = parts[-1]
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ").capitalize()


def problems_of(error: ValidationError) -> dict[str, str]:
    """Field path -> one plain sentence, for every problem pydantic found.

    Never pydantic's own words ("string should have at most 2000 characters"),
    never the rejected value (it may be personal data, and it may be huge).
    """
    problems: dict[str, str] = {}
    for item in error.errors():
        ctx: dict[str, Any] = item.get("ctx") or {}
        cause = ctx.get("error")
        loc = tuple(item["loc"])
        if isinstance(cause, RuleError):
            loc = (*loc, cause.field)
        path = ".".join(str(p) for p in loc if not isinstance(p, int)) or "record"
        label = field_label(loc)
        if item["type"] == "value_error" and cause is not None:
            text = str(cause)
            sentence = text[0].upper() + text[1:]
        elif item["type"] in _PLAIN:
            values = {k: f"{v:,}" if isinstance(v, int) else str(v) for k, v in ctx.items()}
            if item["type"] == "enum":
                values["choices"] = _choices(str(ctx.get("expected", "")))
            sentence = _(_PLAIN[item["type"]]).format(field=label, **values)
        else:
            sentence = _("{field} is not valid.").format(field=label)
        if not sentence.endswith((".", "!", "?")):
            sentence += "."
        problems.setdefault(path, sentence)
    return problems


def _choices(expected: str) -> str:
    """pydantic's "'today', '1-2_days' or 'anytime'" as the labels a person picks from."""
    import re

    from mutualaid_desktop.domain import enums

    codes = re.findall(r"'([^']*)'", expected)
    for kind in vars(enums).values():
        if isinstance(kind, type) and issubclass(kind, enums.LabelledEnum) and kind.__members__:
            members = {m.value: m for m in kind}
            if codes and set(codes) <= set(members):
                return ", ".join(members[c].label for c in codes)
    return ", ".join(codes)


def parse_model(model: type[M], data: dict[str, Any]) -> M:
    """Validate `data` as `model`, raising ValidationFailed with plain sentences."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(problems_of(error)) from None
