"""The `csc` command as a user runs it (a subprocess, the installed console script)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_conformance import EXAMPLE

CSC = str(Path(sys.executable).parent / "csc")


def csc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CSC, *args], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", ["generate", "run", "demo", "scorecard", "sync-contract"])
def test_every_command_has_help(command):
    done = csc(command, "--help")
    assert done.returncode == 0
    assert "usage: csc " + command in done.stdout


def test_top_level_help_lists_the_commands():
    done = csc("--help")
    assert done.returncode == 0
    for command in ("generate", "run", "demo", "scorecard", "sync-contract"):
        assert command in done.stdout


def test_run_on_a_clean_folder_prints_loads_and_scorecard_and_exits_0(tmp_path):
    done = csc("run", "--landing", str(EXAMPLE / "landing"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"885\s+2024-07-20\s+loaded\s+1752\s+1752\s+0\s+0\s+0", done.stdout)
    assert "Scorecard (latest complete month)" in done.stdout
    assert (tmp_path / "last_run.log").exists()


def test_run_exits_1_when_an_extract_is_blocked(tmp_path):
    from tests.fixtures.handmade import write_handmade_landing

    landing = write_handmade_landing(tmp_path / "landing")
    done = csc("run", "--landing", str(landing), "--warehouse", str(tmp_path / "w.duckdb"), "--no-scorecard")
    assert done.returncode == 1
    assert "BLOCKED 926/2024-04-02: ssd_contacts was rejected whole" in done.stdout
    assert "ERROR " in done.stdout and "'999' is not a DfE LA code" in done.stdout


def test_run_exits_1_when_nothing_is_found(tmp_path):
    (tmp_path / "landing").mkdir()
    done = csc("run", "--landing", str(tmp_path / "landing"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert done.returncode == 1
    assert "Nothing was loaded" in done.stdout


def test_generate_writes_every_contract_table(tmp_path):
    scenario = tmp_path / "one.yml"
    scenario.write_text("councils:\n  - {la_code: '860', extract_date: 2019-10-31, months: 2}\n")
    done = csc("generate", "--out", str(tmp_path / "landing"), "--scenario", str(scenario), "--scale", "0.05")
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (tmp_path / "landing" / "860" / "2019-10-31").iterdir())
    assert len(files) == 8 and "ssd_contacts.csv" in files
