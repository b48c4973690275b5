"""Statutory returns (SSDA903, CIN census) as extracts: recognising and reading them."""
