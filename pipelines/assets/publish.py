"""The publish asset: after a successful dbt build, the marts go to the BI serving file."""

from pathlib import Path

import dagster as dg

from ..publish import publish_marts
from ..resources import ServingFileResource, WarehouseResource
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
