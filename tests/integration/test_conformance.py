"""The worked example of the contract (../shared/spec/example): every mart equal to expected/.

Counts must match exactly, percentages and hours to 1e-6, nulls as empty cells.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.runner import run_pipeline
from pipelines.settings import PROJECT_ROOT

# The specification sits beside the project (../shared/spec), as in CI; CSC_SPEC_DIR overrides.
EXAMPLE = Path(os.environ.get("CSC_SPEC_DIR", PROJECT_ROOT.parent / "shared" / "spec")) / "example"
KEYS = {
    "kpi_return_home_interviews": ["la_code", "period_start"],
    "kpi_front_door_decisions": ["la_code", "period_start"],
    "kpi_strategy_discussion_attendance": ["la_code", "period_start"],
    "kpi_caseloads": ["la_code", "snapshot_date"],
    "kpi_caseloads_team": ["la_code", "team_id", "snapshot_date"],
    "front_door_open_contacts": ["la_code", "contact_id"],
    "load_reconciliation": ["la_code", "extract_date", "table_name"],
}

@pytest.fixture(scope="module")
def example_warehouse(tmp_path_factory) -> Path:
    assert EXAMPLE.is_dir(), f"the contract's worked example is missing: {EXAMPLE} (set CSC_SPEC_DIR)"
    warehouse = tmp_path_factory.mktemp("example") / "warehouse.duckdb"
    result = run_pipeline(EXAMPLE / "landing", warehouse)
    assert result.ok, result
    return warehouse


def _same(expected: str, actual) -> bool:
    if expected == "":
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    if isinstance(actual, bool):
        return expected == str(actual)
    if isinstance(actual, (int, float)):
        return math.isclose(float(expected), float(actual), rel_tol=0, abs_tol=1e-6)
    return expected == str(actual)


@pytest.mark.parametrize("mart", sorted(KEYS))
def test_mart_matches_the_worked_example(example_warehouse, mart):
    expected = pd.read_csv(EXAMPLE / "expected" / f"{mart}.csv", dtype=str, keep_default_na=False)
    con = duckdb.connect(str(example_warehouse), read_only=True)
    try:
        actual = con.execute(f"SELECT {', '.join(expected.columns)} FROM marts.{mart}").fetchall()
    finally:
        con.close()
    keys = KEYS[mart]
    key_idx = [list(expected.columns).index(k) for k in keys]
    actual_by_key = {tuple(str(row[i]) for i in key_idx): row for row in actual}
    assert len(actual) == len(expected) == len(actual_by_key)
    mismatches = []
    for _, exp in expected.iterrows():
        key = tuple(exp[k] for k in keys)
        assert key in actual_by_key, f"{mart}: no row for {key}"
        row = actual_by_key[key]
        for i, column in enumerate(expected.columns):
            if not _same(exp[column], row[i]):
                mismatches.append((key, column, exp[column], row[i]))
    assert mismatches == []


def test_dbt_unit_tests_for_the_edge_rules_pass(example_warehouse):
    """The dbt unit tests (clock changes, 24/72-hour boundaries, bank holidays, pending windows, case
    end dates, dense months) run inside every `dbt build`; run them on their own to count them."""
    import subprocess
    import sys

    from pipelines.settings import DBT_PROJECT_DIR

    done = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "test", "--select", "test_type:unit", "--profiles-dir", "."],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True,
        env={**os.environ, "CSC_WAREHOUSE_PATH": str(example_warehouse)},
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "PASS=5 WARN=0 ERROR=0" in done.stdout
