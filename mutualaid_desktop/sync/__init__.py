"""Sync between organizers by encrypted bundle files (no Qt): identity first."""
