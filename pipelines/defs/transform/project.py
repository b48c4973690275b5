"""The dbt project as Dagster sees it, with its manifest prepared on demand.

Dagster builds the dbt assets from ``target/manifest.json``. A fresh install has none, and a
developer who edits a model makes it stale, so ``prepared_dbt_project`` runs ``dbt parse`` (a few
seconds) when the manifest is missing or older than any file of the project; ``dagster dev`` always
re-parses. Nothing here runs at import.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from ...core.transform_state import project_fingerprint
from ...settings import DBT_PROJECT_DIR, SEEDS_DIR

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


def parse_dbt_project(project: DbtProject) -> None:
    done = subprocess.run([dbt_executable(), "parse", "--quiet", "--profiles-dir", str(project.profiles_dir)],
                          cwd=project.project_dir, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"dbt parse failed in {project.project_dir}:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")


def prepared_dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.target_path.mkdir(parents=True, exist_ok=True)
    # one parse at a time: processes that start together (test workers, csc beside dagster dev) wait
    with open(project.target_path / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if using_dagster_dev() or manifest_is_stale(project):
            parse_dbt_project(project)
    return project
