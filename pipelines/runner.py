"""Run the whole pipeline in process on a landing folder: what `csc run` and the end-to-end tests do.

It executes the same Dagster jobs the UI runs (ingest for every LA in one run, then the dbt build),
so what the tests check is what production runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from .ingest.contract import load_contract
from .ingest.landing import scan_landing
from .resources import connect_warehouse
from .schedules import partition_range_tags


@dataclass
class PipelineResult:
    landing_errors: list[str] = field(default_factory=list)
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


def _configure(landing: Path, warehouse: Path, serving: Path | None) -> None:
    # Resources and the dbt subprocess read these (pipelines/settings.py).
    os.environ["CSC_LANDING_DIR"] = str(landing.resolve())
    os.environ["CSC_WAREHOUSE_PATH"] = str(warehouse.resolve())
    serving = (serving or warehouse.parent / "serving.duckdb").resolve()
    os.environ["CSC_SERVING_PATH"] = str(serving)
    os.environ["CSC_REPORT_PATH"] = str(serving.parent / "kpi_report.html")


def run_pipeline(
    landing: Path, warehouse: Path, instance: dg.DagsterInstance | None = None, serving: Path | None = None
) -> PipelineResult:
    """Ingest, build and publish. The serving file defaults to serving.duckdb beside the warehouse."""
    _configure(landing, warehouse, serving)
    from .definitions import build_definitions

    defs = build_definitions()
    result = PipelineResult()
    scan = scan_landing(landing, load_contract())
    result.landing_errors = scan.errors
    if not scan.la_codes:
        return result

    instance = instance or dg.DagsterInstance.ephemeral()
    known = set(instance.get_dynamic_partitions("la"))
    instance.add_dynamic_partitions("la", [la for la in scan.la_codes if la not in known])
    keys = instance.get_dynamic_partitions("la")

    ingest = defs.resolve_job_def("ingest_job").execute_in_process(
        instance=instance, tags=partition_range_tags(keys), raise_on_error=False
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

    if warehouse.exists():
        con = connect_warehouse(warehouse, read_only=True)
        try:
            result.extracts = con.execute(
                "SELECT la_code, extract_date, status, block_reasons FROM raw.extract_log ORDER BY ALL"
            ).fetchall()
        finally:
            con.close()
    return result


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
