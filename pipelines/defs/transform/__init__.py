"""Transform: the dbt project (staging, intermediate, marts, reference seeds) as Dagster assets."""

from dagster_dbt import DbtCliResource, DbtProject

from .assets import build_dbt_assets
from .jobs import transform_after_ingest, transform_job
from .project import dbt_executable, prepared_dbt_project


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=dbt_executable())


__all__ = ["build_dbt_assets", "dbt_executable", "dbt_resource", "prepared_dbt_project", "transform_after_ingest",
           "transform_job"]
