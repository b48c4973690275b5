"""Exports that leave the warehouse: the shareable benchmark and the pseudonymised child-level list.

Shareable benchmark (`csc export --shareable`): per-LA monthly KPIs, plus each region and all LAs,
with statistical disclosure control so no child can be picked out:
- primary: every count from 1 to 4 is suppressed (0 and 5+ are shown);
- a percentage whose numerator or denominator is suppressed is suppressed too;
- secondary: a published total must never reveal a suppressed part. A region's total is the sum of
  its LAs: where exactly one LA is suppressed, the smallest other non-zero LA is suppressed too (or, if
  there is none, the region's total). The all-LA total is the sum of the regions, and every published
  region total can be rebuilt from its LAs, so hiding a second region would not help: where exactly
  one region is suppressed, the all-LA total is suppressed. Repeated until nothing changes.
Counts that are not about children (FTE, the population, a council's plan: NOT_CHILD_COUNTS) are not suppressed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from .privacy import pseudonym_key, pseudonymise

SUPPRESSED_RANGE = (1, 4)
NOT_CHILD_COUNTS = {
    ("caseload_per_fte", "denominator"),  # FTE
    ("lac_rate_per_10k", "denominator"),  # the ONS population aged 0-17
    ("lac_vs_trajectory", "denominator"),  # the council's published plan
}
COMPONENTS = ("numerator", "denominator")


def benchmark_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Unsuppressed long-format KPIs at LA, region and all-LA level (marts.kpi_scorecard_areas)."""
    return con.execute(
        """SELECT level, area_code, area_name, region, period_start, kpi_id, numerator, denominator, value
           FROM marts.kpi_scorecard_areas ORDER BY level, area_code, period_start, kpi_id"""
    ).df()


def suppress(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply primary and secondary suppression (module docstring); suppressed cells become null."""
    df = frame.copy()
    flags = {}
    for part in COMPONENTS:
        counts = df[part]
        primary = counts.between(*SUPPRESSED_RANGE)
        primary &= ~df["kpi_id"].isin([kpi for kpi, component in NOT_CHILD_COUNTS if component == part])
        flags[part] = primary.copy()
    for part in COMPONENTS:
        _secondary(df, flags[part], part)
    for part in COMPONENTS:
        df.loc[flags[part], part] = None
    df["suppressed"] = flags["numerator"] | flags["denominator"]
    df.loc[df["suppressed"], "value"] = None
    return df


def _secondary(df: pd.DataFrame, flag: pd.Series, part: str) -> None:
    """Suppress more cells until no published total reveals a suppressed part (in place on flag)."""
    # (part level, total level, what to hide when exactly one part is hidden)
    hierarchy = [("la", "region", "another part"), ("region", "all", "the total")]
    changed = True
    while changed:
        changed = False
        for child_level, parent_level, remedy in hierarchy:
            children = df[df["level"] == child_level]
            parent_key = "region" if parent_level == "region" else None
            for (period, kpi, group), rows in children.groupby(
                ["period_start", "kpi_id", (parent_key or "level")], dropna=False
            ):
                hidden = flag[rows.index]
                if hidden.sum() != 1:
                    continue
                parent = df[(df["level"] == parent_level) & (df["period_start"] == period) & (df["kpi_id"] == kpi)]
                if parent_key:
                    parent = parent[parent["area_code"] == group]
                if parent.empty or flag[parent.index].all():
                    continue
                candidates = rows[~hidden & (rows[part] > 0)]
                if remedy == "another part" and len(candidates):
                    flag[candidates[part].idxmin()] = True
                else:
                    flag[parent.index] = True
                changed = True


def write_shareable(con: duckdb.DuckDBPyConnection, out: Path) -> list[Path]:
    table = suppress(benchmark_frame(con))
    return _write_csv_and_parquet(table.drop(columns=["region"]), out, "kpi_benchmark")


def open_contacts_frame(con: duckdb.DuckDBPyConnection, key: str | None) -> pd.DataFrame:
    """The Front Door's open contacts (marts.front_door_open_contacts) with keyed pseudonyms instead of
    ids; the mart gives the age, so no date of birth is read."""
    secret = pseudonym_key(key)  # refuses without a key, before any child-level row is read
    rows = con.execute(
        """SELECT la_code, contact_id, person_id, received_at, hours_waiting, over_24h, age_at_contact
           FROM marts.front_door_open_contacts ORDER BY la_code, received_at, contact_id"""
    ).df()
    # a short live work list (open contacts only), so a Python HMAC per row is cheap here
    for column, source in (("child_pseudonym", "person_id"), ("contact_pseudonym", "contact_id")):
        rows[column] = [pseudonymise(secret, la, i) for la, i in zip(rows["la_code"], rows[source], strict=True)]
    return rows[["la_code", "child_pseudonym", "contact_pseudonym", "received_at", "hours_waiting", "over_24h",
                 "age_at_contact"]]


def write_child_level(con: duckdb.DuckDBPyConnection, out: Path, key: str | None) -> list[Path]:
    return _write_csv_and_parquet(open_contacts_frame(con, key), out, "open_contacts_pseudonymised")


def _write_csv_and_parquet(frame: pd.DataFrame, out: Path, stem: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = out / f"{stem}.csv", out / f"{stem}.parquet"
    frame.to_csv(csv_path, index=False)
    writer = duckdb.connect()  # DuckDB writes Parquet itself: no pyarrow needed
    try:
        writer.register("export_frame", frame)
        writer.execute(f"COPY export_frame TO '{parquet_path}' (FORMAT parquet)")
    finally:
        writer.close()
    return [csv_path, parquet_path]
