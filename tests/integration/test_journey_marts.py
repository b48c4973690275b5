"""kpi_referrals and kpi_assessments (contract version 2) on a small hand-made extract; every expected value is worked
out by hand in the comments. LA 885, extract date Wednesday 10 April 2024. Around it: Good Friday
29 March and Easter Monday 1 April 2024 are bank holidays, so from Thursday 28 March the working days
are Tue 2 (1st), Wed 3, Thu 4, Fri 5, Mon 8 April (5th)."""

from __future__ import annotations

import pytest

from pipelines.cli.run import run_pipeline
from pipelines.settings import Settings
from tests.helpers import write_extract

pytestmark = pytest.mark.slow

PERSONS = "pers_person_id,pers_dob\n" + "".join(f"P{i},2012-01-0{i}\n" for i in range(1, 8))
REFERRALS = """\
    cine_referral_id,cine_person_id,cine_referral_date,cine_referral_nfa,cine_child_seen_date,cine_significant_harm
    R1,P1,2024-03-28,,2024-04-08,
    R2,P2,2024-03-28,N,2024-04-09,N
    R3,P3,2024-03-28,,2024-03-30,Y
    R4,P4,2024-03-28,,2024-04-03,yes
    R5,P5,2024-04-05,,,
    R6,P5,2024-04-02,,,
    R7,P6,2024-03-15,Y,,
    R8,P1,2023-03-28,,,
    R9,P2,2023-03-27,,,
    R11,P7,2024-02-29,,,
    R12,P7,2023-02-28,,,
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("journey")
    write_extract(root / "landing", "885", "2024-04-10", {"ssd_person": PERSONS, "ssd_cin_episodes": REFERRALS,
                                                         "ssd_cin_assessments": ASSESSMENTS})
    result = run_pipeline(Settings.load({}, landing_dir=root / "landing", warehouse_path=root / "w.duckdb"))
    assert result.ok, result
    import duckdb

    con = duckdb.connect(str(root / "w.duckdb"), read_only=True)
    yield con
    con.close()


COLUMNS = ("referrals, re_referrals_12m, pct_re_referrals_12m, referrals_nfa, seen_due, seen_within_5wd, seen_pending,"
           " pct_seen_within_5wd, sh_due, sh_seen_within_1wd, sh_pending, pct_sh_seen_within_1wd, source_dataset")


def month(con, period: str) -> tuple:
    return con.execute(f"SELECT {COLUMNS} FROM marts.kpi_referrals WHERE la_code = '885' AND period_start = ?",
                       [period]).fetchone()


def test_march_2024_seen_within_working_days_across_easter(warehouse):
    # R1 seen Mon 8 Apr = the 5th working day: in time. R2 seen Tue 9 Apr: late. R3 (significant harm)
    # seen Sat 30 Mar, before Tue 2 Apr (the 1st working day): in time for both. R4 (harm) seen Wed
    # 3 Apr: late for the 1-day standard, in time for 5. R7 is NFA: not due. Re-referrals: R1 (R8 on
    # 28 Mar 2023 is exactly 12 months before); R2 not (R9 on 27 Mar 2023 is a day too early).
    assert month(warehouse, "2024-03-01") == (5, 1, 20.0, 1, 4, 3, 0, 75.0, 2, 1, 0, 50.0, "ssd")


def test_april_2024_pending_within_the_standard(warehouse):
    # R5 (Fri 5 Apr, not seen): due by Fri 12 Apr, after the extract date: pending, out of the
    # denominator. R6 (Tue 2 Apr, not seen): due by Tue 9 Apr, passed: late. R5 is a re-referral of P5.
    assert month(warehouse, "2024-04-01") == (2, 1, 50.0, 0, 2, 0, 1, 0.0, 0, 0, 0, None, "ssd")


def test_29_february_looks_back_to_28_february(warehouse):
    # minus_months(29 Feb 2024, 12) = 28 Feb 2023: R12 on that day makes R11 a re-referral
    assert month(warehouse, "2024-02-01") == (1, 1, 100.0, 0, 1, 0, 0, 0.0, 0, 0, 0, None, "ssd")
    assert month(warehouse, "2023-02-01") == (1, 0, 0.0, 0, 1, 0, 0, 0.0, 0, 0, 0, None, "ssd")
    assert month(warehouse, "2023-03-01") == (2, 0, 0.0, 0, 2, 0, 0, 0.0, 0, 0, 0, None, "ssd")


def test_the_mart_is_dense_over_the_window(warehouse):
    rows = warehouse.execute("SELECT count(*), min(period_start)::VARCHAR, max(period_start)::VARCHAR, sum(referrals)"
                             " FROM marts.kpi_referrals").fetchone()
    assert rows == (24, "2022-05-01", "2024-04-01", 11)
    assert month(warehouse, "2023-06-01") == (0, 0, None, 0, 0, 0, 0, None, 0, 0, 0, None, "ssd")


def test_working_days_on_the_real_calendar(warehouse):
    number = dict(warehouse.execute(
        "SELECT date_day::VARCHAR, working_day_number FROM intermediate.int_calendar_days "
        "WHERE date_day BETWEEN '2023-12-20' AND '2024-04-10'").fetchall())
    # Easter 2024: Thu 28 Mar to Mon 8 Apr is 5 working days (Good Friday, the weekend and Easter Monday skipped)
    assert number["2024-04-08"] - number["2024-03-28"] == 5
    assert number["2024-04-02"] - number["2024-03-28"] == 1
    assert number["2024-03-30"] == number["2024-03-28"]  # a Saturday carries the Thursday's number
    # Christmas 2023: Fri 22 Dec to Wed 3 Jan is 5 (25, 26 Dec and 1 Jan are bank holidays)
    assert number["2024-01-03"] - number["2023-12-22"] == 5


def test_scorecard_rows_for_the_journey_kpis(warehouse):
    rows = warehouse.execute("""SELECT kpi_id, numerator, denominator, value, target, direction, rag
                                FROM marts.kpi_scorecard WHERE la_code = '885' AND period_start = '2024-03-01'
                                  AND kpi_id IN ('re_referrals_12m', 'seen_within_5wd', 'sh_seen_within_1wd',
                                                 'assessments_within_45wd')
                                ORDER BY kpi_id""").fetchall()
    assert rows == [
        ("assessments_within_45wd", 2.0, 2.0, 100.0, 90.0, "higher_is_better", "GREEN"),
        ("re_referrals_12m", 1.0, 5.0, 20.0, 20.0, "lower_is_better", "GREEN"),  # at the 20% default: met
        ("seen_within_5wd", 3.0, 4.0, 75.0, 100.0, "higher_is_better", "RED"),  # more than 10 points short
        ("sh_seen_within_1wd", 1.0, 2.0, 50.0, 100.0, "higher_is_better", "RED"),
    ]


ASSESSMENTS = """\
    cina_assessment_id,cina_person_id,cina_assessment_start_date,cina_assessment_auth_date
    A1,P1,2024-03-01,2024-03-01
    A2,P2,2024-03-01,2024-03-04
    A3,P3,2024-02-01,2024-04-04
    A4,P4,2024-02-01,2024-04-08
    A5,P5,2024-02-01,2024-04-09
    A6,P6,2024-01-10,
"""
ACOLUMNS = ("snapshot_date::VARCHAR, assessments_started, assessments_completed, completed_within_45wd, pct_within_45wd,"
            " wd_0, wd_1_10, wd_11_20, wd_21_30, wd_31_40, wd_41_45, wd_46_50, wd_51_60, wd_61_plus,"
            " median_working_days, open_on_snapshot, open_over_45wd_on_snapshot, source_dataset")


def assessment_month(con, period: str) -> tuple:
    return con.execute(f"SELECT {ACOLUMNS} FROM marts.kpi_assessments WHERE la_code = '885' AND period_start = ?",
                       [period]).fetchone()


def test_assessments_completed_by_working_days_and_open_on_snapshots(warehouse):
    # Working days after Thu 1 Feb 2024: 20 in February, 20 in March (Good Friday out), then Apr 2, 3, 4
    # (Easter Monday out): A3 authorised Thu 4 Apr took 43; A4 on Mon 8 Apr exactly 45 (in time);
    # A5 on Tue 9 Apr 46 (late). April: 3 completed, 2 within 45: 66.67%; median of 43, 45, 46 = 45.
    # Snapshot 10 Apr (the extract date): only A6 open (started Wed 10 Jan): 15 working days in the
    # rest of January + 21 + 20 + 7 in April = 63 > 45.
    assert assessment_month(warehouse, "2024-04-01") == (
        "2024-04-10", 0, 3, 2, 200 / 3, 0, 0, 0, 0, 0, 2, 1, 0, 0, 45.0, 1, 1, "ssd")
    # March: A1 the same day (wd_0) and A2 the next working day (Fri 1 -> Mon 4 Mar: 1): median 0.5.
    # Snapshot Sun 31 Mar: A3, A4, A5 (40 working days in) and A6 (15 + 21 + 20 = 56 > 45) open.
    assert assessment_month(warehouse, "2024-03-01") == (
        "2024-03-31", 2, 2, 2, 100.0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0.5, 4, 1, "ssd")
    # February: three started, none completed; A6 is 15 + 21 = 36 working days in at 29 Feb.
    assert assessment_month(warehouse, "2024-02-01") == (
        "2024-02-29", 3, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, 4, 0, "ssd")
