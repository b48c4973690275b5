"""The dbt project as Dagster sees it, with its manifest prepared on demand.

Dagster builds the dbt assets from ``target/manifest.json``. A fresh install has none, and a
developer who edits a model makes it stale, so ``prepared_dbt_project`` runs ``dbt parse`` (a few
seconds) when the manifest is missing or older than any file of the project; ``dagster dev`` always
re-parses. Nothing here runs at import.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from ...core.transform_state import project_fingerprint
from ...settings import DBT_PROJECT_DIR, SEEDS_DIR

# profiles.yml reads the warehouse path and DuckDB's memory limit from these variables.
WAREHOUSE_VARIABLE = "CSC_WAREHOUSE_PATH"
MEMORY_LIMIT_VARIABLE = "CSC_MEMORY_LIMIT"

# What the manifest is parsed from.
_SOURCES = ["dbt_project.yml", "profiles.yml", "models", "macros", "tests"]
# What the models compute from besides the extracts: a change to any of them needs a full rebuild.
_BUILD_INPUTS = ["dbt_project.yml", "models", "macros"]


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), whether or not it is on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def _newest_source_mtime() -> float:
    paths = [DBT_PROJECT_DIR / name for name in _SOURCES] + [SEEDS_DIR]
    files = [p for path in paths if path.exists() for p in ([path] if path.is_file() else path.rglob("*"))]
    return max(p.stat().st_mtime for p in files if p.is_file())


def build_fingerprint() -> str:
    return project_fingerprint([DBT_PROJECT_DIR / name for name in _BUILD_INPUTS] + [SEEDS_DIR])


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime()


def dbt_profile_environment(warehouse_path: str, memory_limit: str) -> dict[str, str]:
    """The variables dbt's profile reads for a warehouse (its builds, and the parse made for them)."""
    return {WAREHOUSE_VARIABLE: warehouse_path, MEMORY_LIMIT_VARIABLE: memory_limit}


def parse_dbt_project(project: DbtProject, profile_environment: Mapping[str, str] | None = None) -> None:
    done = subprocess.run([dbt_executable(), "parse", "--quiet", "--profiles-dir", str(project.profiles_dir)],
                          cwd=project.project_dir, capture_output=True, text=True,
                          env={**os.environ, **(profile_environment or {})})
    if done.returncode != 0:
        raise RuntimeError(f"dbt parse failed in {project.project_dir}:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")


def prepared_dbt_project(profile_environment: Mapping[str, str] | None = None) -> DbtProject:
    """The project with a current manifest. A parse made here uses ``profile_environment``
    (``dbt_profile_environment``, of the warehouse about to be built): dbt's saved parse includes the
    profile's variables, and dagster-dbt starts a warehouse's first build from this one, which then
    needs no full parse of its own (4 s of a first build)."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.target_path.mkdir(parents=True, exist_ok=True)
    # one parse at a time: processes that start together (test workers, csc beside dagster dev) wait
    with open(project.target_path / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if using_dagster_dev() or manifest_is_stale(project):
            parse_dbt_project(project, profile_environment)
    return project
