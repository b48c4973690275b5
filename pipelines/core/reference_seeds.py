"""Build the reference seeds from the public ONS and DfE files (``csc reference-seeds``).

The seeds are committed (a BI tool must never need the internet, nor ``../shared``); this module is
how they were made and how a council refreshes them when DfE or ONS publish a new year: point it at a
folder laid out as ``../shared/reference`` (its README gives each file's source, licence and
conventions) and commit the rewritten seeds. Nothing is typed in by hand and no figure is computed:
each value is copied from its publication; a symbol (``x``, ``c``, ``-``, ...) has no row (a null).

- ``population_0_17``: ONS mid-year estimates of children aged 0-17 per DfE LA code (``year`` = the
  mid-year; DfE's rate for the year to 31 March N divides by the mid-(N-1) estimate).
- ``statistical_neighbours``: the DfE children's services statistical neighbours, 2025 and April 2021
  models, ten per LA with rank and closeness band.
- ``dfe_published_measures``: the DfE LAIT measures the warehouse has an equivalent of (or that a
  council reads beside them), long format, LA / region / England rows, years to 31 March.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

DASHBOARD_DATA = "dfe-analytical-services__CSC_outcomes_and_enablers/data-raw"
POPULATION_FILE = f"{DASHBOARD_DATA}/ons_mid-year_population_estimates_2012_to_2024.csv"
NEIGHBOURS_2025_FILE = f"{DASHBOARD_DATA}/sn_model_2025_wide.csv"
NEIGHBOURS_2021_FILE = f"{DASHBOARD_DATA}/New_Statistical_Neighbour_Groupings_April_2021.csv"
LAIT_FILE = "dfe-analytical-services__local-authority-interactive-tool/derived/lait_csc_measures_wide.csv"

POPULATION_SOURCE = "ONS mid-year estimate (DfE CSC_outcomes_and_enablers)"

# LAIT measure code -> what it is. Kept: every published equivalent of a warehouse KPI, and the
# children-in-need rate a performance report puts beside them.
LAIT_MEASURES = {
    "LAC": "children looked after at 31 March per 10,000 children aged 0-17",
    "LACnum": "children looked after at 31 March",
    "LACnum_Start": "children who started to be looked after in the year",
    "LACceased": "children who ceased to be looked after in the year",
    "CIN": "children in need at 31 March per 10,000 children aged 0-17",
    "CPP_Total_NumRef": "referrals in the year",
    "CPP_Total_Rateper10,000": "referrals in the year per 10,000 children aged 0-17",
    "ReReferral": "% of referrals within 12 months of a previous referral",
    "Continue_Assess_Comp": "% of assessments completed within 45 working days",
    "CP_conf_15days": "% of initial conferences within 15 working days of the strategy discussion",
    "PrevRegCPR": "% of child protection plans that were second or subsequent plans",
}


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _number(text: str) -> str:
    """A published figure as written, or '' for a symbol (x c z u : - ..): never a guess."""
    text = text.strip()
    try:
        float(text)
    except ValueError:
        return ""
    return text


def population_rows(reference: Path) -> list[list[str]]:
    rows = []
    for row in _read(reference / POPULATION_FILE):
        value = _number(row["population_estimate"])
        if row["geographic_level"] == "Local authority" and value:
            rows.append([row["old_la_code"], row["time_period"], value, POPULATION_SOURCE])
    return sorted(rows, key=lambda r: (r[0], int(r[1])))


def _neighbour_rows(path: Path, model: str, code_column: str, band_follows: bool) -> list[list[str]]:
    """One row per LA and neighbour rank from a wide file: SN1..SN10 (or SN_1..SN_10) codes, each with
    its closeness band in the next column."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        la_at = header.index(code_column)
        prefix = "SN" if band_follows else "SN_"
        code_ats = [header.index(f"{prefix}{k}") for k in range(1, 11)]
        rows = []
        for values in reader:
            la = values[la_at].strip() if values else ""
            if not la.isdigit():
                continue  # blank and "Old SNs:" separator lines
            for rank, code_at in enumerate(code_ats, start=1):
                if values[code_at].strip().isdigit():
                    rows.append([model, la, values[code_at].strip(), str(rank), values[code_at + 1].strip(),
                                 path.name])
    return rows


def neighbour_rows(reference: Path) -> list[list[str]]:
    rows = _neighbour_rows(reference / NEIGHBOURS_2025_FILE, "2025", "old_la_code", band_follows=False)
    rows += _neighbour_rows(reference / NEIGHBOURS_2021_FILE, "2021", "LA num", band_follows=True)
    return sorted(rows, key=lambda r: (r[0], r[1], int(r[3])))


def published_measure_rows(reference: Path) -> list[list[str]]:
    rows = []
    for row in _read(reference / LAIT_FILE):
        if row["measure_code"] not in LAIT_MEASURES:
            continue
        code = row["la_number"].strip()
        level = "england" if code == "970" else "region" if 980 <= int(code) <= 990 else "la"
        for year in (k for k in row if k.isdigit()):
            if _number(row[year]):  # a suppressed or missing figure has no row (a null benchmark)
                rows.append([row["measure_code"], level, code, row["area_name"], row["lait_region"], year,
                             _number(row[year])])
    return sorted(rows, key=lambda r: (r[0], r[2], r[3], r[5]))


SEEDS = {
    "population_0_17": (["la_code", "year", "population_0_17", "source"], population_rows),
    "statistical_neighbours": (["model", "la_code", "neighbour_la_code", "rank", "closeness", "source_file"],
                               neighbour_rows),
    "dfe_published_measures": (["measure_code", "area_level", "area_code", "area_name", "lait_region",
                                "year", "value"], published_measure_rows),
}


def render_seed(name: str, reference: Path) -> str:
    header, rows_of = SEEDS[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows_of(reference))
    return out.getvalue()


def write_reference_seeds(reference: Path, seeds_dir: Path) -> list[Path]:
    """Rewrite every reference seed from the files under ``reference``; returns the paths written."""
    written = []
    for name in SEEDS:
        path = seeds_dir / f"{name}.csv"
        path.write_text(render_seed(name, reference), encoding="utf-8")
        written.append(path)
    return written
