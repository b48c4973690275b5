"""The Dagster UI serves the code location and shows the asset graph (ingest, dbt, publish)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT
from tests.browser import free_port, needs_chromium, render


@pytest.mark.slow
@needs_chromium
def test_dagster_ui_shows_the_asset_graph(tmp_path):
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [str(bin_dir / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, "the webserver exited"
            assert time.monotonic() < deadline, "the webserver did not answer in 180 s"
            time.sleep(1)
        dom = render(f"http://127.0.0.1:{port}/asset-groups", size="1400,1000", budget_ms=30000)
    finally:
        # processes started from some shells ignore SIGTERM: kill the whole group outright
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    assert "Global asset lineage" in dom
    for group in ("ingest", "staging", "intermediate", "marts", "serving"):
        assert f">{group}<" in dom, group
