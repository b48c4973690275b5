"""Planning a dbt build from what the last complete build read (core/transform_state.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.core.transform_state import changed_las, plan_build, project_fingerprint, record_build

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)


@pytest.fixture
def warehouse():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.extract_log (la_code VARCHAR, extract_date DATE, dataset VARCHAR, loaded_at TIMESTAMP)")
    con.execute("INSERT INTO raw.extract_log VALUES ('201', '2024-06-30', 'ssd', ?), ('202', '2024-06-30', 'ssd', ?),"
                " ('203', '2024-06-30', 'ssd', ?)", [T0, T0, T0])
    yield con
    con.close()


def test_first_build_is_full_and_covers_every_la(warehouse):
    plan = plan_build(warehouse, "f1")
    assert plan.full_refresh and plan.reason == "no complete build recorded"
    assert plan.changed_las == ("201", "202", "203")


def test_after_a_build_only_added_replaced_and_removed_extracts_change_their_las(warehouse):
    record_build(warehouse, plan_build(warehouse, "f1"))
    assert changed_las(warehouse) == []
    later = T0 + dt.timedelta(days=1)
    warehouse.execute("INSERT INTO raw.extract_log VALUES ('201', '2024-07-31', 'ssd', ?)", [later])  # new
    warehouse.execute("UPDATE raw.extract_log SET loaded_at = ? WHERE la_code = '202'", [later])  # replaced
    warehouse.execute("DELETE FROM raw.extract_log WHERE la_code = '203'")  # removed
    warehouse.execute("INSERT INTO raw.extract_log VALUES ('204', '2024-06-30', 'cin_census', ?)", [later])
    plan = plan_build(warehouse, "f1")
    assert not plan.full_refresh
    assert plan.changed_las == ("201", "202", "203", "204")


def test_a_changed_project_forces_a_full_build(warehouse):
    record_build(warehouse, plan_build(warehouse, "f1"))
    plan = plan_build(warehouse, "f2")
    assert plan.full_refresh and "changed" in plan.reason
    assert plan.changed_las == ("201", "202", "203")


def test_a_renamed_warehouse_gets_a_full_build(tmp_path):
    """Its kept views still name the old catalog (DuckDB names a file's catalog by its stem)."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE SCHEMA raw")
    record_build(con, plan_build(con, "f1"))
    assert not plan_build(con, "f1").full_refresh
    con.close()
    (tmp_path / "warehouse.duckdb").rename(tmp_path / "restored.duckdb")
    con = duckdb.connect(str(tmp_path / "restored.duckdb"))
    plan = plan_build(con, "f1")
    assert plan.full_refresh and "file name" in plan.reason
    con.close()


def test_an_extract_loaded_after_the_plan_waits_for_the_next_build(warehouse):
    plan = plan_build(warehouse, "f1")
    warehouse.execute("INSERT INTO raw.extract_log VALUES ('205', '2024-06-30', 'ssd', ?)",
                      [plan.started_at + dt.timedelta(seconds=5)])
    record_build(warehouse, plan)
    assert changed_las(warehouse) == ["205"]


def test_builds_are_logged(warehouse):
    record_build(warehouse, plan_build(warehouse, "f1"))
    record_build(warehouse, plan_build(warehouse, "f1"))
    rows = warehouse.execute("SELECT full_refresh, project_fingerprint, las_rebuilt FROM raw.transform_builds"
                             " ORDER BY finished_at").fetchall()
    assert rows == [(True, "f1@memory", ["201", "202", "203"]), (False, "f1@memory", [])]


def test_fingerprint_follows_file_names_and_contents(tmp_path):
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1")
    first = project_fingerprint([tmp_path / "models"])
    assert project_fingerprint([tmp_path / "models"]) == first
    model.write_text("select 2")
    second = project_fingerprint([tmp_path / "models"])
    model.rename(tmp_path / "models" / "b.sql")
    assert len({first, second, project_fingerprint([tmp_path / "models"])}) == 3
