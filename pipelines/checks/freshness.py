"""Is every council sending extracts on time? An asset check on raw/extract_log, run daily.

Expected cadence per LA comes from seeds/extract_cadence.csv (an LA not listed: the dbt var defaults,
monthly with 35 days' tolerance). The newest extract (blocked or not: lateness is about arrival) is
late (amber: the check fails with severity WARN) after the tolerance, and overdue (red: severity ERROR)
after twice the tolerance or when a listed LA has sent nothing at all.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb

from ..resources import WarehouseResource
from ..settings import SEEDS_DIR
from .ingest_checks import raw_key

DEFAULT_TOLERANCE_DAYS = 35  # the same default as dbt var default_tolerance_days


def tolerances() -> dict[str, int]:
    with (SEEDS_DIR / "extract_cadence.csv").open(encoding="utf-8") as fh:
        return {row["la_code"]: int(row["tolerance_days"]) for row in csv.DictReader(fh)}


def lateness(con: duckdb.DuckDBPyConnection, today: dt.date) -> dict[str, dict]:
    """Per LA (every LA with an extract, and every LA in the cadence seed): days since and status."""
    expected = tolerances()
    newest = dict(con.execute("SELECT la_code, max(extract_date) FROM raw.extract_log GROUP BY 1").fetchall())
    report = {}
    for la in sorted(set(newest) | set(expected)):
        tolerance = expected.get(la, DEFAULT_TOLERANCE_DAYS)
        last = newest.get(la)
        days = (today - last).days if last else None
        status = ("overdue" if days is None or days > 2 * tolerance
                  else "late" if days > tolerance else "on_time")
        report[la] = {"newest_extract": str(last) if last else None, "days_since": days,
                      "tolerance_days": tolerance, "status": status}
    return report


def freshness_result(report: dict[str, dict]) -> dg.AssetCheckResult:
    overdue = sorted(la for la, r in report.items() if r["status"] == "overdue")
    late = sorted(la for la, r in report.items() if r["status"] == "late")
    return dg.AssetCheckResult(
        passed=not overdue and not late,
        severity=dg.AssetCheckSeverity.ERROR if overdue else dg.AssetCheckSeverity.WARN,
        metadata={"overdue_las": overdue, "late_las": late, "by_la": dg.MetadataValue.json(report)},
    )


@dg.asset_check(asset=raw_key("extract_log"), name="extracts_on_time",
                description="Each LA's newest extract arrived within its expected cadence (amber late, red overdue).")
def extracts_on_time(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    path = Path(warehouse.path)
    if not path.exists():
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR,
                                   metadata={"reason": f"no warehouse at {path}"})
    with warehouse.connect(read_only=True) as con:
        return freshness_result(lateness(con, dt.date.today()))


freshness_job = dg.define_asset_job(
    "freshness_job", selection=dg.AssetSelection.checks(extracts_on_time),
    description="Check that every council's newest extract is on time.",
)


@dg.schedule(job=freshness_job, cron_schedule="0 7 * * *", execution_timezone="Europe/London",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_freshness():
    return dg.RunRequest()
