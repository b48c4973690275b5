"""BI tools read a published copy: never blocked by a load, never a half-built or failed build."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.helpers import write_extract

CSC = str(Path(sys.executable).parent / "csc")
PERSON = "pers_person_id,pers_dob\nP1,2010-01-01\nP2,2012-02-02\n"


def contacts(n: int, month: str = "2024-03") -> str:
    rows = "".join(f"C{i},P1,{month}-{1 + i % 28:02d} 09:00,{month}-{1 + i % 28:02d} 15:00,NFA\n" for i in range(n))
    return "cont_contact_id,cont_person_id,cont_contact_date,cont_decision_date,cont_contact_outcome\n" + rows


def run(landing: Path, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CSC, "run", "--landing", str(landing), "--warehouse", str(root / "w.duckdb"),
                           "--serving", str(root / "serving.duckdb"), "--no-scorecard"],
                          capture_output=True, text=True, timeout=600)


STATE = "SELECT count(*), sum(contacts_received) FROM marts.kpi_front_door_decisions"


def test_readers_see_old_or_new_data_never_an_error_while_a_load_runs(tmp_path):
    landing = tmp_path / "landing"
    write_extract(landing, "885", "2024-04-02", {"ssd_person": PERSON, "ssd_contacts": contacts(40)})
    assert run(landing, tmp_path).returncode == 0
    # A BI tool's connection, as Superset and Metabase-style tools make it: SQLAlchemy + duckdb-engine.
    engine = sa.create_engine(f"duckdb:///{tmp_path / 'serving.duckdb'}",
                              connect_args={"read_only": True}, poolclass=NullPool)
    with engine.connect() as conn:
        old = tuple(conn.execute(sa.text(STATE)).one())
    assert old == (24, 40)

    write_extract(landing, "885", "2024-05-02", {"ssd_person": PERSON, "ssd_contacts": contacts(55, "2024-04")})
    new = (24, 55)  # the window moves on a month: 2022-06..2024-05; March 2024's 40 contacts drop out
    proc = subprocess.Popen([CSC, "run", "--landing", str(landing), "--warehouse", str(tmp_path / "w.duckdb"),
                             "--serving", str(tmp_path / "serving.duckdb"), "--no-scorecard"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen, errors, held = [], [], engine.connect()
    try:
        while proc.poll() is None or len(seen) < 5:
            try:
                # the connection held open throughout, and a fresh one each time
                seen.append(tuple(held.execute(sa.text(STATE)).one()))
                with engine.connect() as conn:
                    seen.append(tuple(conn.execute(sa.text(STATE)).one()))
            except Exception as exc:  # noqa: BLE001 - any error at all is what this test forbids
                errors.append(repr(exc))
            time.sleep(0.02)
    finally:
        held.close()
        proc.wait(timeout=600)
    assert proc.returncode == 0
    assert errors == []
    assert set(seen) <= {old, new}, set(seen)
    assert len(seen) > 20
    # DuckDB keeps a file open while any connection to it in the process is open, so a reconnect after
    # the last one closes sees the newly published file
    with engine.connect() as conn:
        assert tuple(conn.execute(sa.text(STATE)).one()) == new


def test_a_failed_build_never_publishes(tmp_path):
    landing = tmp_path / "landing"
    write_extract(landing, "885", "2024-04-02", {"ssd_person": PERSON, "ssd_contacts": contacts(10)})
    assert run(landing, tmp_path).returncode == 0
    published = (tmp_path / "serving.duckdb").read_bytes()
    # A contact from 2009 is outside the bank-holiday calendar (2010-2030): its working-day deadline
    # cannot be computed, a dbt test fails, and the build stops before publication.
    write_extract(landing, "926", "2010-01-31", {"ssd_person": "pers_person_id,pers_dob\nP1,2000-01-01\n",
                                                 "ssd_contacts": contacts(3, "2009-12")})
    done = run(landing, tmp_path)
    assert done.returncode == 1
    assert "dbt build failed" in done.stdout
    assert (tmp_path / "serving.duckdb").read_bytes() == published
    assert not (tmp_path / "serving.duckdb.tmp").exists()
