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
