"""Analysts read the models in dbt's own documentation site: one static file, every mart column
described (from the KPI definitions), and the SQL style held by sqlfluff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.defs.transform import dbt_executable
from pipelines.settings import DBT_PROJECT_DIR, PROJECT_ROOT
from tests.browser import needs_chromium, render

pytestmark = pytest.mark.slow


def test_every_mart_column_is_described():
    import yaml

    marts = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text())["models"]
    undescribed = [(m["name"], c["name"]) for m in marts for c in m["columns"] if not c.get("description")]
    assert undescribed == []
    models = {p.stem for layer in ("staging", "intermediate", "marts")
              for p in (DBT_PROJECT_DIR / "models" / layer).glob("*.sql")}
    documented = {m["name"] for p in (DBT_PROJECT_DIR / "models").rglob("_*.yml")
                  for m in (yaml.safe_load(p.read_text()) or {}).get("models", [])}
    assert models - documented == set()


def test_the_sql_is_sqlfluff_clean():
    done = subprocess.run([str(Path(sys.executable).parent / "sqlfluff"), "lint", "dbt_project/models",
                           "dbt_project/macros", "dbt_project/tests"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


@needs_chromium
def test_the_static_docs_site_shows_a_mart_with_its_columns(tmp_path):
    # the descriptions come from the project, not the warehouse: no catalog needed
    done = subprocess.run([dbt_executable(), "docs", "generate", "--static", "--empty-catalog", "--quiet",
                           "--profiles-dir", ".", "--target-path", str(tmp_path / "docs")], cwd=DBT_PROJECT_DIR,
                          capture_output=True, text=True,
                          env={**os.environ, "CSC_WAREHOUSE_PATH": str(tmp_path / "empty.duckdb")})
    assert done.returncode == 0, done.stdout[-3000:]
    page = (tmp_path / "docs" / "static_index.html").as_uri() + "#!/model/model.csc_warehouse.kpi_front_door_decisions"
    dom = render(page, size="1400,1000")
    assert "kpi_front_door_decisions" in dom
    assert "pct_within_24h" in dom and "decided_within_24h / (contacts_received" in dom
