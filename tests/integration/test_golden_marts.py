"""Every mart on a fixed seed, fingerprinted: an optimisation must leave the marts byte-identical.

If a change is meant to alter the marts (a KPI rule fixed, a column added), regenerate the
fingerprints with `CSC_UPDATE_GOLDEN=1 pytest tests/integration/test_golden_marts.py` and say why in
the commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

import duckdb
import pytest

from pipelines.cli.run import run_pipeline
from pipelines.settings import Settings
from pipelines.synthetic.generate import generate_landing
from pipelines.synthetic.scenario import load_scenario
from tests.integration.test_guarantees import mart_bytes

GOLDEN = Path(__file__).parent / "golden_marts.json"
# Depend on the day the marts are built, not on the data.
TIME_DEPENDENT = {"extracts"}

pytestmark = pytest.mark.slow


def test_marts_on_a_fixed_seed_are_unchanged(tmp_path):
    councils = [dataclasses.replace(c, months=6) for c in load_scenario()]
    generate_landing(tmp_path / "landing", councils, seed=2024, scale=0.2, defects=True)
    assert run_pipeline(Settings.load({}, landing_dir=tmp_path / "landing", warehouse_path=tmp_path / "w.duckdb")).transform_ok
    fingerprints = {name: hashlib.sha256(data).hexdigest()
                    for name, data in mart_bytes(tmp_path / "w.duckdb").items() if name not in TIME_DEPENDENT}
    if os.environ.get("CSC_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(fingerprints, indent=2, sort_keys=True) + "\n")
    assert fingerprints == json.loads(GOLDEN.read_text())


def test_an_incremental_build_gives_the_marts_of_a_full_one(tmp_path):
    """One LA sends a new extract and another corrects its last one: the next build redoes those two
    LAs only (the dbt models per LA are incremental), and every mart equals a full build's."""
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    councils = [dataclasses.replace(c, months=6) for c in load_scenario()][:3]
    generate_landing(landing, councils, seed=2024, scale=0.2, defects=True)
    assert run_pipeline(Settings.load({}, landing_dir=landing, warehouse_path=warehouse)).transform_ok

    newer, corrected = councils[0], councils[1]
    generate_landing(landing, [dataclasses.replace(newer, extract_date=newer.extract_date + dt.timedelta(days=31))],
                     seed=99, scale=0.2)
    contacts = landing / corrected.la_code / corrected.extract_date.isoformat() / "ssd_contacts.csv"
    lines = contacts.read_text().splitlines(keepends=True)
    contacts.write_text("".join(lines[:-5]))  # five contacts withdrawn
    assert run_pipeline(Settings.load({}, landing_dir=landing, warehouse_path=warehouse)).transform_ok

    con = duckdb.connect(str(warehouse), read_only=True)
    builds = con.execute("SELECT full_refresh, las_rebuilt FROM raw.transform_builds ORDER BY finished_at").fetchall()
    con.close()
    assert builds == [(True, sorted(c.la_code for c in councils)), (False, sorted([newer.la_code, corrected.la_code]))]
    # both builds kept dbt's artifacts in one folder beside the warehouse, so the second re-read dbt's parse
    dbt_log = (tmp_path / "w.duckdb.dbt" / "dbt.log").read_text()
    assert dbt_log.count("Running with dbt=") == 2
    first_build, second_build = dbt_log.rsplit("Running with dbt=", 1)
    assert "Unable to do partial parsing" not in second_build
    # the incremental build left the views as the full one made them (and still tested them)
    assert "kept: unchanged since the last complete build" not in first_build
    assert len(re.findall(r'"msg": "[^"]*view model [^"]*kept: unchanged', second_build)) == 28
    assert "PASS unique_key_stg_csc__contacts" in second_build

    rebuilt = tmp_path / "full.duckdb"
    assert run_pipeline(Settings.load({}, landing_dir=landing, warehouse_path=rebuilt)).transform_ok
    incremental, full = mart_bytes(warehouse), mart_bytes(rebuilt)
    assert {name: data for name, data in incremental.items() if name not in TIME_DEPENDENT} == {
        name: data for name, data in full.items() if name not in TIME_DEPENDENT}
