"""Cross-row data-quality checks on one staged extract, and the decision to block it.

The checks are the ``kind: check`` records of the rule registry (core/contract/rules.yml); this
module only runs them. They run on the rows that passed the row-level rules. Error-level failures
exclude the row from the KPI marts, and exclusions cascade along references (person -> contacts,
missing episodes, discussions -> attendees; team -> professionals -> involvements): a table is checked
only after the tables it refers to, so a reference to an excluded row is itself excluded. Results
land in the TEMP table ``stage_dq`` (one row per failing record and check).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter

import duckdb

from ...settings import SEEDS_DIR
from ..contract import Check, Contract, SourceTable, Table
from .landing import Extract
from .stage import FileResult, stage_table_name

DQ_TABLE = "stage_dq"


@dataclass(frozen=True)
class LoadPolicy:
    """The thresholds a load applies (from the settings: CSC_DQ_BLOCK_THRESHOLD, CSC_CASELOAD_CEILING)."""

    dq_block_threshold: float = 0.05
    caseload_ceiling: int = 40


DEFAULT_POLICY = LoadPolicy()


@cache
def working_day_calendar() -> tuple[dt.date, dt.date]:
    """The first and last day the marts can count working days on: the whole years of the bank-holiday
    seed (dbt's int_calendar_days spans the same years). A date outside is never guessed."""
    with (SEEDS_DIR / "bank_holidays_england_wales.csv").open(encoding="utf-8") as fh:
        years = [int(row["holiday_date"][:4]) for row in csv.DictReader(fh)]
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


@cache
def bank_holidays_sql() -> str:
    """The bank-holiday seed as a SQL list of dates (the placeholder {bank_holidays} of a check)."""
    with (SEEDS_DIR / "bank_holidays_england_wales.csv").open(encoding="utf-8") as fh:
        return "[" + ", ".join(f"DATE '{row['holiday_date']}'" for row in csv.DictReader(fh)) + "]"


def tables_in_reference_order(contract: Contract) -> list[str]:
    graph = {
        t.name: {f.reference_table for f in t.fields if f.references and f.reference_table != t.name}
        for t in contract.tables.values()
    }
    return list(TopologicalSorter(graph).static_order())


def run_checks(
    con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract, present: set[str], policy: LoadPolicy
) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DQ_TABLE} (table_name VARCHAR, record_id VARCHAR, line_no BIGINT,"
        " check_name VARCHAR, severity VARCHAR, detail VARCHAR)"
    )
    values = {"as_at": extract.as_at, "extract_date": extract.extract_date.isoformat(),
              "caseload_ceiling": policy.caseload_ceiling,
              "calendar_first_day": working_day_calendar()[0], "calendar_last_day": working_day_calendar()[1],
              "bank_holidays": bank_holidays_sql()}
    for name in tables_in_reference_order(contract):
        if name not in present:
            continue
        table = contract.table(name)
        for check in contract.checks_for(name):
            for sql in _failing_row_queries(check, table, present, values):
                _insert(con, table, check, sql)


def _failing_row_queries(check: Check, table: Table, present: set[str], values: dict) -> list[str]:
    rule = check.rule
    if not set(rule.needs) <= present:
        return []  # a table the check compares with is not in the extract
    values = {**values, **{f"loaded_{t}": f"(SELECT * FROM {stage_table_name(t)} WHERE status = 'loaded')"
                           for t in rule.needs}}
    if rule.each in ("temporal_field", "datetime_field", "working_day_field"):
        return [rule.render(field=f.name, **values) for f in rule.fields(table)]
    if rule.each == "reference":
        return [
            rule.render(
                field=f.name, parent=f.reference_table, **values,
                parent_ids=f"(SELECT \"{f.reference_field}\" FROM {stage_table_name(f.reference_table)}"
                           " WHERE status = 'loaded')",
                excluded_parent_ids=f"(SELECT record_id FROM {DQ_TABLE}"
                                    f" WHERE table_name = '{f.reference_table}' AND severity = 'error')",
            )
            for f in rule.fields(table)
            if f.reference_table in present  # an absent table is reported as missing, not row by row
        ]
    return [rule.render(**values)]


def _insert(con: duckdb.DuckDBPyConnection, table: Table, check: Check, failing_sql: str) -> None:
    con.execute(
        f"""
        INSERT INTO {DQ_TABLE}
        WITH ok AS (SELECT * FROM {stage_table_name(table.name)} WHERE status = 'loaded'),
             failing AS ({failing_sql})
        SELECT '{table.name}', "{table.primary_key}", line_no, '{check.name}', '{check.severity}', detail
        FROM failing
        """
    )


def excluded_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute(
        f"SELECT table_name, count(DISTINCT record_id) FROM {DQ_TABLE} WHERE severity = 'error' GROUP BY 1"
    ).fetchall()
    return dict(rows)


def block_reasons(
    sources: Iterable[SourceTable], results: dict[str, FileResult], excluded: dict[str, int], threshold: float
) -> list[str]:
    """Why the whole extract must not feed the marts (empty list: it may). ``sources``: the tables of
    the extract's dataset; ``results`` and ``excluded`` are keyed by the contract table filled."""
    sources = list(sources)
    label = {s.table.name: s.reconciliation_name for s in sources}
    reasons = [
        f"required table {s.reconciliation_name} is missing"
        for s in sources
        if s.required and s.table.name not in results
    ]
    for name, r in results.items():
        if not r.reconciled:  # derived rows (CIN conferences) have no blocking ratio of their own
            continue
        if r.rejected_whole:
            reasons.append(f"{label[name]} was rejected whole: {r.file_error}")
            continue
        bad = r.rows_rejected + excluded.get(name, 0)
        if r.rows_read and bad / r.rows_read > threshold:
            reasons.append(
                f"{label[name]}: {bad} of {r.rows_read} rows rejected or excluded "
                f"({bad / r.rows_read:.1%} > threshold {threshold:.1%})"
            )
    return reasons
