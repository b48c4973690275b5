"""Settings: the command line over the environment over the defaults, read once into one object."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.settings import DEFAULT_DATA_DIR, Settings, SettingsError


def test_defaults_work_out_of_the_box():
    s = Settings.load({})
    assert s.landing_dir == DEFAULT_DATA_DIR / "landing"
    assert s.warehouse_path == DEFAULT_DATA_DIR / "warehouse.duckdb"
    assert s.serving_path == DEFAULT_DATA_DIR / "serving.duckdb"
    assert s.report_path == DEFAULT_DATA_DIR / "kpi_report.html"
    assert (s.dq_block_threshold, s.caseload_ceiling, s.has_pseudonym_key) == (0.05, 40, False)


def test_every_documented_variable_is_read(tmp_path):
    env = {"CSC_LANDING_DIR": str(tmp_path / "l"), "CSC_WAREHOUSE_PATH": str(tmp_path / "w.duckdb"),
           "CSC_SERVING_PATH": str(tmp_path / "s.duckdb"), "CSC_REPORT_PATH": str(tmp_path / "r.html"),
           "CSC_DQ_BLOCK_THRESHOLD": "0.25", "CSC_CASELOAD_CEILING": "12", "CSC_PSEUDONYM_KEY": "k" * 20,
           "CSC_LOAD_WORKERS": "3", "CSC_MEMORY_LIMIT": "1500MB"}
    s = Settings.load(env)
    assert (s.load_workers, s.memory_limit) == (3, "1500MB")
    assert (s.landing_dir, s.warehouse_path, s.serving_path, s.report_path) == (
        tmp_path / "l", tmp_path / "w.duckdb", tmp_path / "s.duckdb", tmp_path / "r.html")
    assert (s.dq_block_threshold, s.caseload_ceiling, s.pseudonym_key) == (0.25, 12, "k" * 20)
    assert "k" * 20 not in repr(s)  # the key is never printed
    docs = (Path(__file__).parents[2] / "docs" / "operations.md").read_text()
    assert all(f"`{variable}`" in docs for variable in env)


def test_the_command_line_wins_and_paths_follow_the_warehouse(tmp_path):
    s = Settings.load({"CSC_WAREHOUSE_PATH": "/elsewhere/w.duckdb"}, warehouse_path=tmp_path / "w.duckdb")
    assert s.warehouse_path == tmp_path / "w.duckdb"
    assert s.serving_path == tmp_path / "serving.duckdb" and s.report_path == tmp_path / "kpi_report.html"
    s = Settings.load({"CSC_SERVING_PATH": str(tmp_path / "bi" / "s.duckdb")}, warehouse_path=tmp_path / "w.duckdb")
    assert s.serving_path == tmp_path / "bi" / "s.duckdb" and s.report_path == tmp_path / "bi" / "kpi_report.html"


@pytest.mark.parametrize("env,message", [
    ({"CSC_CASELOAD_CEILING": "forty"}, "CSC_CASELOAD_CEILING='forty' is not a valid int"),
    ({"CSC_SERVING_PATH": "/bi/marts.duckdb"}, "named like the schema marts"),
    ({"CSC_MEMORY_LIMIT": "2 gigs"}, "CSC_MEMORY_LIMIT='2 gigs' is not an amount of memory"),
])
def test_a_bad_value_names_the_variable(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.load(env)
