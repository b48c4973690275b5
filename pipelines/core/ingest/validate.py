"""Check one extract folder without touching the warehouse: `csc validate`.

The folder is loaded exactly as ingest would load it, into an in-memory DuckDB database, so the
verdict is the loader's own: the same rejects, checks and blocking decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from ..contract import load_contract
from .landing import Extract, extract_date_of, layout_problem, read_extract_folder
from .loader import ExtractResult, load_extract
from .problems import COLUMNS, extract_problems, how_to_fix
from .quality import DEFAULT_POLICY, LoadPolicy


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


def validate_folder(folder: Path, policy: LoadPolicy = DEFAULT_POLICY) -> Validation:
    contract = load_contract()
    layout = layout_problem(folder)
    extract: Extract | None = None
    if not layout:
        extract = read_extract_folder(folder.parent.name, extract_date_of(folder.name), folder, contract)
        if not extract.files:
            layout = "the folder holds no extract file (no table file of the contract): it is not an extract"
    if layout:
        problems = pd.DataFrame([[str(folder), None, None, None, "landing_layout", "error", layout,
                                  how_to_fix(contract, "landing_layout")]], columns=COLUMNS)
        return Validation(folder, problems, None)
    con = duckdb.connect()
    try:
        result = load_extract(con, contract, extract, policy=policy, force=True)
        problems = extract_problems(con, extract.la_code, extract.extract_date, extract.dataset)
    finally:
        con.close()
    return Validation(folder, problems, result)
