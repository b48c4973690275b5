"""Nightly refresh: re-check every LA's landing folder (unchanged extracts are skipped by content
hash) in one run; the transform follows through the run-status sensor."""

import dagster as dg

from .assets.ingest import la_partitions
from .jobs import ingest_job


@dg.schedule(job=ingest_job, cron_schedule="0 2 * * *", execution_timezone="Europe/London",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def nightly_refresh(context: dg.ScheduleEvaluationContext):
    keys = context.instance.get_dynamic_partitions(la_partitions.name)
    if not keys:
        return dg.SkipReason("no LA partitions registered yet: the landing sensor adds them")
    return dg.RunRequest(tags=partition_range_tags(keys))


def partition_range_tags(keys: list[str]) -> dict[str, str]:
    """Tags that make one run cover every LA partition (the ingest asset's single-run policy)."""
    return {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }
