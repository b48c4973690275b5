"""Publication: after a successful dbt build the marts go to the BI serving file, then the report."""

from pathlib import Path

import dagster as dg

from ...core.publish import publish_marts
from ...core.report import write_kpi_report
from ...core.warehouse import connect_warehouse
from ..resources import ReportFileResource, ServingFileResource, WarehouseResource

SERVING_GROUP = "serving"


def build_serving_assets(mart_keys: list[dg.AssetKey]) -> list[dg.AssetsDefinition]:
    @dg.asset(key=["serving", "marts"], deps=mart_keys, group_name=SERVING_GROUP, kinds={"duckdb"},
              description="Read-only copy of every mart for BI tools, swapped in atomically after a good build.")
    def published_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                        serving: ServingFileResource):
        # It runs only when every mart (and every blocking check upstream) succeeded in this run.
        with warehouse.connect() as con:
            counts = publish_marts(con, Path(serving.path))
        context.log.info(f"published {len(counts)} marts to {serving.path}")
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(serving.path),
            "tables": len(counts),
            "rows": dg.MetadataValue.json(counts),
        })

    @dg.asset(key=["serving", "kpi_report"], deps=[published_marts], group_name=SERVING_GROUP, kinds={"html"},
              description="Self-contained HTML KPI report (scorecards, trends, Front Door waits) from the "
                          "published marts.")
    def kpi_report(serving: ServingFileResource, report: ReportFileResource):
        con = connect_warehouse(Path(serving.path), read_only=True)
        try:
            path = write_kpi_report(con, Path(report.path))
        finally:
            con.close()
        return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                              "bytes": path.stat().st_size})

    return [published_marts, kpi_report]
