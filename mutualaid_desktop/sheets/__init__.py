"""Printouts as PDFs with reportlab: route sheets, packing slips, labels, rosters (no Qt)."""
