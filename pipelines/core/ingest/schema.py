"""The raw schema of the warehouse: one table per contract table, plus the load bookkeeping.

Every raw row carries la_code, extract_date and the file line it came from, so any figure in a mart
can be traced back to a line of a council's file. (No PRIMARY KEY constraints: a corrected extract is
deleted and re-inserted in one transaction, which DuckDB key constraints handle poorly; uniqueness is
held by the loader and tested by dbt.) Columns added to the contract are added to
existing warehouses here (ALTER TABLE), so a contract change needs no manual migration.
"""

from __future__ import annotations

import duckdb

from ..contract import Contract

RAW_SCHEMA = "raw"

BOOKKEEPING_DDL = {
    "extract_log": """
        la_code VARCHAR NOT NULL, extract_date DATE NOT NULL, as_at TIMESTAMP NOT NULL,
        content_hash VARCHAR NOT NULL, status VARCHAR NOT NULL, block_reasons VARCHAR,
        tables_present VARCHAR[], warnings VARCHAR[], loaded_at TIMESTAMP NOT NULL,
        dataset VARCHAR NOT NULL DEFAULT 'ssd'""",
    "load_log": """
        la_code VARCHAR NOT NULL, extract_date DATE NOT NULL, table_name VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL, encoding VARCHAR, rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL,
        rows_rejected BIGINT NOT NULL, rows_duplicate BIGINT NOT NULL, rows_excluded BIGINT NOT NULL,
        file_error VARCHAR, warnings VARCHAR[], loaded_at TIMESTAMP NOT NULL,
        dataset VARCHAR NOT NULL DEFAULT 'ssd', source_table VARCHAR""",
    "rejects": """
        la_code VARCHAR NOT NULL, extract_date DATE NOT NULL, table_name VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL, line_no BIGINT, column_name VARCHAR, raw_value VARCHAR,
        rule VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL DEFAULT 'ssd', record_id VARCHAR""",
    "dq_failures": """
        la_code VARCHAR NOT NULL, extract_date DATE NOT NULL, table_name VARCHAR NOT NULL,
        record_id VARCHAR NOT NULL, line_no BIGINT, check_name VARCHAR NOT NULL, severity VARCHAR NOT NULL,
        detail VARCHAR, dataset VARCHAR NOT NULL DEFAULT 'ssd'""",
}

# Columns added to the bookkeeping after warehouses existed, and what older rows hold in them:
# rows from before datasets were ssd; load_log.source_table is the file's table as the council names it
# (ssda903.header; for ssd the contract table); rejects.record_id is the rejected row's key, if readable.
ADDED_COLUMNS = {
    "extract_log": {"dataset": "VARCHAR DEFAULT 'ssd'"},
    "load_log": {"dataset": "VARCHAR DEFAULT 'ssd'", "source_table": "VARCHAR"},
    "rejects": {"dataset": "VARCHAR DEFAULT 'ssd'", "record_id": "VARCHAR"},
    "dq_failures": {"dataset": "VARCHAR DEFAULT 'ssd'"},
}

LINE_COLUMN = "_line_no"
# Every raw row says which dataset's extract it came from (extract-contract.md, "Datasets"): a folder
# may hold an ssd extract and a statutory return of the same date. Rows from before datasets are ssd.
DATASET_COLUMN = "dataset VARCHAR NOT NULL DEFAULT 'ssd'"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for name, ddl in BOOKKEEPING_DDL.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{name} ({ddl})")
        existing = _columns(con, name)
        for column, column_type in ADDED_COLUMNS[name].items():
            if column not in existing:
                con.execute(f"ALTER TABLE {RAW_SCHEMA}.{name} ADD COLUMN {column} {column_type}")
        if name == "load_log" and "source_table" not in existing:
            con.execute(f"UPDATE {RAW_SCHEMA}.load_log SET source_table = table_name")
    for table in contract.tables.values():
        cols = ", ".join(f'"{f.name}" {f.sql_type}' for f in table.fields)
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table.name} "
            f"(la_code VARCHAR NOT NULL, extract_date DATE NOT NULL, {LINE_COLUMN} BIGINT NOT NULL, {cols}, "
            f"{DATASET_COLUMN})"
        )
        existing = _columns(con, table.name)
        for f in table.fields:
            if f.name not in existing:
                con.execute(f'ALTER TABLE {RAW_SCHEMA}.{table.name} ADD COLUMN "{f.name}" {f.sql_type}')
        if "dataset" not in existing:  # a warehouse from before datasets: everything in it was ssd
            con.execute(f"ALTER TABLE {RAW_SCHEMA}.{table.name} ADD COLUMN dataset VARCHAR DEFAULT 'ssd'")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?", [RAW_SCHEMA, table]
        ).fetchall()
    }
