"""The base every record shares: a random UUID id and strict, friendly validation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 20_000  # characters in any one text field
# Lists inside a record (phones, tags, a driver's hours...) each have a max_length of
# their own, far above real use: a record stays a record, whoever wrote it (a peer's
# bundle is checked with these same models).


def new_id() -> str:
    """A fresh random id; never an autoincrement, so replicas never collide."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Record(BaseModel):
    """A syncable record. Subclasses name their table in `__table__`."""

    model_config = ConfigDict(
        validate_assignment=True,
        str_strip_whitespace=True,
        extra="forbid",
        use_enum_values=False,
        # Validators are built on first use, not at import: the window starts faster.
        defer_build=True,
        # Errors (and so logs) never repeat the value: it is personal data.
        hide_input_in_errors=True,
        # About ten pages of text: room for any note, not for a bundle's worth of junk.
        str_max_length=MAX_TEXT,
    )
    __table__ = ""

    id: str = Field(default_factory=new_id)
