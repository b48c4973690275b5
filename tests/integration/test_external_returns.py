"""Every public SSDA903 CSV sample in ../shared/external (written by others; see its README), each placed in
a landing folder of its own LA by this test and loaded by one `csc run`: nothing crashes, every table
reconciles, every reject names its rule, and the looked-after marts have rows for each sample or the test
says why not (statutory-returns.md, "Tests the product must have")."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.core.contract import load_contract
from tests.conftest import csc, shared

pytestmark = pytest.mark.slow

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "external"
DEMAND_MODEL = EXTERNAL / "data-to-insight__cs-demand-model" / "cs_demand_model_samples" / "combined"
VALIDATOR = EXTERNAL / "data-to-insight__csc-validator-be-903" / "tests" / "fake_data"
LIIA = EXTERNAL / "SocialFinanceDigitalLabs__liia-tools" / "liiatools" / "spec" / "s903" / "samples"
LIIA_PIPELINE = (EXTERNAL / "SocialFinanceDigitalLabs__liia-tools-pipeline" / "liiatools" / "ssda903_pipeline"
                 / "spec" / "samples")
REGIONAL = EXTERNAL / "SocialFinanceDigitalLabs__cs-demand-model-regional" / "samples" / "v1"
CIN_SAMPLES = [EXTERNAL / "SocialFinanceDigitalLabs__liia-tools" / "liiatools" / "spec" / "cin_census" / "samples"
               / "cin-2022.xml",
               EXTERNAL / "SocialFinanceDigitalLabs__liia-tools-pipeline" / "liiatools" / "cin_census_pipeline" / "spec"
               / "samples" / "BAR_cin_2022.xml"]

# LA -> the extract folders the test makes: date -> files copied into it
LANDING = {
    # the demand model's five yearly returns (file year 2017 holds the return to 31 March 2018) ...
    "316": {f"{year + 1}-03-31": sorted(DEMAND_MODEL.glob(f"{year}-*.csv")) for year in range(2017, 2022)},
    # ... and its newest year alone, to compare the stack with
    "826": {"2022-03-31": sorted(DEMAND_MODEL.glob("2021-*.csv"))},
    # the DfE validator's fake return: 13 tables (header and episodes read; the others "not used"; an
    # _errors copy of a table is no 903 table name: ignored) and Ofsted provider workbooks (ignored)
    "201": {"2018-03-31": sorted(p for p in VALIDATOR.iterdir() if p.suffix in (".csv", ".xlsx"))},
    # the validator's fake XML return: an independent fake LA-year (253 children, 459 episodes)
    "303": {"2018-03-31": [VALIDATOR / "fake_903.xml"]},
    # liia-tools' episodes without a header: blocked
    "202": {"2020-03-31": [LIIA / "SSDA903_2020_episodes.csv"]},
    # liia-tools-pipeline's fault-seeded header and episodes
    "301": {"2020-03-31": sorted(LIIA_PIPELINE.glob("*.csv"))},
    # the regional stack: five years of three councils in one file per table, as sent
    "305": {"2022-03-31": sorted(REGIONAL.glob("*.csv"))},
    # the two CIN census samples (one child each, every module, events in 1970-71)
    "306": {"2022-03-31": CIN_SAMPLES[:1]},
    "307": {"2022-03-31": CIN_SAMPLES[1:]},
}
CIN_TABLES = ["cin_census.assessments", "cin_census.child", "cin_census.cp_plans", "cin_census.cp_reviews",
              "cin_census.referrals", "cin_census.section47"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    def build(root):
        for la, extracts in LANDING.items():
            for date, files in extracts.items():
                folder = root / "landing" / la / date
                folder.mkdir(parents=True)
                for path in files:
                    shutil.copy(path, folder / path.name)
        return csc("run", "--landing", str(root / "landing"), "--warehouse", str(root / "w.duckdb"))

    root, done = shared(tmp_path_factory, "external_903", build)
    # blocked extracts (202, 305) make the run say so with exit code 1; everything else loaded
    assert done.returncode == 1 and "BLOCKED" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    con = duckdb.connect(str(root / "w.duckdb"), read_only=True)
    yield con
    con.close()


def test_every_sample_is_loaded_and_every_table_reconciles(warehouse):
    assert warehouse.execute("SELECT DISTINCT la_code FROM marts.extracts ORDER BY 1").fetchall() == [
        (la,) for la in sorted(LANDING)]
    assert warehouse.execute("SELECT count(*) FROM marts.load_reconciliation"
                             " WHERE rows_read <> rows_loaded + rows_rejected + rows_duplicate").fetchone() == (0,)
    # of the 903 tables only the two version 2 reads get a reconciliation row; a census all its tables
    assert warehouse.execute("SELECT DISTINCT table_name FROM marts.load_reconciliation ORDER BY 1").fetchall() == [
        (t,) for t in CIN_TABLES + ["ssda903.episodes", "ssda903.header"]]
    # every reject names a rule of the registry, and a column the council's file has
    rules = {rule.name for rule in load_contract().rules}
    rejects = warehouse.execute("SELECT DISTINCT rule, column_name FROM raw.rejects").fetchall()
    assert rejects and {rule for rule, _ in rejects} <= rules
    assert {column for _, column in rejects} <= {
        "CHILD", "SEX", "DOB", "ETHNIC", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "CHILD+DECOM", None}


def test_the_validators_fake_return(warehouse):
    # 2,675 children and 5,050 episodes read; the codes are random and uniform, so retired placement
    # codes (P2 stays; Z1 and T0 are in the contract's list) load, and no row is rejected
    rows = warehouse.execute(
        "SELECT table_name, rows_read, rows_loaded, rows_rejected FROM marts.load_reconciliation"
        " WHERE la_code = '201' ORDER BY 1").fetchall()
    assert [(t, read) for t, read, _, _ in rows] == [("ssda903.episodes", 5050), ("ssda903.header", 2675)]
    assert warehouse.execute("SELECT looked_after > 0, source_dataset FROM marts.kpi_looked_after"
                             " WHERE la_code = '201' AND period_start = '2018-03-01'").fetchone() == (True, "ssda903")


def test_the_validators_fake_xml_return(warehouse):
    assert warehouse.execute(
        "SELECT table_name, file_name, rows_read, rows_loaded, rows_rejected, rows_duplicate FROM"
        " marts.load_reconciliation WHERE la_code = '303' ORDER BY 1").fetchall() == [
        ("ssda903.episodes", "fake_903.xml", 459, 459, 0, 0), ("ssda903.header", "fake_903.xml", 253, 253, 0, 0)]
    # the XML's PL element fills the placement; its empty elements (<DEC />) are nulls: 133 open episodes
    assert warehouse.execute(
        "SELECT count(*) FILTER (clae_placement_type IS NULL), count(*) FILTER (clae_cla_episode_ceased_date IS NULL)"
        " FROM raw.ssd_cla_episodes WHERE la_code = '303'").fetchone() == (0, 133)
    assert warehouse.execute("SELECT looked_after > 0, source_dataset FROM marts.kpi_looked_after"
                             " WHERE la_code = '303' AND period_start = '2018-03-01'").fetchone() == (True, "ssda903")


def test_episodes_without_a_header_are_blocked(warehouse):
    assert warehouse.execute("SELECT is_blocked, block_reasons FROM marts.extracts WHERE la_code = '202'"
                             ).fetchone() == (True, "required table ssda903.header is missing")
    assert warehouse.execute("SELECT count(*) FROM marts.kpi_looked_after WHERE la_code = '202'").fetchone() == (0,)


def test_the_demand_models_five_years_stack_like_the_newest_year_alone(warehouse):
    """For the keys the newest return holds, the stack gives exactly that return's rows; the older
    keys stay (ended before its coverage, or bounded at 1 April 2021)."""
    newest_alone = warehouse.execute(
        "SELECT * EXCLUDE (la_code) FROM intermediate.int_ssda903_episodes_stacked WHERE la_code = '826'"
        " ORDER BY episode_id").fetchall()
    stacked_newest_keys = warehouse.execute(
        "SELECT * EXCLUDE (la_code) FROM intermediate.int_ssda903_episodes_stacked WHERE la_code = '316'"
        " AND episode_id IN (SELECT episode_id FROM intermediate.int_ssda903_episodes_stacked WHERE la_code = '826')"
        " ORDER BY episode_id").fetchall()
    assert len(newest_alone) > 200 and stacked_newest_keys == newest_alone
    older = warehouse.execute(
        "SELECT count(*), count(*) FILTER (is_bounded),"
        " count(*) FILTER (is_bounded AND strftime(ceased_date, '%m-%d') <> '04-01')"
        " FROM intermediate.int_ssda903_episodes_stacked WHERE la_code = '316' AND extract_date < '2022-03-31'"
    ).fetchone()
    assert older[0] > 2000 and older[1] > 0 and older[2] == 0  # bounded on a 1 April, the next coverage start
    # every 31 March of the five years is in the looked-after mart, from the stacked returns
    assert warehouse.execute(
        "SELECT count(*), min(source_dataset), max(source_dataset) FROM marts.kpi_looked_after"
        " WHERE la_code = '316'").fetchone() == (24, "ssda903", "ssda903")


def test_fault_seeded_and_stacked_files_are_blocked_with_their_reasons(warehouse):
    blocked = dict(warehouse.execute("SELECT la_code, block_reasons FROM marts.extracts WHERE is_blocked").fetchall())
    assert sorted(blocked) == ["202", "301", "305", "306", "307"]
    # liia-tools-pipeline: one CHILD three times with different DOBs (key conflicts), an unknown ethnic
    # code, RNE "*DUMMY*" and a blank LS
    assert warehouse.execute(
        "SELECT rule, column_name, count(*) FROM raw.rejects WHERE la_code = '301' GROUP BY ALL ORDER BY ALL"
    ).fetchall() == [("duplicate_id_conflict", "CHILD", 3), ("invalid_code", "ETHNIC", 1),
                     ("invalid_code", "RNE", 1), ("missing_required", "LS", 1)]
    # a bad code names the DfE rule it breaks
    assert warehouse.execute("SELECT reason FROM raw.rejects WHERE la_code = '301' AND column_name = 'RNE'"
                             ).fetchone() == ("expected one of S, L, P, T, B, U (SSDA903 rule 143)",)
    # the regional stack: five years of returns in one file repeat their keys (a return per folder
    # stacks them instead); its 224 exact duplicate header rows are counted as duplicates
    assert warehouse.execute(
        "SELECT table_name, rows_duplicate FROM marts.load_reconciliation WHERE la_code = '305' ORDER BY 1"
    ).fetchall() == [("ssda903.episodes", 0), ("ssda903.header", 224)]
    assert "ssda903.episodes: 3263 of 3737 rows rejected or excluded" in blocked["305"]


def test_the_cin_census_samples_load_every_module_and_are_blocked_by_their_1970_dates(warehouse):
    """Both samples hold one child with every module; their events are dated 1970-71 (deliberately absurd),
    outside the working-day calendar, so the referral is excluded and its assessment and enquiry with it:
    every row of those three tables, so the census is blocked; the conference the enquiry implies is excluded
    with it. The child, the plan and its review load."""
    for la in ("306", "307"):
        assert warehouse.execute(
            "SELECT table_name, rows_read, rows_loaded, rows_rejected FROM marts.load_reconciliation"
            " WHERE la_code = ? ORDER BY 1", [la]).fetchall() == [(t, 1, 1, 0) for t in CIN_TABLES]
        assert warehouse.execute(
            "SELECT table_name, check_name FROM raw.dq_failures WHERE la_code = ? AND severity = 'error'"
            " GROUP BY ALL ORDER BY ALL", [la]).fetchall() == [
            ("ssd_cin_assessments", "excluded_reference"), ("ssd_cin_assessments", "outside_calendar"),
            ("ssd_cin_episodes", "outside_calendar"), ("ssd_initial_cp_conference", "excluded_reference"),
            ("ssd_initial_cp_conference", "outside_calendar"), ("ssd_s47_enquiry", "excluded_reference"),
            ("ssd_s47_enquiry", "outside_calendar")]
    # the enquiry's conference (17 June 1970) is derived; the referral's (6 December 1970) is before the
    # return's coverage (1 April 2021): an older return would hold it
    assert warehouse.execute("SELECT icpc_icpc_id, icpc_icpc_date::VARCHAR FROM raw.ssd_initial_cp_conference"
                             " WHERE la_code = '306'").fetchall() == [
        ("DfEX0000001|1970-10-06|1970-06-02|icpc", "1970-06-17")]
    # GenderCurrent 1 is M; ids are LAchildID|dates, the referral's inside its assessment's
    assert warehouse.execute("SELECT pers_person_id, pers_sex FROM raw.ssd_person WHERE la_code = '306'"
                             ).fetchall() == [("DfEX0000001", "M")]
    assert warehouse.execute("SELECT cina_assessment_id FROM raw.ssd_cin_assessments WHERE la_code = '306'"
                             ).fetchall() == [("DfEX0000001|1970-10-06|1970-06-03",)]
    # blocked, so neither census feeds the child's-journey marts (no unblocked census: no source)
    assert warehouse.execute("SELECT count(*) FROM intermediate.int_family_sources"
                             " WHERE la_code IN ('306', '307')").fetchone() == (0,)
