"""The initial child-protection conferences a CIN census implies (statutory-returns.md, "CIN census -> SSD
tables"). The census has no conference record: a conference is a date on a ``Section47`` (the conference
that enquiry led to: id = the enquiry's id + ``|icpc``) or on a ``CINdetails`` (a conference without an
enquiry, e.g. a transfer in: id = the referral's id + ``|icpc``; not when a loaded ``Section47`` of the
same referral has the same date, nor when the date is before the return's coverage start, where an older
return holds it). They are derived from the loaded enquiries and referrals after staging, so they have no
reconciliation row and no blocking ratio of their own; their checks run as for any conference (a date
after the as-at time excludes the conference, not the enquiry). An unreadable date is a reject.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from ..contract import Contract
from ..ingest.normalise import problem_sql, value_sql
from ..ingest.stage import FileResult, rejects_table_name, stage_table_name

CONFERENCE_DATE = "DateOfInitialCPC"  # the element, on Section47 and on CINdetails
CONFERENCES = "ssd_initial_cp_conference"
DATES = "records_cin_conference_dates"


def derive_conferences(con: duckdb.DuckDBPyConnection, contract: Contract, file_name: str, coverage_start: dt.date,
                       dates: list[tuple[int, str]]) -> FileResult:
    """Stage the conferences of the staged enquiries and referrals (stage tables of both must exist);
    ``dates``: (record number, DateOfInitialCPC text) of each Section47 or CINdetails record that has one."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {DATES} (record_no BIGINT, value VARCHAR)")
    if dates:
        con.register("conference_dates", pd.DataFrame(dates, columns=["record_no", "value"]))
        con.execute(f"INSERT INTO {DATES} SELECT record_no, value FROM conference_dates")
        con.unregister("conference_dates")
    table = contract.table(CONFERENCES)
    date = table.field("icpc_icpc_date")
    typed = f"({value_sql(date, contract, 'raw_date')})::DATE"
    problem = problem_sql(date, "raw_date", "icpc_icpc_date")
    s47, referrals = stage_table_name("ssd_s47_enquiry"), stage_table_name("ssd_cin_episodes")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cin_conference_candidates AS
        WITH candidates AS (
            SELECT s.line_no, s.seq, s.s47e_s47_enquiry_id || '|icpc' AS icpc_icpc_id,
                   s.s47e_person_id AS icpc_person_id, s.s47e_s47_enquiry_id AS icpc_s47_enquiry_id,
                   s.s47e_referral_id AS referral_id,
                   nullif(trim(d.value), '') AS raw_date
            FROM {s47} AS s JOIN {DATES} AS d ON d.record_no = s.record_no
            WHERE s.status = 'loaded'
            UNION ALL
            SELECT r.line_no, r.seq, r.cine_referral_id || '|icpc', r.cine_person_id, NULL, r.cine_referral_id,
                   nullif(trim(d.value), '')
            FROM {referrals} AS r JOIN {DATES} AS d ON d.record_no = r.record_no
            WHERE r.status = 'loaded'
        )
        SELECT *, {typed} AS icpc_icpc_date, {problem} AS problem FROM candidates WHERE raw_date IS NOT NULL
    """)
    fields = ", ".join(f'c."{f.name}"' if f.name in ("icpc_icpc_id", "icpc_person_id", "icpc_s47_enquiry_id",
                                                     "icpc_icpc_date")
                       else f'NULL::{f.sql_type} AS "{f.name}"' for f in table.fields)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {stage_table_name(CONFERENCES)} AS
        SELECT c.line_no, c.seq, CASE WHEN c.problem IS NULL THEN 'loaded' ELSE 'rejected' END AS status, {fields}
        FROM cin_conference_candidates AS c
        WHERE c.icpc_s47_enquiry_id IS NOT NULL
           OR c.problem IS NOT NULL
           OR (c.icpc_icpc_date >= DATE '{coverage_start.isoformat()}'
               AND NOT EXISTS (SELECT 1 FROM cin_conference_candidates AS e
                               WHERE e.icpc_s47_enquiry_id IS NOT NULL AND e.problem IS NULL
                                 AND e.referral_id = c.referral_id AND e.icpc_icpc_date = c.icpc_icpc_date))
        ORDER BY c.seq
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {rejects_table_name(CONFERENCES)} AS
        SELECT line_no, '{CONFERENCE_DATE}' AS column_name, raw_date AS raw_value, problem.rule AS rule,
               problem.reason AS reason, icpc_icpc_id AS record_id
        FROM cin_conference_candidates WHERE problem IS NOT NULL
    """)
    loaded, rejected = con.execute(
        f"SELECT count(*) FILTER (status = 'loaded'), count(*) FILTER (status = 'rejected')"
        f" FROM {stage_table_name(CONFERENCES)}").fetchone()
    con.execute(f"DROP TABLE cin_conference_candidates; DROP TABLE {DATES}")
    return FileResult(table=CONFERENCES, file_name=file_name, encoding="xml", rows_read=loaded + rejected,
                      rows_loaded=loaded, rows_rejected=rejected, reconciled=False)
