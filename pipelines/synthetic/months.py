"""Calendar-month arithmetic on first-of-month dates, for the generator."""

from __future__ import annotations

import datetime as dt


def add_months(d: dt.date, n: int) -> dt.date:
    """The first day of the month n months after d's month."""
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


def days_in_month(month: dt.date) -> int:
    return (add_months(month, 1) - month).days


def last_day(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)
