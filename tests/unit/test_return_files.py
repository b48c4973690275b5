"""Telling the datasets apart file by file in an extract folder (statutory-returns.md, "Recognising the files")."""

from __future__ import annotations

import pytest

from pipelines.core.contract import load_contract
from pipelines.core.returns.files import classify_folder, ssda903_csv_table

SSD_TABLES = set(load_contract().tables)
EPISODES_XML = "<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID></HEADER></CHILD></EXPSSDA903>"
CIN_XML = "<Message><Children><Child><ChildIdentifiers><LAchildID>1</LAchildID></ChildIdentifiers></Child></Children></Message>"


@pytest.mark.parametrize(("name", "table"), [
    ("header.csv", "header"), ("2017-header.csv", "header"), ("SSDA903_2020_header.csv", "header"),
    ("Episodes.CSV", "episodes"), ("903 episodes.csv", "episodes"), ("la.episodes.csv", "episodes"),
    ("sw_episodes.csv", "sw_episodes"),  # the longest name wins: not episodes
    ("2019-prev_perm.csv", "prev_perm"), ("DoLo.csv", "dolo"),
    ("placed_for_adoption_errors.csv", None), ("myepisodes.csv", None), ("episodes.xlsx", None),
    ("ssd_header.csv", None), ("ext_episodes.csv", None),  # ssd_ and ext_ names are never 903 tables
])
def test_903_csv_names(name, table):
    assert ssda903_csv_table(name) == table


def test_a_folder_splits_into_datasets(tmp_path):
    for name in ("ssd_person.csv", "SSD_Contacts.csv", "2024-header.csv", "2024-episodes.csv", "2024-reviews.csv",
                 "notes.txt", "validation_report.csv"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "cin.xml").write_text(CIN_XML)
    (tmp_path / "workforce.xml").write_text("<CSWW><Worker/></CSWW>")
    files = classify_folder(list(tmp_path.iterdir()), SSD_TABLES, own_files=("validation_report",))
    assert sorted(files.ssd) == ["ssd_contacts", "ssd_person"]
    assert sorted(files.ssda903_csv) == ["episodes", "header", "reviews"]
    assert files.cin_census.name == "cin.xml" and files.ssda903_xml is None
    assert sorted(files.ignored) == ["notes.txt", "workforce.xml"]
    assert files.rejected == {} and files.datasets == ["ssd", "ssda903", "cin_census"]


@pytest.mark.parametrize(("names", "message"), [
    (["header.csv", "2020-header.csv"], "two files for one SSDA903 table: 2020-header.csv and header.csv"),
    (["header.csv", "a.xml"], "an SSDA903 return as CSV and as XML in one folder"),
    (["a.xml", "b.xml"], "two SSDA903 XML returns in one folder: a.xml and b.xml"),
])
def test_two_returns_of_one_kind_reject_the_dataset(tmp_path, names, message):
    for name in names:
        (tmp_path / name).write_text(EPISODES_XML if name.endswith(".xml") else "CHILD\n1\n")
    (tmp_path / "ssd_person.csv").write_text("pers_person_id\nP1\n")
    files = classify_folder(list(tmp_path.iterdir()), SSD_TABLES)
    assert message in files.rejected["ssda903"]
    assert files.datasets == ["ssd", "ssda903"]  # the SSD tables beside it are unaffected


def test_two_cin_files_reject_the_census(tmp_path):
    (tmp_path / "a.xml").write_text(CIN_XML)
    (tmp_path / "b.xml").write_text(CIN_XML)
    assert classify_folder(list(tmp_path.iterdir()), SSD_TABLES).rejected == {
        "cin_census": "two CIN census returns in one folder: a.xml and b.xml"}
