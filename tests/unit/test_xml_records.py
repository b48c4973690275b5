"""Reading statutory-return XML (SSDA903, CIN census): every record once, with its line and parent, safely
(no DTD, entity or network), and in memory that does not grow with the file."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from pipelines.core.returns.xml_records import CIN_CENSUS, SSDA903, XmlRejected, iter_records, sniff_dataset
from pipelines.settings import PROJECT_ROOT

EXTERNAL = PROJECT_ROOT.parent / "shared" / "external"
FAKE_903 = EXTERNAL / "data-to-insight__csc-validator-be-903" / "tests" / "fake_data" / "fake_903.xml"
CIN_2022 = EXTERNAL / "SocialFinanceDigitalLabs__liia-tools" / "liiatools" / "spec" / "cin_census" / "samples" / "cin-2022.xml"
needs_external = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external is not beside the project")

CIN = """<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.dcsf.gov.uk/schemas/cbds">
  <Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>C1</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2023-06-01</CINreferralDate>
        <Assessments><AssessmentActualStartDate>2023-06-02</AssessmentActualStartDate></Assessments>
        <Section47><S47ActualStartDate>2023-06-03</S47ActualStartDate><DateOfInitialCPC>2023-06-20</DateOfInitialCPC></Section47>
        <ChildProtectionPlans>
          <CPPstartDate>2023-06-20</CPPstartDate>
          <Reviews><CPPreviewDate>2023-09-20</CPPreviewDate><CPPreviewDate> 2024-03-01 </CPPreviewDate></Reviews>
        </ChildProtectionPlans>
        <SomethingNew><Unknown>ignored as a field, kept as a cell</Unknown></SomethingNew>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def write(tmp_path: Path, text: str, name: str = "return.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cin_census_gives_its_records_with_lines_and_parents(tmp_path):
    path = write(tmp_path, CIN)
    assert sniff_dataset(path) == CIN_CENSUS
    records = {r.kind + (r.get("CPPreviewDate") or ""): r for r in iter_records(path, CIN_CENSUS)}
    child, referral = records["Child"], records["CINdetails"]
    assert (child.line, child.parent, child.get("LAchildID"), child.get("Sex")) == (5, None, "C1", "F")
    assert (referral.line, referral.parent, referral.get("CINreferralDate")) == (7, child.index, "2023-06-01")
    assert records["Assessments"].parent == records["Section47"].parent == referral.index
    plan = records["ChildProtectionPlans"]
    assert plan.get("CPPstartDate") == "2023-06-20" and plan.get("CPPreviewDate") is None  # reviews are records
    reviews = [r for r in records.values() if r.kind == "CPPreviewDate"]
    assert sorted(r.get("CPPreviewDate") for r in reviews) == ["2023-09-20", "2024-03-01"]  # trimmed
    assert {r.parent for r in reviews} == {plan.index} and {r.line for r in reviews} == {13}
    # an element the reader does not know stays a cell of its record (exact duplicates are judged on all cells)
    assert ("Unknown", "ignored as a field, kept as a cell") in referral.cells
    assert referral.get("DateOfInitialCPC") is None  # the enquiry's conference date is the enquiry's own field


@needs_external
def test_the_903_validator_fake_return_reads_every_record():
    assert sniff_dataset(FAKE_903) == SSDA903
    records = list(iter_records(FAKE_903, SSDA903))
    text = FAKE_903.read_text(encoding="ascii")
    assert Counter(r.kind for r in records) == {"HEADER": text.count("<HEADER>"), "EPISODE": text.count("<EPISODE>")}
    assert len(records) == 712
    first_episode = next(r for r in records if r.kind == "EPISODE")
    # an episode's child is the first HEADER/CHILDID of its CHILD; PL is the XML name of PLACE
    assert (first_episode.context["CHILDID"], first_episode.get("DECOM"), first_episode.get("PL")) == (
        "907440", "06/01/2017", "R5")


@needs_external
def test_the_liia_cin_sample_is_a_census():
    kinds = Counter(r.kind for r in iter_records(CIN_2022, CIN_CENSUS))
    assert kinds == {"Child": 1, "CINdetails": 1, "Assessments": 1, "Section47": 1, "ChildProtectionPlans": 1,
                     "CPPreviewDate": 1}


def test_files_that_are_not_returns_are_no_dataset(tmp_path):
    assert sniff_dataset(write(tmp_path, "<CSWWWorker><Id>1</Id></CSWWWorker>")) is None  # another collection
    assert sniff_dataset(write(tmp_path, "<Message><Children></Children></Message>")) is None  # no Child
    assert sniff_dataset(write(tmp_path, "not xml at all")) is None


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&lol9;</CHILDID></HEADER></CHILD></EXPSSDA903>
"""


def test_an_entity_bomb_is_refused_quickly(tmp_path):
    path = write(tmp_path, BILLION_LAUGHS)
    start = time.perf_counter()
    with pytest.raises(XmlRejected, match="declares a DTD"):
        list(iter_records(path, SSDA903))
    assert time.perf_counter() - start < 1
    assert sniff_dataset(path) is None


def test_an_external_entity_is_never_fetched(tmp_path):
    secret = write(tmp_path, "the contents of a private file", "secret.txt")
    path = write(tmp_path, f"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY web SYSTEM "http://example.invalid/x">]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&leak;&web;</CHILDID></HEADER></CHILD></EXPSSDA903>
""")
    with pytest.raises(XmlRejected, match="declares a DTD"):
        list(iter_records(path, SSDA903))


