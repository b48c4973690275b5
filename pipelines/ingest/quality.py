"""Cross-row data-quality checks on one staged extract, and the decision to block it.

Checks run on the rows that passed the row-level rules. Error-level failures exclude the row from the
KPI marts, and exclusions cascade along references (person -> contacts, missing episodes,
discussions -> attendees; team -> professionals -> involvements): a table is checked only after the
tables it refers to, so a reference to an excluded row is itself excluded. Results land in the TEMP
table ``stage_dq`` (one row per failing record and check).
"""

from __future__ import annotations

from graphlib import TopologicalSorter

import duckdb

from .contract import Check, Contract, Table
from .landing import Extract
from .stage import FileResult, stage_table_name

DQ_TABLE = "stage_dq"

# Checks that apply to every table, by the contract's generic rules.
GENERIC_CHECKS = {
    "unknown_reference": "The row refers to a record that is not in the extract.",
    "excluded_reference": "The row refers to a record excluded by an error-level check.",
    "date_after_as_at": "A date is after the extract's as-at time (end of the extract day).",
    "ambiguous_local_time": "A wall-clock time in the hour the clocks skip (spring) or repeat (autumn).",
}

# UK clocks change at 01:00 UTC on the last Sunday of March and October, so local times from 01:00
# to 01:59:59 that day do not exist (March) or happen twice (October). Either reading is accepted.
_AMBIGUOUS_HOUR = """month({c}) IN (3, 10) AND isodow({c}) = 7 AND day({c}) > day(last_day({c})) - 7
                     AND hour({c}) = 1"""


def tables_in_reference_order(contract: Contract) -> list[str]:
    graph = {
        t.name: {f.reference_table for f in t.fields if f.references and f.reference_table != t.name}
        for t in contract.tables.values()
    }
    return list(TopologicalSorter(graph).static_order())


