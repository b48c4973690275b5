"""The bad-input corpus (tests/corpus/<case>/): one small landing folder per case, and in its
expected.yml the exact outcome: counts per file, file-level errors, every reject (table, line,
column, raw value, rule), every data-quality failure, and whether the extract is blocked.
docs/bad-input.md lists the cases and what the product does with each."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.core.contract import load_contract
from pipelines.core.ingest.landing import scan_landing
from pipelines.core.ingest.loader import load_extract
from pipelines.settings import PROJECT_ROOT

CORPUS = Path(__file__).parents[1] / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yml").exists())
CONTRACT = load_contract()


def test_the_corpus_covers_the_cases_and_the_docs_list_them():
    assert len(CASES) >= 30
    docs = (PROJECT_ROOT / "docs" / "bad-input.md").read_text()
    assert [c for c in CASES if f"`{c}`" not in docs] == []


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case, tmp_path):
    expected = yaml.safe_load((CORPUS / case / "expected.yml").read_text())
    scan = scan_landing(CORPUS / case, CONTRACT)
    if "landing_error" in expected:
        assert scan.extracts == []
        assert any(expected["landing_error"] in e for e in scan.errors), scan.errors
        return
    assert scan.errors == [] and len(scan.extracts) == 1
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        result = load_extract(con, CONTRACT, scan.extracts[0])
        files = {t: [f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate] for t, f in result.files.items()}
        assert files == expected["files"]
        assert result.blocked == expected["blocked"], result.block_reasons
        for table, message in expected.get("file_errors", {}).items():
            assert message in (result.files[table].file_error or ""), result.files[table].file_error
        assert {t for t, f in result.files.items() if f.rejected_whole} == set(expected.get("file_errors", {}))
        rejects = con.execute("SELECT table_name, line_no, column_name, raw_value, rule FROM raw.rejects ORDER BY ALL").fetchall()
        assert [list(r) for r in rejects] == sorted(expected.get("rejects", []), key=str)
        dq = con.execute("SELECT table_name, record_id, check_name, severity FROM raw.dq_failures ORDER BY ALL").fetchall()
        if "dq" in expected:
            assert [list(r) for r in dq] == expected["dq"]
        else:
            assert [r for r in dq if r[3] == "error"] == []
        for warning in expected.get("warnings", []):
            assert any(warning in w for w in result.warnings), result.warnings
        for table, encoding in expected.get("encodings", {}).items():
            assert result.files[table].encoding == encoding
        for table, ids in expected.get("loaded", {}).items():
            pk = CONTRACT.table(table).primary_key
            assert [r[0] for r in con.execute(f"SELECT {pk} FROM raw.{table} ORDER BY 1").fetchall()] == ids
        if "block_reason" in expected:
            assert expected["block_reason"] in result.block_reasons
        # the guarantee behind every case: every row read is loaded, rejected or a duplicate
        for f in result.files.values():
            assert f.rows_read == f.rows_loaded + f.rows_rejected + f.rows_duplicate
    finally:
        con.close()
