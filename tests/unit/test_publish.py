"""The serving copy: every mart, its rows and its not-null columns."""

import duckdb

from pipelines.core.publish import publish_marts


def test_published_marts_keep_their_rows_and_not_null_columns(tmp_path):
    warehouse = duckdb.connect(str(tmp_path / "w.duckdb"))
    warehouse.execute("CREATE SCHEMA marts")
    warehouse.execute("CREATE TABLE marts.kpi (la_code VARCHAR NOT NULL, pct DOUBLE)")
    warehouse.execute("INSERT INTO marts.kpi VALUES ('201', 50.0), ('202', NULL)")
    warehouse.execute("CREATE TABLE main.not_a_mart (x INTEGER NOT NULL)")

    assert publish_marts(warehouse, tmp_path / "serving.duckdb") == {"kpi": 2}

    serving = duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True)
    columns = serving.execute("SELECT schema_name, table_name, column_name, is_nullable FROM duckdb_columns() "
                              "WHERE database_name = current_database() ORDER BY column_name").fetchall()
    assert columns == [("marts", "kpi", "la_code", False), ("marts", "kpi", "pct", True)]
    assert serving.execute("SELECT * FROM marts.kpi ORDER BY la_code").fetchall() == [("201", 50.0), ("202", None)]
