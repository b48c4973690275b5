"""The Great Expectations suites catch rows that should never have reached the marts."""

from __future__ import annotations

import pandas as pd

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


def test_batches_of_whole_extracts_find_what_one_frame_finds():
    """GX's frame is capped (MAX_ROWS_PER_FRAME) by validating whole extracts in batches: the verdict,
    the failures and their counts are those of one frame over every extract."""
    import duckdb

    from pipelines.core.contract import load_contract
    from pipelines.core.expectations import validate_table

    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    rows = frame(stda_attendee_id=["A1", "A1", "A1"], stda_agency=["HEALTH", "SCHOOL", "HEALTH"],
                 stda_attended=["Y", "N", "W"]).assign(extract_date=pd.to_datetime(["2024-04-02"] * 3).date)
    rows = pd.concat([rows, rows.assign(la_code=["860", "860", "860"])], ignore_index=True)  # 4 extracts' rows
    con.execute("CREATE TABLE raw.ext_strategy_discussion_attendees AS SELECT * FROM rows")
    con.execute("CREATE TABLE raw.dq_failures (la_code VARCHAR, extract_date DATE, dataset VARCHAR, table_name VARCHAR,"
                " record_id VARCHAR, severity VARCHAR)")
    table = load_contract().table("ext_strategy_discussion_attendees")
    extracts = [(la, "2024-04-02", "ssd") for la in ("885", "926", "860")]
    whole = validate_table(con, table, extracts)
    batched = validate_table(con, table, extracts, max_rows=1)  # one extract per frame
    assert not whole.success and not batched.success and whole.rows == batched.rows == 6
    def counts(result):
        return sorted((f["expectation"], f["column"], f["unexpected_count"]) for f in result.failures)
    # 885's A1 twice (2 rows) and 860's (3 rows) are duplicates; SCHOOL is in 885 and 860
    assert counts(batched) == counts(whole) == [
        ("expect_column_values_to_be_in_set", "stda_agency", 2),
        ("expect_compound_columns_to_be_unique", None, 5)]
