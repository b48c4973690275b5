"""Shared fixtures. Each shared warehouse is built once per session (per xdist worker: tests that
share one carry the same ``xdist_group``), so the suite pays for a pipeline run only where a test
needs a new one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.fixtures.handmade import write_handmade_landing

TESTS = Path(__file__).parent
EXAMPLE = TESTS / "example"  # a copy of ../shared/spec/example (tests/unit/test_example_copy.py)
CSC = str(Path(sys.executable).parent / "csc")


def csc(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it; CSC_* settings come only from ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CSC_")}
    return subprocess.run([CSC, *args], capture_output=True, text=True, timeout=900, env={**base, **(env or {})})


@dataclass
class Build:
    root: Path
    landing: Path
    warehouse: Path
    serving: Path
    report: Path
    run: subprocess.CompletedProcess

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Build:
    """The contract's worked example through `csc run`, with the serving file and the report put
    where the command line says (not beside the warehouse)."""
    root = tmp_path_factory.mktemp("example")
    landing = root / "landing"
    shutil.copytree(EXAMPLE / "landing", landing)
    serving, report = root / "bi" / "published.duckdb", root / "reports" / "kpis.html"
    done = csc("run", "--landing", str(landing), "--warehouse", str(root / "w.duckdb"),
               "--serving", str(serving), "--report", str(report))
    assert done.returncode == 0, done.stdout + done.stderr
    return Build(root, landing, root / "w.duckdb", serving, report, done)


@pytest.fixture(scope="session")
def handmade_build(tmp_path_factory) -> Build:
    """The hand-made fixture (tests/fixtures/handmade.py) through `csc run` with every setting given
    by environment variable only, the blocking threshold raised to 50% (the fixture is tiny, so a
    few deliberate faults are a large share of it)."""
    root = tmp_path_factory.mktemp("handmade")
    landing = write_handmade_landing(root / "landing")
    serving, report = root / "served" / "s.duckdb", root / "html" / "r.html"
    done = csc("run", env={"CSC_LANDING_DIR": str(landing), "CSC_WAREHOUSE_PATH": str(root / "wh" / "w.duckdb"),
                           "CSC_SERVING_PATH": str(serving), "CSC_REPORT_PATH": str(report),
                           "CSC_DQ_BLOCK_THRESHOLD": "0.5"})
    assert done.returncode == 1, done.stdout + done.stderr  # two LAs' extracts are blocked by design
    return Build(root, landing, root / "wh" / "w.duckdb", serving, report, done)


@pytest.fixture(scope="session")
def handmade_default_build(tmp_path_factory) -> Build:
    """The hand-made fixture through `csc run` at the default 5% blocking threshold."""
    root = tmp_path_factory.mktemp("handmade_default")
    landing = write_handmade_landing(root / "landing")
    done = csc("run", "--landing", str(landing), "--warehouse", str(root / "w.duckdb"), "--no-scorecard")
    return Build(root, landing, root / "w.duckdb", root / "serving.duckdb", root / "kpi_report.html", done)


def copy_build(build: Build, to: Path) -> Build:
    """A private copy of a shared build (landing, warehouse, serving file) to change in one test."""
    shutil.copytree(build.root, to, dirs_exist_ok=True)
    moved = {name: to / getattr(build, name).relative_to(build.root)
             for name in ("landing", "warehouse", "serving", "report")}
    return Build(to, run=build.run, **moved)
