"""Loading whole extracts: cross-row checks, cascades, blocking, idempotence, the landing layout."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.core.contract import load_contract
from pipelines.core.ingest.landing import scan_landing
from pipelines.core.ingest.loader import las_with_new_extracts, load_extract
from pipelines.core.ingest.quality import LoadPolicy
from tests.helpers import write_extract

CONTRACT = load_contract()

PERSONS = """\
    pers_person_id,pers_dob
    P1,2010-01-01
    P2,2030-01-01
    P3,2011-01-01
"""
CONTACTS = """\
    cont_contact_id,cont_person_id,cont_contact_date,cont_decision_date,cont_contact_outcome
    C1,P1,2024-03-01 10:00,2024-03-01 12:00,NFA
    C2,P2,2024-03-01 10:00,2024-03-01 12:00,NFA
    C3,P9,2024-03-01 10:00,2024-03-01 12:00,NFA
    C4,P3,2024-03-01 10:00,2024-03-01 09:00,NFA
    C5,P3,2024-03-01 10:00,,NFA
    C6,P3,2024-04-03 10:00,,
"""


LENIENT = LoadPolicy(dq_block_threshold=0.9)  # the fixtures are small: a few faults are a large share


@pytest.fixture
def warehouse(tmp_path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


def load(warehouse, landing, la="885", date="2024-04-02", policy=LENIENT, **kwargs):
    extract = next(e for e in scan_landing(landing, CONTRACT).extracts if e.label == f"{la}/{date}")
    return load_extract(warehouse, CONTRACT, extract, policy=policy, **kwargs)


def dq(warehouse, table):
    return warehouse.execute(
        "SELECT record_id, check_name, severity FROM raw.dq_failures WHERE table_name = ? ORDER BY ALL", [table]
    ).fetchall()


def test_cross_row_checks_and_cascading_exclusions(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS, "ssd_contacts": CONTACTS})
    result = load(warehouse, tmp_path)
    assert not result.blocked
    assert dq(warehouse, "ssd_person") == [("P2", "date_after_as_at", "error")]
    assert dq(warehouse, "ssd_contacts") == [
        ("C2", "excluded_reference", "error"),  # P2 is excluded, so is its contact
        ("C3", "unknown_reference", "error"),
        ("C4", "decision_before_contact", "error"),
        ("C5", "decision_outcome_mismatch", "warn"),
        ("C6", "date_after_as_at", "error"),
    ]
    assert result.excluded == {"ssd_person": 1, "ssd_contacts": 4}
    # excluded rows stay in the warehouse, traceable to their line
    assert warehouse.execute("SELECT count(*), min(_line_no) FROM raw.ssd_contacts").fetchone() == (6, 2)


def test_an_extract_over_the_threshold_is_blocked(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS, "ssd_contacts": CONTACTS})
    result = load(warehouse, tmp_path, policy=LoadPolicy(dq_block_threshold=0.05))
    assert result.blocked
    assert "ssd_contacts: 4 of 6 rows rejected or excluded" in " ".join(result.block_reasons)
    assert warehouse.execute("SELECT status FROM raw.extract_log").fetchall() == [("blocked",)]


def test_a_missing_required_table_blocks_the_extract(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_contacts": CONTACTS})
    result = load(warehouse, tmp_path)
    assert result.block_reasons[0] == "required table ssd_person is missing"


def test_a_file_rejected_whole_blocks_the_extract_whichever_table(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS, "ssd_department": "team,name\nT1,A\n"})
    result = load(warehouse, tmp_path)
    assert result.blocked and "ssd_department was rejected whole" in result.block_reasons[0]
    assert warehouse.execute(
        "SELECT rows_read, rows_loaded, rows_rejected, file_error IS NOT NULL FROM raw.load_log "
        "WHERE table_name = 'ssd_department'"
    ).fetchall() == [(1, 0, 1, True)]


def test_loading_the_same_files_again_changes_nothing_and_a_correction_replaces(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS})
    assert not load(warehouse, tmp_path).skipped
    first = warehouse.execute("SELECT * FROM raw.extract_log").fetchall()
    assert load(warehouse, tmp_path).skipped
    assert warehouse.execute("SELECT * FROM raw.extract_log").fetchall() == first
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": "pers_person_id\nP7\n"})
    assert not load(warehouse, tmp_path).skipped
    assert warehouse.execute("SELECT pers_person_id FROM raw.ssd_person").fetchall() == [("P7",)]
    assert warehouse.execute("SELECT count(*) FROM raw.dq_failures").fetchone() == (0,)


def test_a_failure_while_writing_leaves_the_warehouse_unchanged(warehouse, tmp_path, monkeypatch):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS})
    load(warehouse, tmp_path)
    before = warehouse.execute("SELECT * FROM raw.ssd_person ORDER BY ALL").fetchall()
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": "pers_person_id\nP7\n"})
    import pipelines.core.ingest.loader as loader

    # the write deletes the old rows first, then fails on a table that does not exist
    monkeypatch.setattr(loader, "BOOKKEEPING_DDL", {**loader.BOOKKEEPING_DDL, "no_such_table": ""})
    with pytest.raises(duckdb.Error):
        load(warehouse, tmp_path)
    assert warehouse.execute("SELECT * FROM raw.ssd_person ORDER BY ALL").fetchall() == before
    assert len(before) == 3


def test_landing_layout_errors_name_the_folder(tmp_path):
    write_extract(tmp_path, "999", "2024-04-02", {"ssd_person": PERSONS})
    write_extract(tmp_path, "885", "April", {"ssd_person": PERSONS})
    folder = write_extract(tmp_path, "885", "2024-04-02", {"SSD_Person": PERSONS})
    (folder / "notes.txt").write_text("hello")
    scan = scan_landing(tmp_path, CONTRACT)
    assert [e.label for e in scan.extracts] == ["885/2024-04-02"]
    assert scan.extracts[0].files["ssd_person"].name == "SSD_Person.csv"
    assert scan.extracts[0].ignored == ("notes.txt",)
    assert any("'999' is not a DfE LA code" in e and "999" in e for e in scan.errors)
    assert any("'April' is not an extract date" in e for e in scan.errors)


def test_a_folder_without_an_extract_file_is_no_extract(tmp_path):
    """Version 2: an extract folder holding no file of any dataset is passed over with a warning, not
    loaded as a blocked extract (which would put an empty date in front of the LA's current data)."""
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS})
    (tmp_path / "885" / "2024-05-01").mkdir()
    (tmp_path / "885" / "2024-05-01" / "notes.txt").write_text("to follow")
    scan = scan_landing(tmp_path, CONTRACT)
    assert [e.label for e in scan.extracts] == ["885/2024-04-02"]
    assert scan.errors == []
    assert len(scan.warnings) == 1 and "2024-05-01: no extract file" in scan.warnings[0]


