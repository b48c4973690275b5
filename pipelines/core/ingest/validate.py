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
    results: list[ExtractResult]  # one per dataset in the folder; none when it breaks the landing layout

    @property
    def errors(self) -> int:
        return int((self.problems["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.problems["severity"] == "warn").sum())

    @property
    def would_load_cleanly(self) -> bool:
        return bool(self.results) and self.errors == 0


def validate_folder(folder: Path, policy: LoadPolicy = DEFAULT_POLICY) -> Validation:
    """Every extract in the folder (one per dataset), each checked as ingest would load it."""
    contract = load_contract()
    layout = layout_problem(folder)
    extracts: list[Extract] = []
    if not layout:
        extracts = read_extract_folder(folder.parent.name, extract_date_of(folder.name), folder, contract)
        if not extracts:
            layout = "the folder holds no extract file (no file of a dataset this version loads): not an extract"
    if layout:
        problems = pd.DataFrame([[str(folder), None, None, None, "landing_layout", "error", layout,
                                  how_to_fix(contract, "landing_layout")]], columns=COLUMNS)
        return Validation(folder, problems, [])
    con = duckdb.connect()
    results, frames = [], []
    try:
        for extract in extracts:
            results.append(load_extract(con, contract, extract, policy=policy, force=True))
            frames.append(extract_problems(con, extract.la_code, extract.extract_date, extract.dataset))
    finally:
        con.close()
    return Validation(folder, pd.concat(frames, ignore_index=True), results)
