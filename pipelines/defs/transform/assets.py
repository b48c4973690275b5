"""The dbt project as Dagster assets: `dbt build` runs models, seeds and tests (tests become checks)."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ...core.transform_state import plan_build, record_build
from ..resources import WarehouseResource
from .project import build_fingerprint, dbt_profile_environment

KEEP_VIEWS_VARIABLE = "CSC_KEEP_VIEWS"  # read by the view materialization (macros/keep_unchanged_views.sql)


class CscDbtTranslator(DagsterDbtTranslator):
    """Asset keys as warehouse names (marts/kpi_caseloads), grouped by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dbt_resource_props["schema"]
        return super().get_group_name(dbt_resource_props)


@contextmanager
def dbt_subprocess_environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Hand the warehouse's settings to the dbt subprocess (which inherits this process's environment),
    and put the environment back as it was afterwards."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_target_path(warehouse_path: str) -> Path:
    """Where dbt writes its artifacts and logs for builds of this warehouse: one folder beside it
    (``warehouse.duckdb.dbt``, as DuckDB keeps ``warehouse.duckdb.wal``), reused by every build.
    dbt then re-reads its own parse of the project (partial parsing) instead of parsing it again,
    about 5 s a build; dagster-dbt's default, a new folder per build, starts from the parse of
    another profile (the warehouse path is part of it) and left 14 MB behind each time."""
    path = Path(warehouse_path).resolve()
    return path.with_name(path.name + ".dbt")


def dbt_build_args(full_refresh: bool) -> list[str]:
    """A full build runs everything. An incremental one (same project, seeds and engine as the last
    complete build) skips the unit tests (the unchanged SQL on fixed inputs) and the seeds (unchanged,
    and loaded by that build), and runs two dbt threads: its time goes mostly to dbt's own work per
    model and test, which one thread does while DuckDB runs another's SQL (13 s against 16 s at 38 LAs).
    Either writes dbt's file log at info level, one line a node: the debug level (every statement, about
    10 MB a build) cost 2 s a build."""
    logging = ["--log-level-file", "info"]
    if full_refresh:
        return ["build", "--full-refresh", *logging]
    return ["build", "--exclude-resource-type", "unit_test", "--exclude-resource-type", "seed", "--threads", "2",
            *logging]


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=CscDbtTranslator())
    def csc_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        with warehouse.connect() as con:
            plan = plan_build(con, build_fingerprint())
        context.log.info(f"dbt build, {plan.reason}; LAs: {', '.join(plan.changed_las) or 'none'}")
        # an incremental build runs on the project of the last complete build: its views are already there
        # (macros/keep_unchanged_views.sql)
        keep_views = {KEEP_VIEWS_VARIABLE: "" if plan.full_refresh else "1"}
        with dbt_subprocess_environment({**dbt_profile_environment(warehouse.path, warehouse.memory_limit),
                                         **keep_views}):
            yield from dbt.cli(dbt_build_args(plan.full_refresh), context=context,
                               target_path=dbt_target_path(warehouse.path)).stream()
        if not context.is_subset:  # a build of some models only is no base for the next incremental one
            with warehouse.connect() as con:
                record_build(con, plan)

    return csc_dbt_models
