"""The dbt project as Dagster assets: `dbt build` runs models, seeds and tests (tests become checks)."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ..resources import WarehouseResource

# profiles.yml reads the warehouse path from this variable.
WAREHOUSE_VARIABLE = "CSC_WAREHOUSE_PATH"


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
def dbt_subprocess_environment(warehouse_path: str) -> Iterator[None]:
    """Hand the warehouse path to the dbt subprocess (which inherits this process's environment),
    and put the environment back as it was afterwards."""
    before = os.environ.get(WAREHOUSE_VARIABLE)
    os.environ[WAREHOUSE_VARIABLE] = warehouse_path
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(WAREHOUSE_VARIABLE, None)
        else:
            os.environ[WAREHOUSE_VARIABLE] = before


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=CscDbtTranslator())
    def csc_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        with dbt_subprocess_environment(warehouse.path):
            yield from dbt.cli(["build"], context=context).stream()

    return csc_dbt_models