def applicable_checks(contract: Contract) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, check name) -> (severity, description), for every check that can fire on a table."""
    checks = {}
    for table in contract.tables.values():
        for check in contract.checks_for(table.name):
            checks[(table.name, check.name)] = (check.severity, check.description)
        if any(f.is_temporal and not f.after_as_at_allowed for f in table.fields):
            checks[(table.name, "date_after_as_at")] = ("error", GENERIC_CHECKS["date_after_as_at"])
        if any(f.type == "datetime" for f in table.fields):
            checks[(table.name, "ambiguous_local_time")] = ("warn", GENERIC_CHECKS["ambiguous_local_time"])
        if any(f.references for f in table.fields):
            for name in ("unknown_reference", "excluded_reference"):
                checks[(table.name, name)] = ("error", GENERIC_CHECKS[name])
    return checks


def run_checks(
    con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract, present: set[str], caseload_ceiling: int
) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DQ_TABLE} (table_name VARCHAR, record_id VARCHAR, line_no BIGINT,"
        " check_name VARCHAR, severity VARCHAR, detail VARCHAR)"
    )
    for name in tables_in_reference_order(contract):
        if name not in present:
            continue
        table = contract.table(name)
        for check in contract.checks_for(name):
            sql = _order_sql(check) if check.order else _CUSTOM_CHECKS[check.name](table, extract, caseload_ceiling)
            _insert(con, table, check.name, check.severity, sql)
        for f in table.fields:
            if f.is_temporal and not f.after_as_at_allowed:
                limit = f"DATE '{extract.extract_date}'" if f.type == "date" else f"TIMESTAMP '{extract.as_at}'"
                _insert(
                    con, table, "date_after_as_at", "error",
                    f"""SELECT *, '{f.name} ' || "{f.name}" || ' is after the as-at time {extract.as_at}' AS detail
                        FROM ok WHERE "{f.name}" > {limit}""",
                )
        for f in table.fields:
            if f.type == "datetime":
                _insert(
                    con, table, "ambiguous_local_time", "warn",
                    f"""SELECT *, '{f.name} ' || "{f.name}" || ' is in the hour of a clock change' AS detail
                        FROM ok WHERE {_AMBIGUOUS_HOUR.format(c=f'"{f.name}"')}""",
                )
        for f in table.fields:
            parent = f.reference_table
            if parent is None or parent not in present:
                continue
            parent_ok = f"(SELECT \"{f.reference_field}\" FROM {stage_table_name(parent)} WHERE status = 'loaded')"
            parent_excluded = (
                f"(SELECT record_id FROM {DQ_TABLE} WHERE table_name = '{parent}' AND severity = 'error')"
            )
            _insert(
                con, table, "unknown_reference", "error",
                f"""SELECT *, '{f.name} ' || "{f.name}" || ' is not in {parent}' AS detail FROM ok
                    WHERE "{f.name}" IS NOT NULL AND "{f.name}" NOT IN {parent_ok}""",
            )
            _insert(
                con, table, "excluded_reference", "error",
                f"""SELECT *, '{f.name} ' || "{f.name}" || ' is excluded from {parent} by an error-level check'
                    AS detail FROM ok WHERE "{f.name}" IN {parent_excluded}""",
            )


def _insert(con: duckdb.DuckDBPyConnection, table: Table, check: str, severity: str, failing_sql: str) -> None:
    con.execute(
        f"""
        INSERT INTO {DQ_TABLE}
        WITH ok AS (SELECT * FROM {stage_table_name(table.name)} WHERE status = 'loaded'),
             failing AS ({failing_sql})
        SELECT '{table.name}', "{table.primary_key}", line_no, '{check}', '{severity}', detail FROM failing
        """
    )


def _order_sql(check: Check) -> str:
    earlier, later = check.order
    return f"""SELECT *, '{later} ' || "{later}" || ' is before {earlier} ' || "{earlier}" AS detail
               FROM ok WHERE "{later}" < "{earlier}" """


def _decision_outcome_mismatch(table: Table, extract: Extract, ceiling: int) -> str:
    return """SELECT *, CASE WHEN cont_decision_date IS NULL THEN 'an outcome without a decision date'
                        ELSE 'a decision date without an outcome' END AS detail
              FROM ok WHERE (cont_decision_date IS NULL) <> (cont_contact_outcome IS NULL)"""


def _overlapping_missing_episodes(table: Table, extract: Extract, ceiling: int) -> str:
    return """SELECT a.*, 'overlaps episode ' || min(b.miss_table_id) AS detail
              FROM ok a JOIN ok b
                ON a.miss_person_id = b.miss_person_id AND a.miss_table_id <> b.miss_table_id
               AND a.miss_missing_episode_start_date < coalesce(b.miss_missing_episode_end_date, 'infinity'::TIMESTAMP)
               AND b.miss_missing_episode_start_date < coalesce(a.miss_missing_episode_end_date, 'infinity'::TIMESTAMP)
              GROUP BY ALL"""


def _rhi_accepted_not_offered(table: Table, extract: Extract, ceiling: int) -> str:
    return """SELECT *, 'rhi accepted is Y but offered is ' || coalesce(miss_missing_rhi_offered, 'empty') AS detail
              FROM ok WHERE miss_missing_rhi_accepted = 'Y' AND miss_missing_rhi_offered IS DISTINCT FROM 'Y'"""


def _caseload_over_ceiling(table: Table, extract: Extract, ceiling: int) -> str:
    as_at_date = extract.extract_date.isoformat()
    return f"""
        WITH open_cases AS (
            SELECT * FROM ok
            WHERE invo_professional_role_id = 'ALLOCATED_CASE_WORKER'
              AND invo_involvement_start_date <= DATE '{as_at_date}'
              AND (invo_involvement_end_date IS NULL OR invo_involvement_end_date > DATE '{as_at_date}')
        )
        SELECT *, 'professional ' || invo_professional_id || ' holds ' || cases
                  || ' open cases (ceiling {ceiling})' AS detail
        FROM (SELECT *, count(*) OVER (PARTITION BY invo_professional_id) AS cases FROM open_cases)
        WHERE cases > {ceiling}"""


_CUSTOM_CHECKS = {
    "decision_outcome_mismatch": _decision_outcome_mismatch,
    "overlapping_missing_episodes": _overlapping_missing_episodes,
    "rhi_accepted_not_offered": _rhi_accepted_not_offered,
    "caseload_over_ceiling": _caseload_over_ceiling,
}


def excluded_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute(
        f"SELECT table_name, count(DISTINCT record_id) FROM {DQ_TABLE} WHERE severity = 'error' GROUP BY 1"
    ).fetchall()
    return dict(rows)


def block_reasons(
    contract: Contract, results: dict[str, FileResult], excluded: dict[str, int], threshold: float
) -> list[str]:
    """Why the whole extract must not feed the marts (empty list: it may)."""
    reasons = [
        f"required table {t.name} is missing"
        for t in contract.tables.values()
        if t.required and t.name not in results
    ]
    for name, r in results.items():
        if r.rejected_whole:
            reasons.append(f"{name} was rejected whole: {r.file_error}")
            continue
        bad = r.rows_rejected + excluded.get(name, 0)
        if r.rows_read and bad / r.rows_read > threshold:
            reasons.append(
                f"{name}: {bad} of {r.rows_read} rows rejected or excluded "
                f"({bad / r.rows_read:.1%} > threshold {threshold:.1%})"
            )
    return reasons
