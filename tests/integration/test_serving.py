"""BI tools read a published copy: never blocked by a load, never a half-built or failed build."""

from __future__ import annotations

import subprocess
import time

import duckdb
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.conftest import CSC, Build, copy_build, csc
from tests.helpers import write_extract

pytestmark = pytest.mark.slow

PERSON = "pers_person_id,pers_dob\nP1,2010-01-01\nP2,2012-02-02\n"


def contacts(n: int, month: str = "2024-03") -> str:
    rows = "".join(f"C{i},P1,{month}-{1 + i % 28:02d} 09:00,{month}-{1 + i % 28:02d} 15:00,NFA\n" for i in range(n))
    return "cont_contact_id,cont_person_id,cont_contact_date,cont_decision_date,cont_contact_outcome\n" + rows


def run_args(build: Build) -> list[str]:
    return ["run", "--landing", str(build.landing), "--warehouse", str(build.warehouse),
            "--serving", str(build.serving), "--no-scorecard"]


STATE = "SELECT count(*), sum(contacts_received) FROM marts.kpi_front_door_decisions"


def test_readers_see_old_or_new_data_never_an_error_while_a_load_runs(example_build, tmp_path):
    build = copy_build(example_build, tmp_path / "copy")  # the worked example, built and published
    # A BI tool's connection, as Superset and Metabase-style tools make it: SQLAlchemy + duckdb-engine.
    engine = sa.create_engine(f"duckdb:///{build.serving}", connect_args={"read_only": True}, poolclass=NullPool)
    with engine.connect() as conn:
        old = tuple(conn.execute(sa.text(STATE)).one())
    assert old[0] == 24 and old[1] > 100  # the example: 24 months of contacts

    write_extract(build.landing, "885", "2024-08-02", {"ssd_person": PERSON, "ssd_contacts": contacts(55, "2024-07")})
    new = (24, 55)  # the newer extract replaces the example: its window 2022-09..2024-08 holds 55 contacts
    proc = subprocess.Popen([CSC, *run_args(build)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def test_a_failed_build_never_publishes(example_build, tmp_path):
    build = copy_build(example_build, tmp_path / "copy")  # the worked example, built and published
    published = build.serving.read_bytes()
    # A hand edit of the warehouse breaks the load bookkeeping (rows read no longer add up): the
    # enforced reconciliation test fails in dbt build, and the build stops before publication.
    con = duckdb.connect(str(build.warehouse))
    try:
        con.execute("UPDATE raw.load_log SET rows_read = rows_read + 1 WHERE table_name = 'ssd_contacts'")
    finally:
        con.close()
    done = csc(*run_args(build))
    assert done.returncode == 1
    assert "dbt build failed" in done.stdout
    assert build.serving.read_bytes() == published
    assert not build.serving.with_name(build.serving.name + ".tmp").exists()


def test_bi_tools_see_the_not_null_columns_of_the_marts_contracts(example_build):
    """A mart column declared not null in its dbt contract is NOT NULL in the warehouse (DuckDB refuses a
    null on every write) and in the serving file BI tools read."""
    for path in (example_build.warehouse, example_build.serving):
        con = duckdb.connect(str(path), read_only=True)
        nullable = dict(con.execute(
            "SELECT column_name, is_nullable FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'marts' AND table_name = 'kpi_front_door_decisions'").fetchall())
        con.close()
        assert (nullable["la_code"], nullable["contacts_received"], nullable["pct_within_24h"]) == (False, False, True)