def test_each_dataset_in_a_folder_is_an_extract_of_its_own(tmp_path):
    """Version 2 datasets: 903 CSV tables beside the SSD tables are a second extract of the same folder
    and date (filling the contract tables they map onto; the 903 tables version 2 does not read are
    listed as not used); a CIN census is a third."""
    folder = write_extract(tmp_path, "885", "2024-03-31", {"ssd_person": PERSONS})
    (folder / "2024-header.csv").write_text("CHILD,SEX,DOB\n1,1,01/01/2015\n")
    (folder / "2024-episodes.csv").write_text("CHILD,DECOM\n1,01/04/2023\n")
    (folder / "2024-reviews.csv").write_text("CHILD,DOB,REVIEW\n1,01/01/2015,01/05/2023\n")
    (folder / "cin.xml").write_text("<Message><Children><Child/></Children></Message>")
    (folder / "notes.txt").write_text("hello")
    only_returns = tmp_path / "860" / "2024-03-31"
    only_returns.mkdir(parents=True)
    (only_returns / "episodes.csv").write_text("CHILD,DECOM\n1,01/04/2023\n")
    scan = scan_landing(tmp_path, CONTRACT)
    assert [(e.label, sorted(e.files), e.ignored, e.not_used) for e in scan.extracts] == [
        ("860/2024-03-31 ssda903", ["ssd_cla_episodes"], (), ()),
        ("885/2024-03-31", ["ssd_person"], ("notes.txt",), ()),
        ("885/2024-03-31 ssda903", ["ssd_cla_episodes", "ssd_person"], (), ("2024-reviews.csv",)),
        ("885/2024-03-31 cin_census", ["ssd_cin_assessments", "ssd_cin_episodes", "ssd_cp_plans", "ssd_cp_reviews",
                                       "ssd_person", "ssd_s47_enquiry"], (), ()),  # an XML return: all its tables
    ]
    assert scan.warnings == []


