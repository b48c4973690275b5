"""Serving: the read-only copy of the marts for BI tools, and the HTML KPI report."""

from .assets import build_serving_assets

__all__ = ["build_serving_assets"]
