"""Jobs: ingest (per LA partition, many LAs per run) and transform (dbt build of every mart)."""

import dagster as dg

from .assets.dbt import csc_dbt_models
from .assets.ingest import la_partitions, raw_extracts
from .assets.publish import kpi_report, published_marts

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_extracts),
    partitions_def=la_partitions,
    description="Load new or changed council extracts for the LAs of the run into raw.*.",
)

transform_job = dg.define_asset_job(
    "transform_job",
    selection=dg.AssetSelection.assets(csc_dbt_models, published_marts, kpi_report),
    description="dbt build (staging, intermediate and KPI marts with their tests), then publish for BI.",
)
