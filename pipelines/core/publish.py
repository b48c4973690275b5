"""Publish the marts to a read-only serving file for BI tools, swapped in atomically.

BI tools (Power BI, Superset, Metabase, Excel) open only the serving file, never the warehouse, so
they never hold the warehouse's lock and never see a half-built mart. The copy is written to a
temporary file beside the serving file and renamed over it (an atomic rename on the same file
system): a reader sees either the old file or the new one. Readers that keep a connection open keep
reading the old file until they reconnect.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
# Written in the storage format of DuckDB 1.0, so any DuckDB 1.x client (BI drivers included) opens it.
STORAGE_VERSION = "v1.0.0"


def publish_marts(warehouse: duckdb.DuckDBPyConnection, serving: Path) -> dict[str, int]:
    """Copy every table of schema marts into a new serving file and swap it in. Returns row counts."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    staging = serving.with_name(serving.name + ".tmp")
    staging.unlink(missing_ok=True)
    tables = [r[0] for r in warehouse.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ? "
        "ORDER BY 1", [MARTS_SCHEMA]).fetchall()]
    if not tables:
        raise RuntimeError("the warehouse has no marts to publish")
    not_null = warehouse.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = ? AND NOT is_nullable", [MARTS_SCHEMA]).fetchall()
    warehouse.execute(f"ATTACH '{staging}' AS serving_copy (STORAGE_VERSION '{STORAGE_VERSION}')")
    counts = {}
    try:
        warehouse.execute(f"CREATE SCHEMA serving_copy.{MARTS_SCHEMA}")
        for table in tables:
            warehouse.execute(
                f"CREATE TABLE serving_copy.{MARTS_SCHEMA}.{table} AS SELECT * FROM {MARTS_SCHEMA}.{table}"
            )
            # the marts' not-null constraints (their dbt contracts) go with them: BI tools model such a
            # column as never empty
            for column in (c for t, c in not_null if t == table):
                warehouse.execute(
                    f'ALTER TABLE serving_copy.{MARTS_SCHEMA}.{table} ALTER COLUMN "{column}" SET NOT NULL')
            counts[table] = warehouse.execute(
                f"SELECT count(*) FROM serving_copy.{MARTS_SCHEMA}.{table}").fetchone()[0]
        warehouse.execute("CHECKPOINT serving_copy")
    finally:
        warehouse.execute("DETACH serving_copy")
    _fsync(staging)
    os.replace(staging, serving)
    return counts


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
