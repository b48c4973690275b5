"""Statistical disclosure control of the shareable export, with cases that would leak without it."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from pipelines.core.export import suppress
from pipelines.core.privacy import PseudonymKeyMissing, pseudonym_key, pseudonymise


def frame(rows):
    """rows: (level, area_code, region, numerator, denominator) for one month and KPI."""
    return pd.DataFrame([
        {"level": lvl, "area_code": code, "area_name": code, "region": region, "period_start": "2024-03-01",
         "kpi_id": "rhi_completed", "numerator": float(n), "denominator": float(d),
         "value": (100.0 * n / d) if d else None}
        for lvl, code, region, n, d in rows
    ])


def cell(df, code, part):
    return df.loc[df["area_code"] == code, part].iloc[0]


def test_counts_1_to_4_are_suppressed_and_0_and_5_shown():
    df = suppress(frame([("la", "A", "R", 0, 5), ("la", "B", "R", 4, 20), ("la", "C", "R", 1, 9),
                         ("region", "R", "R", 5, 34), ("all", "ALL", None, 5, 34)]))
    assert cell(df, "A", "numerator") == 0 and cell(df, "A", "denominator") == 5
    assert pd.isna(cell(df, "B", "numerator")) and pd.isna(cell(df, "C", "numerator"))
    # the percentage of a suppressed numerator is suppressed with it
    assert pd.isna(cell(df, "B", "value")) and cell(df, "A", "value") == 0.0


def test_denominators_that_are_not_children_are_never_suppressed():
    """A looked-after rate's denominator is the ONS population and the trajectory's the council's plan: a
    small value there is no child to protect (the numerator, children looked after, still is)."""
    rows = frame([("la", "A", "R", 3, 4), ("la", "B", "R", 7, 4), ("region", "R", "R", 10, 8), ("all", "ALL", None, 10, 8)])
    df = suppress(rows.assign(kpi_id="lac_rate_per_10k"))
    assert pd.isna(cell(df, "A", "numerator")) and cell(df, "B", "denominator") == 4
    assert cell(df, "A", "denominator") == 4
    df = suppress(rows.assign(kpi_id="rhi_completed"))
    assert pd.isna(cell(df, "B", "denominator"))  # a count of children


def test_a_lone_suppressed_la_is_protected_from_the_region_total():
    # Without secondary suppression: A = 25 - 10 - 12 = 3.
    df = suppress(frame([("la", "A", "R", 3, 50), ("la", "B", "R", 10, 50), ("la", "C", "R", 12, 50),
                         ("region", "R", "R", 25, 150), ("all", "ALL", None, 25, 150)]))
    hidden = df[(df["level"] == "la") & df["numerator"].isna()]["area_code"].tolist()
    assert sorted(hidden) == ["A", "B"]  # B, the smallest other, is suppressed as well
    assert cell(df, "R", "numerator") == 25


def test_a_region_with_one_la_hides_its_total_when_the_la_is_hidden():
    # R2 holds only D (2): its total equals D, so the total goes too; then ALL - R1 would reveal R2, and
    # R1 can be rebuilt from A and B, so ALL is hidden.
    df = suppress(frame([("la", "A", "R1", 10, 50), ("la", "B", "R1", 12, 50), ("la", "D", "R2", 2, 40),
                         ("region", "R1", "R1", 22, 100), ("region", "R2", "R2", 2, 40),
                         ("all", "ALL", None, 24, 140)]))
    assert pd.isna(cell(df, "D", "numerator")) and pd.isna(cell(df, "R2", "numerator"))
    assert cell(df, "R1", "numerator") == 22 and cell(df, "A", "numerator") == 10
    assert pd.isna(cell(df, "ALL", "numerator"))


def test_no_published_total_has_exactly_one_hidden_part():
    rows = [("la", f"L{i}", f"R{i % 3}", n, 30) for i, n in enumerate([3, 7, 12, 2, 9, 30, 1, 5, 6])]
    regions = pd.DataFrame(rows, columns=["l", "c", "r", "n", "d"]).groupby("r")["n"].sum()
    rows += [("region", r, r, n, 90) for r, n in regions.items()] + [("all", "ALL", None, regions.sum(), 270)]
    df = suppress(frame(rows))
    for region in regions.index:
        parts = df[(df["level"] == "la") & (df["region"] == region)]
        if pd.notna(cell(df, region, "numerator")):
            assert parts["numerator"].isna().sum() != 1, region
    regional = df[df["level"] == "region"]
    if pd.notna(cell(df, "ALL", "numerator")):
        assert regional["numerator"].isna().sum() != 1
    shown = df[["numerator", "denominator"]].stack()
    assert not shown.between(1, 4).any()


def test_pseudonyms_are_keyed_stable_and_not_plain_hashes():
    a = pseudonymise(b"k" * 16, "885", "000123")
    assert a == pseudonymise(b"k" * 16, "885", "000123")
    assert a != pseudonymise(b"j" * 16, "885", "000123")
    assert a != pseudonymise(b"k" * 16, "860", "000123")
    assert a != hashlib.sha256(b"000123").hexdigest() and a != hashlib.sha256(b"885:000123").hexdigest()
    with pytest.raises(PseudonymKeyMissing):
        pseudonym_key(None)
    with pytest.raises(PseudonymKeyMissing):
        pseudonym_key("short")
    assert pseudonym_key("a-key-of-16-chars") == b"a-key-of-16-chars"
