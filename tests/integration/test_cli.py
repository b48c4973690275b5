"""The `csc` command as a user runs it (a subprocess, the installed console script)."""

from __future__ import annotations

import re

import pytest

from pipelines.cli import main
from pipelines.core.contract import load_contract
from tests.conftest import EXAMPLE, csc


@pytest.mark.parametrize("command", ["generate", "run", "validate", "export", "report", "bench", "demo", "scorecard", "sync-contract"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "usage: csc " + command in capsys.readouterr().out


def test_top_level_help_lists_the_commands():
    done = csc("--help")
    assert done.returncode == 0
    for command in ("generate", "run", "demo", "scorecard", "sync-contract"):
        assert command in done.stdout


@pytest.mark.slow
def test_run_on_a_clean_folder_prints_loads_and_scorecard_and_exits_0(example_build):
    done = example_build.run
    assert re.search(r"885\s+2024-07-20\s+loaded\s+1752\s+1752\s+0\s+0\s+0", done.stdout)
    assert "Scorecard (latest complete month)" in done.stdout
    assert (example_build.warehouse.parent / "last_run.log").exists()


@pytest.mark.slow
def test_serving_and_report_go_where_the_command_line_says(example_build):
    assert f"Published for BI tools (read-only): {example_build.serving}" in example_build.run.stdout
    assert f"KPI report: {example_build.report}" in example_build.run.stdout
    assert example_build.serving.stat().st_size > 0 and example_build.report.stat().st_size > 0
    assert not (example_build.root / "serving.duckdb").exists()


@pytest.mark.slow
def test_every_setting_can_come_from_the_environment(handmade_build):
    """CSC_LANDING_DIR, CSC_WAREHOUSE_PATH, CSC_SERVING_PATH, CSC_REPORT_PATH, CSC_DQ_BLOCK_THRESHOLD."""
    out = handmade_build.run.stdout
    assert f"landing {handmade_build.landing} -> warehouse {handmade_build.warehouse}" in out
    assert handmade_build.serving.stat().st_size > 0 and handmade_build.report.stat().st_size > 0
    assert not (handmade_build.warehouse.parent / "serving.duckdb").exists()
    # at 50% the 885 extract of 2024-04-02 loads; at the default 5% it is blocked (test below)
    assert "BLOCKED 885/2024-04-02" not in out and "BLOCKED 926/2024-04-02" in out


@pytest.mark.slow
def test_run_exits_1_when_an_extract_is_blocked(handmade_default_build):
    done = handmade_default_build.run
    assert done.returncode == 1
    assert "BLOCKED 885/2024-04-02" in done.stdout
    assert "BLOCKED 926/2024-04-02: ssd_contacts was rejected whole" in done.stdout
    assert "ERROR " in done.stdout and "'999' is not a DfE LA code" in done.stdout


def test_run_exits_1_when_nothing_is_found(tmp_path):
    (tmp_path / "landing").mkdir()
    done = csc("run", "--landing", str(tmp_path / "landing"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert done.returncode == 1
    assert "Nothing was loaded" in done.stdout


def test_a_bad_setting_is_one_clear_line_not_a_traceback(tmp_path):
    done = csc("run", "--landing", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb"),
               env={"CSC_DQ_BLOCK_THRESHOLD": "five percent"})
    assert done.returncode == 2
    assert done.stderr.strip() == "csc: CSC_DQ_BLOCK_THRESHOLD='five percent' is not a valid float"


def test_generate_writes_every_contract_table(tmp_path):
    scenario = tmp_path / "one.yml"
    scenario.write_text("councils:\n  - {la_code: '860', extract_date: 2019-10-31, months: 2}\n")
    done = csc("generate", "--out", str(tmp_path / "landing"), "--scenario", str(scenario), "--scale", "0.05")
    assert done.returncode == 0, done.stderr
    files = sorted(p.name[:-4] for p in (tmp_path / "landing" / "860" / "2019-10-31").iterdir())
    assert files == sorted(load_contract().tables)


def test_validate_a_clean_extract_exits_0_and_writes_an_empty_report(tmp_path):
    done = csc("validate", str(EXAMPLE / "landing" / "885" / "2024-07-20"), "--report-dir", str(tmp_path))
    assert done.returncode == 0, done.stdout
    assert "Verdict: would load with no error-level problem" in done.stdout
    import pandas as pd

    report = pd.read_csv(tmp_path / "validation_report.csv")
    assert list(report.columns) == ["file", "line", "column", "raw_value", "rule", "severity", "problem", "how_to_fix"]
    assert (report["severity"] == "error").sum() == 0


def test_validate_reports_every_problem_with_a_fix_and_exits_1(tmp_path):
    import pandas as pd

    from tests.integration.test_corpus import CORPUS

    folder = CORPUS / "invalid_dates" / "885" / "2024-04-02"
    done = csc("validate", str(folder), "--report-dir", str(tmp_path))
    assert done.returncode == 1
    assert "error  invalid_date: 4" in done.stdout
    report = pd.read_excel(tmp_path / "validation_report.xlsx", dtype=str)
    bad = report[report["rule"] == "invalid_date"]
    assert sorted(bad["raw_value"]) == ["2024-02-30", "2024-13-01", "31/02/2024", "45123"]
    assert set(bad["file"]) == {"ssd_person.csv"} and sorted(bad["line"].astype(int)) == [3, 4, 5, 6]
    assert bad["how_to_fix"].str.contains("YYYY-MM-DD").all()
    # nothing was written beside the extract when --report-dir is given, and no warehouse was touched
    assert not (folder / "validation_report.csv").exists()


def test_validate_names_a_folder_that_breaks_the_layout(tmp_path):
    (tmp_path / "999" / "2024-04-02").mkdir(parents=True)
    done = csc("validate", str(tmp_path / "999" / "2024-04-02"), "--report-dir", str(tmp_path))
    assert done.returncode == 1
    assert "'999' (the parent folder) is not a DfE LA code" in done.stdout
    (tmp_path / "885" / "2024-04-02").mkdir(parents=True)
    done = csc("validate", str(tmp_path / "885" / "2024-04-02"), "--report-dir", str(tmp_path))
    assert done.returncode == 1
    assert "holds no extract file" in done.stdout


def test_validate_honours_the_threshold_and_caseload_ceiling_settings(tmp_path):
    from tests.helpers import write_extract

    folder = write_extract(tmp_path / "landing", "885", "2024-04-02", {
        "ssd_person": "pers_person_id\nP1\nP2\nP3\n",
        "ssd_department": "dept_team_id,dept_team_name\nT1,Team\n",
        "ssd_professionals": "prof_professional_id,prof_team_id,prof_full_time_equivalency\nW1,T1,1\n",
        "ssd_involvements": "invo_involvements_id,invo_professional_id,invo_person_id,invo_professional_role_id,"
                            "invo_involvement_start_date\nI1,W1,P1,ALLOCATED_CASE_WORKER,2024-01-01\n"
                            "I2,W1,P2,ALLOCATED_CASE_WORKER,2024-01-01\nI3,W1,P3,ALLOCATED_CASE_WORKER,2030-01-01\n",
    })
    default = csc("validate", str(folder), "--report-dir", str(tmp_path / "a"))
    # I3 starts after the as-at date: 1 of 3 involvements excluded, over the default 5%
    assert "would be BLOCKED: ssd_involvements: 1 of 3 rows" in default.stdout
    assert "caseload_over_ceiling" not in default.stdout  # 2 open cases, ceiling 40
    lenient = csc("validate", str(folder), "--report-dir", str(tmp_path / "b"),
                  env={"CSC_DQ_BLOCK_THRESHOLD": "0.5", "CSC_CASELOAD_CEILING": "1"})
    assert "BLOCKED" not in lenient.stdout
    assert "warn   caseload_over_ceiling: 2" in lenient.stdout  # W1 holds 2 open cases > 1


@pytest.mark.slow
def test_export_refuses_child_level_data_without_a_key_and_pseudonymises_with_one(example_build, tmp_path):
    import pandas as pd

    warehouse = example_build.warehouse
    refused = csc("export", "--child-level", "--warehouse", str(warehouse), "--out", str(tmp_path / "x"))
    assert refused.returncode == 2 and "CSC_PSEUDONYM_KEY" in refused.stdout
    assert not (tmp_path / "x").exists()
    done = csc("export", "--child-level", "--shareable", "--warehouse", str(warehouse), "--out", str(tmp_path / "x"),
               env={"CSC_PSEUDONYM_KEY": "test-key-0123456789"})
    assert done.returncode == 0, done.stdout + done.stderr
    child = pd.read_csv(tmp_path / "x" / "open_contacts_pseudonymised.csv", dtype=str)
    assert len(child) == 25  # the worked example's open contacts
    assert list(child.columns) == ["la_code", "child_pseudonym", "contact_pseudonym", "received_at",
                                   "hours_waiting", "over_24h", "age_at_contact"]
    assert child["child_pseudonym"].str.fullmatch(r"[0-9a-f]{64}").all()
    text = (tmp_path / "x" / "open_contacts_pseudonymised.csv").read_text()
    assert "C0000032" not in text and "dob" not in text.lower()  # no ids, no dates of birth
    bench = pd.read_csv(tmp_path / "x" / "kpi_benchmark.csv")
    counts = bench[["numerator", "denominator"]].where(bench["kpi_id"] != "caseload_per_fte").stack()
    assert not counts.between(1, 4).any() and bench["suppressed"].any()
    assert set(bench["level"]) == {"la", "region", "all"}
    assert (tmp_path / "x" / "kpi_benchmark.parquet").stat().st_size > 0


@pytest.mark.slow
def test_bench_runs_end_to_end_and_writes_the_json_keys(tmp_path):
    import json

    done = csc("bench", "--las", "1", "--months", "2", "--scale", "0.05", "--repeat", "1",
               "--workdir", str(tmp_path / "work"), "--json", str(tmp_path / "bench.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "bench.json").read_text())
    required = {"las", "months", "rows", "floor_seconds", "run_seconds", "ingest_seconds", "dbt_seconds",
                "checks_seconds", "publish_seconds", "peak_rss_mb", "refresh_one_la_seconds"}
    assert required <= set(result)
    assert result["las"] == 1 and result["months"] == 2 and result["rows"] > 0
    assert 0 < result["floor_seconds"] < result["run_seconds"]
    assert result["ingest_seconds"] > 0 and result["dbt_seconds"] > 0 and result["peak_rss_mb"] > 0


def test_validate_a_folder_of_903_returns_names_the_returns_columns_and_dfe_rules(tmp_path):
    """What a council runs before it submits its SSDA903 return: liia-tools-pipeline's fault-seeded header
    and episodes, checked in place: the file's own columns, the DfE rule numbers, and a verdict."""
    import shutil

    import pandas as pd

    from tests.integration.test_external_returns import LIIA_PIPELINE

    folder = tmp_path / "landing" / "301" / "2020-03-31"
    folder.mkdir(parents=True)
    for path in LIIA_PIPELINE.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    done = csc("validate", str(folder), "--report-dir", str(tmp_path / "report"))
    assert done.returncode == 1
    assert "SSDA903_2020_header.csv: 5 rows: 1 would load, 4 rejected" in done.stdout
    assert "would be BLOCKED: ssda903: ssda903.episodes:" in done.stdout
    report = pd.read_csv(tmp_path / "report" / "validation_report.csv", dtype=str)
    rne = report[report["column"] == "RNE"].iloc[0]
    assert (rne["file"], rne["line"], rne["raw_value"], rne["rule"]) == (
        "SSDA903_2020_episodes.csv", "6", "*DUMMY*", "invalid_code")
    assert rne["problem"].endswith("(SSDA903 rule 143)")
