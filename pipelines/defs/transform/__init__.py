"""Transform: the dbt project (staging, intermediate, marts, reference seeds) as Dagster assets."""

from functools import cached_property

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from .assets import build_dbt_assets
from .jobs import transform_after_ingest, transform_job
from .project import dbt_executable, prepared_dbt_project


class InstalledDbtCliResource(DbtCliResource):
    """dagster-dbt runs `dbt --version` before every build to learn the executable's version: a 2.3 s
    subprocess on this machine, in every refresh. The executable is the one installed beside this Python
    (``dbt_executable``), so its version is that of the dbt-core this process imports."""

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return InstalledDbtCliResource(project_dir=project, dbt_executable=dbt_executable())


__all__ = ["build_dbt_assets", "dbt_executable", "dbt_resource", "prepared_dbt_project", "transform_after_ingest",
           "transform_job"]
