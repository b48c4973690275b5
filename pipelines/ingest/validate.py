"""Check one extract folder without touching the warehouse: `csc validate`.

The folder is loaded exactly as ingest would load it, into an in-memory DuckDB database, so the
verdict is the loader's own: the same rejects, checks and blocking decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .contract import load_contract
from .landing import Extract, known_la_codes, read_extract_folder
from .loader import ExtractResult, load_extract
from .problems import COLUMNS, extract_problems


@dataclass
class Validation:
    folder: Path
    problems: pd.DataFrame
    result: ExtractResult | None  # None when the folder itself breaks the landing layout

    @property
    def errors(self) -> int:
        return int((self.problems["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.problems["severity"] == "warn").sum())

    @property
    def would_load_cleanly(self) -> bool:
        return self.result is not None and self.errors == 0


def validate_folder(folder: Path) -> Validation:
    contract = load_contract()
    layout = _layout_problem(folder)
    if layout:
        problems = pd.DataFrame([[str(folder), None, None, None, "landing_layout", "error", layout,
                                  "Name the folder <la_code>/<YYYY-MM-DD> with a DfE LA code."]], columns=COLUMNS)
        return Validation(folder, problems, None)
    extract: Extract = read_extract_folder(folder.parent.name, dt.date.fromisoformat(folder.name), folder, contract)
    con = duckdb.connect()
    try:
        result = load_extract(con, contract, extract, force=True)
        problems = extract_problems(con, extract.la_code, extract.extract_date)
    finally:
        con.close()
    return Validation(folder, problems, result)


def _layout_problem(folder: Path) -> str | None:
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if folder.parent.name not in known_la_codes():
        return f"'{folder.parent.name}' (the parent folder) is not a DfE LA code in seeds/la_reference.csv"
    try:
        if len(folder.name) != 10:
            raise ValueError
        dt.date.fromisoformat(folder.name)
    except ValueError:
        return f"'{folder.name}' is not an extract date (YYYY-MM-DD)"
    return None
