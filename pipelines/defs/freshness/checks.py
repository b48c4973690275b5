"""Is every council sending extracts on time? An asset check, run daily by its own schedule.

The rule lives once, in the dbt view intermediate.int_extract_freshness (cadence from
seeds/extract_cadence.csv, default tolerance from the dbt var): this check reads it, so the check,
marts.extracts and the report always agree. Late (amber) fails with severity WARN; overdue (red: after
twice the tolerance, or a listed LA that has sent nothing) with severity ERROR.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from ...core.warehouse import has_table
from ..resources import WarehouseResource

FRESHNESS_MODEL = ("intermediate", "int_extract_freshness")


def freshness_result(report: dict[str, dict]) -> dg.AssetCheckResult:
    overdue = sorted(la for la, r in report.items() if r["freshness"] == "overdue")
    late = sorted(la for la, r in report.items() if r["freshness"] == "late")
    return dg.AssetCheckResult(
        passed=not overdue and not late,
        severity=dg.AssetCheckSeverity.ERROR if overdue else dg.AssetCheckSeverity.WARN,
        metadata={"overdue_las": overdue, "late_las": late, "by_la": dg.MetadataValue.json(report)},
    )


@dg.asset_check(asset=dg.AssetKey(list(FRESHNESS_MODEL)), name="extracts_on_time",
                description="Each LA's newest extract arrived within its expected cadence (amber late, red overdue).")
def extracts_on_time(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    schema, view = FRESHNESS_MODEL
    if not Path(warehouse.path).exists():
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR,
                                   metadata={"reason": f"no warehouse at {warehouse.path}"})
    with warehouse.connect(read_only=True) as con:
        if not has_table(con, schema, view) and not con.execute(
                "SELECT count(*) FROM duckdb_views() WHERE schema_name = ? AND view_name = ?", [schema, view]
        ).fetchone()[0]:
            return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR,
                                       metadata={"reason": "the marts have not been built yet: run the transform"})
        rows = con.execute(
            f"SELECT la_code, newest_extract_date::VARCHAR, days_since_extract, tolerance_days, freshness"
            f" FROM {schema}.{view} ORDER BY la_code"
        ).fetchall()
    report = {la: {"newest_extract": newest, "days_since": days, "tolerance_days": tolerance, "freshness": status}
              for la, newest, days, tolerance, status in rows}
    return freshness_result(report)


freshness_job = dg.define_asset_job(
    "freshness_job", selection=dg.AssetSelection.checks(extracts_on_time),
    description="Check that every council's newest extract is on time.",
)


@dg.schedule(job=freshness_job, cron_schedule="0 7 * * *", execution_timezone="Europe/London",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_freshness():
    return dg.RunRequest()
