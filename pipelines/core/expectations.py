"""Run the Great Expectations suites in expectations/ against the rows that feed the marts.

One suite per contract table (generated from the contract by `csc sync-contract`). A suite checks a
table's *usable* rows of an extract (loaded, not excluded by an error-level check): the loader
enforces the same rules row by row, so a failure here means something let a bad row through,
and publication must stop. GX runs on pandas (its SQL path does not support DuckDB) and is
imported lazily: importing it takes seconds, and the Dagster code server should not pay for that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

import duckdb
import pandas as pd

from ..settings import EXPECTATIONS_DIR
from .contract import Table
from .ingest.schema import RAW_SCHEMA

# GX validates pandas frames of at most this many rows (whole extracts): contacts take about 400 bytes a
# row in pandas (measured on the demo), so a frame stays near 0.4 GB however many councils a run loads.
MAX_ROWS_PER_FRAME = 1_000_000


@dataclass
class SuiteResult:
    table: str
    extracts: int
    rows: int
    success: bool
    failures: list[dict] = field(default_factory=list)  # expectation, column, unexpected count, examples


@cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # no usage statistics: the warehouse runs where there is no network, and sends nothing anyway
    config = DataContextConfig(analytics_enabled=False, store_backend_defaults=InMemoryStoreBackendDefaults())
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@cache
def load_suite(table_name: str):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = json.loads((EXPECTATIONS_DIR / f"{table_name}.json").read_text())
    suite = gx.ExpectationSuite(name=spec["name"])
    for exp in spec["expectations"]:
        suite.add_expectation_configuration(ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"]))
    return suite


def usable_rows(con: duckdb.DuckDBPyConnection, table: Table, extracts: list[tuple[str, object, str]]
                ) -> pd.DataFrame:
    """The rows of the given (la_code, extract_date, dataset) extracts that feed the marts, in one frame."""
    con.execute("CREATE OR REPLACE TEMP TABLE gx_extracts (la_code VARCHAR, extract_date DATE, dataset VARCHAR)")
    con.executemany("INSERT INTO gx_extracts VALUES (?, ?, ?)", [list(e) for e in extracts])
    frame = con.execute(
        f"""
        SELECT t.* FROM {RAW_SCHEMA}.{table.name} t
        SEMI JOIN gx_extracts USING (la_code, extract_date, dataset)
        ANTI JOIN (SELECT la_code, extract_date, dataset, record_id FROM {RAW_SCHEMA}.dq_failures
                   WHERE table_name = ? AND severity = 'error') x
             ON x.la_code = t.la_code AND x.extract_date = t.extract_date AND x.dataset = t.dataset
            AND x.record_id = t."{table.primary_key}"
        """,
        [table.name],
    ).df()
    con.execute("DROP TABLE gx_extracts")
    return frame


def validate_frame(table_name: str, frame: pd.DataFrame) -> tuple[bool, list[dict]]:
    context = _context()
    source = context.data_sources.add_or_update_pandas(f"csc_{table_name}")
    asset = source.add_dataframe_asset(f"{table_name}_{id(frame)}")
    batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(load_suite(table_name))
    failures = [
        {
            "expectation": r.expectation_config.type,
            "column": r.expectation_config.kwargs.get("column"),
            "unexpected_count": (r.result or {}).get("unexpected_count"),
            "examples": [str(v) for v in ((r.result or {}).get("partial_unexpected_list") or [])[:5]],
        }
        for r in result.results
        if not r.success
    ]
    return result.success, failures


def validate_table(con: duckdb.DuckDBPyConnection, table: Table, extracts: list[tuple[str, object, str]],
                   max_rows: int = MAX_ROWS_PER_FRAME) -> SuiteResult:
    """Validate every extract of the run in as few GX calls as fit ``max_rows`` rows each: GX's per-call
    overhead is paid once per batch, not once per council, and the pandas frame GX needs stays the same
    size however many councils are loaded. Batches hold whole extracts, so the suite's uniqueness (keyed by
    la_code, extract_date and dataset) means the same in one frame or several."""
    rows, success, failures = 0, True, {}
    for batch in _batches(con, table, extracts, max_rows):
        frame = usable_rows(con, table, batch)
        ok, found = validate_frame(table.name, frame)
        rows, success = rows + len(frame), success and ok
        del frame
        for failure in found:
            key = (failure["expectation"], failure["column"])
            if key not in failures:
                failures[key] = failure
            else:
                failures[key]["unexpected_count"] = (failures[key]["unexpected_count"] or 0) + (
                    failure["unexpected_count"] or 0)
                failures[key]["examples"] = (failures[key]["examples"] + failure["examples"])[:5]
    return SuiteResult(table.name, len(extracts), rows, success, list(failures.values()))


def _batches(con: duckdb.DuckDBPyConnection, table: Table, extracts: list[tuple[str, object, str]],
             max_rows: int) -> list[list[tuple[str, object, str]]]:
    """The extracts in runs of at most ``max_rows`` loaded rows (an extract larger than that on its own)."""
    con.execute("CREATE OR REPLACE TEMP TABLE gx_sizes"
                " (i INTEGER, la_code VARCHAR, extract_date DATE, dataset VARCHAR)")
    con.executemany("INSERT INTO gx_sizes VALUES (?, ?, ?, ?)", [[i, *e] for i, e in enumerate(extracts)])
    counts = dict(con.execute(
        f"SELECT e.i, count(t.la_code) FROM gx_sizes e LEFT JOIN {RAW_SCHEMA}.{table.name} t"
        " USING (la_code, extract_date, dataset) GROUP BY e.i").fetchall())
    con.execute("DROP TABLE gx_sizes")
    batches, batch, size = [], [], 0
    for i, extract in enumerate(extracts):
        n = counts[i]
        if batch and size + n > max_rows:
            batches.append(batch)
            batch, size = [], 0
        batch.append(extract)
        size += n
    return [*batches, batch] if batch else batches
