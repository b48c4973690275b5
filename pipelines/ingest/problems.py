"""The problem report a council gets back: one row per problem, with a plain-English fix.

Built from what the loader recorded for one extract (raw.load_log, raw.rejects, raw.dq_failures,
raw.extract_log), so `csc validate` (an in-memory load) and every real load report the same way.
Written as CSV and as an Excel workbook, the tools councils' analysts use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from .schema import RAW_SCHEMA

REPORT_STEM = "validation_report"
COLUMNS = ["file", "line", "column", "raw_value", "rule", "severity", "problem", "how_to_fix"]

FIXES = {
    "file_rejected": "Save the file as 'CSV UTF-8' (or Excel's 'CSV (Comma delimited)') with a header row "
                     "of the contract's column names, separated by commas.",
    "extract_blocked": "Fix the errors listed for this extract and send it again; until then the previous "
                       "extract stays in use.",
    "missing_required": "Fill in this value: the contract requires it for every row.",
    "invalid_date": "Write the date as YYYY-MM-DD or DD/MM/YYYY, and check the day exists in that month.",
    "invalid_datetime": "Write the date and time as YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS].",
    "invalid_code": "Use one of the codes the contract lists for this column (docs/contract.md).",
    "invalid_number": "Write a plain number with a decimal point, e.g. 0.5 (no decimal commas).",
    "out_of_range": "Use a value in the allowed range (an FTE is more than 0 and at most 1).",
    "malformed_row": "The row does not have one value per header column: look for an unquoted comma, a "
                     "missing value, or a file that was cut short.",
    "duplicate_id_conflict": "Two or more different rows share this id: send one row per id.",
    "exact_duplicate": "The same row appears more than once: one copy was kept; remove the repeats.",
    "end_before_start": "The end date is before the start date: correct whichever is wrong.",
    "rhi_before_return": "The return home interview is dated before the child returned: check both dates.",
    "decision_before_contact": "The decision is dated before the contact was received: check both dates.",
    "date_after_as_at": "The date is after the day the extract was taken: correct it, or check the extract "
                        "folder's date.",
    "unknown_reference": "The row refers to an id that is not in the extract: send the missing record or "
                         "correct the id.",
    "excluded_reference": "The row refers to a record excluded for another problem: fix that record first.",
    "decision_outcome_mismatch": "Record the outcome together with the decision date.",
    "overlapping_missing_episodes": "The child's missing episodes overlap (903 rule 574): check their dates.",
    "rhi_accepted_not_offered": "An interview recorded as accepted should also be recorded as offered.",
    "caseload_over_ceiling": "Check the worker's open allocations: some may have ended without an end date.",
    "ambiguous_local_time": "This time falls in the hour the clocks change; check it if the exact hour matters.",
    "file_warning": "No action needed unless the column or file was meant to be loaded.",
}


def extract_problems(con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date) -> pd.DataFrame:
    """Every problem recorded for one loaded extract, errors first."""
    key = [la_code, extract_date]
    frames = [
        con.execute(
            f"""SELECT file_name AS file, NULL::BIGINT AS line, NULL AS "column", NULL AS raw_value,
                       'file_rejected' AS rule, 'error' AS severity, file_error AS problem
                FROM {RAW_SCHEMA}.load_log WHERE la_code = ? AND extract_date = ? AND file_error IS NOT NULL""",
            key,
        ).df(),
        con.execute(
            f"""SELECT file_name, line_no, column_name, raw_value, rule, 'error', reason
                FROM {RAW_SCHEMA}.rejects WHERE la_code = ? AND extract_date = ?""",
            key,
        ).df(),
        con.execute(
            f"""SELECT l.file_name, d.line_no, NULL, d.record_id, d.check_name, d.severity, d.detail
                FROM {RAW_SCHEMA}.dq_failures d
                JOIN {RAW_SCHEMA}.load_log l USING (la_code, extract_date, table_name)
                WHERE d.la_code = ? AND d.extract_date = ?""",
            key,
        ).df(),
        con.execute(
            f"""SELECT file_name, NULL::BIGINT, NULL, NULL,
                       CASE WHEN w LIKE '%exact duplicate%' THEN 'exact_duplicate' ELSE 'file_warning' END,
                       'warn', w
                FROM (SELECT file_name, unnest(warnings) AS w FROM {RAW_SCHEMA}.load_log
                      WHERE la_code = ? AND extract_date = ?)""",
            key,
        ).df(),
        con.execute(
            f"""SELECT NULL, NULL::BIGINT, NULL, NULL, 'extract_blocked', 'error', block_reasons
                FROM {RAW_SCHEMA}.extract_log
                WHERE la_code = ? AND extract_date = ? AND status = 'blocked'""",
            key,
        ).df(),
    ]
    for frame in frames:
        frame.columns = COLUMNS[:-1]
    problems = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame(columns=COLUMNS[:-1])
    problems["how_to_fix"] = problems["rule"].map(FIXES).fillna("")
    problems["_order"] = problems["severity"].map({"error": 0, "warn": 1})
    problems = problems.sort_values(["_order", "file", "line", "rule"], na_position="first", kind="stable")
    return problems.drop(columns="_order").reset_index(drop=True)


def write_report(problems: pd.DataFrame, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = folder / f"{REPORT_STEM}.csv", folder / f"{REPORT_STEM}.xlsx"
    problems.to_csv(csv_path, index=False)
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        problems.to_excel(writer, index=False, sheet_name="problems")
        sheet = writer.sheets["problems"]
        for column, width in zip("ABCDEFGH", (28, 8, 28, 20, 24, 9, 60, 70), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    return [csv_path, xlsx_path]
