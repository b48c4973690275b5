"""Shared fixtures. dbt's manifest is built once per session (the Dagster asset graph needs it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import DBT_PROJECT_DIR

DBT = str(Path(sys.executable).parent / "dbt")


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    subprocess.run([DBT, "parse", "--quiet", "--profiles-dir", "."], cwd=DBT_PROJECT_DIR, check=True)
    return DBT_PROJECT_DIR / "target" / "manifest.json"


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()
