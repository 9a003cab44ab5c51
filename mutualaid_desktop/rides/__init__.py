"""Ride-share: driver availability and matching rides to drivers (no Qt)."""
