"""CIN censuses as the child's-journey source: small censuses written here, stacked into one history and
feeding kpi_referrals, kpi_assessments and kpi_child_protection; every expected value is worked out by
hand in the comments (statutory-returns.md, "Stacking"; kpi-definitions.md, version 2 marts).

LA 887 sends three censuses:
  A  2023-03-31, annual (coverage 1 April 2022 - 31 March 2023);
  M  2023-09-30, year to date (coverage 1 April 2023 - 30 September 2023);
  B  2024-03-31, annual (coverage 1 April 2023 - 31 March 2024).
For a row of A the nearest newer census is M and for a row of M it is B: C = 1 April 2023 for both.
Its data starts on 1 April 2022 (A's coverage start), which is also where the 24-month window starts.

LA 888 sends one census (2024-03-31): its data start, 1 April 2023, cuts the window to 12 months.

LA 889 sends SSD tables with referrals and a census beside them: its journey marts come from the SSD
tables (the family's order: ssd, then cin_census).

LA 926 (the demo's Norfolk, generated at scale 0.2) sends only its journey as monthly year-to-date CIN
censuses: stacked, they must give back the rows of the SSD tables the generator made for it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipelines.core.returns.coverage import coverage_start
from pipelines.synthetic.generate import generate_landing
from pipelines.synthetic.scenario import load_scenario
from pipelines.synthetic.tables import CouncilGenerator
from tests.conftest import csc, shared
from tests.helpers import write_extract

pytestmark = pytest.mark.slow


def census(reference_date: str, children: str) -> str:
    return (f"<?xml version='1.0' encoding='utf-8'?>\n<Message><Header><CollectionDetails><ReferenceDate>"
            f"{reference_date}</ReferenceDate></CollectionDetails></Header><Children>{children}</Children></Message>\n")


def child(la_child_id: str, *cin_details: str) -> str:
    return (f"<Child><ChildIdentifiers><LAchildID>{la_child_id}</LAchildID><PersonBirthDate>2012-01-01"
            f"</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>{''.join(cin_details)}</Child>")


def referral(date: str, inner: str = "", source: str = "1A", closed: str = "", reason: str = "",
             nfa: str = "false") -> str:
    closure = f"<CINclosureDate>{closed}</CINclosureDate><ReasonForClosure>{reason}</ReasonForClosure>" if closed else ""
    return (f"<CINdetails><CINreferralDate>{date}</CINreferralDate><ReferralSource>{source}</ReferralSource>"
            f"<PrimaryNeedCode>N1</PrimaryNeedCode>{closure}<ReferralNFA>{nfa}</ReferralNFA>{inner}</CINdetails>")


CENSUSES = {
    ("887", "2023-03-31"): [
        # closed before C: kept. Assessment Wed 4 May - Wed 11 May 2022: 5 working days (5, 6, 9, 10, 11 May)
        child("K1", referral("2022-05-03", closed="2022-09-30", reason="RC1", inner=(
            "<Assessments><AssessmentActualStartDate>2022-05-04</AssessmentActualStartDate>"
            "<AssessmentAuthorisationDate>2022-05-11</AssessmentAuthorisationDate></Assessments>"))),
        # open on C and in no newer census: the referral, its open assessment and its plan are bounded at C;
        # the review (20 March 2023) is an event before C: kept
        child("K2", referral("2022-10-03", inner=(
            "<Assessments><AssessmentActualStartDate>2023-03-01</AssessmentActualStartDate></Assessments>"
            "<ChildProtectionPlans><CPPstartDate>2023-03-10</CPPstartDate>"
            "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
            "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>"
            "<Reviews><CPPreviewDate>2023-03-20</CPPreviewDate></Reviews></ChildProtectionPlans>"))),
        # B re-sends this referral, closed: B's row wins. The enquiry (Wed 2 November 2022) and its
        # conference (Mon 21 November, the 13th working day after) are events before C: kept
        child("K3", referral("2022-11-01", inner=(
            "<Section47><S47ActualStartDate>2022-11-02</S47ActualStartDate><ICPCnotRequired>false</ICPCnotRequired>"
            "<DateOfInitialCPC>2022-11-21</DateOfInitialCPC></Section47>"))),
        # B reads this key and rejects it: A's row is used unchanged (open, not bounded)
        child("K7", referral("2022-07-01")),
    ],
    ("887", "2023-09-30"): [
        child("K3", referral("2022-11-01")),
        # starts after C and B does not have it: the referral, its assessment and its enquiry are dropped
        child("K5", referral("2023-05-02", inner=(
            "<Assessments><AssessmentActualStartDate>2023-05-03</AssessmentActualStartDate></Assessments>"
            "<Section47><S47ActualStartDate>2023-05-03</S47ActualStartDate></Section47>"))),
    ],
    ("887", "2024-03-31"): [
        child("K1", referral("2023-04-20")),  # within 12 months of K1's referral of 3 May 2022
        child("K3", referral("2022-11-01", closed="2023-06-30", reason="RC2")),
        child("K6", referral("2023-10-02", closed="2023-10-02", reason="RC8", nfa="true")),
        child("K7", referral("2022-07-01", source="ZZ")),  # ZZ is no referral source: rejected
    ],
    ("888", "2024-03-31"): [
        # Thu 1 June 2023 - Fri 30 June 2023: 21 working days
        child("P1", referral("2023-06-01", inner=(
            "<Assessments><AssessmentActualStartDate>2023-06-01</AssessmentActualStartDate>"
            "<AssessmentAuthorisationDate>2023-06-30</AssessmentAuthorisationDate></Assessments>"))),
    ],
    ("889", "2024-03-31"): [child("S1", referral("2024-02-01"))],
}


def norfolk():
    return [c for c in load_scenario() if c.la_code == "926"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    def build(root):
        landing = root / "landing"
        for (la, date), children in CENSUSES.items():
            folder = landing / la / date
            folder.mkdir(parents=True)
            (folder / "cin_census.xml").write_text(census(date, "".join(children)))
        write_extract(landing, "889", "2024-03-31", {
            "ssd_person": "pers_person_id,pers_dob\nS1,2012-01-01\n",
            "ssd_cin_episodes": "cine_referral_id,cine_person_id,cine_referral_date\nR1,S1,2024-01-10\n",
        })
        generate_landing(landing, norfolk(), scale=0.2, formats=("cin_census",), returns="monthly")
        # B rejects 1 of its 4 referrals (25%): the threshold is raised so that it still loads
        return csc("run", "--landing", str(landing), "--warehouse", str(root / "w.duckdb"),
                   env={"CSC_DQ_BLOCK_THRESHOLD": "0.5"})

    root, done = shared(tmp_path_factory, "cin_census_handmade", build)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    con = duckdb.connect(str(root / "w.duckdb"), read_only=True)
    yield con
    con.close()


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_the_censuses_stack_into_one_history(warehouse):
    assert rows(warehouse, "SELECT referral_id, extract_date::VARCHAR, close_date::VARCHAR, close_reason, is_bounded"
                " FROM intermediate.int_cin_episodes_current WHERE la_code = '887' ORDER BY 1") == [
        ("K1|2022-05-03", "2023-03-31", "2022-09-30", "RC1", False),  # ended before C
        ("K1|2023-04-20", "2024-03-31", None, None, False),
        ("K2|2022-10-03", "2023-03-31", "2023-04-01", None, True),  # bounded at C
        ("K3|2022-11-01", "2024-03-31", "2023-06-30", "RC2", False),  # B's row
        ("K6|2023-10-02", "2024-03-31", "2023-10-02", "RC8", False),
        ("K7|2022-07-01", "2023-03-31", None, None, False),  # B rejected it: A's row, not bounded
    ]  # (K5|2023-05-02 of M dropped)
    assert rows(warehouse, "SELECT assessment_id, auth_date::VARCHAR, is_bounded"
                " FROM intermediate.int_cin_assessments_current WHERE la_code = '887' ORDER BY 1") == [
        ("K1|2022-05-03|2022-05-04", "2022-05-11", False),
        ("K2|2022-10-03|2023-03-01", "2023-04-01", True),  # open before C, never completed
    ]
    assert rows(warehouse, "SELECT plan_id, end_date::VARCHAR, is_bounded FROM intermediate.int_cp_plans_current"
                " WHERE la_code = '887'") == [("K2|2023-03-10", "2023-04-01", True)]
    assert rows(warehouse, "SELECT enquiry_id FROM intermediate.int_s47_enquiries_current WHERE la_code = '887'"
                ) == [("K3|2022-11-01|2022-11-02",)]
    assert rows(warehouse, "SELECT conference_id, conference_date::VARCHAR"
                " FROM intermediate.int_initial_cp_conferences_current WHERE la_code = '887'") == [
        ("K3|2022-11-01|2022-11-02|icpc", "2022-11-21")]
    assert rows(warehouse, "SELECT review_id FROM intermediate.int_cp_reviews_current WHERE la_code = '887'"
                ) == [("K2|2023-03-10|2023-03-20",)]


REFERRAL_COLUMNS = ("referrals, re_referrals_12m, referrals_nfa, seen_due, seen_within_5wd, seen_pending,"
                    " pct_seen_within_5wd, sh_due, sh_seen_within_1wd, sh_pending, pct_sh_seen_within_1wd,"
                    " source_dataset")


def referrals(con, la: str, period: str) -> tuple:
    return con.execute(f"SELECT {REFERRAL_COLUMNS} FROM marts.kpi_referrals WHERE la_code = ? AND period_start = ?",
                       [la, period]).fetchone()


def test_kpi_referrals_from_the_censuses_has_no_seen_figures(warehouse):
    assert rows(warehouse, "SELECT min(period_start)::VARCHAR, max(period_start)::VARCHAR, count(*)"
                " FROM marts.kpi_referrals WHERE la_code = '887'") == [("2022-04-01", "2024-03-01", 24)]
    # May 2022: K1. The 12-month look-back (from 1 May 2021) starts before the data start: null
    assert referrals(warehouse, "887", "2022-05-01") == (1, None, 0, 1, *[None] * 7, "cin_census")
    assert referrals(warehouse, "887", "2023-03-01") == (0, None, 0, 0, *[None] * 7, "cin_census")
    # April 2023: K1 again, 20 April 2023 >= minus_months(20 April 2023, 12) = 20 April 2022 <= 3 May 2022:
    # a re-referral; the look-back from 1 April 2023 starts on the data start (1 April 2022): known
    assert referrals(warehouse, "887", "2023-04-01") == (1, 1, 0, 1, *[None] * 7, "cin_census")
    # May 2023: M's K5 was dropped; October 2023: K6, no further action (not due to be seen)
    assert referrals(warehouse, "887", "2023-05-01") == (0, 0, 0, 0, *[None] * 7, "cin_census")
    assert referrals(warehouse, "887", "2023-10-01") == (1, 0, 1, 0, *[None] * 7, "cin_census")
    assert rows(warehouse, "SELECT sum(referrals) FROM marts.kpi_referrals WHERE la_code = '887'") == [(6,)]


def test_kpi_assessments_and_child_protection_from_the_censuses(warehouse):
    def assessments(period):
        return warehouse.execute(
            "SELECT assessments_started, assessments_completed, completed_within_45wd, wd_1_10, median_working_days,"
            " open_on_snapshot, source_dataset FROM marts.kpi_assessments WHERE la_code = '887' AND period_start = ?",
            [period]).fetchone()

    assert assessments("2022-05-01") == (1, 1, 1, 1, 5.0, 0, "cin_census")
    # K2's assessment: started 1 March 2023, open on 31 March; bounded at 1 April: neither open on 30 April
    # nor completed in April
    assert assessments("2023-03-01") == (1, 0, 0, 0, None, 1, "cin_census")
    assert assessments("2023-04-01") == (0, 0, 0, 0, None, 0, "cin_census")
    assert assessments("2023-05-01") == (0, 0, 0, 0, None, 0, "cin_census")  # K5's was dropped

    def protection(period):
        return warehouse.execute(
            "SELECT s47_started, icpcs, icpcs_after_s47, icpc_within_15wd, cp_plans_started, cp_plans_repeat,"
            " cp_plans_ended, cp_plans_open, source_dataset"
            " FROM marts.kpi_child_protection WHERE la_code = '887' AND period_start = ?", [period]).fetchone()

    assert protection("2022-11-01") == (1, 1, 1, 1, 0, 0, 0, 0, "cin_census")
    assert protection("2023-03-01") == (0, 0, 0, 0, 1, 0, 0, 1, "cin_census")
    # K2's plan, bounded at 1 April 2023: not open on 30 April, and not "ended"
    assert protection("2023-04-01") == (0, 0, 0, 0, 0, 0, 0, 0, "cin_census")
    assert protection("2023-05-01") == (0, 0, 0, 0, 0, 0, 0, 0, "cin_census")  # K5's enquiry was dropped
    # the census carries no conference participation: no rows
    assert rows(warehouse, "SELECT count(*) FROM marts.kpi_cp_conference_participation"
                " WHERE la_code IN ('887', '888')") == [(0,)]


def test_one_census_cuts_the_window_at_its_coverage_start_with_zero_count_rows(warehouse):
    for mart in ("kpi_referrals", "kpi_assessments", "kpi_child_protection"):
        assert rows(warehouse, f"SELECT min(period_start)::VARCHAR, count(*) FROM marts.{mart} WHERE la_code = '888'"
                    ) == [("2023-04-01", 12)], mart
    # no look-back month is covered: re-referrals unknown all year
    assert rows(warehouse, "SELECT count(re_referrals_12m), sum(referrals) FROM marts.kpi_referrals"
                " WHERE la_code = '888'") == [(0, 1)]
    # P1's assessment: Thu 1 June - Fri 30 June 2023 is 21 working days
    assert rows(warehouse, "SELECT assessments_completed, wd_21_30, median_working_days FROM marts.kpi_assessments"
                " WHERE la_code = '888' AND period_start = '2023-06-01'") == [(1, 1, 21.0)]
    # no enquiry, conference or plan in the census: zeros, not nulls, not missing rows
    assert rows(warehouse, "SELECT count(*), sum(s47_started), sum(icpcs), sum(icpc_within_15wd), sum(cp_plans_open)"
                " FROM marts.kpi_child_protection WHERE la_code = '888'") == [(12, 0, 0, 0, 0)]


def test_a_council_sending_ssd_referrals_and_a_census_gets_the_ssd_figures(warehouse):
    # 889's SSD referral R1 (10 January 2024) feeds the marts; its census's referral (1 February) does not
    assert rows(warehouse, "SELECT period_start::VARCHAR, referrals, seen_due, seen_within_5wd, source_dataset"
                " FROM marts.kpi_referrals WHERE la_code = '889' AND period_start >= '2024-01-01' ORDER BY 1") == [
        ("2024-01-01", 1, 1, 0, "ssd"), ("2024-02-01", 0, 0, 0, "ssd"), ("2024-03-01", 0, 0, 0, "ssd")]
    assert rows(warehouse, "SELECT dataset, is_current FROM marts.extracts WHERE la_code = '889' ORDER BY 1"
                ) == [("cin_census", True), ("ssd", True)]


# (SSD table, its columns, the stacked model, its columns): the same facts of each row, by name
JOURNEY = [
    ("ssd_cin_episodes", "cine_person_id, cine_referral_date, cine_close_date, cine_close_reason, cine_referral_nfa",
     "int_cin_episodes_current", "person_id, referral_date, close_date, close_reason, "
                                 "CASE WHEN is_nfa THEN 'Y' ELSE 'N' END"),
    ("ssd_cin_assessments", "cina_person_id, cina_assessment_start_date, cina_assessment_auth_date",
     "int_cin_assessments_current", "person_id, start_date, auth_date"),
    ("ssd_s47_enquiry", "s47e_person_id, s47e_s47_start_date", "int_s47_enquiries_current", "person_id, start_date"),
    ("ssd_initial_cp_conference", "icpc_person_id, icpc_icpc_date", "int_initial_cp_conferences_current",
     "person_id, conference_date"),
    ("ssd_cp_plans", "cppl_person_id, cppl_cp_plan_start_date, cppl_cp_plan_end_date, cppl_previous_plans",
     "int_cp_plans_current", "person_id, start_date, end_date, previous_plans"),
    ("ssd_cp_reviews", "cppr_person_id, cppr_cp_review_date", "int_cp_reviews_current", "person_id, review_date"),
]


def as_text(value) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)) or type(value).__name__ == "datetime64":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def test_generated_censuses_stack_back_into_the_journey_of_the_ssd_tables(warehouse):
    """Every stacked row of Norfolk's censuses is a row of the generator's SSD tables, none bounded; and every
    SSD row still open on (or held on or after) the first census's coverage start is there."""
    council = norfolk()[0]
    generator = CouncilGenerator(council, 42, 0.2)
    tables = generator.all_tables()
    first_start = coverage_start(generator.history_months[0])
    for table, columns, model, stacked_columns in JOURNEY:
        ssd = tables[table][[c.strip() for c in columns.split(",")]]
        ssd_rows = {tuple(as_text(v) for v in row) for row in ssd.itertuples(index=False)}
        stacked = {tuple(as_text(v) for v in row) for row in warehouse.execute(
            f"SELECT {stacked_columns} FROM intermediate.{model} WHERE la_code = '926'").fetchall()}
        assert len(stacked) > 50 and stacked <= ssd_rows, (table, sorted(stacked - ssd_rows)[:5])
        # the rows the censuses must hold: whatever ends (or happens) on or after the first coverage start
        last = [c for c in ssd.columns if c.endswith(("_close_date", "_auth_date", "_end_date"))] or [ssd.columns[1]]
        ends = pd.to_datetime(ssd[last[0]]).dt.date
        starts = pd.to_datetime(ssd[ssd.columns[1]]).dt.date
        due = ssd[(starts <= council.extract_date) & (ends.isna() | (ends >= first_start))]
        missing = {tuple(as_text(v) for v in row) for row in due.itertuples(index=False)} - stacked
        assert not missing, (table, sorted(missing)[:5])
    assert warehouse.execute("SELECT count(*) FILTER (is_bounded) FROM intermediate.int_cin_episodes_current"
                             " WHERE la_code = '926'").fetchone() == (0,)
