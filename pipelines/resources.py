"""Dagster resources: the DuckDB warehouse and the dbt CLI.

The warehouse is opened only inside a run, never at import: the code server and the daemon import
this module, and a DuckDB file has one writer at a time.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from . import settings
from .project import dbt_project

LOCK_WAIT_SECONDS = 120


class LandingFolderResource(dg.ConfigurableResource):
    """Where councils drop extracts (CSC_LANDING_DIR): <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv."""

    path: str


class ServingFileResource(dg.ConfigurableResource):
    """The BI serving file (CSC_SERVING_PATH): written only by the publish asset."""

    path: str


class ReportFileResource(dg.ConfigurableResource):
    """Where the HTML KPI report is written (CSC_REPORT_PATH)."""

    path: str


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file (CSC_WAREHOUSE_PATH)."""

    path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect_warehouse(Path(self.path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()


def connect_warehouse(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting while another process holds the write lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET enable_progress_bar = false")  # no progress bars in logs and reports
            return con
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(1)


def _dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), whether or not it is on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def build_resources() -> dict:
    # dbt runs as a subprocess and finds the warehouse through this variable (profiles.yml).
    os.environ.setdefault("CSC_WAREHOUSE_PATH", str(settings.warehouse_path()))
    return {
        "landing": LandingFolderResource(path=str(settings.landing_dir())),
        "serving": ServingFileResource(path=str(settings.serving_path())),
        "report": ReportFileResource(path=str(settings.report_path())),
        "warehouse": WarehouseResource(path=str(settings.warehouse_path())),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=_dbt_executable()),
    }
