"""Transform: the dbt project (staging, intermediate, marts, reference seeds) as Dagster assets."""

from collections.abc import Sequence
from functools import cached_property

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from .assets import build_dbt_assets
from .jobs import transform_after_ingest, transform_job
from .project import dbt_executable, dbt_profile_environment, prepared_dbt_project


class InstalledDbtCliResource(DbtCliResource):
    """dagster-dbt, before every build, runs `dbt --version` to learn the executable's version (a 2.3 s
    subprocess on this machine) and opens a dbt adapter in this process (loading the profile and every
    macro: about 1 s) for row counts and column metadata. The executable is the one installed beside
    this Python (``dbt_executable``), so its version is that of the dbt-core this process imports; and
    these assets fetch no row counts or column metadata, so they need no adapter."""

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return InstalledDbtCliResource(project_dir=project, dbt_executable=dbt_executable())


__all__ = ["build_dbt_assets", "dbt_executable", "dbt_profile_environment", "dbt_resource", "prepared_dbt_project",
           "transform_after_ingest", "transform_job"]
