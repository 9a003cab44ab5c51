"""Planning distribution days: runs, their stops, route order, outcomes (no Qt)."""
