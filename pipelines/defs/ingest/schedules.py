"""Nightly refresh: re-check every LA's landing folder (unchanged extracts are skipped by content
hash) in one run; the transform follows through the run-status sensor."""

import dagster as dg

from .jobs import ingest_job, la_partitions, partition_range_tags


@dg.schedule(job=ingest_job, cron_schedule="0 2 * * *", execution_timezone="Europe/London",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def nightly_refresh(context: dg.ScheduleEvaluationContext):
    keys = context.instance.get_dynamic_partitions(la_partitions.name)
    if not keys:
        return dg.SkipReason("no LA partitions registered yet: the landing sensor adds them")
    return dg.RunRequest(tags=partition_range_tags(keys))
