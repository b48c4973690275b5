"""Freshness: is every council sending its extracts on time (a daily asset check)."""

from .checks import daily_freshness, extracts_on_time, freshness_job, freshness_result

__all__ = ["daily_freshness", "extracts_on_time", "freshness_job", "freshness_result"]
