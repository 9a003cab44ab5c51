"""Ride-share: driver profiles with availability, and ride requests."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.domain.enums import Mobility, RideStatus
from mutualaid_desktop.domain.validation import RuleError


class WeeklySlot(BaseModel):
    """A weekly window when a driver is free; `end` before `start` runs past midnight."""

    model_config = ConfigDict(extra="forbid", defer_build=True, hide_input_in_errors=True)

    weekday: int = Field(ge=0, le=6)  # Monday = 0, as datetime.weekday()
    start: time
    end: time

    @model_validator(mode="after")
    def _not_empty(self) -> WeeklySlot:
        if self.start == self.end:
            raise RuleError("end", "a time slot must end at another time than it starts")
        return self


class AvailabilityException(BaseModel):
    """A one-off date: free in a window (available) or not at all (unavailable)."""

    model_config = ConfigDict(extra="forbid", defer_build=True, hide_input_in_errors=True)

    date: date
    available: bool = False
    start: time | None = None
    end: time | None = None

    @model_validator(mode="after")
    def _window(self) -> AvailabilityException:
        if self.available and (self.start is None or self.end is None):
            raise RuleError("start", "an extra available date needs a start and an end time")
        return self


class DriverProfile(Record):
    """What a volunteer driver offers: seats, accessibility, when and where."""

    __table__ = "driver_profiles"

    contact_id: str
    seats: int = Field(default=3, ge=1, le=15)
    wheelchair_accessible: bool = False
    availability: list[WeeklySlot] = Field(default_factory=list, max_length=50)
    exceptions: list[AvailabilityException] = Field(default_factory=list, max_length=1000)
    area_zips: list[str] = Field(default_factory=list, max_length=500)
    max_rides_per_day: int = Field(default=4, ge=1, le=50)
    active: bool = True
    notes: str = ""


class Ride(Record):
    """A ride request: who, from where and when, to where, and who drives."""

    __table__ = "rides"

    rider_id: str
    pickup_address: str = Field(min_length=1)
    pickup_lat: float | None = Field(default=None, ge=-90, le=90)
    pickup_lon: float | None = Field(default=None, ge=-180, le=180)
    pickup_at: datetime
    destination: str = Field(min_length=1)
    dest_lat: float | None = Field(default=None, ge=-90, le=90)
    dest_lon: float | None = Field(default=None, ge=-180, le=180)
    appointment_at: datetime | None = None
    outbound_ride_id: str | None = None  # set on a return trip: the ride it returns from
    party_size: int = Field(default=1, ge=1, le=15)
    mobility: list[Mobility] = Field(default_factory=list, max_length=10)
    notes: str = ""
    status: RideStatus = RideStatus.REQUESTED
    driver_id: str | None = None

    @model_validator(mode="after")
    def _times(self) -> Ride:
        outbound = self.outbound_ride_id is None
        if outbound and self.appointment_at is not None and self.appointment_at < self.pickup_at:
            raise RuleError("appointment_at", "the appointment is before the pickup time")
        return self
