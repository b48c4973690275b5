"""The one Definitions object of the code location (workspace.yaml loads this module).

``build_definitions(settings)`` assembles the concerns of ``pipelines/defs`` from one Settings
object; ``csc run`` and the tests call it with theirs. ``defs`` is what Dagster's tools load: built
when they load it (from the environment), not when the module is imported.
"""

import dagster as dg

from .core.contract import load_contract
from .defs.freshness import daily_freshness, extracts_on_time, freshness_job
from .defs.ingest import build_ingest_assets, ingest_job, landing_sensor, nightly_refresh
from .defs.resources import build_resources
from .defs.serving import build_serving_assets
from .defs.transform import (
    build_dbt_assets,
    dbt_profile_environment,
    dbt_resource,
    prepared_dbt_project,
    transform_after_ingest,
    transform_job,
)
from .settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    project = prepared_dbt_project(dbt_profile_environment(str(settings.warehouse_path), settings.memory_limit))
    dbt_models = build_dbt_assets(project)
    mart_keys = [key for key in dbt_models.keys if key.path[0] == "marts"]
    return dg.Definitions(
        assets=[build_ingest_assets(load_contract()), dbt_models, *build_serving_assets(mart_keys)],
        asset_checks=[extracts_on_time],
        jobs=[ingest_job, transform_job, freshness_job],
        sensors=[landing_sensor, transform_after_ingest],
        schedules=[nightly_refresh, daily_freshness],
        resources={**build_resources(settings), "dbt": dbt_resource(project)},
        # One DuckDB writer: every step of a run in one process, one after the other.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Settings.load())
