"""The guarantees of the loader, each demonstrated: nothing lost, nothing half-done, nothing leaked
across LAs, and a crash at any point recoverable by running again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.cli.run import run_pipeline
from pipelines.settings import Settings
from tests.conftest import copy_build
from tests.helpers import write_extract

pytestmark = pytest.mark.slow

KPI_MARTS = ["kpi_return_home_interviews", "kpi_front_door_decisions", "front_door_open_contacts",
             "kpi_strategy_discussion_attendance", "kpi_caseloads", "kpi_caseloads_team", "kpi_scorecard"]
CSC = str(Path(sys.executable).parent / "csc")


def mart_bytes(warehouse: Path, marts: list[str] | None = None, tmp: Path | None = None) -> dict[str, bytes]:
    """Each mart exported as CSV, sorted: byte-for-byte comparable."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = marts or [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            path = (tmp or warehouse.parent) / f"_{name}.csv"
            exclude = " EXCLUDE (loaded_at)" if name == "extracts" else ""
            con.execute(f"COPY (SELECT *{exclude} FROM marts.{name} ORDER BY ALL) TO '{path}' (HEADER)")
            out[name] = path.read_bytes()
            path.unlink()
        return out
    finally:
        con.close()


PERSON = "pers_person_id,pers_dob\nP1,2010-01-01\nP2,2012-02-02\n"
CONTACTS = """\
    cont_contact_id,cont_person_id,cont_contact_date,cont_decision_date,cont_contact_outcome
    C1,P1,2024-03-01 09:00,2024-03-01 15:00,NFA
    C2,P2,2024-03-04 09:00,2024-03-06 09:00,ADVICE
    C3,P2,2024-03-28 09:00,,
"""


def settings(landing: Path, warehouse: Path, **more) -> Settings:
    return Settings.load({}, landing_dir=landing, warehouse_path=warehouse, **more)


def test_reloading_gives_byte_identical_marts(handmade_build, tmp_path):
    """The same files again, forced through ingest (`csc run --force`: every extract re-loaded and
    re-checked, as after a rule change), then a rebuild: every mart byte-identical, blocked and
    superseded extracts included."""
    first = mart_bytes(handmade_build.warehouse, tmp=tmp_path)
    again = copy_build(handmade_build, tmp_path / "again")
    con = duckdb.connect(str(again.warehouse), read_only=True)
    loaded_before = con.execute("SELECT la_code, extract_date, loaded_at FROM raw.extract_log ORDER BY ALL").fetchall()
    con.close()
    result = run_pipeline(settings(again.landing, again.warehouse, dq_block_threshold=0.5), force=True)
    assert result.ingest_ok and result.transform_ok
    con = duckdb.connect(str(again.warehouse), read_only=True)
    loaded_after = con.execute("SELECT la_code, extract_date, loaded_at FROM raw.extract_log ORDER BY ALL").fetchall()
    con.close()
    assert [r[:2] for r in loaded_after] == [r[:2] for r in loaded_before]
    assert all(after[2] > before[2] for before, after in zip(loaded_before, loaded_after, strict=True))  # reloaded
    assert mart_bytes(again.warehouse) == first
    assert len(first) >= 10 and all(first.values())


def test_blocked_or_failed_extract_changes_no_kpi_mart(example_build, tmp_path):
    build = copy_build(example_build, tmp_path / "copy")
    landing, warehouse = build.landing, build.warehouse
    before = mart_bytes(warehouse, KPI_MARTS)
    # a newer extract whose contacts file is unreadable (UTF-16): rejected whole, so blocked; and one
    # that fails the row checks (every contact after its as-at date): blocked too
    write_extract(landing, "885", "2024-08-02", {"ssd_person": PERSON})
    (landing / "885" / "2024-08-02" / "ssd_contacts.csv").write_bytes("cont_contact_id\nC9\n".encode("utf-16"))
    write_extract(landing, "885", "2024-09-02", {"ssd_person": PERSON, "ssd_contacts": CONTACTS.replace("2024-03", "2024-10")})
    result = run_pipeline(settings(landing, warehouse))
    assert result.blocked == ["885/2024-08-02", "885/2024-09-02"]
    assert result.transform_ok
    assert mart_bytes(warehouse, KPI_MARTS) == before


