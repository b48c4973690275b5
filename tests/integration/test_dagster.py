"""The Dagster code location: it loads, shows the asset graph, and its sensor finds extracts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.settings import PROJECT_ROOT
from tests.helpers import write_extract


@pytest.mark.slow
def test_definitions_validate_as_the_dagster_cli_loads_them():
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Validation successful" in done.stderr + done.stdout


def test_asset_graph_has_ingest_dbt_assets_and_checks():
    from pipelines.definitions import build_definitions
    from pipelines.settings import Settings

    defs = build_definitions(Settings.load({}))
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw/ssd_contacts", "raw/load_log", "staging/stg_csc__contacts",
            "marts/kpi_return_home_interviews", "marts/kpi_caseloads_team", "reference/la_reference",
            "serving/marts", "serving/kpi_report"} <= keys
    # dbt sources resolve to the ingest assets, so the marts sit downstream of ingest
    assert dg.AssetKey(["raw", "ssd_contacts"]) in graph.get(dg.AssetKey(["staging", "stg_csc__contacts"])).parent_keys
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("raw/ssd_contacts", "contract_suite") in checks
    assert ("raw/ssd_contacts", "decision_before_contact") in checks
    assert any(name.startswith("unique_key") for key, name in checks if key == "marts/kpi_front_door_decisions")
    assert ("marts/kpi_scorecard", "kpi_value_formula_matches_the_marts") in checks  # a singular dbt test
    assert ("intermediate/int_extract_freshness", "extracts_on_time") in checks
    version_2 = {"marts/kpi_referrals", "marts/kpi_assessments", "marts/kpi_child_protection",
                 "marts/kpi_cp_conference_participation", "marts/kpi_looked_after", "marts/kpi_benchmarks"}
    assert {"raw/ssd_cin_episodes", "raw/ssd_cla_episodes", "reference/population_0_17", *version_2} <= keys
    # in their groups (the dbt layer), with their dbt tests as checks
    groups = {graph.get(dg.AssetKey(k.split("/"))).group_name for k in version_2}
    assert groups == {"marts"}, groups
    assert any(name.startswith("unique_key") for key, name in checks if key == "marts/kpi_looked_after")
    assert ("raw/ssd_contacts", "outside_calendar") in checks
    assert {j.name for j in defs.jobs} >= {"ingest_job", "transform_job", "freshness_job"}
    # publication waits for every mart
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert marts <= graph.get(dg.AssetKey(["serving", "marts"])).parent_keys


def test_landing_sensor_registers_las_and_requests_runs_only_for_changes(tmp_path):
    from pipelines.defs.ingest import landing_sensor
    from pipelines.defs.resources import LandingFolderResource

    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": "pers_person_id\nP1\n"})
    write_extract(tmp_path, "926", "2024-04-02", {"ssd_person": "pers_person_id\nP1\n"})
    instance = dg.DagsterInstance.ephemeral()
    resources = {"landing": LandingFolderResource(path=str(tmp_path))}
    first = landing_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    assert sorted(r.partition_key for r in first.run_requests) == ["885", "926"]
    assert sorted(first.dynamic_partitions_requests[0].partition_keys) == ["885", "926"]
    instance.add_dynamic_partitions("la", ["885", "926"])

    unchanged = landing_sensor(dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor))
    assert unchanged.run_requests == [] and unchanged.dynamic_partitions_requests == []

    write_extract(tmp_path, "926", "2024-05-02", {"ssd_person": "pers_person_id\nP1\n"})
    newer = landing_sensor(dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor))
    assert [r.partition_key for r in newer.run_requests] == ["926"]
    assert newer.dynamic_partitions_requests == []
