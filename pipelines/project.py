"""The dbt project as Dagster sees it. The manifest is built by `dbt parse` in set-up (Makefile,
.ci/run, the test session); `dagster dev` prepares it by itself."""

from dagster_dbt import DbtProject

from .settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
