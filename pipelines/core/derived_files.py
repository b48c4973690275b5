"""Files derived from the contract and the rule registry: the dbt sources, the Great Expectations
suites and the seed listing every data-quality rule followed per table.

They are generated (``csc sync-contract``) and committed, so analysts can read them in the repo and
dbt and GX can use them as is; ``tests/unit/test_contract_sync.py`` fails while they are stale.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from ..settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, SEEDS_DIR
from .contract import Contract, Table, load_contract
from .ingest.schema import BOOKKEEPING_DDL, LINE_COLUMN, RAW_SCHEMA

SOURCES_PATH = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
DQ_CHECKS_SEED = SEEDS_DIR / "dq_checks.csv"
HEADER = "# Generated from pipelines/core/contract/contract.yml by `csc sync-contract`: do not edit by hand.\n"


def render_dbt_sources(contract: Contract) -> str:
    tables = []
    for table in contract.tables.values():
        columns = [
            {"name": "la_code", "description": "DfE three-digit LA code of the extract."},
            {"name": "extract_date", "description": "The day the extract was taken."},
            {"name": LINE_COLUMN, "description": "Line of the council's file the row came from."},
            {"name": "dataset", "description": "The kind of extract the row came from (ssd; ssda903, cin_census)."},
        ] + [
            {"name": f.name, "description": _field_doc(f), "data_type": f.sql_type.lower()}
            for f in table.fields
        ]
        tables.append({
            "name": table.name,
            "description": table.description,
            "meta": {"dagster": {"asset_key": [RAW_SCHEMA, table.name]}},
            "columns": columns,
        })
    for name in BOOKKEEPING_DDL:
        tables.append({
            "name": name,
            "description": f"Load bookkeeping written by the ingest step ({name}).",
            "meta": {"dagster": {"asset_key": [RAW_SCHEMA, name]}},
        })
    doc = {"version": 2, "sources": [{
        "name": "csc",
        "schema": RAW_SCHEMA,
        "description": f"Council extracts as loaded by the ingest step (contract version {contract.version}).",
        "tables": tables,
    }]}
    return HEADER + yaml.safe_dump(doc, sort_keys=False, width=110, allow_unicode=True)


def _field_doc(f) -> str:
    parts = [f"{f.type}{', required' if f.required else ''}"]
    if f.codes and f.type == "code":
        parts.append("codes: " + ", ".join(f.codes))
    if f.description:
        parts.append(f.description)
    return "; ".join(parts)


def render_expectation_suite(table: Table) -> dict:
    """What the loaded rows of a table must satisfy once rejects and exclusions are applied.

    The loader enforces these row by row; the suite checks the result independently, so a loader
    bug cannot reach the marts unnoticed.
    """
    expectations: list[dict] = []

    def add(kind: str, **kwargs) -> None:
        expectations.append({"type": kind, "kwargs": kwargs, "meta": {}})

    for col in ("la_code", "extract_date", "dataset"):
        add("expect_column_values_to_not_be_null", column=col)
    for f in table.fields:
        add("expect_column_to_exist", column=f.name)
    for f in table.fields:
        if f.required:
            add("expect_column_values_to_not_be_null", column=f.name)
        if f.type in ("code", "yn"):
            add("expect_column_values_to_be_in_set", column=f.name, value_set=list(f.codes))
        if f.type == "num" and (f.min_exclusive is not None or f.min is not None or f.max is not None):
            low = f.min_exclusive if f.min_exclusive is not None else f.min
            add("expect_column_values_to_be_between", column=f.name, min_value=low,
                max_value=f.max, strict_min=f.min_exclusive is not None)
    # one frame holds many councils' extracts: ids are unique within an extract (LA, date, dataset)
    add("expect_compound_columns_to_be_unique", column_list=["la_code", "extract_date", "dataset", table.primary_key])
    return {"name": table.name, "expectations": expectations,
            "meta": {"generated_from": "pipelines/core/contract/contract.yml"}}


def render_dq_checks_seed(contract: Contract) -> str:
    """Every rule followed per table (the spine of marts.data_quality_history), from the registry."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table_name", "check_name", "severity", "description"])
    for table in contract.table_names:
        for rule in contract.history_rules_for(table):
            writer.writerow([table, rule.name, rule.severity, rule.description])
    return out.getvalue()


def expected_files(contract: Contract) -> dict[Path, str]:
    files = {SOURCES_PATH: render_dbt_sources(contract), DQ_CHECKS_SEED: render_dq_checks_seed(contract)}
    for table in contract.tables.values():
        suite = render_expectation_suite(table)
        files[EXPECTATIONS_DIR / f"{table.name}.json"] = json.dumps(suite, indent=2) + "\n"
    return files


def stale_files(contract: Contract | None = None) -> list[Path]:
    contract = contract or load_contract()
    return [p for p, text in expected_files(contract).items() if not p.exists() or p.read_text() != text]


def write_files(contract: Contract | None = None) -> list[Path]:
    contract = contract or load_contract()
    written = []
    for path, text in expected_files(contract).items():
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(path)
    return written