def test_a_truncated_return_says_where_and_how_many_records_came_before(tmp_path):
    text = "<EXPSSDA903>" + "<CHILD><HEADER><CHILDID>1</CHILDID></HEADER><EPISODE><DECOM>01/01/2020</DECOM></EPISODE></CHILD>\n" * 3
    path = write(tmp_path, text + "<CHILD><HEADER><CHILDID>4</CHI")
    with pytest.raises(XmlRejected, match=r"line \d+: not well-formed XML") as caught:
        list(iter_records(path, SSDA903))
    assert caught.value.records_read == 7  # six whole records and the header cut short


@pytest.mark.slow
def test_memory_stays_flat_as_the_file_grows(tmp_path):
    """Peak memory reading a 903 XML of 20,000 and of 200,000 children (about 3 and 30 MB) differs by
    little: the tree is freed as records finish."""
    script = """
import resource, sys, time
from pathlib import Path
from pipelines.core.returns.xml_records import iter_records
n = int(sys.argv[2])
path = Path(sys.argv[1])
with path.open("w") as out:
    out.write("<EXPSSDA903>")
    for i in range(n):
        out.write(f"<CHILD><HEADER><CHILDID>{i}</CHILDID><SEX>1</SEX><DOB>01/01/2010</DOB></HEADER>"
                  f"<EPISODE><DECOM>01/04/2020</DECOM><RNE>S</RNE><LS>C2</LS><PL>U4</PL></EPISODE></CHILD>\\n")
    out.write("</EXPSSDA903>")
start = time.perf_counter()
count = sum(1 for _ in iter_records(path, "ssda903"))
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, time.perf_counter() - start)
"""
    results = []
    for n in (20_000, 200_000):
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / f"{n}.xml"), str(n)],
                              capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        count, peak_mb, seconds = done.stdout.split()
        results.append((int(count), int(peak_mb), float(seconds)))
    (small_count, small_mb, _), (big_count, big_mb, big_seconds) = results
    assert (small_count, big_count) == (40_000, 400_000)
    assert big_mb - small_mb < 40, results  # ten times the file, not ten times the memory


def test_doctype_text_inside_the_document_is_data_not_a_dtd(tmp_path):
    path = write(tmp_path, "<EXPSSDA903><CHILD><HEADER><CHILDID><![CDATA[<!DOCTYPE x>]]></CHILDID></HEADER></CHILD>"
                           "</EXPSSDA903>")
    assert [record.get("CHILDID") for record in iter_records(path, SSDA903)] == ["<!DOCTYPE x>"]
