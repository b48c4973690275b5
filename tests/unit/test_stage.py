"""Parsing and normalising one file: the contract's file format and row-level rules."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from pipelines.core.contract import load_contract
from pipelines.core.ingest.normalise import value_sql
from pipelines.core.ingest.stage import rejects_table_name, stage_file, stage_table_name

CONTRACT = load_contract()


def stage(con, tmp_path, table: str, content: bytes | str, encoding="utf-8"):
    path = tmp_path / f"{table}.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    result = stage_file(con, CONTRACT, CONTRACT.source_table("ssd", table), path, tmp_path)
    assert result.rows_read == result.rows_loaded + result.rows_rejected + result.rows_duplicate
    return result


def loaded(con, table: str, columns: str) -> list[tuple]:
    return con.execute(
        f"SELECT {columns} FROM {stage_table_name(table)} WHERE status = 'loaded' ORDER BY line_no"
    ).fetchall()


def rejects(con, table: str) -> list[tuple]:
    return con.execute(
        f"SELECT line_no, column_name, raw_value, rule FROM {rejects_table_name(table)} ORDER BY line_no, column_name"
    ).fetchall()


PERSON_HEADER = "pers_person_id,pers_sex,pers_dob,pers_expected_dob,pers_ethnicity,pers_death_date\n"


def test_both_date_styles_and_string_ids(con, tmp_path):
    r = stage(con, tmp_path, "ssd_person", PERSON_HEADER + "0123,M,2010-01-31,,WBRI,\n123.0,f,31/01/2010,,wbri,\n")
    assert r.rows_loaded == 2
    assert loaded(con, "ssd_person", "pers_person_id, pers_sex, pers_dob::VARCHAR, pers_ethnicity") == [
        ("0123", "M", "2010-01-31", "WBRI"),
        ("123", "F", "2010-01-31", "WBRI"),
    ]


@pytest.mark.parametrize("bad", ["31/02/2024", "2024-13-01", "45123", "2024/01/31", "0224-01-31"])
def test_invalid_dates_are_rejected_with_file_line_column_and_value(con, tmp_path, bad):
    r = stage(con, tmp_path, "ssd_person", PERSON_HEADER + f"1,M,2010-01-01,,,\n2,M,{bad},,,\n")
    assert (r.rows_loaded, r.rows_rejected) == (1, 1)
    assert rejects(con, "ssd_person") == [(3, "pers_dob", bad, "invalid_date")]


def test_datetime_formats_and_plain_date_as_midnight(con, tmp_path):
    content = (
        "cont_contact_id,cont_person_id,cont_contact_date,cont_decision_date\n"
        "C1,1,2024-03-01 10:15,2024-03-01T11:00:30\n"
        "C2,1,01/03/2024 10:15:05,2024-03-02\n"
        "C3,1,2024-03-01T09:00,\n"
    )
    r = stage(con, tmp_path, "ssd_contacts", content)
    assert r.rows_loaded == 3
    assert loaded(con, "ssd_contacts", "cont_contact_date::VARCHAR, cont_decision_date::VARCHAR") == [
        ("2024-03-01 10:15:00", "2024-03-01 11:00:30"),
        ("2024-03-01 10:15:05", "2024-03-02 00:00:00"),
        ("2024-03-01 09:00:00", None),
    ]
    assert any("optional column(s) absent" in w for w in r.warnings)


def test_yes_no_synonyms_and_unknown_codes(con, tmp_path):
    content = (
        "stdi_discussion_id,stdi_person_id,stdi_discussion_date,stdi_s47_initiated\n"
        "S1,1,2024-01-01 10:00,Yes\nS2,1,2024-01-01 10:00,false\nS3,1,2024-01-01 10:00,1\n"
        "S4,1,2024-01-01 10:00, n \nS5,1,2024-01-01 10:00,maybe\n"
    )
    r = stage(con, tmp_path, "ext_strategy_discussions", content)
    assert loaded(con, "ext_strategy_discussions", "stdi_s47_initiated") == [("Y",), ("N",), ("Y",), ("N",)]
    assert rejects(con, "ext_strategy_discussions") == [(6, "stdi_s47_initiated", "maybe", "invalid_code")]
    assert r.rows_rejected == 1


def test_header_case_spaces_bom_crlf_and_extra_columns(con, tmp_path):
    content = codecs.BOM_UTF8 + b" DEPT_TEAM_ID , Dept_Team_Name ,notes\r\nT1,Front Door,x\r\nT2,  ,y\r\n"
    r = stage(con, tmp_path, "ssd_department", content)
    assert r.encoding == "utf-8-sig"
    assert loaded(con, "ssd_department", "dept_team_id, dept_team_name") == [("T1", "Front Door")]
    assert rejects(con, "ssd_department") == [(3, "dept_team_name", None, "missing_required")]
    assert any("extra column(s) ignored: notes" in w for w in r.warnings)


def test_windows_1252_text_is_read_as_such(con, tmp_path):
    content = "dept_team_id,dept_team_name\nT1,Café £ Children’s\n".encode("cp1252")
    r = stage(con, tmp_path, "ssd_department", content)
    assert r.encoding == "cp1252"
    assert loaded(con, "ssd_department", "dept_team_name") == [("Café £ Children’s",)]


def test_quoted_fields_with_commas_quotes_and_line_breaks_keep_line_numbers(con, tmp_path):
    content = (
        'dept_team_id,dept_team_name,dept_team_parent_name\n'
        '"T1","Assessment, North","Safeguarding"\n'
        '\n'
        'T2,"The ""Hub""","Front\nDoor"\n'
        'T3,Plain,\n'
    )
    r = stage(con, tmp_path, "ssd_department", content)
    assert r.rows_read == 3
    assert loaded(con, "ssd_department", "line_no, dept_team_id, dept_team_name, dept_team_parent_name") == [
        (2, "T1", "Assessment, North", "Safeguarding"),
        (4, "T2", 'The "Hub"', "Front\nDoor"),
        (6, "T3", "Plain", None),
    ]


