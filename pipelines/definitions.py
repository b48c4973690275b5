"""The one Definitions object of the code location (workspace.yaml loads this module)."""

import dagster as dg

from .assets.dbt import csc_dbt_models
from .assets.ingest import raw_extracts
from .assets.publish import kpi_report, published_marts
from .checks.freshness import daily_freshness, extracts_on_time, freshness_job
from .jobs import ingest_job, transform_job
from .resources import build_resources
from .schedules import nightly_refresh
from .sensors import landing_sensor, transform_after_ingest


def build_definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[raw_extracts, csc_dbt_models, published_marts, kpi_report],
        asset_checks=[extracts_on_time],
        jobs=[ingest_job, transform_job, freshness_job],
        sensors=[landing_sensor, transform_after_ingest],
        schedules=[nightly_refresh, daily_freshness],
        resources=build_resources(),
        # One DuckDB writer: every step of a run in one process, one after the other.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
