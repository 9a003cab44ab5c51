"""Bringing records in and out, and spotting the same household twice (no Qt)."""
