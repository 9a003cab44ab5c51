"""The status workflow of a need (plain rules, no pydantic: the window shows its
buttons before any model is loaded)."""

from __future__ import annotations

from mutualaid_desktop.domain.enums import NeedStatus
from mutualaid_desktop.errors import TransitionError
from mutualaid_desktop.i18n import _

# The workflow: new -> scheduled -> fulfilled, or unmet / cancelled. An unmet or
# cancelled need can be reopened; a fulfilled one is history (a recurring need
# is fulfilled once per occurrence, see `next_occurrence`).
_TRANSITIONS: dict[NeedStatus, tuple[NeedStatus, ...]] = {
    NeedStatus.NEW: (
        NeedStatus.SCHEDULED,
        NeedStatus.FULFILLED,
        NeedStatus.UNMET,
        NeedStatus.CANCELLED,
    ),
    NeedStatus.SCHEDULED: (
        NeedStatus.FULFILLED,
        NeedStatus.UNMET,
        NeedStatus.NEW,
        NeedStatus.CANCELLED,
    ),
    NeedStatus.UNMET: (NeedStatus.NEW, NeedStatus.SCHEDULED, NeedStatus.CANCELLED),
    NeedStatus.CANCELLED: (NeedStatus.NEW,),
    NeedStatus.FULFILLED: (),
}


def allowed_next_statuses(status: NeedStatus) -> tuple[NeedStatus, ...]:
    """The statuses a need in `status` may move to, in the order buttons show them."""
    return _TRANSITIONS[status]


def check_transition(current: NeedStatus, target: NeedStatus) -> None:
    """Raise TransitionError with a plain sentence unless current -> target is allowed."""
    if target == current:
        return
    if target not in _TRANSITIONS[current]:
        allowed = ", ".join(s.label.lower() for s in _TRANSITIONS[current]) or _("nothing")
        raise TransitionError(
            _("A need that is {current} cannot become {target}; it can become: {allowed}.").format(
                current=current.label.lower(), target=target.label.lower(), allowed=allowed
            )
        )


# Rides: requested -> offered -> confirmed -> completed, or cancelled / no-show.
_RIDE_STEPS: dict[str, tuple[str, ...]] = {
    "requested": ("offered", "cancelled"),
    "offered": ("confirmed", "requested", "cancelled"),
    "confirmed": ("completed", "no_show", "cancelled", "offered"),
    "completed": (),
    "no_show": ("requested",),
    "cancelled": ("requested",),
}


def next_ride_statuses(status: str) -> tuple[str, ...]:
    """The statuses a ride in `status` may move to."""
    return _RIDE_STEPS.get(status, ())


def check_ride_step(current: str, target: str) -> None:
    if target != current and target not in _RIDE_STEPS.get(current, ()):
        raise TransitionError(
            _("A ride that is {current} cannot become {target}.").format(
                current=current.replace("_", "-"), target=target.replace("_", "-")
            )
        )
