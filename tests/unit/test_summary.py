"""What `csc run` prints after a run."""

from __future__ import annotations

import duckdb

from pipelines.cli.summary import scorecard


def test_the_scorecard_lists_each_kpi_once_for_a_council_sending_two_datasets():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.extracts AS SELECT * FROM (VALUES ('935', 'Suffolk', 'ssda903', true), "
                "('935', 'Suffolk', 'cin_census', true), ('935', 'Suffolk', 'cin_census', false)) "
                "t(la_code, la_name, dataset, is_current)")
    con.execute("CREATE TABLE marts.kpi_scorecard AS SELECT * FROM (VALUES "
                "('935', DATE '2018-02-01', 'cp_plans_repeat', 27.8, 20.0, 'RED', true), "
                "('935', DATE '2018-01-01', 'cp_plans_repeat', 25.0, 20.0, 'RED', false)) "
                "t(la_code, period_start, kpi_id, value, target, rag, is_latest_complete_month)")
    rows = [line.split() for line in scorecard(con).splitlines()[3:]]
    assert rows == [["935", "Suffolk", "2018-02", "cp_plans_repeat", "27.8", "20", "RED"]]