def test_exact_duplicates_are_counted_and_id_conflicts_all_rejected(con, tmp_path):
    content = (
        "dept_team_id,dept_team_name\n"
        "T1,Alpha\nT1,Alpha\nT1 , Alpha \n"  # exact duplicates after trimming: one kept
        "T2,Beta\nT2,Gamma\n"  # same id, different rows: both rejected
    )
    r = stage(con, tmp_path, "ssd_department", content)
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_duplicate) == (5, 1, 2, 2)
    assert rejects(con, "ssd_department") == [
        (5, "dept_team_id", "T2", "duplicate_id_conflict"),
        (6, "dept_team_id", "T2", "duplicate_id_conflict"),
    ]


def test_numbers_ranges_and_thousands_separators(con, tmp_path):
    content = (
        "prof_professional_id,prof_team_id,prof_full_time_equivalency\n"
        "W1,T1,1\nW2,T1,0.5\nW3,T1,0\nW4,T1,1.2\nW5,T1,half\nW6,T1,\n"
    )
    r = stage(con, tmp_path, "ssd_professionals", content)
    assert loaded(con, "ssd_professionals", "prof_professional_id, prof_full_time_equivalency") == [
        ("W1", 1.0), ("W2", 0.5)]
    assert [(line, rule) for line, _, _, rule in rejects(con, "ssd_professionals")] == [
        (4, "out_of_range"), (5, "out_of_range"), (6, "invalid_number"), (7, "missing_required")]
    assert r.rows_rejected == 4


def test_a_row_with_the_wrong_number_of_cells_is_rejected(con, tmp_path):
    r = stage(con, tmp_path, "ssd_department", "dept_team_id,dept_team_name\nT1,Alpha\nT2,Beta,extra\nT3\n")
    assert (r.rows_loaded, r.rows_rejected) == (1, 2)
    assert [(line, rule) for line, _, _, rule in rejects(con, "ssd_department")] == [
        (3, "malformed_row"), (4, "missing_required"), (4, "malformed_row")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"dept_team_name\nAlpha\n", "required column(s) missing: dept_team_id"),
        (b"dept_team_id;dept_team_name\nT1;Alpha\n", "separated by semicolons"),
        (codecs.BOM_UTF16_LE + "dept_team_id\n".encode("utf-16-le"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "NUL byte"),
        (b"", "empty"),
        (b"dept_team_id,dept_team_id,dept_team_name\nT1,T1,A\n", "appears more than once"),
    ],
)
def test_files_rejected_whole_load_nothing_and_say_why(con, tmp_path, content, message):
    r = stage(con, tmp_path, "ssd_department", content)
    assert r.rejected_whole and message in r.file_error
    assert r.rows_loaded == 0 and r.rows_rejected == r.rows_read


def test_a_file_rejected_whole_still_counts_its_rows(con, tmp_path):
    r = stage(con, tmp_path, "ssd_department", "team,name\nT1,A\nT2,B\n")
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (2, 0, 2)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-03-01", dt.date(2024, 3, 1)), ("01/03/2024", dt.date(2024, 3, 1)), ("2024-3-1", dt.date(2024, 3, 1)),
    ("1/3/2024", dt.date(2024, 3, 1)), ("2024-03-01 00:00:00", dt.date(2024, 3, 1)),
    ("2024-03-01 00:00", dt.date(2024, 3, 1)), ("2024-03-01T00:00:00", dt.date(2024, 3, 1)),
    ("2024-03-01T00:00", dt.date(2024, 3, 1)), ("01/03/2024 00:00:00", dt.date(2024, 3, 1)),
    ("01/03/2024 00:00", dt.date(2024, 3, 1)), ("2024-03-01 0:00", dt.date(2024, 3, 1)),
    ("1900-01-01", dt.date(1900, 1, 1)), ("2100-12-31 00:00:00", dt.date(2100, 12, 31)),
    ("2024-03-01 00:00:01", None), ("2024-03-01 12:00", None), ("2024-03-01 24:00", None), ("0224-03-01", None),
    ("2204-01-01 00:00", None), ("2024-02-30", None), ("30/02/2024", None), ("2024-13-01", None), ("x", None),
    (None, None),
])
def test_a_date_is_a_plain_date_or_a_datetime_at_exactly_midnight(con, raw, expected):
    field = CONTRACT.table("ssd_person").field("pers_dob")
    assert con.execute(f"SELECT {value_sql(field, CONTRACT, 'v')} FROM (SELECT ?::VARCHAR AS v)", [raw]).fetchone()[0] == expected
