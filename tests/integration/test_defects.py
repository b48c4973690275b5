"""Seeded defects are rejected, de-duplicated or excluded exactly as the contract says, and the
Excel-style variations (Windows-1252, DD/MM/YYYY, upper-case headers) still load."""

from __future__ import annotations

import dataclasses
import json

import duckdb
import pytest

from pipelines.cli.run import run_pipeline
from pipelines.settings import Settings
from pipelines.synthetic.generate import MANIFEST_NAME, generate_landing
from pipelines.synthetic.scenario import load_scenario

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    root = tmp_path_factory.mktemp("defects")
    council = dataclasses.replace(next(c for c in load_scenario() if c.la_code == "926"), months=6)
    generate_landing(root / "landing", [council], seed=3, scale=0.5, defects=True)
    manifest = json.loads((root / "landing" / MANIFEST_NAME).read_text())[f"926/{council.extract_date}"]
    result = run_pipeline(Settings.load({}, landing_dir=root / "landing", warehouse_path=root / "warehouse.duckdb"))
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    yield result, manifest, con
    con.close()


def test_defective_extract_still_loads_below_the_blocking_threshold(defective):
    result, manifest, _ = defective
    assert result.ok, result
    assert sum(manifest["rejected"].values()) > 0 and sum(manifest["excluded"].values()) > 0


@pytest.mark.parametrize("outcome,column", [("rejected", "rows_rejected"), ("duplicates", "rows_duplicate"),
                                            ("excluded", "rows_excluded")])
def test_every_seeded_defect_has_its_outcome(defective, outcome, column):
    _, manifest, con = defective
    actual = dict(con.execute(f"SELECT table_name, {column} FROM raw.load_log WHERE {column} > 0").fetchall())
    assert actual == manifest[outcome]


def test_rejects_name_the_rule(defective):
    _, manifest, con = defective
    rules = dict(con.execute("SELECT table_name || '.' || rule, count(*) FROM raw.rejects GROUP BY 1").fetchall())
    kinds = manifest["by_kind"]
    assert rules["ssd_contacts.invalid_datetime"] == kinds["ssd_contacts.impossible_date"]
    assert rules["ssd_contacts.missing_required"] == kinds["ssd_contacts.missing_id"]
    assert rules["ssd_contacts.invalid_code"] == kinds["ssd_contacts.unknown_code"]
    assert rules["ssd_involvements.invalid_date"] == kinds["ssd_involvements.excel_serial_date"]


def test_excel_style_variations_load(defective):
    _, _, con = defective
    encodings = dict(con.execute("SELECT table_name, encoding FROM raw.load_log").fetchall())
    assert encodings["ssd_department"] == "cp1252"
    assert con.execute("SELECT count(*) FROM raw.ssd_department WHERE dept_team_parent_name LIKE '%’s%'").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM raw.ssd_person WHERE pers_dob IS NOT NULL").fetchone()[0] > 100
