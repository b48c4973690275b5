"""Late and missing extracts: amber after the tolerance, red after twice it or with none at all."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb

from pipelines.checks.freshness import freshness_result, lateness


def test_lateness_per_la_against_its_cadence(tmp_path):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw; CREATE TABLE raw.extract_log (la_code VARCHAR, extract_date DATE)")
    con.execute("""INSERT INTO raw.extract_log VALUES
                   ('885', '2024-03-01'), ('885', '2024-04-01'),  -- 30 days before 'today': on time
                   ('860', '2024-02-20'),                         -- 71 days: over twice 35, overdue
                   ('926', '2024-02-25'),                         -- 66 days: late
                   ('201', '2024-03-30')                          -- not in the seed: default 35 days""")
    report = lateness(con, dt.date(2024, 5, 1))
    assert {la: (r["days_since"], r["status"]) for la, r in report.items()} == {
        "201": (32, "on_time"), "825": (None, "overdue"), "860": (71, "overdue"),
        "885": (30, "on_time"), "926": (66, "late"),
    }
    result = freshness_result(report)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR
    assert result.metadata["overdue_las"].value == ["825", "860"]


def test_all_on_time_passes():
    report = {"885": {"status": "on_time"}}
    assert freshness_result(report).passed
