"""Sensors: watch the landing folder; run the transform after every successful ingest."""


import hashlib
import json
from pathlib import Path

import dagster as dg

from .assets.ingest import la_partitions
from .ingest.contract import load_contract
from .ingest.landing import LandingScan, scan_landing
from .jobs import ingest_job, transform_job
from .resources import LandingFolderResource


def landing_fingerprints(scan: LandingScan) -> dict[str, str]:
    """A cheap per-LA fingerprint (file names, sizes, modification times); ingest itself compares
    content hashes, so a touched but unchanged file costs one skipped load, never a wrong one."""
    prints: dict[str, list] = {}
    for extract in scan.extracts:
        for table, path in sorted(extract.files.items()):
            stat = path.stat()
            prints.setdefault(extract.la_code, []).append(
                [str(extract.extract_date), table, stat.st_size, stat.st_mtime_ns]
            )
    return {la: json.dumps(items) for la, items in prints.items()}


PENDING_STATUSES = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
                    dg.DagsterRunStatus.STARTED]


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def landing_sensor(context: dg.SensorEvaluationContext, landing: LandingFolderResource):
    """Register new LAs as partitions and request an ingest run for each LA whose files changed."""
    scan = scan_landing(Path(landing.path), load_contract())
    for error in scan.errors:
        context.log.error(error)
    previous = json.loads(context.cursor) if context.cursor else {}
    current = landing_fingerprints(scan)
    changed = sorted(la for la, fp in current.items() if previous.get(la) != fp)
    known = set(context.instance.get_dynamic_partitions(la_partitions.name))
    new = [la for la in changed if la not in known]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=f"{la}:{hashlib.sha1(current[la].encode()).hexdigest()}", partition_key=la)
            for la in changed
        ],
        dynamic_partitions_requests=[la_partitions.build_add_request(new)] if new else [],
        cursor=json.dumps(current),
    )


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
