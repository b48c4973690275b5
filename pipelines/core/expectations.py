"""Run the Great Expectations suites in expectations/ against the rows that feed the marts.

One suite per contract table (generated from the contract by `csc sync-contract`). A suite checks a
table's *usable* rows of an extract (loaded, not excluded by an error-level check): the loader
enforces the same rules row by row, so a failure here means something let a bad row through,
and publication must stop. GX runs on pandas (its SQL path does not support DuckDB) and is
imported lazily: importing it takes seconds, and the Dagster code server should not pay for that.

GX is not handed every usable row (a national load is 19 million; as pandas frames they took 5.5 GB):
DuckDB first selects, from the suite's own expectations, every row that could fail one (a null where
one is expected not to be, a value outside a set or a range, a key that occurs more than once), and GX
validates those. A row left out passes every expectation of the suite, so GX's verdict and its counts
of unexpected rows are what it would find on all the rows, and memory no longer grows with the load.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cache

import duckdb
import pandas as pd

from ..settings import EXPECTATIONS_DIR
from .contract import Table
from .ingest.schema import RAW_SCHEMA


@dataclass
class SuiteResult:
    table: str
    extracts: int
    rows: int  # usable rows of the extracts, all judged
    success: bool
    rows_to_gx: int  # of them, the rows that could fail an expectation, which GX validated
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


def prepare_in_background() -> threading.Thread:
    """Import GX and build its context (about 2.5 s) on a thread: the ingest asset starts it before the
    councils load (their work is in DuckDB, which releases the GIL) and joins it before the checks."""
    thread = threading.Thread(target=_context, name="gx-import", daemon=True)
    thread.start()
    return thread


@cache
def load_suite(table_name: str):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = suite_spec(table_name)
    suite = gx.ExpectationSuite(name=spec["name"])
    for exp in spec["expectations"]:
        suite.add_expectation_configuration(ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"]))
    return suite


def validate_table(con: duckdb.DuckDBPyConnection, table: Table, extracts: list[tuple[str, object, str]]
                   ) -> SuiteResult:
    """Validate the usable rows of the given (la_code, extract_date, dataset) extracts against the table's
    suite: GX on the rows that could fail one of its expectations (module docstring)."""
    con.execute("CREATE OR REPLACE TEMP TABLE gx_extracts (la_code VARCHAR, extract_date DATE, dataset VARCHAR)")
    con.executemany("INSERT INTO gx_extracts VALUES (?, ?, ?)", [list(e) for e in extracts])
    usable = f"""SELECT t.* FROM {RAW_SCHEMA}.{table.name} t
        SEMI JOIN gx_extracts USING (la_code, extract_date, dataset)
        ANTI JOIN (SELECT la_code, extract_date, dataset, record_id FROM {RAW_SCHEMA}.dq_failures
                   WHERE table_name = '{table.name}' AND severity = 'error') x
             ON x.la_code = t.la_code AND x.extract_date = t.extract_date AND x.dataset = t.dataset
            AND x.record_id = t."{table.primary_key}" """
    try:
        rows = con.execute(f"SELECT count(*) FROM ({usable})").fetchone()[0]
        frame = con.execute(could_fail_sql(suite_spec(table.name)["expectations"], usable)).df()
    finally:
        con.execute("DROP TABLE gx_extracts")
    success, failures = validate_frame(table.name, frame)
    return SuiteResult(table.name, len(extracts), rows, success, len(frame), failures)


@cache
def suite_spec(table_name: str) -> dict:
    """expectations/<table>.json: the suite's name and its expectations (type and kwargs)."""
    return json.loads((EXPECTATIONS_DIR / f"{table_name}.json").read_text())


def could_fail_sql(expectations: list[dict], usable: str) -> str:
    """The rows of ``usable`` (a query) that could fail one of ``expectations``. Generous where exactness
    would be fiddly (a range's bounds, a set compared as text): a row too many costs GX a row, a row too
    few would hide a failure. An expectation this does not know is an error, never skipped."""
    conditions, repeated = [], []
    for exp in expectations:
        kind, kwargs = exp["type"], exp["kwargs"]
        if "mostly" in kwargs:  # a share of the rows handed over would not be a share of all the rows
            raise ValueError(f"{kind} with 'mostly': GX must be given every row for it")
        column = f'u."{kwargs["column"]}"' if "column" in kwargs else None
        if kind == "expect_column_to_exist":
            continue  # the frame has every column of the table
        if kind == "expect_column_values_to_not_be_null":
            conditions.append(f"{column} IS NULL")
        elif kind == "expect_column_values_to_be_in_set":
            values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in kwargs["value_set"])
            conditions.append(f"{column}::VARCHAR NOT IN ({values})")
        elif kind == "expect_column_values_to_be_between":
            bounds = [f"{column} <= {kwargs[k]}" if k == "min_value" else f"{column} >= {kwargs[k]}"
                      for k in ("min_value", "max_value") if kwargs.get(k) is not None]
            conditions.append(" OR ".join(bounds))
        elif kind == "expect_compound_columns_to_be_unique":
            # every row of a key that occurs more than once (NULL parts equal, as pandas compares them)
            name = f"repeated_{len(repeated)}"
            keys = [f'"{c}"' for c in kwargs["column_list"]]
            repeated.append(f"{name} AS (SELECT {', '.join(keys)} FROM usable GROUP BY ALL HAVING count(*) > 1)")
            match = " AND ".join(f"r.{k} IS NOT DISTINCT FROM u.{k}" for k in keys)
            conditions.append(f"EXISTS (SELECT 1 FROM {name} r WHERE {match})")
        else:
            raise ValueError(f"the suite expects {kind}: could_fail_sql must learn which rows could fail it")
    ctes = ", ".join([f"usable AS ({usable})", *repeated])
    where = " OR ".join(f"({c})" for c in conditions) or "false"
    return f"WITH {ctes} SELECT u.* FROM usable u WHERE {where}"


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
