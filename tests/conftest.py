"""Shared fixtures. Each shared warehouse is built once per test session, even when pytest-xdist
runs the tests in two processes (the first to need it builds it under a file lock, the others wait
and read it), so the suite pays for a pipeline run only where a test needs a new one."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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


def shared(tmp_path_factory, name: str, build: Callable[[Path], subprocess.CompletedProcess]
           ) -> tuple[Path, subprocess.CompletedProcess]:
    """Run ``build(root)`` once per test session, whichever worker asks first; the others wait for it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder all workers share
    root, record = base / f"shared-{name}", base / f"shared-{name}.json"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            done = build(root)
            record.write_text(json.dumps([done.args, done.returncode, done.stdout, done.stderr]))
    args, code, out, err = json.loads(record.read_text())
    return root, subprocess.CompletedProcess(args, code, out, err)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Build:
    """The contract's worked example through `csc run`, with the serving file and the report put
    where the command line says (not beside the warehouse)."""
    def build(root: Path) -> subprocess.CompletedProcess:
        shutil.copytree(EXAMPLE / "landing", root / "landing")
        return csc("run", "--landing", str(root / "landing"), "--warehouse", str(root / "w.duckdb"),
                   "--serving", str(root / "bi" / "published.duckdb"), "--report", str(root / "reports" / "kpis.html"))

    root, done = shared(tmp_path_factory, "example", build)
    assert done.returncode == 0, done.stdout + done.stderr
    return Build(root, root / "landing", root / "w.duckdb", root / "bi" / "published.duckdb",
                 root / "reports" / "kpis.html", done)


@pytest.fixture(scope="session")
def handmade_build(tmp_path_factory) -> Build:
    """The hand-made fixture (tests/fixtures/handmade.py) through `csc run` with every setting given
    by environment variable only, the blocking threshold raised to 50% (the fixture is tiny, so a
    few deliberate faults are a large share of it)."""
    def build(root: Path) -> subprocess.CompletedProcess:
        landing = write_handmade_landing(root / "landing")
        return csc("run", env={"CSC_LANDING_DIR": str(landing), "CSC_WAREHOUSE_PATH": str(root / "wh" / "w.duckdb"),
                               "CSC_SERVING_PATH": str(root / "served" / "s.duckdb"),
                               "CSC_REPORT_PATH": str(root / "html" / "r.html"), "CSC_DQ_BLOCK_THRESHOLD": "0.5"})

    root, done = shared(tmp_path_factory, "handmade", build)
    assert done.returncode == 1, done.stdout + done.stderr  # two LAs' extracts are blocked by design
    return Build(root, root / "landing", root / "wh" / "w.duckdb", root / "served" / "s.duckdb",
                 root / "html" / "r.html", done)


@pytest.fixture(scope="session")
def handmade_default_build(tmp_path_factory) -> Build:
    """The hand-made fixture through `csc run` at the default 5% blocking threshold."""
    def build(root: Path) -> subprocess.CompletedProcess:
        landing = write_handmade_landing(root / "landing")
        return csc("run", "--landing", str(landing), "--warehouse", str(root / "w.duckdb"), "--no-scorecard")

    root, done = shared(tmp_path_factory, "handmade_default", build)
    return Build(root, root / "landing", root / "w.duckdb", root / "serving.duckdb", root / "kpi_report.html", done)


def copy_build(build: Build, to: Path) -> Build:
    """A private copy of a shared build (landing, warehouse, serving file) to change in one test."""
    shutil.copytree(build.root, to, dirs_exist_ok=True)
    moved = {name: to / getattr(build, name).relative_to(build.root)
             for name in ("landing", "warehouse", "serving", "report")}
    return Build(to, run=build.run, **moved)
