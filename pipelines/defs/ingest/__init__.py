"""Ingest: council extracts from the landing folder into raw.*, with the contract's checks."""

from .assets import IngestConfig, build_ingest_assets
from .checks import raw_key
from .jobs import ingest_job, la_partitions, partition_range_tags
from .schedules import nightly_refresh
from .sensors import landing_sensor

__all__ = ["IngestConfig", "build_ingest_assets", "ingest_job", "la_partitions", "landing_sensor",
           "nightly_refresh", "partition_range_tags", "raw_key"]
