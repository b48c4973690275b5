"""Inject realistic faults into generated tables, and say exactly what the loader must do with them.

Faults go only into tables nothing else refers to (contacts, missing episodes, attendees,
involvements), and each faulty row gets one fault, so the expected outcome per table is exact:
so many rows rejected, so many exact duplicates removed, so many excluded by an error-level check.
Persons get exact duplicates only (the person still loads once). The returned manifest is what the
tests compare the load against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

RATE = 0.003  # of each target table's rows, per kind of fault


@dataclass
class DefectManifest:
    rejected: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, table: str, kind: str, n: int) -> None:
        counts = getattr(self, outcome)
        counts[table] = counts.get(table, 0) + n
        self.by_kind[f"{table}.{kind}"] = self.by_kind.get(f"{table}.{kind}", 0) + n

    def as_dict(self) -> dict:
        return {"rejected": self.rejected, "duplicates": self.duplicates, "excluded": self.excluded,
                "by_kind": self.by_kind}


def inject_defects(tables: dict[str, pd.DataFrame], rng: np.random.Generator) -> DefectManifest:
    manifest = DefectManifest()
    # (table, kind, column, bad value or None for a blank, outcome)
    cell_faults = {
        "ssd_contacts": [
            ("impossible_date", "cont_contact_date", "31/02/2024 10:00", "rejected"),
            ("missing_id", "cont_contact_id", None, "rejected"),
            ("unknown_code", "cont_contact_outcome", "MAYBE", "rejected"),
        ],
        "ssd_missing": [("bad_month", "miss_missing_episode_start_date", "2024-13-01 09:00", "rejected")],
        "ext_strategy_discussion_attendees": [("unknown_code", "stda_agency", "SCHOOL NURSE?", "rejected")],
        "ssd_involvements": [("excel_serial_date", "invo_involvement_start_date", "45123", "rejected")],
    }
    for table, faults in cell_faults.items():
        df = tables[table]
        picks = _disjoint_rows(df, rng, len(faults) + 2)
        for (kind, column, value, outcome), rows in zip(faults, picks, strict=False):
            df[column] = df[column].astype(object)
            df.loc[rows, column] = value
            manifest.add(outcome, table, kind, len(rows))
        order_rows = picks[len(faults)]
        _break_order(table, df, order_rows, manifest)
        tables[table] = _with_duplicates(df, picks[len(faults) + 1], manifest, table)
    person_dups = _disjoint_rows(tables["ssd_person"], rng, 1)[0]
    tables["ssd_person"] = _with_duplicates(tables["ssd_person"], person_dups, manifest, "ssd_person")
    return manifest


def _disjoint_rows(df: pd.DataFrame, rng: np.random.Generator, groups: int) -> list[np.ndarray]:
    n = max(int(len(df) * RATE), 1)
    chosen = rng.choice(df.index.to_numpy(), min(n * groups, len(df)), replace=False)
    return [chosen[i * n:(i + 1) * n] for i in range(groups)]


def _break_order(table: str, df: pd.DataFrame, rows: np.ndarray, manifest: DefectManifest) -> None:
    """An end (or decision) before its start: loaded, then excluded by an error-level check."""
    if table == "ssd_contacts":
        rows = rows[df.loc[rows, "cont_decision_date"].notna().to_numpy()]
        df.loc[rows, "cont_decision_date"] = _shift(df.loc[rows, "cont_contact_date"], pd.Timedelta(hours=-3))
        manifest.add("excluded", table, "decision_before_contact", len(rows))
    elif table == "ssd_missing":
        rows = rows[df.loc[rows, "miss_missing_episode_end_date"].notna().to_numpy()
                    & df.loc[rows, "miss_rhi_completed_date"].isna().to_numpy()]
        df.loc[rows, "miss_missing_episode_end_date"] = _shift(
            df.loc[rows, "miss_missing_episode_start_date"], pd.Timedelta(hours=-1))
        manifest.add("excluded", table, "end_before_start", len(rows))
    elif table == "ssd_involvements":
        rows = rows[df.loc[rows, "invo_involvement_end_date"].notna().to_numpy()]
        df.loc[rows, "invo_involvement_end_date"] = _shift(
            df.loc[rows, "invo_involvement_start_date"], pd.Timedelta(days=-10), fmt="%Y-%m-%d")
        manifest.add("excluded", table, "end_before_start", len(rows))


def _shift(values: pd.Series, by: pd.Timedelta, fmt: str = "%Y-%m-%d %H:%M:%S") -> pd.Series:
    return (pd.to_datetime(values, errors="coerce") + by).dt.strftime(fmt)


def _with_duplicates(df: pd.DataFrame, rows: np.ndarray, manifest: DefectManifest, table: str) -> pd.DataFrame:
    manifest.add("duplicates", table, "exact_duplicate", len(rows))
    return pd.concat([df, df.loc[rows]], ignore_index=True)
