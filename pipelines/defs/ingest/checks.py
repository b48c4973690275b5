"""Asset checks on the raw tables, evaluated at the end of each ingest run.

Two kinds, both per contract table:
- ``contract_suite``: the table's Great Expectations suite on the rows that feed the marts.
  Severity ERROR and *blocking*: if it fails, something let a bad row through, and nothing
  downstream (dbt, publication) may run on it.
- one check per cross-row rule of the registry (core/contract/rules.yml) and ``rows_rejected``:
  they report what the loader found in the councils' data. Their rows were already excluded or
  rejected as the contract says, so they inform rather than block (severity as in the contract).
"""

from __future__ import annotations

from collections import defaultdict

import dagster as dg
import duckdb

from ...core.contract import Contract
from ...core.expectations import validate_table
from ...core.ingest.schema import RAW_SCHEMA

SUITE_CHECK = "contract_suite"
REJECTS_CHECK = "rows_rejected"


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([RAW_SCHEMA, table])


def ingest_check_specs(contract: Contract) -> list[dg.AssetCheckSpec]:
    specs = []
    for table in contract.tables.values():
        specs.append(dg.AssetCheckSpec(
            SUITE_CHECK, asset=raw_key(table.name), blocking=True,
            description=f"Great Expectations suite expectations/{table.name}.json on the rows that feed the marts.",
        ))
        specs.append(dg.AssetCheckSpec(
            REJECTS_CHECK, asset=raw_key(table.name),
            description="Rows rejected by the contract's row-level rules (listed in raw.rejects).",
        ))
    for check in _checks(contract):
        specs.append(dg.AssetCheckSpec(check.name, asset=raw_key(check.table),
                                       description=f"[{check.severity}] {check.description}"))
    return specs


def _checks(contract: Contract):
    return [check for table in contract.table_names for check in contract.checks_for(table)]


def evaluate_ingest_checks(
    con: duckdb.DuckDBPyConnection, contract: Contract, extracts: list[tuple[str, object, str]]
) -> list[dg.AssetCheckResult]:
    """Check results over the given (la_code, extract_date, dataset) extracts: each LA's newest in this run."""
    results = []
    present = _tables_present(con, extracts)
    for table in contract.tables.values():
        with_table = [e for e in extracts if table.name in present[e]]
        suite = validate_table(con, table, with_table) if with_table else None
        results.append(dg.AssetCheckResult(
            asset_key=raw_key(table.name), check_name=SUITE_CHECK, passed=suite is None or suite.success,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "extracts_validated": len(with_table),
                "rows_validated": suite.rows if suite else 0,
                "rows_to_gx": suite.rows_to_gx if suite else 0,
                "failures": dg.MetadataValue.json(suite.failures if suite else []),
            },
        ))
    rejected = _count_by(con, "rejects", "count(DISTINCT line_no)", extracts)
    for table in contract.tables.values():
        per_la = rejected.get(table.name, {})
        results.append(dg.AssetCheckResult(
            asset_key=raw_key(table.name), check_name=REJECTS_CHECK, passed=not per_la,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"rows_rejected": sum(per_la.values()), "by_extract": dg.MetadataValue.json(per_la)},
        ))
    failing = _count_by(con, "dq_failures", "count(DISTINCT record_id)", extracts, by_check=True)
    for check in _checks(contract):
        per_la = failing.get((check.table, check.name), {})
        results.append(dg.AssetCheckResult(
            asset_key=raw_key(check.table), check_name=check.name, passed=not per_la,
            severity=dg.AssetCheckSeverity.ERROR if check.severity == "error" else dg.AssetCheckSeverity.WARN,
            metadata={"failing_rows": sum(per_la.values()), "by_extract": dg.MetadataValue.json(per_la)},
        ))
    return results


def _tables_present(con: duckdb.DuckDBPyConnection, extracts) -> dict:
    present = defaultdict(set)
    for la, date, dataset in extracts:
        rows = con.execute(
            f"SELECT table_name FROM {RAW_SCHEMA}.load_log"
            " WHERE la_code = ? AND extract_date = ? AND dataset = ? AND file_error IS NULL",
            [la, date, dataset],
        ).fetchall()
        present[(la, date, dataset)] = {r[0] for r in rows}
    return present


def _count_by(con: duckdb.DuckDBPyConnection, table: str, measure: str, extracts, by_check: bool = False) -> dict:
    counts: dict = defaultdict(dict)
    for la, date, dataset in extracts:
        group = "table_name, check_name" if by_check else "table_name"
        for row in con.execute(
            f"SELECT {group}, {measure} FROM {RAW_SCHEMA}.{table}"
            " WHERE la_code = ? AND extract_date = ? AND dataset = ? GROUP BY ALL",
            [la, date, dataset],
        ).fetchall():
            key = (row[0], row[1]) if by_check else row[0]
            counts[key][f"{la}/{date}" + ("" if dataset == "ssd" else f" ({dataset})")] = row[-1]
    return counts
