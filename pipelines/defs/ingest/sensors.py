"""The landing sensor: register new LAs as partitions and ask for an ingest run when files change."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from ...core.contract import load_contract
from ...core.ingest.landing import LandingScan, scan_landing
from ..resources import LandingFolderResource
from .jobs import ingest_job, la_partitions


def landing_fingerprints(scan: LandingScan) -> dict[str, str]:
    """A cheap per-LA fingerprint (file names, sizes, modification times); ingest itself compares
    content hashes, so a touched but unchanged file costs one skipped load, never a wrong one."""
    prints: dict[str, list] = {}
    for extract in scan.extracts:
        for table, path in sorted(extract.files.items()):
            for file in extract.rejected_files.get(table, (path,)):  # a dataset rejected whole: all its files
                stat = file.stat()
                prints.setdefault(extract.la_code, []).append(
                    [str(extract.extract_date), extract.dataset, table, file.name, stat.st_size, stat.st_mtime_ns]
                )
    return {la: json.dumps(items) for la, items in prints.items()}


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def landing_sensor(context: dg.SensorEvaluationContext, landing: LandingFolderResource):
    """Register new LAs as partitions and request an ingest run for each LA whose files changed."""
    scan = scan_landing(Path(landing.path), load_contract())
    for error in scan.errors:
        context.log.error(error)
    for warning in scan.warnings:
        context.log.warning(warning)
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
