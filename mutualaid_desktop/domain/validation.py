"""Turn pydantic's errors into plain sentences that name the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mutualaid_desktop.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


class RuleError(ValueError):
    """A rule spanning several fields, raised from a model validator, naming the field to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


_PLAIN = {
    "missing": "is required",
    "string_too_short": "cannot be empty",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "greater_than_equal": "is too small",
    "less_than_equal": "is too large",
    "date_from_datetime_parsing": "must be a date like 2026-12-31",
    "date_parsing": "must be a date like 2026-12-31",
    "datetime_from_date_parsing": "must be a date and time like 2026-12-31 14:30",
    "datetime_parsing": "must be a date and time like 2026-12-31 14:30",
    "time_parsing": "must be a time like 14:30",
    "enum": "must be one of: {expected}",
    "extra_forbidden": "is not a field of this record",
    "bool_parsing": "must be yes or no",
}


def field_label(loc: tuple[int | str, ...]) -> str:
    """'address.postal_code' -> 'postal code'; list positions are dropped."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    return parts[-1].replace("_", " ") if parts else "record"


def problems_of(error: ValidationError) -> dict[str, str]:
    """Field path -> one plain sentence, for every problem pydantic found."""
    problems: dict[str, str] = {}
    for item in error.errors():
        ctx: dict[str, Any] = item.get("ctx") or {}
        cause = ctx.get("error")
        loc = tuple(item["loc"])
        if isinstance(cause, RuleError):
            loc = (*loc, cause.field)
        path = ".".join(str(p) for p in loc if not isinstance(p, int)) or "record"
        label = field_label(loc)
        if item["type"] == "value_error":
            text = str(cause) if cause is not None else item["msg"]
            sentence = text[0].upper() + text[1:]
        elif item["type"] in _PLAIN:
            detail = _PLAIN[item["type"]].format(**{k: str(v) for k, v in ctx.items()})
            sentence = f"{label.capitalize()} {detail}."
        else:
            sentence = f"{label.capitalize()}: {item['msg'].lower()}."
        if not sentence.endswith((".", "!", "?")):
            sentence += "."
        problems.setdefault(path, sentence)
    return problems


def parse_model(model: type[M], data: dict[str, Any]) -> M:
    """Validate `data` as `model`, raising ValidationFailed with plain sentences."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(problems_of(error)) from None
