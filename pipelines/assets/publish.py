"""Publication: after a successful dbt build the marts go to the BI serving file, then the report."""

from pathlib import Path

import dagster as dg
import duckdb

from ..kpi_report import write_report
from ..publish import publish_marts
from ..resources import ReportFileResource, ServingFileResource, WarehouseResource
from .dbt import csc_dbt_models

MART_KEYS = [key for key in csc_dbt_models.keys if key.path[0] == "marts"]


@dg.asset(key=["serving", "marts"], deps=MART_KEYS, group_name="serving", kinds={"duckdb"},
          description="Read-only copy of every mart for BI tools, swapped in atomically after a good build.")
def published_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource, serving: ServingFileResource):
    # It runs only when every mart (and every blocking check upstream) succeeded in this run.
    with warehouse.connect() as con:
        counts = publish_marts(con, Path(serving.path))
    context.log.info(f"published {len(counts)} marts to {serving.path}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(serving.path),
        "tables": len(counts),
        "rows": dg.MetadataValue.json(counts),
    })


@dg.asset(key=["serving", "kpi_report"], deps=[published_marts], group_name="serving", kinds={"html"},
          description="Self-contained HTML KPI report (scorecards, trends, Front Door waits) from the published marts.")
def kpi_report(context: dg.AssetExecutionContext, serving: ServingFileResource, report: ReportFileResource):
    con = duckdb.connect(serving.path, read_only=True)
    try:
        path = write_report(con, Path(report.path))
    finally:
        con.close()
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                          "bytes": path.stat().st_size})
