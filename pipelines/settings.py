"""Configuration, read from environment variables with defaults that work out of the box.

Every setting the product reads is listed here (and in docs/operations.md), so there is one place
to look. Values are read when asked for, not at import, so tests and the CLI can override them.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = PROJECT_ROOT / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def landing_dir() -> Path:
    """Where councils' extracts arrive: <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv."""
    return Path(os.environ.get("CSC_LANDING_DIR", DEFAULT_DATA_DIR / "landing"))


def warehouse_path() -> Path:
    """The DuckDB warehouse file that ingest and dbt write (one writer at a time)."""
    return Path(os.environ.get("CSC_WAREHOUSE_PATH", DEFAULT_DATA_DIR / "warehouse.duckdb"))


def serving_path() -> Path:
    """The read-only copy of the marts that BI tools open (published after each good build)."""
    return Path(os.environ.get("CSC_SERVING_PATH", warehouse_path().parent / "serving.duckdb"))


def report_path() -> Path:
    """The self-contained HTML KPI report, rewritten after each publication."""
    return Path(os.environ.get("CSC_REPORT_PATH", serving_path().parent / "kpi_report.html"))


def dq_block_threshold() -> float:
    """Share of a table's rows (rejected + excluded) above which the whole extract is blocked."""
    return float(os.environ.get("CSC_DQ_BLOCK_THRESHOLD", "0.05"))


def caseload_ceiling() -> int:
    """Open cases per professional above which the caseload_over_ceiling warning fires."""
    return int(os.environ.get("CSC_CASELOAD_CEILING", "40"))
