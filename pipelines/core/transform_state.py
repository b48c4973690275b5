"""What the last complete dbt build was built from, so the next build redoes only what changed.

The per-LA models are incremental (dbt macro ``incremental_by_la.sql``): a build recomputes the LAs
whose extracts differ from ``raw.transform_built_extracts``, the extract_log rows the last complete
build read. This module plans a build (incremental, or ``--full-refresh`` when the dbt project,
its seeds, the versions that run it or the warehouse's file name changed since the last complete
build, or none is recorded) and records a complete build once it has succeeded. A failed or partial
build records nothing, so the next build redoes its LAs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from .ingest.schema import RAW_SCHEMA
from .warehouse import has_table

BUILT_EXTRACTS = "transform_built_extracts"
BUILDS = "transform_builds"
_DDL = {
    BUILT_EXTRACTS: "la_code VARCHAR NOT NULL, extract_date DATE NOT NULL, dataset VARCHAR NOT NULL,"
                    " loaded_at TIMESTAMP NOT NULL",
    BUILDS: "started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL, full_refresh BOOLEAN NOT NULL,"
            " project_fingerprint VARCHAR NOT NULL, las_rebuilt VARCHAR[]",
}
# The packages whose upgrade may change what the same SQL computes.
_ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


def project_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of every file under ``paths`` (names and contents) and of the engine's versions."""
    digest = hashlib.sha256()
    for package in _ENGINE_PACKAGES:
        digest.update(f"{package}=={version(package)}\n".encode())
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest.update(f"{path.relative_to(root.parent)}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildPlan:
    full_refresh: bool
    reason: str
    fingerprint: str
    started_at: dt.datetime
    changed_las: tuple[str, ...]  # what an incremental build redoes (every LA on a full refresh)


def plan_build(con: duckdb.DuckDBPyConnection, fingerprint: str) -> BuildPlan:
    """``fingerprint``: the project's (``project_fingerprint``). The warehouse's catalog name (DuckDB's
    name for the file, its stem) goes with it: the views an incremental build keeps name their tables
    by catalog, so a warehouse renamed since its last complete build needs a full one."""
    started_at = dt.datetime.now()
    fingerprint = f"{fingerprint}@{con.execute('SELECT current_database()').fetchone()[0]}"
    last = None
    if has_table(con, RAW_SCHEMA, BUILDS):
        last = con.execute(
            f"SELECT project_fingerprint FROM {RAW_SCHEMA}.{BUILDS} ORDER BY finished_at DESC LIMIT 1"
        ).fetchone()
    if last is None:
        full, reason = True, "no complete build recorded"
    elif last[0] != fingerprint:
        full, reason = True, ("the dbt project, seeds, engine versions or the warehouse's file name changed"
                              " since the last complete build")
    else:
        full, reason = False, "incremental: only the LAs whose extracts changed since the last complete build"
    return BuildPlan(full, reason, fingerprint, started_at, tuple(changed_las(con, every=full)))


def changed_las(con: duckdb.DuckDBPyConnection, every: bool = False) -> list[str]:
    """The LAs whose extract_log rows differ from those the last complete build read (the SQL of the dbt
    macro changed_la_codes, for the run's metadata)."""
    if not has_table(con, RAW_SCHEMA, "extract_log"):
        return []
    log = f"SELECT la_code, extract_date, dataset, loaded_at FROM {RAW_SCHEMA}.extract_log"
    if every or not has_table(con, RAW_SCHEMA, BUILT_EXTRACTS):
        query = f"SELECT DISTINCT la_code FROM ({log})"
    else:
        built = f"SELECT la_code, extract_date, dataset, loaded_at FROM {RAW_SCHEMA}.{BUILT_EXTRACTS}"
        query = f"SELECT DISTINCT la_code FROM (({log} EXCEPT {built}) UNION ALL ({built} EXCEPT {log}))"
    return [row[0] for row in con.execute(query + " ORDER BY la_code").fetchall()]


def record_build(con: duckdb.DuckDBPyConnection, plan: BuildPlan) -> None:
    """After a complete build succeeded: the extracts it read become the base of the next one. Those are
    the extracts loaded before it was planned (dbt holds the warehouse's write lock while it builds, so
    one loaded later came after it and waits for the next build)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, ddl in _DDL.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{name} ({ddl})")
        con.execute(f"DELETE FROM {RAW_SCHEMA}.{BUILT_EXTRACTS}")
        if has_table(con, RAW_SCHEMA, "extract_log"):
            con.execute(f"INSERT INTO {RAW_SCHEMA}.{BUILT_EXTRACTS}"
                        f" SELECT la_code, extract_date, dataset, loaded_at FROM {RAW_SCHEMA}.extract_log"
                        f" WHERE loaded_at <= ?", [plan.started_at])
        con.execute(f"INSERT INTO {RAW_SCHEMA}.{BUILDS} VALUES (?, ?, ?, ?, ?)",
                    [plan.started_at, dt.datetime.now(), plan.full_refresh, plan.fingerprint,
                     list(plan.changed_las)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