def test_newer_extract_supersedes_without_touching_other_las(handmade_build, tmp_path):
    build = copy_build(handmade_build, tmp_path / "copy")  # 885, 926 and 860 loaded (threshold 50%)
    landing, warehouse = build.landing, build.warehouse

    def rows_of(la):
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            marts = {m: con.execute(f"SELECT * FROM marts.{m} WHERE la_code = ? ORDER BY ALL", [la]).fetchall()
                     for m in KPI_MARTS}
            raw = con.execute("SELECT * FROM raw.ssd_contacts WHERE la_code = ? ORDER BY ALL", [la]).fetchall()
            loaded = con.execute("SELECT loaded_at FROM raw.extract_log WHERE la_code = ?", [la]).fetchall()
            return marts, raw, loaded
        finally:
            con.close()

    other_before = rows_of("926")
    write_extract(landing, "885", "2024-05-02", {"ssd_person": PERSON, "ssd_contacts": CONTACTS + "    C4,P1,2024-05-01 09:00,,\n"})
    result = run_pipeline(settings(landing, warehouse, dq_block_threshold=0.5))
    assert result.ingest_ok and result.transform_ok
    assert rows_of("926") == other_before
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT extract_date::VARCHAR FROM marts.extracts WHERE la_code = '885' AND is_current").fetchall() == [("2024-05-02",)]
        assert con.execute("SELECT contact_id FROM marts.front_door_open_contacts WHERE la_code = '885' ORDER BY 1").fetchall() == [("C3",), ("C4",)]
    finally:
        con.close()


def _wait_for(path: Path, pattern: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and re.search(pattern, path.read_text(errors="replace")):
            return
        time.sleep(0.05)
    raise AssertionError(f"{pattern!r} never appeared in {path}")


@pytest.fixture(scope="module")
def demo_landing(tmp_path_factory):
    from pipelines.synthetic.generate import generate_landing
    from pipelines.synthetic.scenario import load_scenario

    root = tmp_path_factory.mktemp("kill")
    generate_landing(root / "landing", load_scenario(), seed=11, scale=0.3)
    reference = root / "reference" / "w.duckdb"
    assert run_pipeline(settings(root / "landing", reference)).ok
    return root / "landing", mart_bytes(reference)


INGEST_STARTED = r"STEP_START.*raw_extracts|raw_extracts.*STEP_START|Started execution of step \"raw_extracts\""
DBT_STARTED = r"Running dbt command"


def _run_and_kill(landing: Path, warehouse: Path, marker: str, delay: float, phase: str) -> None:
    """Start `csc run`, wait for ``marker`` in its log and ``delay`` more seconds, SIGKILL its process group."""
    log = warehouse.parent / "last_run.log"
    log.unlink(missing_ok=True)
    proc = subprocess.Popen([CSC, "run", "--landing", str(landing), "--warehouse", str(warehouse), "--no-scorecard"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(log, marker, timeout=180)
        time.sleep(delay)
        assert proc.poll() is None, f"the run finished before it could be killed in {phase}"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL


def test_killed_runs_recover(demo_landing, tmp_path):
    """SIGKILL the whole `csc run` process group mid-ingest, then the next run mid-dbt, run again, and
    end exactly where an uninterrupted run ends."""
    landing, reference = demo_landing
    warehouse = tmp_path / "w.duckdb"
    _run_and_kill(landing, warehouse, INGEST_STARTED, 1.5, "ingest")
    _run_and_kill(landing, warehouse, DBT_STARTED, 2.5, "dbt")
    again = subprocess.run([CSC, "run", "--landing", str(landing), "--warehouse", str(warehouse), "--no-scorecard"],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout
    assert mart_bytes(warehouse) == reference


def test_a_file_over_a_million_rows_streams_through(tmp_path):
    """1.2 million contacts (about 80 MB) load with every row accounted for, in bounded memory."""
    folder = tmp_path / "landing" / "885" / "2024-04-02"
    folder.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'P' || i AS pers_person_id, DATE '2010-01-01' + (i % 3000)::INT AS pers_dob
                          FROM range(20000) t(i)) TO '{folder / "ssd_person.csv"}' (HEADER)""")
    con.execute(f"""COPY (SELECT 'C' || lpad(i::VARCHAR, 8, '0') AS cont_contact_id, 'P' || (i % 20000) AS cont_person_id,
                                 strftime(TIMESTAMP '2023-01-01' + to_minutes(i % 700000), '%Y-%m-%d %H:%M') AS cont_contact_date,
                                 CASE WHEN i % 1000 = 7 THEN '31/02/2024 10:00' ELSE NULL END AS cont_decision_date
                          FROM range(1200000) t(i)) TO '{folder / "ssd_contacts.csv"}' (HEADER)""")
    con.close()
    script = f"""
import resource, duckdb
from pathlib import Path
from pipelines.core.contract import load_contract
from pipelines.core.ingest.landing import scan_landing
from pipelines.core.ingest.loader import load_extract
c = load_contract()
e = scan_landing(Path({str(tmp_path / "landing")!r}), c).extracts[0]
con = duckdb.connect({str(tmp_path / "w.duckdb")!r})
r = load_extract(con, c, e).files["ssd_contacts"]
print("RESULT", r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_duplicate,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", script], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    read, loaded, rejected, duplicate, peak_mb = map(int, line.split()[1:])
    assert (read, loaded, rejected, duplicate) == (1_200_000, 1_198_800, 1_200, 0)
    assert peak_mb < 4096, f"peak memory {peak_mb} MB"
