"""Offline route ordering: where each stop is, which driver takes it, in what order.

No network, ever: coordinates come from the contact, else from the ZIP code's
centroid in a data set shipped with the `zipcodes` package.
"""

from mutualaid_desktop.routing.geo import Located, Point, distance_km, locate
from mutualaid_desktop.routing.plan import Plan, Route, StopIn, plan_routes

__all__ = [
    "Located",
    "Plan",
    "Point",
    "Route",
    "StopIn",
    "distance_km",
    "locate",
    "plan_routes",
]