def test_two_datasets_of_one_folder_and_date_are_loaded_and_replaced_apart(warehouse, tmp_path):
    """A folder may hold SSD tables and a statutory return of the same date: two extracts, whose rows the
    raw tables tell apart by dataset, so loading, re-loading or blocking one never touches the other."""
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS, "ssd_contacts": CONTACTS})
    ssd = scan_landing(tmp_path, CONTRACT).extracts[0]
    load_extract(warehouse, CONTRACT, ssd, policy=LENIENT)
    ssd_findings = warehouse.execute("SELECT * FROM raw.dq_failures ORDER BY ALL").fetchall()
    # a return's rows arrive mapped onto the SSD tables, under their own dataset
    (tmp_path / "885" / "2024-04-02" / "header.csv").write_text("CHILD,SEX,DOB\nP1,1,2010-01-01\nP9,2,31/02/2012\n")
    statutory = scan_landing(tmp_path, CONTRACT).extracts[1]
    assert statutory.dataset == "ssda903"
    load_extract(warehouse, CONTRACT, statutory, policy=LENIENT)
    load_extract(warehouse, CONTRACT, statutory, policy=LENIENT, force=True)  # re-loaded: replaces its own rows

    def by_dataset(sql: str) -> list:
        return warehouse.execute(sql + " GROUP BY dataset ORDER BY dataset").fetchall()

    assert by_dataset("SELECT dataset, count(*) FROM raw.ssd_person") == [("ssd", 3), ("ssda903", 1)]
    assert by_dataset("SELECT dataset, count(*) FROM raw.ssd_contacts") == [("ssd", 6)]
    assert by_dataset("SELECT dataset, count(*) FROM raw.rejects") == [("ssda903", 1)]  # P9's impossible date
    assert warehouse.execute("SELECT * FROM raw.dq_failures ORDER BY ALL").fetchall() == ssd_findings
    assert by_dataset("SELECT dataset, count(*) FROM raw.extract_log") == [("ssd", 1), ("ssda903", 1)]
    assert by_dataset("SELECT dataset, count(*) FROM raw.load_log") == [("ssd", 2), ("ssda903", 1)]


def test_a_903_date_ceased_that_is_no_date_names_dfe_rule_147(warehouse, tmp_path):
    folder = tmp_path / "885" / "2024-03-31"
    folder.mkdir(parents=True)
    (folder / "header.csv").write_text("CHILD,SEX,DOB\nC1,1,01/01/2015\n")
    (folder / "episodes.csv").write_text("CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\nC1,01/04/2023,S,C2,N1,U1,31/02/2024,E11\n")
    load_extract(warehouse, CONTRACT, scan_landing(tmp_path, CONTRACT).extracts[0], policy=LENIENT)
    assert warehouse.execute("SELECT line_no, column_name, raw_value, rule, reason LIKE '%(SSDA903 rule 147)'"
                             " FROM raw.rejects").fetchall() == [(2, "DEC", "31/02/2024", "invalid_date", True)]


def test_times_in_the_clock_change_hours_are_flagged_but_used(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS, "ssd_contacts": """\
        cont_contact_id,cont_person_id,cont_contact_date,cont_decision_date,cont_contact_outcome
        C1,P1,2024-03-31 01:30,2024-03-31 03:00,NFA
        C2,P1,2023-10-29 01:15,2023-10-29 09:00,NFA
        C3,P1,2024-03-24 01:30,2024-03-24 02:00,NFA
    """})
    result = load(warehouse, tmp_path)
    assert dq(warehouse, "ssd_contacts") == [("C1", "ambiguous_local_time", "warn"),
                                            ("C2", "ambiguous_local_time", "warn")]
    assert result.excluded == {"ssd_person": 1}


