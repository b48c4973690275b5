"""A return's coverage (statutory-returns.md, "Stacking"): from the latest 1 April on or before its
reference date (its extract date) to that date. The dbt model int_statutory_returns applies the same rule."""

from __future__ import annotations

import datetime as dt


def coverage_start(reference_date: dt.date) -> dt.date:
    """The latest 1 April on or before the reference date."""
    return dt.date(reference_date.year - (reference_date.month < 4), 4, 1)
