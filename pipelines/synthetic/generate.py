"""Write synthetic council extracts to a landing folder: the `csc generate` command's engine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.contract import Contract, load_contract
from .cin_census import cin_census_returns, write_cin_census_xml
from .defects import inject_defects
from .returns import ssda903_returns, write_ssda903_csv, write_ssda903_xml
from .scenario import CouncilScenario
from .tables import CouncilGenerator

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
MANIFEST_NAME = ".defects.json"  # dot-files in the landing folder are not read by the loader
# a return format: how the returns are cut from the generated tables, and how one is written
RETURN_FORMATS = {
    "ssda903": (ssda903_returns, write_ssda903_csv),
    "ssda903_xml": (ssda903_returns, write_ssda903_xml),
    "cin_census": (cin_census_returns, write_cin_census_xml),
}


@dataclass
class GeneratedExtract:
    la_code: str
    folder: Path
    rows: dict[str, int]


def generate_landing(
    out: Path, councils: list[CouncilScenario], seed: int = 42, scale: float = 1.0, defects: bool = False,
    progress=None, formats: tuple[str, ...] | None = None, returns: str | None = None,
) -> list[GeneratedExtract]:
    """Each council's extract (the SSD tables) and/or its statutory returns: ``formats``, else the council's
    own (ssd, ssda903 CSV or XML, cin_census); returns ``returns`` annual or monthly."""
    contract = load_contract()
    generated, manifests = [], {}
    for council in councils:
        generator = CouncilGenerator(council, seed, scale)
        tables = generator.all_tables()
        for extract_format in formats or council.formats:
            if extract_format != "ssd":
                generated += _write_returns(out, council, generator, tables, contract, extract_format,
                                            returns or council.returns, progress)
        if "ssd" not in (formats or council.formats):
            continue
        tables = {name: _as_text(df, contract, name) for name, df in tables.items()}
        folder = out / council.la_code / council.extract_date.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        if defects:
            rng = np.random.default_rng([seed, int(council.la_code), 7])
            manifests[f"{council.la_code}/{council.extract_date}"] = inject_defects(tables, rng).as_dict()
        for name, df in tables.items():
            _write_table(folder, name, df, excel_style=defects)
        generated.append(GeneratedExtract(council.la_code, folder, {n: len(df) for n, df in tables.items()}))
        if progress:
            progress(f"  {council.la_code}/{council.extract_date}: {sum(len(d) for d in tables.values()):,} rows")
    if defects:
        (out / MANIFEST_NAME).write_text(json.dumps(manifests, indent=2))
    return generated


def _write_returns(out: Path, council: CouncilScenario, generator: CouncilGenerator, tables: dict[str, pd.DataFrame],
                   contract: Contract, extract_format: str, cadence: str, progress) -> list[GeneratedExtract]:
    """The council's SSDA903 or CIN census returns, each in the folder of its reference date."""
    cut, write = RETURN_FORMATS[extract_format]
    written = []
    for ref, return_tables in cut(tables, generator.history_months[0], council.extract_date, cadence).items():
        folder = out / council.la_code / ref.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        write(folder, return_tables, contract, ref)
        rows = {name: len(df) for name, df in return_tables.items()}
        written.append(GeneratedExtract(council.la_code, folder, rows))
        if progress:
            progress(f"  {council.la_code}/{ref} ({extract_format}): {sum(rows.values()):,} rows")
    return written


def _as_text(df: pd.DataFrame, contract: Contract, table: str) -> pd.DataFrame:
    """Dates and datetimes as the contract's ISO text; everything else as is."""
    df = df.copy()
    for f in contract.table(table).fields:
        if f.is_temporal and f.name in df:
            fmt = DATE_FORMAT if f.type == "date" else DATETIME_FORMAT
            df[f.name] = pd.to_datetime(df[f.name]).dt.strftime(fmt)
    return df


def _write_table(folder: Path, name: str, df: pd.DataFrame, excel_style: bool) -> None:
    """Plain UTF-8 CSV; with excel_style, the variations Excel users produce that must still load."""
    path = folder / f"{name}.csv"
    if not excel_style:
        df.to_csv(path, index=False)
        return
    if name == "ssd_person":  # dates re-typed in the UK style
        df = df.assign(pers_dob=pd.to_datetime(df["pers_dob"]).dt.strftime("%d/%m/%Y"))
    if name == "ssd_contacts":  # headers in another case
        df = df.rename(columns=str.upper)
    if name == "ssd_department":  # saved as "CSV (Comma delimited)": Windows-1252, with a curly apostrophe
        parent = df["dept_team_parent_name"].str.replace("Children", "Children\u2019s", n=1)
        df = df.assign(dept_team_parent_name=parent)
        df.to_csv(path, index=False, encoding="cp1252")
        return
    df.to_csv(path, index=False)
