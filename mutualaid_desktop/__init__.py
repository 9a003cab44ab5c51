"""Mutual Aid Desktop: an offline tool for mutual-aid organizers."""

__version__ = "0.1.0"
