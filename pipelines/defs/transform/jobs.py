"""The transform job (dbt build of every model, seed and test, then publication) and the sensor that
runs it after ingest."""

import dagster as dg

from ..ingest import ingest_job

transform_job = dg.define_asset_job(
    "transform_job",
    # everything downstream of the raw tables: the dbt models and the serving assets
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    description="dbt build (staging, intermediate and KPI marts with their tests), then publish for BI.",
)

PENDING_STATUSES = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
                    dg.DagsterRunStatus.STARTED]


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=transform_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def transform_after_ingest(context: dg.RunStatusSensorContext):
    """Rebuild the marts once new data has been ingested: after the last of a burst of ingest runs
    (one per LA when many councils send at once), not after each of them."""
    pending = context.instance.get_runs(
        filters=dg.RunsFilter(job_name=ingest_job.name, statuses=PENDING_STATUSES), limit=1
    )
    if pending:
        return dg.SkipReason(f"ingest run {pending[0].run_id} is still to finish; the marts rebuild after it")
    return dg.RunRequest(run_key=f"after-{context.dagster_run.run_id}")
