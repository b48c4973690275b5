"""Run the whole pipeline in process on a landing folder: what `csc run` and the end-to-end tests do.

It executes the same Dagster jobs the UI runs (ingest of the LAs with something new in one run, then
the dbt build), so what the tests check is what production runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from ..core.contract import load_contract
from ..core.ingest.landing import LandingScan, scan_landing
from ..core.ingest.loader import las_with_new_extracts
from ..core.warehouse import connect_warehouse
from ..defs.ingest import la_partitions, partition_range_tags
from ..settings import Settings


@dataclass
class PipelineResult:
    landing_errors: list[str] = field(default_factory=list)
    landing_warnings: list[str] = field(default_factory=list)
    ingest_ok: bool = False
    transform_ok: bool = False
    failed_checks: list[str] = field(default_factory=list)  # "asset check: severity"
    extracts: list[tuple] = field(default_factory=list)  # rows of marts.extracts / raw.extract_log
    step_seconds: dict[str, float] = field(default_factory=dict)  # Dagster step key -> duration
    checks_seconds: float = 0.0  # the ingest checks (GX suites and data-quality results) inside ingest

    @property
    def blocked(self) -> list[str]:
        return [f"{la}/{date}" for la, date, status, *_ in self.extracts if status == "blocked"]

    @property
    def ok(self) -> bool:
        """Exit status of `csc run`: everything loaded and built, nothing blocked or unreadable."""
        return (
            self.ingest_ok and self.transform_ok and not self.blocked and not self.landing_errors
            and bool(self.extracts)
        )


def run_pipeline(settings: Settings, instance: dg.DagsterInstance | None = None, force: bool = False
                 ) -> PipelineResult:
    """Ingest the LAs of the landing folder with new or changed extracts (every LA with ``force``) in one
    run, then build and publish (as the sensors would)."""
    from ..definitions import build_definitions

    defs = build_definitions(settings)
    result = PipelineResult()
    scan = scan_landing(settings.landing_dir, load_contract())
    result.landing_errors = scan.errors
    result.landing_warnings = scan.warnings
    if not scan.la_codes:
        return result

    instance = instance or dg.DagsterInstance.ephemeral()
    known = set(instance.get_dynamic_partitions(la_partitions.name))
    instance.add_dynamic_partitions(la_partitions.name, [la for la in scan.la_codes if la not in known])
    keys = instance.get_dynamic_partitions(la_partitions.name)
    if not force:  # one run over the LAs with something new (unchanged ones would be skipped anyway)
        keys = _changed_range(keys, settings, scan)

    ingest = defs.resolve_job_def("ingest_job").execute_in_process(
        instance=instance, tags=partition_range_tags(keys), raise_on_error=False,
        run_config={"ops": {"raw_extracts": {"config": {"force": force}}}},
    )
    result.ingest_ok = ingest.success
    result.failed_checks += _failed_checks(ingest)
    result.step_seconds.update(_step_seconds(instance, ingest.run_id))
    for event in ingest.get_asset_materialization_events():
        if "checks_seconds" in event.materialization.metadata:
            result.checks_seconds = event.materialization.metadata["checks_seconds"].value
    if ingest.success:
        transform = defs.resolve_job_def("transform_job").execute_in_process(instance=instance, raise_on_error=False)
        result.transform_ok = transform.success
        result.failed_checks += _failed_checks(transform)
        result.step_seconds.update(_step_seconds(instance, transform.run_id))

    if settings.warehouse_path.exists():
        con = connect_warehouse(settings.warehouse_path, read_only=True)
        try:
            result.extracts = con.execute(
                "SELECT la_code, extract_date, status, block_reasons FROM raw.extract_log ORDER BY ALL"
            ).fetchall()
        finally:
            con.close()
    return result


def _changed_range(keys: list[str], settings: Settings, scan: LandingScan) -> list[str]:
    """The partitions from the first to the last LA with a new or changed extract (a run covers a range
    of partitions), or all of them when none has one. A one-LA refresh with 152 LAs loaded then records
    one LA's materialisations, not 152's: 3,000 Dagster events cost it about 10 s."""
    extracts = [e for la in scan.la_codes for e in scan.for_la(la)]
    con = connect_warehouse(settings.warehouse_path, read_only=True) if settings.warehouse_path.exists() else None
    try:
        changed = las_with_new_extracts(con, extracts)
    finally:
        if con is not None:
            con.close()
    positions = [i for i, key in enumerate(keys) if key in changed]
    return keys[positions[0]:positions[-1] + 1] if positions else keys


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    started, seconds = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS and event.step_key in started:
            seconds[event.step_key] = entry.timestamp - started[event.step_key]
    return seconds


def _failed_checks(run: dg.ExecuteInProcessResult) -> list[str]:
    failed = []
    for event in run.get_asset_check_evaluations():
        if not event.passed:
            failed.append(f"{event.asset_key.to_user_string()} {event.check_name}: {event.severity.value}")
    return failed
