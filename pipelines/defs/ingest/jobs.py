"""The ingest job: per LA partition (dynamic, registered by the landing sensor), many LAs per run."""

import dagster as dg

la_partitions = dg.DynamicPartitionsDefinition(name="la")

INGEST_GROUP = "ingest"

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups(INGEST_GROUP),
    partitions_def=la_partitions,
    description="Load new or changed council extracts for the LAs of the run into raw.*.",
)


def partition_range_tags(keys: list[str]) -> dict[str, str]:
    """Tags that make one run cover every LA partition (the ingest asset's single-run policy)."""
    return {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }
