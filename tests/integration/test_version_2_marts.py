"""The version 2 marts (referrals, assessments, child protection, conference participation, children looked after)
on one small hand-made extract; every expected value is worked out by hand in the comments. LA 885, extract date
Wednesday 10 April 2024. Around it: Good Friday
29 March and Easter Monday 1 April 2024 are bank holidays, so from Thursday 28 March the working days
are Tue 2 (1st), Wed 3, Thu 4, Fri 5, Mon 8 April (5th)."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import csc, shared
from tests.helpers import write_extract

pytestmark = pytest.mark.slow

PERSONS = ("pers_person_id,pers_dob\n" + "".join(f"P{i},2012-01-0{i}\n" for i in range(1, 8))
           + "P8,2013-04-10\nP9,2013-04-11\nP10,\n")  # P8 is exactly 11 on the extract date, P9 10
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
    def build(root):
        write_extract(root / "landing", "885", "2024-04-10", {
            "ssd_person": PERSONS, "ssd_cin_episodes": REFERRALS, "ssd_cin_assessments": ASSESSMENTS,
            "ssd_s47_enquiry": ENQUIRIES, "ssd_initial_cp_conference": CONFERENCES, "ssd_cp_plans": PLANS,
            "ssd_cp_reviews": REVIEWS, "ssd_cla_episodes": EPISODES})
        return csc("run", "--landing", str(root / "landing"), "--warehouse", str(root / "w.duckdb"))

    root, done = shared(tmp_path_factory, "version_2", build)  # once per session, across workers
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

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
        "WHERE date_day BETWEEN '2023-11-01' AND '2024-04-10'").fetchall())
    # Easter 2024: Thu 28 Mar to Mon 8 Apr is 5 working days (Good Friday, the weekend and Easter Monday skipped)
    assert number["2024-04-08"] - number["2024-03-28"] == 5
    assert number["2024-04-02"] - number["2024-03-28"] == 1
    assert number["2024-03-30"] == number["2024-03-28"]  # a Saturday carries the Thursday's number
    # Christmas 2023: Fri 22 Dec to Wed 3 Jan is 5 (25, 26 Dec and 1 Jan are bank holidays)
    assert number["2024-01-03"] - number["2023-12-22"] == 5
    # the numbers the dbt unit tests give: the 15th working day after Mon 11 Mar 2024 is Wed 3 Apr, and
    # the 45th after Mon 20 Nov 2023 is Thu 25 Jan 2024
    assert (number["2024-03-11"], number["2024-04-03"], number["2024-04-04"]) == (3584, 3599, 3600)
    assert (number["2023-11-20"], number["2024-01-25"], number["2024-01-26"]) == (3507, 3552, 3553)


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


# ---- child protection ------------------------------------------------------------------------------
# add_working_days(Mon 11 Mar 2024, 15): 12..15 Mar (4), 18..22 (9), 25..28 (13), Good Friday and Easter
# Monday skipped, Tue 2 Apr (14), Wed 3 Apr (15). add_working_days(Mon 5 Feb, 15) = Mon 26 Feb.
ENQUIRIES = """\
    s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date
    S1,P1,2024-03-11
    S2,P2,2024-03-11
    S3,P3,2024-02-05
"""
CONFERENCES = """\
    icpc_icpc_id,icpc_person_id,icpc_s47_enquiry_id,icpc_icpc_date,icpc_participation
    C1,P1,S1,2024-04-03,PN1
    C2,P2,S2,2024-04-04,PN5
    C3,P3,,2024-04-05,PN0
    C4,P3,S3,2024-02-26,
"""
PLANS = """\
    cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_previous_plans
    CP1,P1,C1,2024-04-03,,
    CP2,P2,C2,2024-04-04,,1
    CP3,P3,C4,2024-02-26,2024-04-05,
    CP4,P3,,2022-03-31,2022-09-30,
    CP5,P4,,2022-04-10,,
    CP6,P5,,2022-04-11,,
"""
REVIEWS = """\
    cppr_cp_review_id,cppr_person_id,cppr_cp_plan_id,cppr_cp_review_date,cppr_cp_review_participation
    V1,P3,CP3,2024-03-15,PN2
    V2,P4,CP5,2024-04-08,PN6
    V3,P5,CP6,2024-04-09,PN7
"""
CP_COLUMNS = ("snapshot_date::VARCHAR, s47_started, icpcs, icpcs_after_s47, icpc_within_15wd, pct_icpc_within_15wd,"
              " cp_plans_started, cp_plans_repeat, pct_cp_plans_repeat, cp_plans_ended, cp_plans_open,"
              " cp_plans_open_2y_plus, source_dataset")


def cp_month(con, period: str) -> tuple:
    return con.execute(f"SELECT {CP_COLUMNS} FROM marts.kpi_child_protection WHERE la_code = '885' AND period_start = ?",
                       [period]).fetchone()


def test_child_protection_conferences_within_15_working_days_and_plans(warehouse):
    # April: C1 on Wed 3 Apr = the 15th working day after S1 (in time), C2 on the 16th (late), C3 a
    # transfer-in without an enquiry: 3 conferences, 2 after an enquiry, 1 in time. Plans: CP1 and CP2
    # started, CP2 with one previous plan (a repeat); CP3 ended Fri 5 Apr; open on 10 Apr: CP1, CP2,
    # CP5, CP6; CP5 started 10 Apr 2022 = exactly minus_months(10 Apr 2024, 24): two years or more,
    # CP6 a day later: not.
    assert cp_month(warehouse, "2024-04-01") == ("2024-04-10", 0, 3, 2, 1, 50.0, 2, 1, 50.0, 1, 4, 1, "ssd")
    # March: S1, S2 started; no conference; on Sun 31 Mar CP3, CP5, CP6 open, none two years old
    # (minus_months = 31 Mar 2022; CP5 started 10 Apr 2022).
    assert cp_month(warehouse, "2024-03-01") == ("2024-03-31", 2, 0, 0, 0, None, 0, 0, None, 0, 3, 0, "ssd")
    # February: S3 started; C4 on Mon 26 Feb, the 15th working day after Mon 5 Feb: in time. CP3 is a
    # repeat plan: P3 had CP4 (2022).
    assert cp_month(warehouse, "2024-02-01") == ("2024-02-29", 1, 1, 1, 1, 100.0, 1, 1, 100.0, 0, 3, 0, "ssd")
    # September 2022: CP4 ended.
    assert cp_month(warehouse, "2022-09-01")[9] == 1


def test_conference_participation(warehouse):
    columns = ("conferences, participation_recorded, eligible, child_attended, views_conveyed, via_advocate,"
               " pct_child_attended, pct_views_conveyed, pct_via_advocate, pct_participation_recorded, source_dataset")
    rows = dict((r[0], r[1:]) for r in warehouse.execute(
        f"SELECT period_start::VARCHAR, {columns} FROM marts.kpi_cp_conference_participation WHERE la_code = '885'"
        " AND period_start >= '2024-02-01' ORDER BY 1").fetchall())
    # April: C1 PN1, C2 PN5, C3 PN0 (under 4: not eligible), reviews V2 PN6 and V3 PN7: 5 conferences,
    # 4 eligible; attended PN1; views conveyed PN1, PN5, PN6; through an advocate PN5.
    assert rows["2024-04-01"] == (5, 5, 4, 1, 3, 1, 25.0, 75.0, 25.0, 100.0, "ssd")
    # March: V1 PN2 (attended, views through an advocate). February: C4 with no participation recorded.
    assert rows["2024-03-01"] == (1, 1, 1, 1, 1, 1, 100.0, 100.0, 100.0, 100.0, "ssd")
    assert rows["2024-02-01"] == (1, 0, 0, 0, 0, 0, None, None, None, 0.0, "ssd")


# ---- children looked after --------------------------------------------------------------------------
EPISODES = """\
    clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_legal_status,clae_placement_type,clae_placement_provider,clae_cla_episode_ceased_date,clae_cla_episode_ceased_reason
    E1,P8,2023-01-01,S,C2,K2,PR1,,
    E2,P9,2024-01-15,S,C2,R1,PR1,,
    E3,P10,2023-06-01,S,C1,S1,PR0,,
    E4,P1,2023-04-10,S,C2,U1,PR1,2023-09-01,X1
    E5,P1,2023-09-01,P,C2,U4,PR1,2024-01-10,X1
    E6,P1,2024-01-10,P,C2,U5,PR4,,
    E7,P2,2024-04-02,S,V3,U6,PR1,,
    E8,P3,2024-03-05,S,C2,U6,PR5,2024-04-05,E11
    E9,P4,2024-02-01,S,C2,P1,,,
    E10,P4,2024-03-01,T,C2,H5,PR1,,
    E11,P5,2024-04-09,S,C2,U4,,,
    E12,P6,2023-11-01,S,E1,A4,PR1,,
    E13,P7,2023-05-01,S,J1,Z1,,,
"""
LAC_COLUMNS = ("snapshot_date::VARCHAR, looked_after, started, ceased, population_0_17, fostering_kinship, fostering_in_house,"
               " fostering_agency, fostering_other, residential, supported_accommodation, placed_with_parents,"
               " placed_for_adoption, other_placement, under_11_residential, three_plus_placements_12m,"
               " pct_three_plus_placements_12m, trajectory_target, vs_trajectory, source_dataset")


def lac_month(con, period: str) -> tuple:
    return con.execute(f"SELECT {LAC_COLUMNS} FROM marts.kpi_looked_after WHERE la_code = '885' AND period_start = ?",
                       [period]).fetchone()


def rate(con, period: str) -> float:
    return con.execute("SELECT rate_per_10k FROM marts.kpi_looked_after WHERE la_code = '885' AND period_start = ?",
                       [period]).fetchone()[0]


def test_looked_after_on_the_extract_date(warehouse):
    # On Wed 10 Apr 2024: P8 (E1), P9 (E2), P10 (E3) in residential care; P1 with an agency foster carer
    # (E6, PR4); P4 in supported accommodation (E10: of the two open episodes E9 and E10 the later start
    # gives the placement); P5 in foster care with no provider (E11); P6 placed for adoption; P7 in another
    # placement (Z1): 8. P3 left on 5 Apr (E8, ceased E11); P2 is on short breaks (V3): never counted.
    # Under 11 in residential care: P9 only (P8 is exactly 11 that day; P10's age is unknown).
    # Three or more placements in the 12 months to 10 Apr: P1 (E5, E6 started after 10 Apr 2023, plus 1
    # for being looked after on 10 Apr 2023 = exactly 12 months before, in E4, which started that day
    # and so is not itself counted): 3. Started in April: E11 (E7 is a short break); ceased: E8.
    # Population: 10 Apr is before 30 June, so the mid-2023 estimate, 119,662 children.
    assert lac_month(warehouse, "2024-04-01") == (
        "2024-04-10", 8, 1, 1, 119662, 0, 0, 1, 1, 3, 1, 0, 1, 1, 1, 1, 12.5, None, None, "ssd")
    assert rate(warehouse, "2024-04-01") == pytest.approx(8 / 119662 * 10000)


def test_looked_after_at_the_end_of_march(warehouse):
    # On Sun 31 Mar: P8 (10 that day: under 11), P9, P10 in residential care; P1 (E6) and P3 (E8, PR5)
    # with agency foster carers; P4 supported accommodation; P6 adoption; P7 other: 8, under-11 in
    # residential 2. P1 had E4, E5, E6 start in (31 Mar 2023, 31 Mar 2024]: 3. Started: E8 (E10 is a
    # change of placement, reason T, not a period of care).
    assert lac_month(warehouse, "2024-03-01") == (
        "2024-03-31", 8, 1, 0, 119662, 0, 0, 2, 0, 3, 1, 0, 1, 1, 2, 1, 12.5, None, None, "ssd")


def test_looked_after_rate_uses_the_latest_30_june(warehouse):
    # 31 May 2023 is before 30 June 2023: mid-2022 (118,963); on 30 June 2023 itself the mid-2023
    # estimate (119,662). Looked after: E1, E4, E13 on 31 May; E3 joins on 1 June.
    assert lac_month(warehouse, "2023-05-01")[1:5] == (3, 1, 0, 118963)
    assert lac_month(warehouse, "2023-06-01")[1:5] == (4, 1, 0, 119662)
    assert rate(warehouse, "2023-06-01") == pytest.approx(4 / 119662 * 10000)
    # January 2024: E2 started; E5 ended with reason X1 (care continued in E6): not a leaver
    assert lac_month(warehouse, "2024-01-01")[2:4] == (1, 0)


def test_scorecard_rows_for_child_protection_and_looked_after(warehouse):
    rows = warehouse.execute("""SELECT kpi_id, numerator, denominator, value, rag
                                FROM marts.kpi_scorecard WHERE la_code = '885' AND period_start = '2024-04-01'
                                  AND kpi_id IN ('icpc_within_15wd', 'cp_plans_repeat', 'cp_child_views_conveyed',
                                                 'lac_rate_per_10k', 'lac_vs_trajectory', 'lac_three_plus_placements')
                                ORDER BY kpi_id""").fetchall()
    assert rows == [
        ("cp_child_views_conveyed", 3.0, 4.0, 75.0, "RED"),  # 15 points under the 90% default
        ("cp_plans_repeat", 1.0, 2.0, 50.0, "RED"),
        ("icpc_within_15wd", 1.0, 2.0, 50.0, "RED"),
        ("lac_rate_per_10k", 8.0, 119662.0, pytest.approx(8 / 119662 * 10000), "GREEN"),
        ("lac_three_plus_placements", 1.0, 8.0, 12.5, "RED"),  # 2.5 points over the 10% default: past its 2-point amber band
        ("lac_vs_trajectory", None, None, None, None),  # Worcestershire has no trajectory in the seed
    ]


def test_benchmarks_take_whole_years_beside_the_published_figures(warehouse):
    """kpi_benchmarks for 885: the window (May 2022 - April 2024) holds one whole year to 31 March, 2024
    (April 2023 - March 2024, extract taken after 31 March); 2023 lacks April 2022, so it has no own figures."""
    rows = {r[0]: r[1:] for r in warehouse.execute(
        """SELECT benchmark_id, own_value, published_value FROM marts.kpi_benchmarks
           WHERE la_code = '885' AND year = 2024""").fetchall()}
    own = {benchmark: values[0] for benchmark, values in rows.items()}
    # looked after on 31 March 2024: 8 (test_looked_after_at_the_end_of_march), over mid-2023's 119,662
    assert own["lac_number"] == 8 and own["lac_rate_per_10k"] == pytest.approx(8 / 119662 * 10000)
    # periods of care started in the year (reason S): E13 May, E3 June, E12 November 2023, E2 January,
    # E9 February, E8 March 2024 and E4 on 10 April 2023: 7; none ended (E4, E5 ended X1; E8 in April 2024)
    assert (own["lac_started"], own["lac_ceased"]) == (7, 0)
    # referrals: R1-R4 (28 March), R7 (15 March), R11 (29 February): 6; re-referrals R1 and R11: 33.3%;
    # the rate over the mid-2023 population
    assert own["referrals"] == 6 and own["re_referrals_12m"] == pytest.approx(200 / 6)
    assert own["referral_rate_per_10k"] == pytest.approx(6 / 119662 * 10000)
    # assessments A1 and A2 completed in March (0 and 1 working days); ICPC C4 in time; plan CP3 a repeat
    assert (own["assessments_within_45wd"], own["icpc_within_15wd"], own["cp_plans_repeat"]) == (100.0, 100.0, 100.0)
    # beside them, DfE's published figures for Worcestershire's year to 31 March 2024
    assert (rows["lac_number"][1], rows["referrals"][1], rows["re_referrals_12m"][1]) == (1043.0, 4784.0, 20.9)
    partial = warehouse.execute("""SELECT count(own_value), count(published_value) FROM marts.kpi_benchmarks
                                   WHERE la_code = '885' AND year = 2023""").fetchone()
    assert partial == (0, 10)
