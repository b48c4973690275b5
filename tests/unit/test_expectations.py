"""The Great Expectations suites catch rows that should never have reached the marts."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.core.expectations import validate_frame


def frame(**overrides):
    rows = {"la_code": ["885", "885", "926"], "extract_date": ["2024-04-02"] * 3, "dataset": ["ssd"] * 3,
            "stda_attendee_id": ["A1", "A2", "A1"], "stda_discussion_id": ["S1", "S1", "S1"],
            "stda_agency": ["HEALTH", "POLICE", "HEALTH"], "stda_role": [None, None, None],
            "stda_attended": ["Y", "N", "W"]}
    rows.update(overrides)
    return pd.DataFrame(rows)


def test_clean_rows_from_several_councils_pass():
    ok, failures = validate_frame("ext_strategy_discussion_attendees", frame())
    assert ok and failures == []  # A1 twice, but in two councils' extracts


def test_a_bad_code_a_null_and_a_repeated_id_fail():
    ok, failures = validate_frame("ext_strategy_discussion_attendees", frame(
        stda_attendee_id=["A1", "A1", "A1"], stda_agency=["HEALTH", "SCHOOL", "HEALTH"],
        stda_attended=["Y", None, "W"]))
    assert not ok
    kinds = {(f["expectation"], f["column"]) for f in failures}
    assert kinds == {("expect_column_values_to_be_in_set", "stda_agency"),
                     ("expect_column_values_to_not_be_null", "stda_attended"),
                     ("expect_compound_columns_to_be_unique", None)}


def _raw_table(con, name, rows: pd.DataFrame):
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"CREATE TABLE raw.{name} AS SELECT * FROM rows")


def _counts(failures):
    return sorted((f["expectation"], f["column"], f["unexpected_count"]) for f in failures)


@pytest.mark.parametrize("name, rows", [
    ("ext_strategy_discussion_attendees", pd.concat([
        frame(stda_attendee_id=["A1", "A1", "A1"], stda_agency=["HEALTH", "SCHOOL", "HEALTH"],
              stda_attended=["Y", "N", None]),
        frame(la_code=["860"] * 3, stda_attendee_id=["A1", None, None], stda_agency=["POLICE", "HEALTH", None]),
        frame(la_code=["861"] * 3, stda_attendee_id=["A1", "A2", "A3"], stda_agency=["HEALTH", "SCHOOL", "POLICE"]),
        frame(la_code=["862"] * 3, stda_attendee_id=["A1", "A2", "A3"]),  # clean: passes every expectation
    ], ignore_index=True)),
    ("ssd_professionals", pd.DataFrame({
        "la_code": ["885"] * 7, "extract_date": ["2024-04-02"] * 7, "dataset": ["ssd"] * 7,
        "prof_professional_id": ["W1", "W2", "W3", "W4", "W5", "W5", "W6"], "prof_team_id": ["T1"] * 7,
        "prof_professional_job_title": ["SW"] * 7, "prof_agency_worker_flag": ["N", "N", "Y", "X", None, "N", "N"],
        "prof_full_time_equivalency": [0.0, 1.0, 1.5, 0.5, None, 0.2, 0.7],
    })),
])
def test_gx_on_the_rows_that_could_fail_finds_what_it_finds_on_every_row(name, rows):
    """GX validates only the rows DuckDB selects as able to fail an expectation (null, outside a set or a
    range, a repeated key): the verdict, the failures and their counts are those of every row in one frame."""
    import duckdb

    from pipelines.core.contract import load_contract
    from pipelines.core.expectations import validate_table

    con = duckdb.connect()
    rows = rows.assign(extract_date=pd.to_datetime(rows["extract_date"]).dt.date)
    _raw_table(con, name, rows)
    con.execute("CREATE TABLE raw.dq_failures (la_code VARCHAR, extract_date DATE, dataset VARCHAR, table_name VARCHAR,"
                " record_id VARCHAR, severity VARCHAR)")
    table = load_contract().table(name)
    extracts = con.execute(f"SELECT DISTINCT la_code, extract_date, dataset FROM raw.{name}").fetchall()
    every_row_ok, every_row_failures = validate_frame(name, con.execute(f"SELECT * FROM raw.{name}").df())
    result = validate_table(con, table, extracts)
    assert not every_row_ok and not result.success
    assert _counts(result.failures) == _counts(every_row_failures)
    assert result.rows == len(rows) and 0 < result.rows_to_gx < len(rows)


def test_an_expectation_the_row_selection_cannot_serve_exactly_is_an_error():
    from pipelines.core.expectations import could_fail_sql

    with pytest.raises(ValueError, match="expect_column_values_to_match_regex"):
        could_fail_sql([{"type": "expect_column_values_to_match_regex", "kwargs": {"column": "x"}}], "SELECT 1")
    with pytest.raises(ValueError, match="mostly"):  # a share of the selected rows is no share of all rows
        could_fail_sql([{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "x", "mostly": 0.9}}],
                       "SELECT 1")
