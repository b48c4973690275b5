"""Every mart on a fixed seed, fingerprinted: an optimisation must leave the marts byte-identical.

If a change is meant to alter the marts (a KPI rule fixed, a column added), regenerate the
fingerprints with `CSC_UPDATE_GOLDEN=1 pytest tests/integration/test_golden_marts.py` and say why in
the commit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

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
