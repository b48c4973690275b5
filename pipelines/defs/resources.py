"""Dagster resources, filled from the one Settings object (pipelines/settings.py).

The warehouse is opened only inside a run, never at import or load: the code server and the daemon
load the definitions, and a DuckDB file has one writer at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from ..core.ingest.quality import LoadPolicy
from ..core.warehouse import connect_warehouse
from ..settings import DEFAULT_MEMORY_LIMIT, Settings


class LandingFolderResource(dg.ConfigurableResource):
    """Where councils drop extracts (CSC_LANDING_DIR): <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv."""

    path: str


class LoadPolicyResource(dg.ConfigurableResource):
    """The loader's thresholds (CSC_DQ_BLOCK_THRESHOLD, CSC_CASELOAD_CEILING)."""

    dq_block_threshold: float
    caseload_ceiling: int

    def policy(self) -> LoadPolicy:
        return LoadPolicy(self.dq_block_threshold, self.caseload_ceiling)


class ServingFileResource(dg.ConfigurableResource):
    """The BI serving file (CSC_SERVING_PATH): written only by the publish asset."""

    path: str


class ReportFileResource(dg.ConfigurableResource):
    """Where the HTML KPI report is written (CSC_REPORT_PATH)."""

    path: str


CHECKPOINT_THRESHOLD = "1GB"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file (CSC_WAREHOUSE_PATH), how many councils are loaded into it at the same
    time (CSC_LOAD_WORKERS) and DuckDB's memory limit, here and in the dbt build (CSC_MEMORY_LIMIT)."""

    path: str
    load_workers: int = 1
    memory_limit: str = DEFAULT_MEMORY_LIMIT

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect_warehouse(Path(self.path), read_only=read_only)
        con.execute(f"SET memory_limit = '{self.memory_limit}'")
        if not read_only:
            # DuckDB checkpoints when its write-ahead log passes 16 MB, about once per council loaded, and
            # each checkpoint costs more than the council's own writes: at 1 GB, 76 councils loaded in 58 s
            # instead of 89 s (peak 1.6 GB against 0.8; the memory limit still holds).
            con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        try:
            yield con
        finally:
            con.close()


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    return {
        "landing": LandingFolderResource(path=str(settings.landing_dir)),
        "load_policy": LoadPolicyResource(dq_block_threshold=settings.dq_block_threshold,
                                          caseload_ceiling=settings.caseload_ceiling),
        "serving": ServingFileResource(path=str(settings.serving_path)),
        "report": ReportFileResource(path=str(settings.report_path)),
        "warehouse": WarehouseResource(path=str(settings.warehouse_path), load_workers=settings.load_workers,
                                       memory_limit=settings.memory_limit),
    }