def test_a_warehouse_from_before_datasets_gains_the_dataset_column(tmp_path):
    """Contract version 2 adds `dataset` to the extract bookkeeping and the raw tables: an existing
    warehouse is migrated, everything already in it being an ssd extract."""
    from pipelines.core.ingest.schema import ensure_raw_schema

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE SCHEMA raw")
    con.execute("""CREATE TABLE raw.extract_log (la_code VARCHAR NOT NULL, extract_date DATE NOT NULL,
                   as_at TIMESTAMP NOT NULL, content_hash VARCHAR NOT NULL, status VARCHAR NOT NULL,
                   block_reasons VARCHAR, tables_present VARCHAR[], warnings VARCHAR[], loaded_at TIMESTAMP NOT NULL)""")
    con.execute("INSERT INTO raw.extract_log VALUES ('885', '2024-04-02', '2024-04-02 23:59:59', 'h', 'loaded', "
                "NULL, ['ssd_person'], [], '2024-04-03 08:00:00')")
    con.execute("""CREATE TABLE raw.ssd_person (la_code VARCHAR NOT NULL, extract_date DATE NOT NULL,
                   _line_no BIGINT NOT NULL, pers_person_id VARCHAR)""")
    con.execute("INSERT INTO raw.ssd_person VALUES ('885', '2024-04-02', 2, 'P1')")
    ensure_raw_schema(con, CONTRACT)
    assert con.execute("SELECT la_code, dataset FROM raw.extract_log").fetchall() == [("885", "ssd")]
    # the data tables too (the rows of a statutory return will share them)
    assert con.execute("SELECT pers_person_id, dataset FROM raw.ssd_person").fetchall() == [("P1", "ssd")]
    con.close()


def test_the_cin_rules_on_referrals_and_enquiries_are_reported(warehouse, tmp_path):
    """CIN rule 8820: R2 and R3 start while P1's R1 is still open (that R3 starts on the day R2 closes would
    be allowed on its own); P2's R4 follows an NFA referral with no close date: allowed. CIN rule 2889: S1
    starts before its referral R3. CIN rule 1103: A1 starts the day before its referral R2; A2 on its
    referral R3's own date is fine."""
    write_extract(tmp_path, "885", "2024-04-02", {
        "ssd_person": "pers_person_id\nP1\nP2\n",
        "ssd_cin_episodes": """\
            cine_referral_id,cine_person_id,cine_referral_date,cine_close_date,cine_close_reason,cine_referral_nfa
            R1,P1,2024-01-10,,,
            R2,P1,2024-02-01,2024-02-20,RC1,
            R3,P1,2024-02-20,2024-03-01,RC1,
            R5,P2,2024-01-05,,,Y
            R4,P2,2024-01-20,2024-01-30,RC1,
        """,
        "ssd_s47_enquiry": "s47e_s47_enquiry_id,s47e_person_id,s47e_referral_id,s47e_s47_start_date\n"
                           "S1,P1,R3,2024-02-19\nS2,P1,R3,2024-02-21\n",
        "ssd_cin_assessments": "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,"
                               "cina_assessment_auth_date\n"
                               "A1,P1,R2,2024-01-31,2024-02-10\nA2,P1,R3,2024-02-20,2024-02-28\n",
    })
    load(warehouse, tmp_path, policy=LENIENT)
    assert dq(warehouse, "ssd_cin_episodes") == [("R2", "overlapping_referrals", "warn"),
                                                 ("R3", "overlapping_referrals", "warn")]
    assert dq(warehouse, "ssd_s47_enquiry") == [("S1", "enquiry_before_referral", "warn")]
    assert dq(warehouse, "ssd_cin_assessments") == [("A1", "assessment_before_referral", "warn")]


def test_an_assessment_open_more_than_45_working_days_is_queried(warehouse, tmp_path):
    """CIN query 8670Q on the extract date, Tuesday 2 April 2024 (Good Friday 29 March and Easter Monday
    1 April are bank holidays): A1, open since Thursday 25 January, has 46 working days to the extract
    date (26 January ... 2 April): queried; A2, open since Friday 26 January, has 45: not; A3 was authorised."""
    write_extract(tmp_path, "885", "2024-04-02", {
        "ssd_person": "pers_person_id\nP1\nP2\nP3\n",
        "ssd_cin_assessments": """\
            cina_assessment_id,cina_person_id,cina_assessment_start_date,cina_assessment_auth_date
            A1,P1,2024-01-25,
            A2,P2,2024-01-26,
            A3,P3,2024-01-02,2024-03-01
        """,
    })
    load(warehouse, tmp_path, policy=LENIENT)
    assert dq(warehouse, "ssd_cin_assessments") == [("A1", "assessment_open_over_45_working_days", "warn")]
    assert warehouse.execute("SELECT detail FROM raw.dq_failures WHERE record_id = 'A1'").fetchone() == (
        "open since 2024-01-25: 46 working days to the extract date",)


