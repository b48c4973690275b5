"""The problem report a council gets back: one row per problem, with a plain-English fix.

Each problem is named by its rule in the registry (core/contract/rules.yml), which gives the fix.
Built from what the loader recorded for one extract (raw.load_log, raw.rejects, raw.dq_failures,
raw.extract_log), so `csc validate` (an in-memory load) and every real load report the same way.
Written as CSV and as an Excel workbook, the tools councils' analysts use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from ..contract import Contract, load_contract
from .schema import RAW_SCHEMA

REPORT_STEM = "validation_report"
COLUMNS = ["file", "line", "column", "raw_value", "rule", "severity", "problem", "how_to_fix"]

def how_to_fix(contract: Contract, rule: str, table: str | None = None) -> str:
    record = contract.rule(rule, table)
    return record.fix if record else ""


def _fixes(contract: Contract, problems: pd.DataFrame) -> pd.Series:
    """The registry's fix for each problem: the record for the rule on that file's table, else the
    rule's first record."""
    table_of_file = {f"{t}.csv": t for t in contract.table_names}
    by_place = {(t.name, r.name): r.fix for t in contract.tables.values() for r in contract.rules if r.applies_to(t)}
    by_name = {r.name: r.fix for r in reversed(contract.rules)}
    tables = problems["file"].astype("string").str.lower().map(table_of_file)
    placed = pd.Series(list(zip(tables, problems["rule"], strict=True)), index=problems.index, dtype=object)
    return placed.map(by_place).fillna(problems["rule"].map(by_name)).fillna("")


def extract_problems(con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date, dataset: str = "ssd"
                     ) -> pd.DataFrame:
    """Every problem recorded for one loaded extract (LA, date, dataset), errors first."""
    key = [la_code, extract_date, dataset]
    contract = load_contract()
    frames = [
        con.execute(
            f"""SELECT file_name AS file, NULL::BIGINT AS line, NULL AS "column", NULL AS raw_value,
                       'file_readable' AS rule, 'error' AS severity, file_error AS problem
                FROM {RAW_SCHEMA}.load_log
                WHERE la_code = ? AND extract_date = ? AND dataset = ? AND file_error IS NOT NULL""",
            key,
        ).df(),
        con.execute(
            f"""SELECT file_name, line_no, column_name, raw_value, rule, 'error', reason
                FROM {RAW_SCHEMA}.rejects WHERE la_code = ? AND extract_date = ? AND dataset = ?""",
            key,
        ).df(),
        con.execute(
            f"""SELECT l.file_name, d.line_no, NULL, d.record_id, d.check_name, d.severity, d.detail
                FROM {RAW_SCHEMA}.dq_failures d
                JOIN {RAW_SCHEMA}.load_log l USING (la_code, extract_date, dataset, table_name)
                WHERE d.la_code = ? AND d.extract_date = ? AND d.dataset = ?""",
            key,
        ).df(),
        con.execute(
            f"""SELECT file_name, NULL::BIGINT, NULL, NULL,
                       CASE WHEN w LIKE '%exact duplicate%' THEN 'exact_duplicate' ELSE 'file_warning' END,
                       'warn', w
                FROM (SELECT file_name, unnest(warnings) AS w FROM {RAW_SCHEMA}.load_log
                      WHERE la_code = ? AND extract_date = ? AND dataset = ?)""",
            key,
        ).df(),
        con.execute(
            f"""SELECT NULL, NULL::BIGINT, NULL, NULL, 'extract_blocked', 'error', block_reasons
                FROM {RAW_SCHEMA}.extract_log
                WHERE la_code = ? AND extract_date = ? AND dataset = ? AND status = 'blocked'""",
            key,
        ).df(),
    ]
    for frame in frames:
        frame.columns = COLUMNS[:-1]
    problems = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame(columns=COLUMNS[:-1])
    problems["how_to_fix"] = _fixes(contract, problems)
    problems["_order"] = problems["severity"].map({"error": 0, "warn": 1})
    problems = problems.sort_values(["_order", "file", "line", "rule"], na_position="first", kind="stable")
    return problems.drop(columns="_order").reset_index(drop=True)


def write_problem_report(problems: pd.DataFrame, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = folder / f"{REPORT_STEM}.csv", folder / f"{REPORT_STEM}.xlsx"
    problems.to_csv(csv_path, index=False)
    # openpyxl's write-only workbook streams the rows: half the time of pandas' styled writer
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("problems")
    for column, width in zip("ABCDEFGH", (28, 8, 28, 20, 24, 9, 60, 70), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    header = [WriteOnlyCell(sheet, value=name) for name in problems.columns]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for row in problems.astype(object).where(problems.notna(), None).itertuples(index=False):
        sheet.append(list(row))
    book.save(xlsx_path)
    return [csv_path, xlsx_path]
