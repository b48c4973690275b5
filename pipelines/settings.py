"""The product's settings: one frozen object, built once from the environment and the command line.

Every setting the product reads is a field here (and a row in docs/operations.md). Nothing else reads
``os.environ`` for them, and nothing writes it: the object is passed to ``build_definitions`` (and so
to the Dagster resources), to the loader and to the exports. Precedence: a command-line value, then
the environment variable, then the default. Paths are made absolute, so a setting means the same
thing whichever directory a process later runs in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = PROJECT_ROOT / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
WAREHOUSE_SCHEMAS = {"raw", "staging", "intermediate", "marts", "reference"}

# environment variable -> Settings field (documented in docs/operations.md)
ENVIRONMENT = {
    "CSC_LANDING_DIR": "landing_dir",
    "CSC_WAREHOUSE_PATH": "warehouse_path",
    "CSC_SERVING_PATH": "serving_path",
    "CSC_REPORT_PATH": "report_path",
    "CSC_DQ_BLOCK_THRESHOLD": "dq_block_threshold",
    "CSC_CASELOAD_CEILING": "caseload_ceiling",
    "CSC_PSEUDONYM_KEY": "pseudonym_key",
    "CSC_LOAD_WORKERS": "load_workers",
    "CSC_MEMORY_LIMIT": "memory_limit",
}

# Councils loaded side by side: one per core (each loading statement runs on one thread, see
# core/ingest/loader.py), at most 4 (each holds its largest table's staging in memory).
DEFAULT_LOAD_WORKERS = max(1, min(4, os.cpu_count() or 1))
# DuckDB's memory in the loading process and in the dbt build, each; beyond it DuckDB spills to disk.
# Its own default, 80% of the machine, let its buffers grow with the data: at 152 councils the dbt
# build took 3.5 GB (2.5 GB with this limit) and at 3x that volume the load 5.8 GB.
DEFAULT_MEMORY_LIMIT = "2GB"
_MEMORY = re.compile(r"[0-9]+(\.[0-9]+)? ?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


class SettingsError(ValueError):
    """A setting has a value the product cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path  # where councils' extracts arrive: <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv
    warehouse_path: Path  # the DuckDB file ingest and dbt write (one writer at a time)
    serving_path: Path  # the read-only copy of the marts that BI tools open
    report_path: Path  # the self-contained HTML KPI report, rewritten after each publication
    dq_block_threshold: float = 0.05  # share of a table's rows rejected or excluded that blocks an extract
    caseload_ceiling: int = 40  # open cases per worker above which caseload_over_ceiling warns
    load_workers: int = DEFAULT_LOAD_WORKERS  # councils' extracts loaded at the same time
    memory_limit: str = DEFAULT_MEMORY_LIMIT  # DuckDB's memory_limit in the load and in the dbt build
    pseudonym_key: str | None = field(default=None, repr=False)  # secret: never printed

    @property
    def has_pseudonym_key(self) -> bool:
        return bool(self.pseudonym_key)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``environ`` (default: this process's environment), then ``overrides``
        (command-line values; None means "not given"). The serving file defaults to serving.duckdb
        beside the warehouse, and the report to kpi_report.html beside the serving file."""
        environ = os.environ if environ is None else environ
        given = {name: environ[var] for var, name in ENVIRONMENT.items() if environ.get(var)}
        given.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(given) - set(ENVIRONMENT.values())
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        landing = Path(given.get("landing_dir", DEFAULT_DATA_DIR / "landing"))
        warehouse = Path(given.get("warehouse_path", DEFAULT_DATA_DIR / "warehouse.duckdb"))
        serving = Path(given.get("serving_path", warehouse.parent / "serving.duckdb"))
        report = Path(given.get("report_path", serving.parent / "kpi_report.html"))
        if serving.stem.lower() in WAREHOUSE_SCHEMAS:
            # DuckDB names a file's catalog after it: BI tools would find marts.<table> ambiguous
            raise SettingsError(f"the serving file {serving.name} is named like the schema {serving.stem.lower()}: "
                                "BI tools could not tell them apart; choose another name")
        return cls(
            landing_dir=landing.resolve(),
            warehouse_path=warehouse.resolve(),
            serving_path=serving.resolve(),
            report_path=report.resolve(),
            dq_block_threshold=_number(given, "dq_block_threshold", float, 0.05),
            caseload_ceiling=_number(given, "caseload_ceiling", int, 40),
            load_workers=max(1, _number(given, "load_workers", int, DEFAULT_LOAD_WORKERS)),
            memory_limit=_memory(given),
            pseudonym_key=given.get("pseudonym_key"),
        )

    def with_paths(self, **paths: Path | None) -> Settings:
        return replace(self, **{k: Path(v).resolve() for k, v in paths.items() if v is not None})


def _memory(given: Mapping) -> str:
    value = str(given.get("memory_limit", DEFAULT_MEMORY_LIMIT)).strip()
    if not _MEMORY.fullmatch(value):
        raise SettingsError(f"CSC_MEMORY_LIMIT={value!r} is not an amount of memory such as 2GB or 1500MB")
    return value


def _number(given: Mapping, name: str, kind: type, default):
    if name not in given:
        return default
    try:
        return kind(given[name])
    except (TypeError, ValueError):
        variable = next(v for v, n in ENVIRONMENT.items() if n == name)
        raise SettingsError(f"{variable}={given[name]!r} is not a valid {kind.__name__}") from None