def test_a_census_in_a_folder_not_named_by_its_reference_date_is_loaded_with_a_warning(warehouse, tmp_path):
    folder = tmp_path / "885" / "2024-04-02"
    folder.mkdir(parents=True)
    (folder / "cin.xml").write_text(
        "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails>"
        "</Header><Children><Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers></Child>"
        "</Children></Message>")
    census = scan_landing(tmp_path, CONTRACT).extracts[0]
    result = load_extract(warehouse, CONTRACT, census, policy=LENIENT)
    assert census.dataset == "cin_census" and not result.blocked
    assert result.warnings == ["cin.xml: its ReferenceDate 2024-03-31 is not its folder's date 2024-04-02: a "
                               "return's folder is named by its reference date (31 March for the annual census)"]


def test_councils_load_side_by_side_and_a_failure_touches_only_its_own_extract(warehouse, tmp_path, monkeypatch):
    import pipelines.core.ingest.loader as loader

    for la in ("885", "886", "887"):
        write_extract(tmp_path, la, "2024-04-02", {"ssd_person": PERSONS})
    extracts = scan_landing(tmp_path, CONTRACT).extracts
    assert len(list(loader.load_extracts(warehouse, CONTRACT, extracts, policy=LENIENT, workers=2))) == 3
    for la in ("885", "886", "887"):  # each corrected: its rows are replaced
        write_extract(tmp_path, la, "2024-04-02", {"ssd_person": f"pers_person_id\nP{la}\n"})

    real_write = loader._write

    def write_failing_for_886(con, contract, result, content_hash, replacing):
        if result.extract.la_code == "886":  # deletes its old rows, then fails on a table that does not exist
            contract = type("Broken", (), {"table_names": [*contract.table_names, "no_such_table"]})()
        return real_write(con, contract, result, content_hash, replacing)

    monkeypatch.setattr(loader, "_write", write_failing_for_886)
    loaded = []
    with pytest.raises(duckdb.Error, match="no_such_table"):
        for result in loader.load_extracts(warehouse, CONTRACT, scan_landing(tmp_path, CONTRACT).extracts,
                                           policy=LENIENT, workers=2):
            loaded.append(result.extract.la_code)
    assert sorted(loaded) == ["885", "887"]
    assert warehouse.execute("SELECT la_code, list(pers_person_id ORDER BY pers_person_id) FROM raw.ssd_person "
                             "GROUP BY ALL ORDER BY ALL").fetchall() == [
        ("885", ["P885"]), ("886", ["P1", "P2", "P3"]), ("887", ["P887"])]
    assert warehouse.execute("SELECT count(*) FROM raw.extract_log").fetchone() == (3,)
    assert warehouse.execute("SELECT current_setting('threads')").fetchone() != (1,)  # restored


def test_only_las_with_new_or_changed_extracts_need_a_load(warehouse, tmp_path):
    write_extract(tmp_path, "885", "2024-04-02", {"ssd_person": PERSONS})
    write_extract(tmp_path, "886", "2024-04-02", {"ssd_person": PERSONS})
    extracts = scan_landing(tmp_path, CONTRACT).extracts
    assert las_with_new_extracts(None, extracts) == {"885", "886"}  # no warehouse yet
    load(warehouse, tmp_path, la="885")
    load(warehouse, tmp_path, la="886")
    assert las_with_new_extracts(warehouse, extracts) == set()
    write_extract(tmp_path, "886", "2024-04-02", {"ssd_person": PERSONS + "    P4,2012-01-01\n"})  # corrected
    write_extract(tmp_path, "887", "2024-04-02", {"ssd_person": PERSONS})  # new
    assert las_with_new_extracts(warehouse, scan_landing(tmp_path, CONTRACT).extracts) == {"886", "887"}
